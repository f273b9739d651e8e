/**
 * The places the engine works below XState's actor API, for speed, kept together so that
 * their tests (test/unit/flow/xstate-shims.test.ts) pin them against XState's own `transition`
 * and `createActor`: an XState upgrade that changes what they rely on fails a test.
 *
 * - `pureTransitions`: XState's pure `transition` with one inert actor scope built once, instead
 *   of the throw-away actor `transition()` builds and initialises per call (4 % of a POST's CPU).
 * - `snapshotResolver`: stored snapshots turned back into machine snapshots with the machine's
 *   `resolveState`, once per state value, to ask them things (page, `can`, context) without
 *   starting an actor.
 * - Remembered moves: in a resolved state without guards, a move that runs no action at all (no
 *   assign, nothing to execute, no eventless transition after it) depends on the event type alone,
 *   so its target is remembered and the next such move is a restore in the target state.
 */
import {
  type AnyActorScope,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  createActor,
  type EventObject,
  type StateValue,
} from 'xstate';
import { BoundedMap } from '../ops/memo.ts';

/** A pure move: the next snapshot, and whether it needs a live actor (an effect, or an action to run). */
export interface PureMove {
  next: AnyMachineSnapshot;
  runsEffect: boolean;
}

/**
 * The machine's moves without an actor. The calls are synchronous, so one scope serves them all.
 * Actions a transition would have to run are counted: the session machine only assigns (XState
 * applies `assign` inside the transition), so a move that ran anything else needs a real actor,
 * as does a move into a `busy` state (a side effect).
 * Moves that run nothing are remembered in states that `resolve` resolved (see `rememberedMoves`).
 */
export function pureTransitions(
  machine: AnyStateMachine,
  resolve: (persisted: unknown) => AnyMachineSnapshot = snapshotResolver(machine),
): (snapshot: AnyMachineSnapshot, event: EventObject) => PureMove {
  let actions = 0;
  let microsteps = 0;
  // XState tells its inspectors of each microstep: the event's own, then eventless or raised ones
  const self = createActor(machine, {
    inspect: (inspected) => {
      if (inspected.type === '@xstate.microstep') microsteps += 1;
    },
  });
  const scope: AnyActorScope = {
    self,
    id: '',
    sessionId: '',
    system: self.system,
    logger: () => {},
    defer: () => {},
    emit: () => {},
    stopChild: () => {},
    actionExecutor: () => {
      actions += 1;
    },
  };
  return (snapshot, event) => {
    const remembered = rememberedMoves.get(snapshot._nodes);
    const value = remembered?.get(event.type);
    if (value !== undefined)
      return { next: resolve({ value, context: snapshot.context }), runsEffect: false };
    actions = 0;
    microsteps = 0;
    const next = machine.transition(snapshot, event, scope) as AnyMachineSnapshot;
    const runsEffect = actions > 0 || next.hasTag('busy');
    const remember = remembered && !runsEffect && microsteps === 1 && ranNothing(snapshot, next);
    if (remember) remembered.set(event.type, next.value);
    return { next, runsEffect };
  };
}

/**
 * Whether a move of one microstep ran nothing and left nothing to decide: XState gives every
 * assign a new context object, so the same one means none ran; no history was recorded, the
 * machine is not done, and no eventless transition (whose guard could read the context) waits in
 * the target.
 */
function ranNothing(before: AnyMachineSnapshot, next: AnyMachineSnapshot): boolean {
  return (
    next.context === before.context &&
    next.status === 'active' &&
    Object.keys(next.historyValue).length === 0 &&
    next._nodes.every((node) => node.always === undefined || node.always.length === 0)
  );
}

/** Distinct state values kept resolved (the session machine has a few dozen configurations). */
const RESOLVED_VALUES = 1000;
/** Event types whose `can` answer or move a resolved state remembers (the machine has a few dozen). */
const REMEMBERED_ANSWERS = 128;

/**
 * The moves remembered in each resolved state without guards, by its frozen active nodes (shared
 * by every snapshot restored in it): event type → the state value the move reaches.
 */
const rememberedMoves = new WeakMap<readonly unknown[], BoundedMap<StateValue>>();

/**
 * Stored (persisted) snapshots as machine snapshots — resolved, not restored into an actor. Only
 * settled snapshots are stored, and they have no children, so value and context are all there is
 * to restore. What XState derives from the value alone (the active state nodes, tags, status) is
 * resolved once per state value and shared, frozen, by every snapshot restored in it: resolving a
 * value walked the machine's state tree on every request (7 % of the CPU under load). In a state
 * whose transitions have no guard, `can` depends on the event type alone, so its answers are
 * remembered there too.
 */
