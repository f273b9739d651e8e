/**
 * Claim and compare-and-set persistence of session records, on the real Redis store: what may go
 * on, what has expired, a claim lost with its process, and who wins when two requests write.
 */
import { describe, expect, it } from 'vitest';
import {
  claimStep,
  loadRecord,
  nextRecord,
  type RecordRules,
  saveUnderNewId,
  staleClaimMs,
} from '../../../src/flow/persistence.ts';
import { newToken } from '../../../src/flow/tokens.ts';
import type { SessionRecord } from '../../../src/store/types.ts';
import { record, redisStore, times } from '../../support/session-records.ts';

const store = redisStore();
const clock = Date.now();
const rules: RecordRules = { version: 'v1', times, now: () => clock };

async function stored(overrides: Partial<SessionRecord> = {}): Promise<[string, SessionRecord]> {
  const id = newToken();
  const value = record(overrides);
  await store.create(id, value);
  return [id, value];
}

describe('loadRecord', () => {
  it('gives a live record as stored, and nothing (not expired) without a session id', async () => {
    const [id, value] = await stored();
    expect(await loadRecord(store, id, rules)).toEqual({ record: value, expired: false });
    expect(await loadRecord(store, null, rules)).toEqual({ record: null, expired: false });
  });

  it('calls expired, and deletes, a record of another machine version or past its absolute lifetime', async () => {
    const [other] = await stored({ machineVersion: 'v0' });
    expect(await loadRecord(store, other, rules)).toEqual({ record: null, expired: true });
    expect(await store.peek(other)).toBeNull();
    const [anonymous] = await stored({ createdAt: clock - times.anonymousMs });
    expect((await loadRecord(store, anonymous, rules)).expired).toBe(true);
    const [signedIn] = await stored({ createdAt: clock - times.anonymousMs, userRef: '7' });
    expect((await loadRecord(store, signedIn, rules)).expired).toBe(false);
  });

  it('calls expired an id the store does not know', async () => {
    expect(await loadRecord(store, newToken(), rules)).toEqual({ record: null, expired: true });
  });

  it('keeps a fresh claim, and releases a stale one with a new step token in a new revision', async () => {
    const [fresh, freshValue] = await stored({ step: null, pendingSince: clock - staleClaimMs });
    expect((await loadRecord(store, fresh, rules)).record).toEqual(freshValue);
    const [stale] = await stored({ step: null, pendingSince: clock - staleClaimMs - 1 });
    const { record: released } = await loadRecord(store, stale, rules);
    expect(released).toMatchObject({ revision: 1, pendingSince: null });
    expect(released?.step).toMatch(/^[\w-]{43}$/);
    expect(await store.peek(stale)).toEqual(released);
  });
});

describe('claimStep', () => {
  it('takes the step token away and keeps it as the last step; a second claim of the same revision loses', async () => {
    const [id, value] = await stored();
    const claimed = await claimStep(store, id, value, value.step, clock);
    expect(claimed).toMatchObject({ revision: 1, step: null, lastStep: value.step, pendingSince: clock });
    expect(await store.peek(id)).toEqual(claimed);
    expect(await claimStep(store, id, value, value.step, clock)).toBeNull();
  });
});

describe('nextRecord and saving', () => {
  it('makes the next record: next revision and render key, a new step token, the consumed step kept', () => {
    const before = record({ revision: 3, key: 5, createdAt: clock - 10 });
    const next = nextRecord(
      before,
      { persisted: { value: 'home' }, userRef: '7', trace: 't' },
      'consumed',
      rules,
    );
    expect(next).toMatchObject({
      revision: 4,
      key: 6,
      lastStep: 'consumed',
      createdAt: clock - 10,
      userRef: '7',
      trace: 't',
      snapshot: { value: 'home' },
    });
    expect(next.step).not.toBe(before.step);
    expect(nextRecord(null, { persisted: {}, userRef: null, trace: 't' }, null, rules)).toMatchObject({
      revision: 0,
      key: 1,
      createdAt: clock,
    });
  });

  it('under a new id stores the record at revision 0 and leaves the old id a tombstone without a pointer to it', async () => {
    const [oldId, before] = await stored({ revision: 2, userRef: null });
    const next = nextRecord(
      before,
      { persisted: { value: 'signedIn' }, userRef: '7', trace: 'trace' },
      before.step,
      rules,
    );
    const newId = await saveUnderNewId(store, { sessionId: oldId, before }, next, '/menu?k=2');
    expect(newId).not.toBe(oldId);
    expect(await store.peek(newId)).toEqual({ ...next, revision: 0 });
    const tombstone = await store.peek(oldId);
    expect(tombstone).toMatchObject({ revision: 3, snapshot: null, step: null, lastStep: before.step });
    expect(tombstone?.tombstone).toEqual({ location: '/menu?k=2' });
    expect(JSON.stringify(tombstone)).not.toContain(newId);
  });
});
