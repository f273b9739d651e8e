/**
 * The repeat answer on the real Redis store: a repeated POST waits for the first and goes where
 * it went; an old session id's tombstone answers only the step that moved it.
 */
import { describe, expect, it } from 'vitest';
import { repeatAnswer, tombstoneAnswer, tombstoneOf, waitForClaim } from '../../../src/flow/repeat.ts';
import { newToken } from '../../../src/flow/tokens.ts';
import type { SessionRecord } from '../../../src/store/types.ts';
import { record as loginRecord, redisStore } from '../../support/session-records.ts';

const store = redisStore();
const locationOf = (record: SessionRecord) =>
  `/${(record.snapshot as { value: string }).value}?k=${record.key}`;

/** A signed-in session on the menu that consumed a step before. */
const record = (overrides: Partial<SessionRecord> = {}) =>
  loginRecord({
    snapshot: { value: 'menu', context: {} },
    lastStep: newToken(),
    key: 2,
    userRef: '7',
    ...overrides,
  });

describe('tombstones', () => {
  it('keep where the move went and the consumed step, and nothing of the session', () => {
    const before = record({ revision: 4 });
    const tombstone = tombstoneOf(before, 'consumed', '/menu?k=3');
    expect(tombstone).toMatchObject({
      revision: 5,
      snapshot: null,
      step: null,
      lastStep: 'consumed',
      pendingSince: null,
      userRef: null,
      tombstone: { location: '/menu?k=3' },
    });
  });

  it('answer the step that moved the session with where it went, any other token with nothing', () => {
    const moved = newToken();
    const tombstone = tombstoneOf(record(), moved, '/menu?k=3');
    expect(tombstoneAnswer(tombstone, moved)).toBe('/menu?k=3');
    for (const other of [newToken(), '', null]) expect(tombstoneAnswer(tombstone, other)).toBeNull();
    // a live record is no tombstone, even for its own last step
    const live = record();
    expect(tombstoneAnswer(live, live.lastStep)).toBeNull();
  });
});

describe('repeatAnswer', () => {
  it('waits while the first POST holds its claim, then answers with the page the first one reached', async () => {
    const id = newToken();
    const claimed = record({ step: null, pendingSince: Date.now() });
    await store.create(id, claimed);
    const finished = record({ revision: 1, snapshot: { value: 'userInfo', context: {} }, key: 3 });
    setTimeout(() => void store.replace(id, 0, finished), 150);
    const started = Date.now();
    expect(await repeatAnswer(store, id, locationOf)).toBe('/userInfo?k=3');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('answers with the tombstone’s location when the first POST moved the session to a new id', async () => {
    const id = newToken();
    await store.create(id, tombstoneOf(record(), 'consumed', '/menu?k=1'));
    expect(await repeatAnswer(store, id, locationOf)).toBe('/menu?k=1');
  });

  it('answers nothing when the session is gone', async () => {
    expect(await repeatAnswer(store, newToken(), locationOf)).toBeNull();
  });
});

describe('waitForClaim', () => {
  it('gives up at its deadline and returns the still-claimed record', async () => {
    const id = newToken();
    const claimed = record({ step: null, pendingSince: Date.now() });
    await store.create(id, claimed);
    const started = Date.now();
    expect(await waitForClaim(store, id, { waitMs: 100 })).toEqual(claimed);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
