/**
 * The security audit trail (login, lockout, registration, password and email changes): append-only,
 * kept one year (migration 030), and also written to the log stream (`shipAuditEvents`).
 */
import { isIP } from 'node:net';
import type pg from 'pg';
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

/** Deletes the events past their retention (one year, `audit_retention()`); answers how many. */
export async function purgeAuditEvents(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT purge_audit_events() AS n');
  return Number(rows[0]?.n ?? 0);
}

interface AuditLog {
  info(obj: object, msg?: string): void;
}

/**
 * Writes every audit event this pool's connections insert to the log stream too, so the trail also
 * reaches a store apart from the application's database. The insert trigger notifies on a channel
 * named after the inserting connection (migration 030); each connection listens to its own from
 * its first use on, so an event is logged once, by the process that wrote it, and only when
 * committed (PostgreSQL delivers a NOTIFY at commit, never for a rolled-back transaction).
 * Needs session-level connections: not through a pooler in transaction mode.
 */
export function shipAuditEvents(pool: pg.Pool, log: AuditLog): void {
  const listening = new WeakSet<pg.PoolClient>();
  pool.on('acquire', (client) => {
    if (listening.has(client)) return;
    listening.add(client);
    const pid = (client as pg.PoolClient & { processID: number }).processID;
    client.on('notification', (message) => {
      if (message.channel === `audit_${pid}` && message.payload) {
        log.info({ audit: JSON.parse(message.payload) }, 'audit event');
      }
    });
    // Queued before the query the client was acquired for, so it listens before that query runs.
    client.query(`LISTEN audit_${pid}`).catch(() => listening.delete(client));
  });
}
