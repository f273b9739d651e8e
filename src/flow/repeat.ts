/**
 * The repeat answer. A POST of the step just consumed (a double click, two tabs) is not out of
 * sequence: it waits for the first to finish and is answered like it, and nothing runs twice.
 * After a move to a new session id the old id is a tombstone that knows only where the move went
 * and which step it consumed: no pointer to the new id, nothing of the session, so nothing that
 * carries only the old id can reach the new session (SECURITY.md, session fixation).
 */
import type { SessionRecord, SessionStore } from '../store/types.ts';
import { sameToken } from './tokens.ts';

/** How long a repeated POST waits for the first one to finish. */
export const defaultSettleWaitMs = 10_000;
const pollMs = 25;

/** The old id's record after its session moved to a new id: a tombstone of `before`. */
export function tombstoneOf(
  before: SessionRecord,
  consumedStep: string | null,
  location: string,
): SessionRecord {
  return {
    ...before,
    revision: before.revision + 1,
    snapshot: null,
    step: null,
    lastStep: consumedStep,
    pendingSince: null,
    userRef: null,
    tombstone: { location },
  };
}

/**
 * What a tombstone answers a POST: the step that moved the session, repeated, goes where that
 * move went (and gets no cookie); anything else is null, to be asked to log in again.
 */
export function tombstoneAnswer(record: SessionRecord, step: string | null): string | null {
  return record.tombstone && sameToken(step, record.lastStep) ? record.tombstone.location : null;
}

/** The record once no claim is pending on it (or at the deadline); null when it is gone. */
export async function waitForClaim(
  store: SessionStore,
  sessionId: string,
  options: { waitMs?: number; now?: () => number } = {},
): Promise<SessionRecord | null> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.waitMs ?? defaultSettleWaitMs);
  for (;;) {
    const record = await store.get(sessionId);
    if (!record?.pendingSince || now() > deadline) return record;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * Where a repeated POST goes once the first has finished: the page the session is on now, or
 * where the tombstone says the move went; null when the session is gone.
 */
export async function repeatAnswer(
  store: SessionStore,
  sessionId: string,
  locationOf: (record: SessionRecord) => string,
  options: { waitMs?: number; now?: () => number } = {},
): Promise<string | null> {
  const record = await waitForClaim(store, sessionId, options);
  if (!record) return null;
  return record.tombstone?.location ?? locationOf(record);
}
