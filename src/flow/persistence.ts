/**
 * Claim and compare-and-set persistence of session records. Every write names the revision it
 * read, so two requests of one session never both win: the loser is told (`false`, 'conflict')
 * and the engine decides what that means. Nothing here reads the machine beyond its snapshot.
 */
import { endOf, type SessionRecord, type SessionStore, type StoreTimes } from '../store/types.ts';
import { tombstoneOf } from './repeat.ts';
import { newToken } from './tokens.ts';

/** A POST claimed longer ago than this was lost with its process; the session may go on. */
export const staleClaimMs = 60_000;

export interface RecordRules {
  /** The machine version records must carry; another one is an expired session. */
  version: string;
  times: Pick<StoreTimes, 'absoluteMs' | 'anonymousMs'>;
  now: () => number;
}

/**
 * A stored session that may go on: right machine version, within its absolute lifetime (shorter
 * for one nobody signed in to). A tombstone is returned as it is; a claim whose request died
 * with its process is released with a new step token. `expired`: there was one, and it is gone.
 */
export async function loadRecord(
  store: SessionStore,
  sessionId: string | null,
  rules: RecordRules,
): Promise<{ record: SessionRecord | null; expired: boolean }> {
  if (!sessionId) return { record: null, expired: false };
  const record = await store.get(sessionId);
  if (record?.tombstone) return { record, expired: false };
  if (!record || record.machineVersion !== rules.version || endOf(record, rules.times) <= rules.now()) {
    if (record) await store.destroy(sessionId);
    return { record: null, expired: true };
  }
  if (!record.pendingSince || rules.now() - record.pendingSince <= staleClaimMs)
    return { record, expired: false };
  const released = { ...record, revision: record.revision + 1, step: newToken(), pendingSince: null };
  return {
    record: (await store.replace(sessionId, record.revision, released)) ? released : record,
    expired: false,
  };
}

/**
 * Claims a step before its side effect runs, so a second POST of it cannot run it again: the
 * claimed record holds no step token, so nothing posted meanwhile matches it. Null when another
 * request of the session wrote first.
 */
export async function claimStep(
  store: SessionStore,
  sessionId: string,
  record: SessionRecord,
  step: string | null,
  now: number,
): Promise<SessionRecord | null> {
  const claimed = { ...record, revision: record.revision + 1, step: null, lastStep: step, pendingSince: now };
  return (await store.replace(sessionId, record.revision, claimed)) ? claimed : null;
}

/** What a settled move stores: the snapshot and who it belongs to. */
export interface Settled {
  persisted: unknown;
  userRef: string | null;
  trace: string;
}

/** The record after a move from `before`: a new step token and render key, the consumed step kept. */
export function nextRecord(
  before: SessionRecord | null,
  settled: Settled,
  consumedStep: string | null,
  rules: Pick<RecordRules, 'version' | 'now'>,
): SessionRecord {
  return {
    machineVersion: rules.version,
    revision: (before?.revision ?? -1) + 1,
    snapshot: settled.persisted,
    step: newToken(),
    lastStep: consumedStep,
    key: (before?.key ?? 0) + 1,
    pendingSince: null,
    createdAt: before?.createdAt ?? rules.now(),
    userRef: settled.userRef,
    trace: settled.trace,
  };
}

/**
 * Stores the record under a new session id (the privilege changed: login, new password). The old
 * id, if any, keeps only a tombstone: where the move went (`location`) and which step it consumed.
 */
export async function saveUnderNewId(
  store: SessionStore,
  old: { sessionId: string; before: SessionRecord } | null,
  record: SessionRecord,
  location: string,
): Promise<string> {
  const sessionId = newToken();
  await store.create(sessionId, { ...record, revision: 0 });
  if (old)
    await store.replace(
      old.sessionId,
      old.before.revision,
      tombstoneOf(old.before, record.lastStep, location),
    );
  return sessionId;
}
