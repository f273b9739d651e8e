/**
 * The engine's two shims below XState's actor API, pinned against XState's own `transition`,
 * `initialTransition` and `createActor` over every move of the generated path model: an XState
 * upgrade that changes what they rely on fails here.
 */

import { describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  type AnyStateMachine,
  assign,
  createActor,
  enqueueActions,
  initialTransition,
  setup,
  transition,
} from 'xstate';
import { initialSnapshot, pureTransitions, snapshotResolver } from '../../../src/flow/xstate-shims.ts';
import { allRequests, machine, pages } from '../../paths/model.ts';

const requests = allRequests();
const pure = pureTransitions(machine);
/** The machine as XState's helpers take any machine: the model's events carry its labels too. */
const anyMachine: AnyStateMachine = machine;

/** Every snapshot the model reaches, the busy ones (a side effect's state) included. */
const moves = requests.flatMap((r) => [
  { from: r.from, event: r.trigger },
  ...(r.busy && r.outcome ? [{ from: r.busy, event: r.outcome }] : []),
]);
/** Every settled snapshot the model reaches that is on a page (what the engine stores). */
const settled = [...new Map(requests.map((r) => [JSON.stringify(r.to.value), r.to])).values()].filter(
  (snapshot) => snapshot.status === 'active' && !snapshot.hasTag('busy'),
);

describe('pureTransitions', () => {
  it(`gives XState's own next state value, context, tags and status for all ${moves.length} moves of the path model`, () => {
    expect(moves.length).toBeGreaterThan(100);
    for (const { from, event } of moves) {
      const [expected] = transition(anyMachine, from, event);
      const { next } = pure(from, event);
      const label = `${JSON.stringify(from.value)} ${event.type}`;
      expect(next.value, label).toEqual(expected.value);
      expect(next.context, label).toEqual(expected.context);
      expect([...next.tags].sort(), label).toEqual([...expected.tags].sort());
      expect(next.status, label).toBe(expected.status);
    }
  });

  it('says a move needs a live actor exactly when XState lists actions for it to execute (an invoked effect)', () => {
    let needsActor = 0;
    for (const { from, event } of moves) {
      const [, actions] = transition(anyMachine, from, event);
      const { runsEffect } = pure(from, event);
      expect(runsEffect, `${JSON.stringify(from.value)} ${event.type}`).toBe(actions.length > 0);
      if (runsEffect) needsActor += 1;
    }
    // both kinds occur, so the comparison above is not vacuous
    expect(needsActor).toBeGreaterThan(0);
    expect(needsActor).toBeLessThan(moves.length);
  });

  it('counts an action other than assign as needing a live actor, one that only assigns as not', () => {
    const told: string[] = [];
    const small = setup({
      types: { context: {} as { n: number }, events: {} as { type: 'COUNT' } | { type: 'TELL' } },
      actions: { tell: () => told.push('told') },
    }).createMachine({
      context: { n: 0 },
      on: { COUNT: { actions: assign({ n: ({ context }) => context.n + 1 }) }, TELL: { actions: 'tell' } },
    });
    const step = pureTransitions(small);
    const start = initialTransition(small)[0];
    const counted = step(start, { type: 'COUNT' });
    expect(counted.runsEffect).toBe(false);
    expect(counted.next.context).toEqual({ n: 1 });
    expect(transition(small, start, { type: 'COUNT' })[1]).toHaveLength(0);
    expect(step(start, { type: 'TELL' }).runsEffect).toBe(true);
    expect(transition(small, start, { type: 'TELL' })[1]).toHaveLength(1);
    // counted, never run: the engine runs such a move in a real actor
    expect(told).toEqual([]);
  });
});

