/** The users repository: plain functions over any query runner (pool or transaction client). */
import type { Queryable } from './pool.ts';

export interface UserRow {
  id: string;
  user_id: string;
  name: string;
  sex: 'male' | 'female';
  birth_date: string;
  municipality_code: string;
  street: string;
  phone: string;
  email: string;
  lang: 'ja' | 'en';
  password_hash: string | null;
  last_login_at: Date | null;
  failed_logins: number;
  locked_until: Date | null;
  /** Bumped by every new password: sessions verified at an older epoch end (bumpCredentialEpoch). */
  credential_epoch: number;
}

export type NewUser = Pick<
  UserRow,
  'user_id' | 'name' | 'sex' | 'birth_date' | 'municipality_code' | 'street' | 'phone' | 'email' | 'lang'
> & { password_hash?: string | null };

/**
 * What signed-in pages show of a user (2.4.1, 2.4.3), with `version`: bumped by a trigger on every
 * change of these columns, so copies of it can be ordered (cached beside the sessions).
 */
export type UserProfile = Pick<
  UserRow,
  'id' | 'user_id' | 'name' | 'sex' | 'birth_date' | 'municipality_code' | 'street' | 'phone' | 'email'
> & { version: number };

/** The fields of 2.4.3 a user may change. */
export type UserInfoChange = Partial<Pick<UserRow, 'municipality_code' | 'street' | 'phone' | 'email'>>;

/** Every column of UserRow, for SELECT and RETURNING lists. */
export const userColumns =
  'id::text AS id, user_id, name, sex, birth_date, municipality_code, street, phone, email, lang, password_hash, last_login_at, failed_logins, locked_until, credential_epoch';

export async function findUserByUserId(db: Queryable, userId: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${userColumns} FROM users WHERE user_id = $1`, [userId]);
  return rows[0];
}

export async function findUserById(
  db: Queryable,
  id: string,
  forUpdate = false,
): Promise<UserRow | undefined> {
  const lock = forUpdate ? ' FOR UPDATE' : '';
  const { rows } = await db.query<UserRow>(`SELECT ${userColumns} FROM users WHERE id = $1${lock}`, [id]);
  return rows[0];
}

const profileColumns =
  'id::text AS id, user_id, name, sex, birth_date, municipality_code, street, phone, email, profile_version::int AS version';

export async function findUserProfile(db: Queryable, id: string): Promise<UserProfile | undefined> {
  const { rows } = await db.query<UserProfile>(`SELECT ${profileColumns} FROM users WHERE id = $1`, [id]);
  return rows[0];
}

export async function emailInUse(db: Queryable, email: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM users WHERE lower(email) = lower($1) LIMIT 1', [email]);
  return rows.length > 0;
}

/** Inserts a user; answers undefined when the user ID is taken (the caller draws another). */
export async function insertUser(db: Queryable, user: NewUser): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (user_id, name, sex, birth_date, municipality_code, street, phone, email, lang, password_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (user_id) DO NOTHING
     RETURNING ${userColumns}`,
    [
      user.user_id,
      user.name,
      user.sex,
      user.birth_date,
      user.municipality_code,
      user.street,
      user.phone,
      user.email,
      user.lang,
      user.password_hash ?? null,
    ],
  );
  return rows[0];
}

/** Applies the change; answers the profile as it now is (undefined: nothing to change, or no user). */
export async function updateUserInfo(
  db: Queryable,
  id: string,
  change: UserInfoChange,
): Promise<UserProfile | undefined> {
  const entries = Object.entries(change).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return undefined;
  const assignments = entries.map(([column], index) => `${column} = $${index + 2}`);
  const { rows } = await db.query<UserProfile>(
    `UPDATE users SET ${assignments.join(', ')}, updated_at = now() WHERE id = $1 RETURNING ${profileColumns}`,
    [id, ...entries.map(([, value]) => value)],
  );
  return rows[0];
}

/**
 * Moves the user's credential epoch on, in the caller's transaction: every session verified at the
 * old epoch ends, a login still in flight included (the engine checks a new session against it).
 * Answers the new epoch. Commit it before ending the user's sessions.
 */
export async function bumpCredentialEpoch(db: Queryable, userRef: string): Promise<number> {
  const { rows } = await db.query<{ epoch: number }>(
    'UPDATE users SET credential_epoch = credential_epoch + 1 WHERE id = $1 RETURNING credential_epoch AS epoch',
    [userRef],
  );
  return rows[0]?.epoch ?? 0;
}

/** The user's credential epoch now; undefined when the user is gone. */
export async function credentialEpoch(db: Queryable, userRef: string): Promise<number | undefined> {
  const { rows } = await db.query<{ epoch: number }>(
    'SELECT credential_epoch AS epoch FROM users WHERE id = $1',
    [userRef],
  );
  return rows[0]?.epoch;
}

export async function setPasswordHash(db: Queryable, id: string, hash: string): Promise<void> {
  await db.query(
    `UPDATE users SET password_hash = $2, password_changed_at = now(), failed_logins = 0, locked_until = NULL,
            updated_at = now() WHERE id = $1`,
    [id, hash],
  );
}

/** Whether an account other than `id` has this address (compared without case). */
export async function emailTakenByOther(db: Queryable, email: string, id: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM users WHERE lower(email) = lower($1) AND id <> $2', [
    email,
    id,
  ]);
  return rows.length > 0;
}
