/**
 * The session store contract. A record holds the persisted machine snapshot and the engine's
 * bookkeeping; writes are compare-and-set on `revision`, so two requests of one session can never
 * both win (a lost update is impossible). Both stores pass the same contract tests. The store
 * also caches what signed-in pages show of their user, beside the sessions that show it.
 */
import type { Config } from '../config.ts';
import type { UserProfile } from '../db/users.ts';

export interface SessionRecord {
  /** Fingerprint of the machine definition that made the snapshot; another one = expired session. */
  machineVersion: string;
  revision: number;
  snapshot: unknown;
  /** The step token the next POST must carry; null while a POST has claimed it (nothing matches). */
  step: string | null;
  /** The step token consumed last: its repetition (a double click) is answered like the first. */
  lastStep: string | null;
  /**
   * The per-render key in the page's URL (`?k=`), new on every move: a GET of the page with another
   * key is an earlier render (the browser's Back button), out of sequence. Not a secret.
   */
  key: number;
  /** Set while a POST of this session is running its event (ms since epoch). */
  pendingSince: number | null;
  /** Creation time (ms since epoch), for the absolute lifetime. */
  createdAt: number;
  /** Database key of the signed-in user, so a password change can end their other sessions. */
  userRef: string | null;
  /** Random name of the visit for analysis (traffic, live view); kept when the session id changes. */
  trace: string;
  /**
   * Set when the session got a new id (login, new password): for a few seconds the old id is a
   * tombstone that answers a repeat of the step that moved it with a redirect to where that move
   * went, and nothing else. It holds no pointer to the new id and no snapshot.
   */
  tombstone?: { location: string };
}

/** How long a cached profile lives: the longest a change made outside the portal goes unseen. */
export const profileTtlMs = 5 * 60_000;

/** How long the tombstone of a moved session answers a repeated POST. */
export const tombstoneTtlMs = 30_000;

export interface SessionStore {
  /** Reads a record and restarts its idle timer; null when absent or expired. */
  get(id: string): Promise<SessionRecord | null>;
  /** Reads a record without touching its idle timer. */
  peek(id: string): Promise<SessionRecord | null>;
  /** Stores a new record; false when the id is taken. */
  create(id: string, record: SessionRecord): Promise<boolean>;
  /** Replaces the record if its stored revision is `expected`; the new record carries expected + 1. */
  replace(id: string, expected: number, record: SessionRecord): Promise<boolean>;
  destroy(id: string): Promise<void>;
  /** Ends every session of the user but `keep` (after a password change or reset). */
  destroyUserSessions(userRef: string, keep?: string): Promise<number>;
  /** The cached copy of what signed-in pages show of a user; null when none is cached. */
  cachedProfile(userRef: string): Promise<UserProfile | null>;
  /** Caches a profile for `profileTtlMs`, unless the same or a newer version is cached. */
  cacheProfile(profile: UserProfile): Promise<void>;
  /** Counts live sessions (for metrics and the live flow view). */
  count(): Promise<number>;
  /** Throws when the store cannot be reached (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreTimes {
  /** Idle timeout in milliseconds, refreshed on every read and write. */
  idleMs: number;
  /** Absolute lifetime in milliseconds from creation. */
  absoluteMs: number;
  /** Absolute lifetime of a session nobody has signed in to (a planted one cannot wait long). */
  anonymousMs: number;
  /** Lifetime of a cached profile (default `profileTtlMs`). */
  profileMs?: number;
  now?: () => number;
}

/** The sessions' times as configured. */
export function sessionTimes(
  config: Pick<Config, 'SESSION_IDLE_SECONDS' | 'SESSION_ABSOLUTE_HOURS' | 'SESSION_ANONYMOUS_MINUTES'>,
): StoreTimes {
  return {
    idleMs: config.SESSION_IDLE_SECONDS * 1000,
    absoluteMs: config.SESSION_ABSOLUTE_HOURS * 3_600_000,
    anonymousMs: config.SESSION_ANONYMOUS_MINUTES * 60_000,
  };
}

/** When a session ends whatever its activity: signed-in sessions live longer than anonymous ones. */
export function endOf(
  record: Pick<SessionRecord, 'createdAt' | 'userRef'>,
  times: Pick<StoreTimes, 'absoluteMs' | 'anonymousMs'>,
): number {
  return record.createdAt + (record.userRef === null ? times.anonymousMs : times.absoluteMs);
}

/** Time to live of a record: the idle timeout, never past the absolute lifetime. */
export function ttlOf(record: SessionRecord, times: StoreTimes): number {
  const now = times.now?.() ?? Date.now();
  const idle = record.tombstone ? Math.min(tombstoneTtlMs, times.idleMs) : times.idleMs;
  return Math.max(1, Math.min(idle, endOf(record, times) - now));
}
