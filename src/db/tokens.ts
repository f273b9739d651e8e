/**
 * Emailed links: a 256-bit random token travels in the URL; only its SHA-256 is stored, so a
 * database leak yields no usable link. Single use, with an expiry.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './pool.ts';

export type TokenPurpose = 'register' | 'reset';

export interface TokenRow {
  id: string;
  user_ref: string;
  purpose: TokenPurpose;
}

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** Issues a link token and voids the user's earlier unused ones of the same purpose. */
export async function issueToken(
  db: Queryable,
  userRef: string,
  purpose: TokenPurpose,
  lifetimeMinutes: number,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.query(
    `UPDATE password_tokens SET used_at = now() WHERE user_ref = $1 AND purpose = $2 AND used_at IS NULL`,
    [userRef, purpose],
  );
  await db.query(
    `INSERT INTO password_tokens (user_ref, token_hash, purpose, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(mins => $4))`,
    [userRef, hashToken(token), purpose, lifetimeMinutes],
  );
  return token;
}

/** The token's row when it is unused and unexpired. */
export async function findLiveToken(db: Queryable, token: string): Promise<TokenRow | undefined> {
  const { rows } = await db.query<TokenRow>(
    `SELECT id::text AS id, user_ref::text AS user_ref, purpose FROM password_tokens
      WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()`,
    [hashToken(token)],
  );
  return rows[0];
}

/** Uses a live token once; answers false when it was used, voided or expired meanwhile. */
export async function consumeToken(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE password_tokens SET used_at = now() WHERE id = $1 AND used_at IS NULL AND expires_at > now()`,
    [id],
  );
  return rowCount === 1;
}

/** A new password voids every link still out for the user. */
export async function voidTokens(db: Queryable, userRef: string): Promise<void> {
  await db.query(`UPDATE password_tokens SET used_at = now() WHERE user_ref = $1 AND used_at IS NULL`, [
    userRef,
  ]);
}