export function snapshotResolver(machine: AnyStateMachine): (persisted: unknown) => AnyMachineSnapshot {
  const resolved = new BoundedMap<AnyMachineSnapshot>(RESOLVED_VALUES);
  const movesFixed = !hasHiddenChoice(machine);
  const resolve = (value: StateValue, key: string) => {
    const snapshot = machine.resolveState({ value, context: {} }) as AnyMachineSnapshot;
    Object.freeze(snapshot._nodes);
    deepFreeze(snapshot.value);
    const fixed = unguarded(snapshot);
    if (fixed && movesFixed)
      rememberedMoves.set(snapshot._nodes, new BoundedMap<StateValue>(REMEMBERED_ANSWERS));
    const template = fixed ? { ...snapshot, can: rememberingCan(snapshot.can) } : snapshot;
    resolved.set(key, template);
    return template;
  };
  return (persisted) => {
    const { value, context } = persisted as { value: StateValue; context: unknown };
    const key = typeof value === 'string' ? value : JSON.stringify(value);
    const template = resolved.get(key) ?? resolve(value, key);
    return { ...template, context, children: {}, historyValue: {} } as AnyMachineSnapshot;
  };
}

/**
 * Built-in actions that may do nothing in one context and something in another without a guard:
 * a move that ran none of their choices cannot be remembered for every context. Every other
 * action shows in the move it runs in: an assign as a new context, a raise as a second
 * microstep, the rest as actions to execute.
 */
const choosingActions = new Set(['xstate.enqueueActions']);

type Action = string | { type?: string } | ((...args: never[]) => unknown);

/** Whether any state's entry, exit or transition runs an action that chooses (`choosingActions`). */
function hasHiddenChoice(machine: AnyStateMachine): boolean {
  const named = (machine.implementations.actions ?? {}) as Record<string, Action>;
  const typeOf = (action: Action) => {
    const found =
      typeof action === 'function'
        ? action
        : named[typeof action === 'string' ? action : (action.type ?? '')];
    return (found as { type?: string } | undefined)?.type;
  };
  const nodes = (node: AnyStateMachine['root']): AnyStateMachine['root'][] => [
    node,
    ...Object.values(node.states).flatMap(nodes),
  ];
  return nodes(machine.root).some((node) => {
    const transitions = [...node.transitions.values()].flat().concat(node.always ?? []);
    const actions = [...node.entry, ...node.exit, ...transitions.flatMap((t) => t.actions)] as Action[];
    return actions.some((action) => choosingActions.has(typeOf(action) ?? ''));
  });
}

/** Whether no transition of the state's active nodes has a guard: then what it can take is fixed. */
function unguarded(snapshot: AnyMachineSnapshot): boolean {
  return snapshot._nodes.every((node) =>
    [...node.transitions.values()].every((transitions) => transitions.every((t) => !t.guard)),
  );
}

/** XState's `can`, its answer remembered per event type (only where no guard reads the context). */
function rememberingCan(can: AnyMachineSnapshot['can']): AnyMachineSnapshot['can'] {
  const answers = new BoundedMap<boolean>(REMEMBERED_ANSWERS);
  return function rememberedCan(this: AnyMachineSnapshot, event) {
    const known = answers.get(event.type);
    if (known !== undefined) return known;
    const answer = can.call(this, event);
    answers.set(event.type, answer);
    return answer;
  };
}

function deepFreeze(value: unknown): void {
  if (!value || typeof value !== 'object') return;
  for (const child of Object.values(value)) deepFreeze(child);
  Object.freeze(value);
}

const initialSnapshots = new WeakMap<AnyStateMachine, AnyMachineSnapshot>();

/**
 * The machine's initial snapshot, as a new actor would start with it: one per machine, its value and
 * context frozen, shared by every request without a session (a visitor's pages, a new session's
 * first move). An actor built for each of them cost CPU on every visitor's page and, held across
 * the first move's awaits during a login storm, was a tenth of what the collector promoted.
 */
export function initialSnapshot(machine: AnyStateMachine): AnyMachineSnapshot {
  let snapshot = initialSnapshots.get(machine);
  if (!snapshot) {
    snapshot = createActor(machine).getSnapshot() as AnyMachineSnapshot;
    deepFreeze(snapshot.value);
    deepFreeze(snapshot.context);
    initialSnapshots.set(machine, snapshot);
  }
  return snapshot;
}
