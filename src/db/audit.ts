/**
 * The security audit trail (login, lockout, registration, password and email changes): append-only,
 * kept one year (migration 030), and also written to the log stream (`shipAuditEvents`).
 */
import { isIP } from 'node:net';
import pg from 'pg';
import type { Queryable } from './pool.ts';

export type AuditKind =
  | 'login'
  | 'lockout'
  | 'registration'
  | 'password_change'
  | 'password_reset_request'
  | 'password_set'
  | 'user_info_change'
  | 'email_change'
  /** The former address put back from the link in the notice of an email change. */
  | 'email_restore';

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
  warn(obj: object, msg?: string): void;
}

/**
 * Writes every audit event this pool's connections insert to the log stream too, so the trail also
 * reaches a store apart from the application's database. The insert trigger notifies each event
 * with the inserting connection's process id (migration 030); one connection of this process
 * listens, and an event is logged when it came from one of the pool's connections: once, by the
 * process that wrote it, and only when committed. Needs session-level connections: not through a
 * pooler in transaction mode. Call it before the pool's first query.
 */
export function shipAuditEvents(pool: pg.Pool, log: AuditLog): { close(): Promise<void> } {
  const own = new Set<number>();
  const pidOf = (client: pg.PoolClient) => (client as pg.PoolClient & { processID: number }).processID;
  pool.on('connect', (client) => own.add(pidOf(client)));
  pool.on('remove', (client) => own.delete(pidOf(client)));
  let listener: pg.Client | undefined;
  let closed = false;
  const listen = async () => {
    const client = new pg.Client(pool.options);
    client.on('notification', ({ payload }) => {
      const { pid, ...event } = JSON.parse(payload ?? '{}');
      if (own.has(pid)) log.info({ audit: event }, 'audit event');
    });
    // A lost listener comes back, so the stream misses only what was written while it was away.
    client.on('error', (error) => log.warn({ err: { message: error.message } }, 'audit listener lost'));
    client.on('end', () => {
      if (!closed) setTimeout(() => listen().catch(() => {}), 1000).unref();
    });
    await client.connect();
    await client.query('LISTEN audit_events');
    listener = client;
  };
  const started = listen().catch((error: Error) => {
    log.warn({ err: { message: error.message } }, 'audit listener not started');
  });
  return {
    async close() {
      closed = true;
      await started;
      await listener?.end().catch(() => {});
    },
  };
}