describe('snapshotResolver', () => {
  const persistedOf = (snapshot: (typeof settled)[number]) =>
    JSON.parse(JSON.stringify(machine.getPersistedSnapshot(snapshot)));

  it(`restores each of the ${settled.length} settled states of the path model as createActor restores its persisted snapshot, the first time and from its memory`, () => {
    // every page but the final ones (never stored) is reached
    expect(settled.length).toBeGreaterThanOrEqual(pages.pages.filter((page) => !page.meta.terminal).length);
    const resolveSnapshot = snapshotResolver(machine);
    for (const round of ['first', 'remembered']) {
      for (const snapshot of settled) {
        const persisted = persistedOf(snapshot);
        const expected = createActor(machine, { snapshot: persisted }).getSnapshot();
        const resolved = resolveSnapshot(persisted);
        const label = `${round} ${JSON.stringify(snapshot.value)}`;
        expect(resolved.value, label).toEqual(expected.value);
        expect(resolved.context, label).toEqual(expected.context);
        expect(resolved.status, label).toBe(expected.status);
        expect([...resolved.tags].sort(), label).toEqual([...expected.tags].sort());
        expect(resolved.getMeta(), label).toEqual(expected.getMeta());
        for (const type of pages.eventTypes)
          expect(resolved.can({ type } as never), `${label} ${type}`).toBe(expected.can({ type } as never));
      }
    }
  });

  it("moves a restored snapshot as XState moves the actor's restored one, for all the model's moves from settled states, each state restored many times", () => {
    const resolveSnapshot = snapshotResolver(machine);
    const fromSettled = moves.filter(({ from }) => from.status === 'active' && !from.hasTag('busy'));
    expect(fromSettled.length).toBeGreaterThan(50);
    for (const { from, event } of fromSettled) {
      const persisted = persistedOf(from);
      const [expected] = transition(
        anyMachine,
        createActor(machine, { snapshot: persisted }).getSnapshot(),
        event,
      );
      const { next } = pure(resolveSnapshot(persisted), event);
      const label = `${JSON.stringify(from.value)} ${event.type}`;
      expect(next.value, label).toEqual(expected.value);
      expect(next.context, label).toEqual(expected.context);
      expect(next.status, label).toBe(expected.status);
    }
  });

  it("remembers the moves that run nothing from a restored state, and gives from memory what XState's own transition gives", () => {
    const resolveSnapshot = snapshotResolver(machine);
    const step = pureTransitions(machine, resolveSnapshot);
    // a move answered from memory does not ask XState
    const xstateMoves = vi.spyOn(machine, 'transition');
    onTestFinished(() => xstateMoves.mockRestore());
    const fromSettled = moves.filter(
      ({ from, event }) => from.status === 'active' && !from.hasTag('busy') && !pure(from, event).runsEffect,
    );
    let remembered = 0;
    for (const { from, event } of fromSettled) {
      const persisted = persistedOf(from);
      const restored = createActor(machine, { snapshot: persisted }).getSnapshot();
      const [expected] = transition(anyMachine, restored, event);
      const label = `${JSON.stringify(from.value)} ${event.type}`;
      const answers = ['first', 'second', 'third'].map((round) => {
        const asked = xstateMoves.mock.calls.length;
        const { next, runsEffect } = step(resolveSnapshot(persisted), event);
        const fromMemory = xstateMoves.mock.calls.length === asked;
        expect(next.value, `${round} ${label}`).toEqual(expected.value);
        expect(next.context, `${round} ${label}`).toEqual(expected.context);
        expect(next.status, `${round} ${label}`).toBe(expected.status);
        expect([...next.tags].sort(), `${round} ${label}`).toEqual([...expected.tags].sort());
        expect(runsEffect, `${round} ${label}`).toBe(false);
        return fromMemory;
      });
      // never the first time; then every time, and only where XState's own move assigned nothing
      const [first, second, third] = answers;
      expect([first, third], label).toEqual([false, second]);
      if (second) {
        expect(expected.context, label).toBe(restored.context);
        remembered += 1;
      }
    }
    // moves that run nothing (the menu's and user information's Back) exist, so memory is tried
    expect(remembered).toBeGreaterThan(0);
  });

  it('remembers no move that reads the context: a guarded state, an assign, an eventless transition after it', () => {
    const small = setup({
      types: {
        context: {} as { open: boolean; visits: number },
        events: {} as { type: 'ENTER' } | { type: 'LEAVE' } | { type: 'VISIT' } | { type: 'KNOCK' },
      },
    }).createMachine({
      initial: 'hall',
      context: { open: false, visits: 0 },
      states: {
        hall: { on: { ENTER: { guard: ({ context }) => context.open, target: 'room' } } },
        room: {
          on: {
            LEAVE: { target: 'hall' },
            VISIT: { actions: assign({ visits: ({ context }) => context.visits + 1 }) },
            KNOCK: { target: 'door' },
          },
        },
        door: { always: [{ guard: ({ context }) => context.open, target: 'room' }, { target: 'hall' }] },
      },
    });
    const resolveSnapshot = snapshotResolver(small);
    const step = pureTransitions(small, resolveSnapshot);
    const moved = (
      value: string,
      context: { open: boolean; visits: number },
      type: 'ENTER' | 'LEAVE' | 'VISIT' | 'KNOCK',
    ) => step(resolveSnapshot({ value, context }), { type }).next;
    for (const open of [true, false, true, false]) {
      expect(moved('hall', { open, visits: 0 }, 'ENTER').value, `ENTER, open: ${open}`).toBe(
        open ? 'room' : 'hall',
      );
      expect(moved('room', { open, visits: 0 }, 'KNOCK').value, `KNOCK, open: ${open}`).toBe(
        open ? 'room' : 'hall',
      );
    }
    for (const visits of [1, 5, 1]) {
      expect(moved('room', { open: true, visits }, 'VISIT').context.visits).toBe(visits + 1);
    }
    // the one move here that runs nothing is remembered, and keeps the context it was given
    for (const visits of [2, 3]) {
      const left = moved('room', { open: true, visits }, 'LEAVE');
      expect([left.value, left.context.visits]).toEqual(['hall', visits]);
    }
    const xstateMoves = vi.spyOn(small, 'transition');
    moved('room', { open: true, visits: 0 }, 'LEAVE');
    moved('room', { open: true, visits: 0 }, 'KNOCK');
    moved('hall', { open: true, visits: 0 }, 'ENTER');
    expect(xstateMoves.mock.calls.map(([, event]) => event.type)).toEqual(['KNOCK', 'ENTER']);
  });

  it('remembers no move in a machine with an action that chooses by the context (enqueueActions)', () => {
    const small = setup({
      types: { context: {} as { open: boolean; visits: number }, events: {} as { type: 'LOOK' } },
    }).createMachine({
      initial: 'room',
      context: { open: false, visits: 0 },
      states: {
        room: {
          on: {
            LOOK: {
              target: 'room',
              actions: enqueueActions(({ context, enqueue }) => {
                if (context.open) enqueue.assign({ visits: context.visits + 1 });
              }),
            },
          },
        },
      },
    });
    const resolveSnapshot = snapshotResolver(small);
    const step = pureTransitions(small, resolveSnapshot);
    const look = (open: boolean) =>
      step(resolveSnapshot({ value: 'room', context: { open, visits: 1 } }), { type: 'LOOK' }).next.context
        .visits;
    expect([look(false), look(false), look(true), look(false), look(true)]).toEqual([1, 1, 2, 1, 2]);
  });

  it('answers `can` from the restored context where a guard reads it, and from memory only where no guard does', () => {
    const small = setup({
      types: { context: {} as { open: boolean }, events: {} as { type: 'ENTER' } | { type: 'LEAVE' } },
    }).createMachine({
      initial: 'hall',
      context: { open: false },
      states: {
        hall: { on: { ENTER: { guard: ({ context }) => context.open, target: 'room' } } },
        room: { on: { LEAVE: { target: 'hall' } } },
      },
    });
    const resolveSnapshot = snapshotResolver(small);
    const enter = { type: 'ENTER' } as const;
    for (const open of [true, false, true, false]) {
      expect(resolveSnapshot({ value: 'hall', context: { open } }).can(enter), `open: ${open}`).toBe(open);
    }
    for (const open of [true, false]) {
      const room = resolveSnapshot({ value: 'room', context: { open } });
      expect([room.can({ type: 'LEAVE' }), room.can(enter)]).toEqual([true, false]);
    }
  });

  it('gives each restore its own context, and shares only what it froze', () => {
    const resolveSnapshot = snapshotResolver(machine);
    const persisted = persistedOf(settled[0] as (typeof settled)[number]);
    const first = resolveSnapshot({ ...persisted, context: { ...persisted.context, marker: 1 } });
    const second = resolveSnapshot({ ...persisted, context: { ...persisted.context, marker: 2 } });
    expect((first.context as { marker: number }).marker).toBe(1);
    expect((second.context as { marker: number }).marker).toBe(2);
    expect(first.children).not.toBe(second.children);
    expect(Object.isFrozen(first.value) && Object.isFrozen(first._nodes)).toBe(true);
  });
});

describe('initialSnapshot', () => {
  it("is XState's initial state: the same value and context as initialTransition gives", () => {
    const [expected] = initialTransition(machine);
    const snapshot = initialSnapshot(machine);
    expect(snapshot.value).toEqual(expected.value);
    expect(snapshot.context).toEqual(expected.context);
  });

  it('is one snapshot per machine, frozen, and every model move from it leaves it as it was', () => {
    const snapshot = initialSnapshot(machine);
    expect(initialSnapshot(machine)).toBe(snapshot);
    expect(Object.isFrozen(snapshot.context)).toBe(true);
    expect(Object.isFrozen(snapshot.context.form.values)).toBe(true);
    const before = structuredClone({ value: snapshot.value, context: snapshot.context });
    const fromHome = moves.filter(({ from }) => from.value === snapshot.value);
    expect(fromHome.length).toBeGreaterThan(3);
    for (const { event } of fromHome) pure(snapshot, event);
    expect({ value: snapshot.value, context: snapshot.context }).toEqual(before);
  });
});
