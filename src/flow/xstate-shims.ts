/**
 * The two places the engine works below XState's actor API, for speed, kept together so that
 * their tests (test/unit/flow/xstate-shims.test.ts) pin them against XState's own `transition`
 * and `createActor`: an XState upgrade that changes what they rely on fails a test.
 *
 * - `pureTransitions`: XState's pure `transition` with one inert actor scope built once, instead
 *   of the throw-away actor `transition()` builds and initialises per call (4 % of a POST's CPU).
 * - `resolveSnapshot`: a stored snapshot turned back into a machine snapshot with the machine's
 *   `resolveState`, to ask it things (page, `can`, context) without starting an actor.
 */
import {
  type AnyActorScope,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  createActor,
  type EventObject,
  type StateValue,
} from 'xstate';

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

/**
 * A stored (persisted) snapshot as a machine snapshot — resolved, not restored into an actor.
 * Only settled snapshots are stored, and they have no children, so value and context are all
 * there is to restore.
 */
export function resolveSnapshot(machine: AnyStateMachine, persisted: unknown): AnyMachineSnapshot {
  const { value, context } = persisted as { value: StateValue; context: unknown };
  return machine.resolveState({ value, context }) as AnyMachineSnapshot;
}

/** The machine's initial snapshot, as a new actor would start with it. */
export function initialSnapshot(machine: AnyStateMachine): AnyMachineSnapshot {
  return createActor(machine).getSnapshot() as AnyMachineSnapshot;
}
