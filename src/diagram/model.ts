/**
 * A plain, drawable description of a state machine, read off its state nodes: states (nested,
 * initial, final, tags, meta, description, entry/exit actions, invoked actors) and transitions
 * (trigger, guard, targets, actions). The DOT, Mermaid and explorer outputs all start from here,
 * so they agree with each other and with the machine. Order is the machine's declaration order.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';

export type StateKind = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

/** What fires a transition: an event, an invoked actor's outcome, a delay, or nothing (`always`). */
export interface Trigger {
  kind: 'event' | 'done' | 'error' | 'snapshot' | 'stateDone' | 'after' | 'always';
  /** The event type as the machine sees it (`LOGIN`, `xstate.done.actor.…`; empty for `always`). */
  eventType: string;
  /** What a reader sees: `LOGIN`, `done: authenticate`, `error: authenticate`, `after 500ms`. */
  label: string;
}

export interface TransitionModel {
  /** Id of the state that declares the transition. */
  source: string;
  trigger: Trigger;
  guard?: string;
  /** Target state ids; empty for a targetless transition (actions only, the state is kept). */
  targets: string[];
  actions: string[];
}

export interface StateModel {
  /** Unique id, e.g. `session.registration.input` (the machine's own id for the root). */
  id: string;
  /** The key within its parent (the machine id for the root). */
  key: string;
  /** The path from the root, e.g. `registration.input` (empty for the root). */
  path: string;
  parent?: string;
  depth: number;
  kind: StateKind;
  /** Id of the initial child of a compound state. */
  initial?: string;
  children: string[];
  tags: string[];
  meta?: Record<string, unknown>;
  description?: string;
  entry: string[];
  exit: string[];
  /** Sources of the actors the state invokes. */
  invokes: string[];
  transitions: TransitionModel[];
}

export interface MachineModel {
  id: string;
  /** Every state, root first, in declaration order (depth first). */
  states: StateModel[];
  byId: Map<string, StateModel>;
  /** Every event type the machine accepts somewhere (not counting internal `xstate.*` events). */
  eventTypes: string[];
}

/** Name of an action, guard or actor given by name, by object or inline. */
function nameOf(item: unknown, fallback: string): string {
  if (typeof item === 'string') return item;
  if (item && typeof item === 'object' && 'type' in item && typeof item.type === 'string') return item.type;
  if (typeof item === 'function' && item.name) return item.name;
  return fallback;
}

function actionNames(actions: readonly unknown[]): string[] {
  return actions.map((action) => nameOf(action, 'inline action'));
}

function triggerOf(node: AnyStateNode, eventType: string): Trigger {
  const actor =
    /^xstate\.(done|error)\.actor\.(.+)$/.exec(eventType) ?? /^xstate\.(snapshot)\.(.+)$/.exec(eventType);
  if (actor) {
    const invoke = node.invoke.find((definition) => definition.id === actor[2]);
    const src = nameOf(invoke?.src, 'inline actor');
    return { kind: actor[1] as 'done' | 'error' | 'snapshot', eventType, label: `${actor[1]}: ${src}` };
  }
  if (eventType.startsWith('xstate.done.state.')) return { kind: 'stateDone', eventType, label: 'done' };
  const delayed = node.after.find((transition) => transition.eventType === eventType);
  if (delayed) {
    const delay = typeof delayed.delay === 'number' ? `${delayed.delay}ms` : String(delayed.delay);
    return { kind: 'after', eventType, label: `after ${delay}` };
  }
  return { kind: 'event', eventType, label: eventType };
}

function transitionModel(
  node: AnyStateNode,
  trigger: Trigger,
  transition: { guard?: unknown; target?: readonly AnyStateNode[]; actions: readonly unknown[] },
): TransitionModel {
  return {
    source: node.id,
    trigger,
    ...(transition.guard === undefined ? {} : { guard: nameOf(transition.guard, 'inline guard') }),
    targets: (transition.target ?? []).map((target) => target.id),
    actions: actionNames(transition.actions),
  };
}

