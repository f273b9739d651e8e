/**
 * Emailed links: a 256-bit random token travels in the URL; only its SHA-256 is stored, so a
 * database leak yields no usable link. Single use, with an expiry.
 *
 * Two families: the password links (register, reset), which set a password, and the restore link
 * in the notice to the former address after an email change, which puts that address back.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './pool.ts';

/** The links that set a password. */
export type PasswordLinkPurpose = 'register' | 'reset';
export type TokenPurpose = PasswordLinkPurpose | 'restore-email';

const passwordLinkPurposes: PasswordLinkPurpose[] = ['register', 'reset'];

export interface TokenRow {
  id: string;
  user_ref: string;
  purpose: TokenPurpose;
  /** The address a restore link puts back (null for the password links). */
  restore_email: string | null;
}

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

async function insertToken(
  db: Queryable,
  userRef: string,
  purpose: TokenPurpose,
  lifetimeMinutes: number,
  restoreEmail: string | null = null,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.query(
    `INSERT INTO password_tokens (user_ref, token_hash, purpose, expires_at, restore_email)
     VALUES ($1, $2, $3, now() + make_interval(mins => $4), $5)`,
    [userRef, hashToken(token), purpose, lifetimeMinutes, restoreEmail],
  );
  return token;
}

/** Issues a password link and voids the user's earlier unused ones of the same purpose. */
export async function issueToken(
  db: Queryable,
  userRef: string,
  purpose: PasswordLinkPurpose,
  lifetimeMinutes: number,
): Promise<string> {
  await db.query(
    `UPDATE password_tokens SET used_at = now() WHERE user_ref = $1 AND purpose = $2 AND used_at IS NULL`,
    [userRef, purpose],
  );
  return insertToken(db, userRef, purpose, lifetimeMinutes);
}

/**
 * Issues the link that puts `formerEmail` back. Earlier restore links stay live: after two changes
 * in a row, the owner of the first address can still undo both.
 */
export function issueRestoreLink(
  db: Queryable,
  userRef: string,
  formerEmail: string,
  lifetimeMinutes: number,
): Promise<string> {
  return insertToken(db, userRef, 'restore-email', lifetimeMinutes, formerEmail);
}

/** The token's row when it is unused, unexpired and of one of these purposes. */
export async function findLiveToken(
  db: Queryable,
  token: string,
  purposes: readonly TokenPurpose[],
): Promise<TokenRow | undefined> {
  const { rows } = await db.query<TokenRow>(
    `SELECT id::text AS id, user_ref::text AS user_ref, purpose, restore_email FROM password_tokens
      WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() AND purpose = ANY($2)`,
    [hashToken(token), purposes],
  );
  return rows[0];
}

/** The token's row when it is a live password link (register or reset). */
export function findLivePasswordLink(
  db: Queryable,
  token: string,
): Promise<(TokenRow & { purpose: PasswordLinkPurpose }) | undefined> {
  return findLiveToken(db, token, passwordLinkPurposes) as Promise<
    (TokenRow & { purpose: PasswordLinkPurpose }) | undefined
  >;
}

/** Uses a live token once; answers false when it was used, voided or expired meanwhile. */
export async function consumeToken(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE password_tokens SET used_at = now() WHERE id = $1 AND used_at IS NULL AND expires_at > now()`,
    [id],
  );
  return rowCount === 1;
}

/**
 * Voids every password link still out for the user: a new password, and an email change (a reset
 * link sent to the former address must not outlive it). Restore links are left: a password set by
 * whoever changed the address must not take the former owner's way back.
 */
export async function voidPasswordLinks(db: Queryable, userRef: string): Promise<void> {
  await db.query(
    `UPDATE password_tokens SET used_at = now() WHERE user_ref = $1 AND used_at IS NULL AND purpose = ANY($2)`,
    [userRef, passwordLinkPurposes],
  );
}

/** Voids the restore links issued after this one: they would put back addresses set after its own. */
export async function voidLaterRestoreLinks(db: Queryable, userRef: string, id: string): Promise<void> {
  await db.query(
    `UPDATE password_tokens SET used_at = now()
      WHERE user_ref = $1 AND used_at IS NULL AND purpose = 'restore-email' AND id > $2`,
    [userRef, id],
  );
}
