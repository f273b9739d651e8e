/**
 * The two places the engine works below XState's actor API, for speed, kept together so that
 * their tests (test/unit/flow/xstate-shims.test.ts) pin them against XState's own `transition`
 * and `createActor`: an XState upgrade that changes what they rely on fails a test.
 *
 * - `pureTransitions`: XState's pure `transition` with one inert actor scope built once, instead
 *   of the throw-away actor `transition()` builds and initialises per call (4 % of a POST's CPU).
 * - `snapshotResolver`: stored snapshots turned back into machine snapshots with the machine's
 *   `resolveState`, once per state value, to ask them things (page, `can`, context) without
 *   starting an actor.
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
 */
export function pureTransitions(
  machine: AnyStateMachine,
): (snapshot: AnyMachineSnapshot, event: EventObject) => PureMove {
  let actions = 0;
  const self = createActor(machine);
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
    actions = 0;
    const next = machine.transition(snapshot, event, scope) as AnyMachineSnapshot;
    return { next, runsEffect: actions > 0 || next.hasTag('busy') };
  };
}

/** Distinct state values kept resolved (the session machine has a few dozen configurations). */
const RESOLVED_VALUES = 1000;
/** Event types whose `can` answer a resolved state remembers (the machine has a few dozen). */
const REMEMBERED_ANSWERS = 128;

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
  const resolve = (value: StateValue, key: string) => {
    const snapshot = machine.resolveState({ value, context: {} }) as AnyMachineSnapshot;
    Object.freeze(snapshot._nodes);
    deepFreeze(snapshot.value);
    const template = unguarded(snapshot) ? { ...snapshot, can: rememberingCan(snapshot.can) } : snapshot;
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

/** The machine's initial snapshot, as a new actor would start with it. */
export function initialSnapshot(machine: AnyStateMachine): AnyMachineSnapshot {
  return createActor(machine).getSnapshot() as AnyMachineSnapshot;
}
