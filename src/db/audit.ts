/** The security audit trail (login, lockout, registration, password and email changes). */
import { isIP } from 'node:net';
import type { Queryable } from './pool.ts';

export type AuditKind =
  | 'login'
  | 'lockout'
  | 'registration'
  | 'password_change'
  | 'password_reset_request'
  | 'password_set'
  | 'user_info_change'
  | 'email_change';

export interface AuditEvent {
  kind: AuditKind;
  outcome: 'success' | 'failure';
  userRef?: string | null;
  ip: string;
  /** Facts without personal data: a reason, which fields changed, never values or secrets. */
  detail?: Record<string, string | number | boolean>;
}

export async function recordAudit(db: Queryable, event: AuditEvent): Promise<void> {
  await db.query(
    'INSERT INTO audit_events (kind, outcome, user_ref, ip, detail) VALUES ($1, $2, $3, $4, $5)',
    [
      event.kind,
      event.outcome,
      event.userRef ?? null,
      isIP(event.ip) ? event.ip : null,
      JSON.stringify(event.detail ?? {}),
    ],
  );
}