function stateModel(node: AnyStateNode): StateModel {
  const transitions: TransitionModel[] = [];
  for (const [eventType, definitions] of node.transitions) {
    const trigger = triggerOf(node, eventType);
    for (const definition of definitions) transitions.push(transitionModel(node, trigger, definition));
  }
  for (const definition of node.always ?? []) {
    transitions.push(transitionModel(node, { kind: 'always', eventType: '', label: 'always' }, definition));
  }
  const children = Object.values(node.states as Record<string, AnyStateNode>);
  const initial = node.type === 'compound' ? node.initial.target[0]?.id : undefined;
  return {
    id: node.id,
    key: node.key,
    path: node.path.join('.'),
    ...(node.parent ? { parent: node.parent.id } : {}),
    depth: node.path.length,
    kind: node.type,
    ...(initial ? { initial } : {}),
    children: children.map((child) => child.id),
    tags: [...node.tags],
    ...(node.meta ? { meta: node.meta as Record<string, unknown> } : {}),
    ...(node.description ? { description: node.description } : {}),
    entry: actionNames(node.entry),
    exit: actionNames(node.exit),
    invokes: node.invoke.map((definition) => nameOf(definition.src, 'inline actor')),
    transitions,
  };
}

export function describeMachine(machine: AnyStateMachine): MachineModel {
  const states: StateModel[] = [];
  const visit = (node: AnyStateNode) => {
    states.push(stateModel(node));
    for (const child of Object.values(node.states as Record<string, AnyStateNode>)) visit(child);
  };
  visit(machine.root);
  const eventTypes = new Set<string>();
  for (const state of states) {
    for (const transition of state.transitions) {
      if (transition.trigger.kind === 'event') eventTypes.add(transition.trigger.eventType);
    }
  }
  return {
    id: machine.root.id,
    states,
    byId: new Map(states.map((state) => [state.id, state])),
    eventTypes: [...eventTypes],
  };
}

/** Where a run of the machine ends: its final states, by path. */
export function finalPaths(model: MachineModel): string[] {
  return model.states.filter((state) => state.kind === 'final').map((state) => state.path);
}

/**
 * The final states some transition reaches on an event not in `forced` (a visitor's own choice,
 * such as logging out); the others are reached only when the engine ends a session.
 */
export function chosenEndings(model: MachineModel, forced: readonly string[]): Set<string> {
  const finals = new Map(
    model.states.filter((state) => state.kind === 'final').map((state) => [state.id, state]),
  );
  const chosen = new Set<string>();
  for (const state of model.states)
    for (const { trigger, targets } of state.transitions) {
      if (trigger.kind !== 'event' || forced.includes(trigger.eventType)) continue;
      for (const target of targets) {
        const final = finals.get(target);
        if (final) chosen.add(final.path);
      }
    }
  return chosen;
}

/** `trigger [guard]`: how a transition is named everywhere (diagram labels, explorer, tests). */
export function transitionLabel(transition: TransitionModel): string {
  return transition.guard ? `${transition.trigger.label} [${transition.guard}]` : transition.trigger.label;
}

/** The state itself, then its ancestors up to the root. */
export function ancestry(model: MachineModel, id: string): StateModel[] {
  const chain: StateModel[] = [];
  for (
    let state = model.byId.get(id);
    state;
    state = state.parent ? model.byId.get(state.parent) : undefined
  ) {
    chain.push(state);
  }
  return chain;
}

/** The atomic state a drawing enters a state by: follows initial children down. */
export function entryLeaf(model: MachineModel, id: string): StateModel {
  let state = model.byId.get(id);
  if (!state) throw new Error(`no state ${id}`);
  while (state.initial ?? state.children[0]) {
    const next = model.byId.get((state.initial ?? state.children[0]) as string);
    if (!next) break;
    state = next;
  }
  return state;
}

/** The deepest state that contains both (the root at worst). */
export function commonAncestor(model: MachineModel, a: string, b: string): StateModel {
  const ofB = new Set(ancestry(model, b).map((state) => state.id));
  const found = ancestry(model, a).find((state) => ofB.has(state.id) && state.id !== a && state.id !== b);
  return found ?? (model.states[0] as StateModel);
}
