/**
 * The lockout, decided before a password is verified: every guess (a login, or the current
 * password on the Password Input page) first reserves a place among the account's failures and
 * the guesses in flight (migration 010), in one statement under the row's lock, and is released
 * after its verification. So a burst of parallel guesses verifies at most `attempts` of them per
 * lockout window, and a guess beyond that locks the account whatever the order of arrival.
 *
 * Every path issues the same statements: an unknown user ID or a refused guess runs the same
 * reservation and the same release, matching no row, so neither is told apart by its work.
 */
import type { Queryable } from './pool.ts';
import { type UserRow, userColumns } from './users.ts';

export interface LockoutLimits {
  /** Failures (and guesses in flight) that lock the account. */
  attempts: number;
  lockMinutes: number;
}

/**
 * How long a reservation counts when its release never comes (its process died). Far above a
 * verification's time, even queued behind a storm of them on a busy thread pool.
 */
export const reservationSeconds = 120;

export interface Reservation {
  /** The account of the user ID; undefined when there is none. */
  user: UserRow | undefined;
  /** The guess may be verified: it counts as in flight until released. */
  admitted: boolean;
  /** This guess found the limit reached by failures and guesses in flight, and locked the account. */
  lockedNow: boolean;
}

/**
 * Joined to the reservation and to the release of a failure: they commit without waiting for the
 * WAL flush (5 ms here), as the same statements matching no row (an unknown user ID) have nothing
 * to flush. Not less durable in effect: every guess then commits a row synchronously (its audit
 * row), and that flush takes the WAL written before it along.
 */
const noFlushWait = `(SELECT set_config('synchronous_commit', 'off', true)) AS no_flush_wait`;

/** The guesses still in flight, and whether the account is locked, as the row is now. */
const liveState = `CASE WHEN attempts_until > now() THEN attempts_in_flight ELSE 0 END AS live,
       coalesce(locked_until > now(), false) AS locked`;

/** Reserves a guess for the user ID before its verification (see the module's comment). */
export async function reserveAttempt(
  db: Queryable,
  userId: string,
  limits: LockoutLimits,
): Promise<Reservation> {
  const { rows } = await db.query<UserRow & { admitted: boolean; locked_now: boolean }>(
    `UPDATE users u SET
        attempts_in_flight = CASE WHEN a.admitted THEN a.live + 1 ELSE a.live END,
        attempts_until = CASE WHEN a.admitted THEN now() + make_interval(secs => $4) ELSE u.attempts_until END,
        locked_until = CASE WHEN a.admitted OR a.locked THEN u.locked_until
                            ELSE now() + make_interval(mins => $3) END,
        failed_logins = CASE WHEN a.admitted OR a.locked THEN u.failed_logins ELSE 0 END
       FROM (SELECT ref, live, locked, NOT locked AND failed + live < $2 AS admitted
               FROM (SELECT id AS ref, failed_logins AS failed, ${liveState}
                       FROM users WHERE user_id = $1 FOR UPDATE) s) a, ${noFlushWait}
      WHERE u.id = a.ref
      RETURNING ${userColumns}, a.admitted, NOT a.admitted AND NOT a.locked AS locked_now`,
    [userId, limits.attempts, limits.lockMinutes, reservationSeconds],
  );
  const row = rows[0];
  if (!row) return { user: undefined, admitted: false, lockedNow: false };
  const { admitted, locked_now: lockedNow, ...user } = row;
  return { user, admitted, lockedNow };
}

export interface Release {
  /** The account is locked now (by this failure or by another guess meanwhile). */
  locked: boolean;
  /** This failure reached the limit and locked the account. */
  lockedNow: boolean;
}

/**
 * Releases a guess that failed and counts it; at the limit the account locks for `lockMinutes`.
 * A failure while already locked is not counted again: the lock stands for it. `reserved` false
 * (unknown user ID, refused guess): the same statement, matching no row.
 */
export async function releaseFailedAttempt(
  db: Queryable,
  userId: string,
  limits: LockoutLimits,
  reserved: boolean,
): Promise<Release> {
  const { rows } = await db.query<Release>(
    `UPDATE users u SET
        attempts_in_flight = greatest(a.live - 1, 0),
        failed_logins = CASE WHEN a.locked THEN u.failed_logins WHEN a.reaches THEN 0 ELSE u.failed_logins + 1 END,
        locked_until = CASE WHEN NOT a.locked AND a.reaches THEN now() + make_interval(mins => $3)
                            ELSE u.locked_until END
       FROM (SELECT id AS ref, failed_logins + 1 >= $2 AS reaches, ${liveState}
               FROM users WHERE user_id = $1 AND $4::boolean FOR UPDATE) a, ${noFlushWait}
      WHERE u.id = a.ref
      RETURNING a.locked OR a.reaches AS locked, NOT a.locked AND a.reaches AS "lockedNow"`,
    [userId, limits.attempts, limits.lockMinutes, reserved],
  );
  return rows[0] ?? { locked: false, lockedNow: false };
}

export interface Verified {
  /** Another guess locked the account while this one was verified: it must not be let in. */
  locked: boolean;
  /** The time of the login before this one (for a login). */
  previousLoginAt: Date | null;
}

/**
 * Releases a guess that was right: the failures start again from nothing, unless another guess
 * locked the account meanwhile (the lock stands). `loginLang`: a login, recorded with the page's
 * language; null for the current password of the Password Input page.
 */
export async function releaseVerifiedAttempt(
  db: Queryable,
  userId: string,
  loginLang: 'ja' | 'en' | null,
): Promise<Verified> {
  const { rows } = await db.query<Verified>(
    `UPDATE users u SET
        attempts_in_flight = greatest(a.live - 1, 0),
        failed_logins = CASE WHEN a.locked THEN u.failed_logins ELSE 0 END,
        locked_until = CASE WHEN a.locked THEN u.locked_until END,
        last_login_at = CASE WHEN a.locked OR $2::text IS NULL THEN u.last_login_at ELSE now() END,
        lang = CASE WHEN a.locked OR $2::text IS NULL THEN u.lang ELSE $2 END
       FROM (SELECT id AS ref, last_login_at AS previous, ${liveState}
               FROM users WHERE user_id = $1 FOR UPDATE) a
      WHERE u.id = a.ref
      RETURNING a.locked, a.previous AS "previousLoginAt"`,
    [userId, loginLang],
  );
  return rows[0] ?? { locked: true, previousLoginAt: null };
}
