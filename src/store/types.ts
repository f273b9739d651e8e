/**
 * The session store contract. A record holds the persisted machine snapshot and the engine's
 * bookkeeping; writes are compare-and-set on `revision`, so two requests of one session can never
 * both win (a lost update is impossible). Both stores pass the same contract tests. The store
 * also caches what signed-in pages show of their user, beside the sessions that show it.
 */
import type { UserProfile } from '../db/users.ts';

export interface SessionRecord {
  /** Fingerprint of the machine definition that made the snapshot; another one = expired session. */
  machineVersion: string;
  revision: number;
  snapshot: unknown;
  /** The step token the next POST must carry. */
  step: string;
  /** The step token consumed last: its repetition (a double click) is answered like the first. */
  lastStep: string | null;
  /** Set while a POST of this session is running its event (ms since epoch). */
  pendingSince: number | null;
  /** Creation time (ms since epoch), for the absolute lifetime. */
  createdAt: number;
  /** Database key of the signed-in user, so a password change can end their other sessions. */
  userRef: string | null;
  /** Random name of the visit for analysis (traffic, live view); kept when the session id changes. */
  trace: string;
  /**
   * Set when the session got a new id (login, new password): for a few seconds the old id only
   * forwards a repeat of the step that moved it, so a double click still lands in the new session.
   */
  movedTo?: string;
}

/** How long a cached profile lives: the longest a change made outside the portal goes unseen. */
export const profileTtlMs = 5 * 60_000;

/** How long a moved session forwards a repeated POST. */
export const movedTtlMs = 30_000;

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
  /** Lifetime of a cached profile (default `profileTtlMs`). */
  profileMs?: number;
  now?: () => number;
}

/** Time to live of a record: the idle timeout, never past the absolute lifetime. */
export function ttlOf(record: SessionRecord, times: StoreTimes): number {
  const now = times.now?.() ?? Date.now();
  const idle = record.movedTo ? Math.min(movedTtlMs, times.idleMs) : times.idleMs;
  return Math.max(1, Math.min(idle, record.createdAt + times.absoluteMs - now));
}
