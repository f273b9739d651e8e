/**
 * Paths through the session machine, generated with `xstate/graph`, for the replay against the
 * real server (test/paths/replay.test.ts) and in Chromium (test/e2e/paths.spec.ts).
 *
 * The graph: a vertex is a state value; an edge is an event the state takes, in every variant the
 * replay can make real: each valid payload of a form (payloads.ts), each invalid one (the engine
 * turns it into INVALID), and for the states that run a side effect, each outcome the real server
 * can produce (the `xstate.done.actor.*` event with that output). The moves the engine makes
 * itself (INVALID_OPERATION, SESSION_EXPIRED) are edges too: the replay provokes them from outside.
 *
 * Three kinds of path, each a list of requests (one HTTP interaction each: a side effect's state
 * is never persisted, so its trigger and its outcome are one request):
 * - shortest: the shortest path to every state;
 * - simple: every path that visits no state twice, up to `SIMPLE_PATH_MAX_REQUESTS` requests,
 *   with one variant per transition;
 * - sweep: what the two leave out. Every (transition, variant) pair is aimed at: the shortest
 *   path to its state, then the variants that come back to the same page one after the other, or
 *   the one that leaves it.
 */
import {
  type AnyMachineSnapshot,
  type EventObject,
  initialTransition,
  type TransitionDefinition,
} from 'xstate';
import {
  type AdjacencyMap,
  getAdjacencyMap,
  getShortestPaths,
  getSimplePaths,
  getStateNodes,
} from 'xstate/graph';
import { type Outcome, type SessionContext, sessionMachine } from '../../machines/session.ts';
import { type FormEventType, formEvent, isFormEvent } from '../../src/flow/forms.ts';
import { indexPages, type PageState, pageOf } from '../../src/flow/pages.ts';
import { payloads, sampleFacts } from './payloads.ts';

export const machine = sessionMachine;
export const pages = indexPages(sessionMachine);

/** How many requests a simple path may have (keeps the count in the low hundreds). */
export const SIMPLE_PATH_MAX_REQUESTS = 9;

// ---------------------------------------------------------------------------------------------
// Side-effect outcomes

const failure = (code: string, field?: string): Outcome => ({ ok: false, errors: [{ code, field }] });
const sampleUser = {
  id: '1',
  userId: sampleFacts.userId,
  name: 'TEST MADOGUCHI',
  previousLoginAt: null,
  credentialEpoch: 0,
};
const sampleLink = { tokenId: '1', userId: sampleFacts.userId, purpose: 'reset' as const };
const notified: Outcome = { ok: true, notifiedEmail: sampleFacts.email };

export interface OutcomeCase {
  name: string;
  /** What the actor answers (a sample: the replay makes the real server answer in kind). */
  output: Outcome;
  /** The error code the page then shows. */
  code?: string;
  /** The field it marks with "!", when the refusal belongs to one. */
  field?: string;
  /** After this outcome the page cannot succeed any more (its link is spent): replayed last. */
  spoils?: boolean;
}

/**
 * The outcomes each invoked actor can be made to produce from outside, over HTTP and email. What
 * the server cannot be made to answer is in `unreachable` below, with the reason.
 */
export const outcomes = {
  authenticate: [
    { name: 'ok', output: { ok: true, user: sampleUser } },
    { name: 'wrong-password', output: failure('WZBAM002E'), code: 'WZBAM002E' },
  ],
  registerUser: [{ name: 'ok', output: notified }],
  updateUserInfo: [
    { name: 'ok', output: notified },
    { name: 'email-in-use', output: failure('WZBAM351E'), code: 'WZBAM351E' },
  ],
  changePassword: [
    { name: 'ok', output: notified },
    {
      name: 'wrong-current-password',
      output: failure('WZBAM025E', 'currentPassword'),
      code: 'WZBAM025E',
      field: 'currentPassword',
    },
    {
      name: 'account-locked',
      output: { ok: false, errors: [{ code: 'WZBAM340E' }], accountLocked: true },
      code: 'WZBAM340E',
    },
  ],
  requestPasswordReset: [{ name: 'ok', output: notified }],
  verifyLink: [
    { name: 'ok', output: { ok: true, link: sampleLink } },
    { name: 'unknown-token', output: failure('WZBAM310E'), code: 'WZBAM310E' },
    { name: 'used-link', output: failure('WZBAM310E'), code: 'WZBAM310E' },
  ],
  setPassword: [
    { name: 'ok', output: notified },
    { name: 'link-used-meanwhile', output: failure('WZBAM310E'), code: 'WZBAM310E', spoils: true },
  ],
  restoreEmail: [
    { name: 'ok', output: notified },
    { name: 'unknown-token', output: failure('WZBAM345E'), code: 'WZBAM345E' },
    { name: 'used-link', output: failure('WZBAM345E'), code: 'WZBAM345E' },
    { name: 'address-taken', output: failure('WZBAM346E'), code: 'WZBAM346E' },
  ],
} as const satisfies Record<string, readonly OutcomeCase[]>;

export type EffectName = keyof typeof outcomes;
/** `effect:outcome`, e.g. `verifyLink:used-link`: every one needs an arrangement in the replay. */
export type OutcomeKey = {
  [E in EffectName]: `${E}:${(typeof outcomes)[E][number]['name']}`;
}[EffectName];

/**
 * Transitions no request from outside can take, by name, with the reason. The path suite fails
 * when one of them is taken after all (the entry is stale) or when a name is not a transition.
 */
export const unreachable: Record<string, string> = {
  'authenticating error(authenticate) → login':
    'the actor throws only when PostgreSQL is down: not forced from outside the process',
  'registration.registering error(registerUser) → registration.input':
    'the actor only queues the request; it throws only when PostgreSQL is down: not forced from outside',
  'requestingReset error(requestPasswordReset) → forgotPassword':
    'the actor only queues the request; it throws only when PostgreSQL is down: not forced from outside',
  'checkingLink error(verifyLink) → linkInvalid':
    'the actor throws only when PostgreSQL is down (tokens are hashed before the query, so no token breaks it)',
  'restoringEmail error(restoreEmail) → restoreFailed':
    'the actor throws only when PostgreSQL, the queue or Redis is down (tokens are hashed before the query)',
  'settingPassword error(setPassword) → passwordRegistration':
    'the actor throws only when PostgreSQL or the queue is down: not forced from outside',
  'signedIn.updatingUserInfo error(updateUserInfo) → signedIn.changeUserInfo':
    'the actor throws only when PostgreSQL or the queue is down (the form rules match the table constraints)',
  'signedIn.changingPassword error(changePassword) → signedIn.changePassword':
    'the actor throws only when PostgreSQL, the queue or Redis is down: not forced from outside',
  'registration.registering done(registerUser) → registration.input':
    'registerUser always answers ok: it queues the request whatever address it names (no account enumeration; an address in use gets an email instead)',
  'requestingReset done(requestPasswordReset) → forgotPassword':
    'requestPasswordReset always answers ok: it queues the request whether or not the pair matches (2.5.3, no account enumeration)',
};

// ---------------------------------------------------------------------------------------------
// Events of the model

export type EventKind =
  /** A button or link with no fields. */
  | 'move'
  /** A form posted with a valid payload. */
  | 'form'
  /** A form posted with an invalid payload: the engine sends INVALID. */
  | 'invalid'
  /** The emailed link opened (a GET with its token); its outcome says which link. */
  | 'link'
  /** A side effect's answer: replayed with the request that started it. */
  | 'outcome'
  /** A move the engine makes itself; the replay provokes it from outside. */
  | 'engine';

export type ModelEvent = EventObject & {
  /** Names the variant: `LOGIN:valid`, `LOGIN:nothing-given`, `authenticate:ok`, `HOME`. */
  case: string;
  kind: EventKind;
  /** The `_action` posted (the form's event for an invalid payload). */
  action?: string;
  /** The payload's name in payloads.ts, for `form` and `invalid`. */
  payload?: string;
  /** For `outcome`: which actor and which outcome. */
  effect?: EffectName;
  outcome?: string;
  [key: string]: unknown;
};

/** The events the engine never takes from a client form. */
const ENGINE_EVENTS = new Set(['INVALID_OPERATION', 'SESSION_EXPIRED']);
/** The events an emailed link starts a session with (each entry page's). */
const LINK_EVENTS = new Set<string>(
  pages.pages.flatMap((page) => (page.meta.entry ? [page.meta.entry.event] : [])),
);

const stateNodes = getStateNodes(machine.root);
const invokers = stateNodes.filter((node) => node.invoke.length > 0);

export function pathOfNode(node: { path: string[] }): string {
  return node.path.join('.');
}

/** The page of a state value (undefined for a side effect's state). */
export function pageOfValue(value: unknown): PageState | undefined {
  return pageOf(pages, value);
}

function busyNode(snapshot: AnyMachineSnapshot) {
  return invokers.find((node) => snapshot.matches(pathOfNode(node) as never));
}

function formCase(type: FormEventType, name: string, kind: 'form' | 'invalid'): ModelEvent {
  const table = payloads[type];
  const payload = (kind === 'form' ? table.valid : table.invalid).find((p) => p.name === name);
  if (!payload) throw new Error(`no ${kind} payload ${type}:${name}`);
  const event = formEvent(type, payload.fields(sampleFacts), { userId: sampleFacts.userId, lang: 'ja' });
  const isInvalid = event.type === 'INVALID';
  if (isInvalid !== (kind === 'invalid')) {
    throw new Error(`payload ${type}:${name} is listed as ${kind} but the form's schema says otherwise`);
  }
  return { ...event, case: `${type}:${name}`, kind, action: type, payload: name };
}

function outcomeEvents(snapshot: AnyMachineSnapshot): ModelEvent[] {
  const node = busyNode(snapshot);
  const invoke = node?.invoke[0];
  if (!invoke) return [];
  const effect = invoke.src as EffectName;
  const cases: readonly OutcomeCase[] = outcomes[effect] ?? [];
  return cases.map((o) => ({
    type: `xstate.done.actor.${invoke.id}`,
    output: o.output,
    case: `${effect}:${o.name}`,
    kind: 'outcome',
    effect,
    outcome: o.name,
  }));
}

/** The event types the state takes (never the side effects' answers: a page is never busy). */
export function acceptedTypes(snapshot: AnyMachineSnapshot): string[] {
  return [...pages.eventTypes].filter(
    (type) => !type.startsWith('xstate.') && snapshot.can({ type } as never),
  );
}

/**
 * Every variant of every event the state takes. `engine`: include the moves the engine makes
 * itself (not in simple paths: every path could end with one).
 */
export function eventsFor(snapshot: AnyMachineSnapshot, engine = true): ModelEvent[] {
  if (snapshot.status !== 'active') return [];
  if (snapshot.hasTag('busy')) return outcomeEvents(snapshot);
  const types = acceptedTypes(snapshot);
  const forms = types.filter(isFormEvent);
  const events: ModelEvent[] = [];
  for (const type of types) {
    if (isFormEvent(type)) {
      for (const p of payloads[type].valid) events.push(formCase(type, p.name, 'form'));
    } else if (type === 'INVALID') {
      for (const form of forms) {
        for (const p of payloads[form].invalid) events.push(formCase(form, p.name, 'invalid'));
      }
    } else if (LINK_EVENTS.has(type)) {
      events.push({ type, token: '(emailed)', case: type, kind: 'link' });
    } else if (ENGINE_EVENTS.has(type)) {
      // A visitor on the homepage may have no session yet: there is nothing to expire.
      const sessionless = type === 'SESSION_EXPIRED' && snapshot.matches('home');
      if (engine && !sessionless) events.push({ type, case: type, kind: 'engine' });
    } else {
      events.push({ type, case: type, kind: 'move', action: type });
    }
  }
  return events;
}

// ---------------------------------------------------------------------------------------------
// Transitions, by name

export interface TransitionInfo {
  name: string;
  source: string;
  event: string;
  targets: string[];
}

function eventLabel(node: (typeof stateNodes)[number], eventType: string): string {
  const invoke = node.invoke.find((i) => eventType.endsWith(`.actor.${i.id}`));
  if (!invoke) return eventType;
  return `${eventType.startsWith('xstate.done.') ? 'done' : 'error'}(${String(invoke.src)})`;
}

function guardName(guard: unknown): string {
  if (!guard) return '';
  if (typeof guard === 'string') return ` [${guard}]`;
  const type = (guard as { type?: unknown }).type;
  return ` [${typeof type === 'string' ? type : 'guard'}]`;
}

const transitionNames = new Map<TransitionDefinition<never, never>, TransitionInfo>();
for (const node of [machine.root, ...stateNodes]) {
  for (const [eventType, definitions] of node.transitions) {
    for (const definition of definitions) {
      const source = pathOfNode(node) || '*';
      const targets = (definition.target ?? [node]).map(pathOfNode);
      const event = eventLabel(node, eventType);
      const name = `${source} ${event}${guardName(definition.guard)} → ${targets.join(', ')}`;
      transitionNames.set(definition as never, { name, source, event, targets });
    }
  }
}

/** Every transition of the machine. */
export const transitions: TransitionInfo[] = [...transitionNames.values()];
/** Every state of the machine (compound ones included), by path. */
export const states: string[] = stateNodes.map(pathOfNode);

/** The names of the transitions an event takes in a state. */
export function transitionsTaken(snapshot: AnyMachineSnapshot, event: ModelEvent): string[] {
  return machine
    .getTransitionData(snapshot as never, event as never)
    .map((definition) => transitionNames.get(definition as never)?.name ?? '?');
}

/** The states active in a snapshot, ancestors included. */
export function activeStates(snapshot: AnyMachineSnapshot): string[] {
  return states.filter((path) => snapshot.matches(path as never));
}

// ---------------------------------------------------------------------------------------------
// Requests and paths

/** One HTTP interaction: an event from a page, and the outcome when it started a side effect. */
export interface Request {
  from: AnyMachineSnapshot;
  trigger: ModelEvent;
  outcome?: ModelEvent;
  /** The side effect's state it passed through. */
  busy?: AnyMachineSnapshot;
  to: AnyMachineSnapshot;
  /** The transitions taken, by name. */
  transitions: string[];
  /** (transitions, variants): what the sweep aims at. */
  key: string;
}

export type PathKind = 'shortest' | 'simple' | 'sweep';

export interface ModelPath {
  /** `S3`, `P17`, `W5`: shortest, simple, sweep. */
  id: string;
  kind: PathKind;
  /** `home —GO_LOGIN→ login —LOGIN:valid+authenticate:ok→ signedIn.menu`. */
  name: string;
  requests: Request[];
}

export const serializeState = (snapshot: AnyMachineSnapshot): string => JSON.stringify(snapshot.value);
const serializeEvent = (event: ModelEvent): string => event.case;

/** `signedIn.menu` for `{ signedIn: 'menu' }`. */
export function stateName(snapshot: AnyMachineSnapshot): string {
  const leaves = activeStates(snapshot).filter(
    (path) => !states.some((p) => p.startsWith(`${path}.`) && snapshot.matches(p as never)),
  );
  return leaves.join(',');
}

export const initial = initialTransition(machine)[0] as AnyMachineSnapshot;

/** Opening the homepage with no session: where every path starts. */
export const startRequest: Request = {
  from: initial,
  trigger: { type: 'xstate.init', case: 'start', kind: 'move' },
  to: initial,
  transitions: [],
  key: 'start',
};

const traversal = (engine: boolean) => ({
  events: (snapshot: AnyMachineSnapshot) => eventsFor(snapshot, engine),
  serializeState,
  serializeEvent,
});

function request(from: AnyMachineSnapshot, trigger: ModelEvent, next: AnyMachineSnapshot): Request {
  return {
    from,
    trigger,
    to: next,
    transitions: transitionsTaken(from, trigger),
    key: `${transitionsTaken(from, trigger).join(' ; ')} | ${trigger.case}`,
  };
}

function withOutcome(req: Request, outcome: ModelEvent, next: AnyMachineSnapshot): Request {
  const taken = [...req.transitions, ...transitionsTaken(req.to, outcome)];
  return {
    ...req,
    outcome,
    busy: req.to,
    to: next,
    transitions: taken,
    key: `${taken.join(' ; ')} | ${req.trigger.case} ${outcome.case}`,
  };
}

/** The full graph, with every variant and the engine's moves. */
const adjacency = getAdjacencyMap(machine as never, traversal(true) as never) as AdjacencyMap<
  AnyMachineSnapshot,
  ModelEvent
>;

function edge(from: AnyMachineSnapshot, event: ModelEvent) {
  const found = adjacency[serializeState(from) as never]?.transitions[event.case as never];
  if (!found) throw new Error(`no edge ${event.case} from ${serializeState(from)}`);
  return found.state;
}

/** Graph steps (event → state after) from the initial state → requests; a busy end takes its first outcome. */
function toRequests(steps: { event: ModelEvent; state: AnyMachineSnapshot }[]): Request[] {
  const out: Request[] = [];
  let from = initial;
  for (const step of steps) {
    const last = out.at(-1);
    if (step.event.kind === 'outcome' && last && !last.outcome) {
      out[out.length - 1] = withOutcome(last, step.event, step.state);
    } else {
      out.push(request(from, step.event, step.state));
    }
    from = step.state;
  }
  const last = out.at(-1);
  if (last && !last.outcome && last.to.hasTag('busy')) {
    const [first] = outcomeEvents(last.to);
    if (first) out[out.length - 1] = withOutcome(last, first, edge(last.to, first));
  }
  return out;
}

function graphSteps(path: { steps: { event: EventObject; state: AnyMachineSnapshot }[] }) {
  // xstate/graph paths start with the initial state under `xstate.init`.
  return path.steps.slice(1) as { event: ModelEvent; state: AnyMachineSnapshot }[];
}

function signature(requests: Request[]): string[] {
  return requests.map((r) => `${r.trigger.case}${r.outcome ? `+${r.outcome.case}` : ''}`);
}

/** Drops the paths whose requests are the start of another path's. */
function dropPrefixes(all: Request[][]): Request[][] {
  const sorted = [...all].sort((a, b) => b.length - a.length);
  const kept: Request[][] = [];
  for (const candidate of sorted) {
    const sig = signature(candidate);
    const covered = kept.some((other) => {
      const o = signature(other);
      return sig.every((s, i) => o[i] === s);
    });
    if (!covered && candidate.length > 0) kept.push(candidate);
  }
  return kept;
}

function describePath(requests: Request[]): string {
  const parts = [stateName(requests[0]?.from ?? initial)];
  for (const r of requests) {
    const label = r.outcome ? `${r.trigger.case}+${r.outcome.outcome}` : r.trigger.case;
    parts.push(`—${label}→ ${stateName(r.to)}`);
  }
  return parts.join(' ');
}

function named(kind: PathKind, prefix: string, list: Request[][]): ModelPath[] {
  return list.map((requests, i) => ({
    id: `${prefix}${i + 1}`,
    kind,
    name: describePath(requests),
    requests,
  }));
}

/** The shortest path to every state (ending in a page: a side effect's state takes its first outcome). */
export function shortestPaths(): ModelPath[] {
  const raw = getShortestPaths(machine as never, traversal(true) as never);
  return named('shortest', 'S', dropPrefixes(raw.map((p) => toRequests(graphSteps(p as never)))));
}

/** The shortest request path to each state value, for prefixes. */
function shortestTo(): Map<string, Request[]> {
  const raw = getShortestPaths(machine as never, traversal(true) as never);
  const map = new Map<string, Request[]>();
  for (const p of raw) {
    const requests = toRequests(graphSteps(p as never));
    const end = requests.at(-1)?.to ?? initial;
    const key = serializeState(end);
    const known = map.get(key);
    if (!known || known.length > requests.length) map.set(key, requests);
  }
  map.set(serializeState(initial), []);
  return map;
}

/**
 * A vertex of the simple paths: the state, and whether a side effect has finished in the session
 * (it reports where it notified someone). So a journey that comes back to a page after finishing a
 * flow (reset the password, then log in with the new one) is a simple path too.
 */
const serializeJourney = (snapshot: AnyMachineSnapshot): string =>
  JSON.stringify([snapshot.value, (snapshot.context as SessionContext).notifiedEmail !== null]);

/** Every simple path up to `maxRequests` requests, every variant, prefixes dropped. */
export function simplePaths(maxRequests = SIMPLE_PATH_MAX_REQUESTS): ModelPath[] {
  const options = { ...traversal(false), serializeState: serializeJourney };
  const raw = getSimplePaths(machine as never, options as never);
  const requests = raw
    .map((p) => toRequests(graphSteps(p as never)))
    .filter((list) => list.length > 0 && list.length <= maxRequests);
  return named('simple', 'P', dropPrefixes(requests));
}

/** Every request the graph has from every state, a side effect's trigger joined with each outcome. */
export function allRequests(): Request[] {
  const out: Request[] = [];
  for (const { state, transitions: edges } of Object.values(adjacency)) {
    if (state.hasTag('busy')) continue;
    const list = Object.values(edges) as { event: ModelEvent; state: AnyMachineSnapshot }[];
    for (const { event, state: next } of list) {
      const req = request(state, event, next);
      if (!next.hasTag('busy')) {
        out.push(req);
        continue;
      }
      for (const outcome of outcomeEvents(next)) out.push(withOutcome(req, outcome, edge(next, outcome)));
    }
  }
  return out;
}

/** Invalid payloads first, then other ways back to the page, then those that spoil it. */
function sweepOrder(r: Request): number {
  if (r.trigger.kind === 'invalid') return 0;
  const effect = r.outcome?.effect;
  const spoils =
    effect !== undefined &&
    (outcomes[effect] as readonly OutcomeCase[]).some((o) => o.name === r.outcome?.outcome && o.spoils);
  return spoils ? 2 : 1;
}

/** Paths for every (transition, variant) the shortest and simple paths leave out. */
export function sweepPaths(covered: Iterable<ModelPath>): ModelPath[] {
  const done = new Set<string>();
  for (const path of covered) for (const r of path.requests) done.add(r.key);
  const prefixes = shortestTo();
  const prefixOf = (r: Request) => prefixes.get(serializeState(r.from)) ?? [];
  const chosen = new Map<string, Request>();
  for (const r of allRequests()) {
    if (done.has(r.key)) continue;
    const known = chosen.get(r.key);
    if (!known || prefixOf(known).length > prefixOf(r).length) chosen.set(r.key, r);
  }
  const loops = new Map<string, Request[]>();
  const out: Request[][] = [];
  for (const r of chosen.values()) {
    const from = serializeState(r.from);
    if (serializeState(r.to) === from) loops.set(from, [...(loops.get(from) ?? []), r]);
    else out.push([...prefixOf(r), r]);
  }
  for (const [from, list] of loops) {
    const ordered = [...list].sort((a, b) => sweepOrder(a) - sweepOrder(b));
    out.push([...(prefixes.get(from) ?? []), ...ordered]);
  }
  return named('sweep', 'W', out);
}

export interface PathSet {
  shortest: ModelPath[];
  simple: ModelPath[];
  sweep: ModelPath[];
  all: ModelPath[];
}

/** All three kinds; `filter` (an id or part of a name) picks some. */
export function generatePaths(filter?: string): PathSet {
  const shortest = shortestPaths();
  const simple = simplePaths();
  const sweep = sweepPaths([...shortest, ...simple]);
  const all = [...shortest, ...simple, ...sweep];
  if (!filter) return { shortest, simple, sweep, all };
  const pick = (list: ModelPath[]) => list.filter((p) => p.id === filter || p.name.includes(filter));
  return { shortest: pick(shortest), simple: pick(simple), sweep: pick(sweep), all: pick(all) };
}

/** The shortest requests that lead to the state a request starts from. */
export function prefixTo(snapshot: AnyMachineSnapshot): Request[] {
  const found = shortestTo().get(serializeState(snapshot));
  if (!found) throw new Error(`no path to ${serializeState(snapshot)}`);
  return found;
}

export interface PageVisit {
  page: PageState;
  /** Requests that end on the page with a session on the server (the homepage included). */
  requests: Request[];
  /** The model's state there. */
  state: AnyMachineSnapshot;
}

/** Each page a session can rest on (not the terminal ones), with the shortest way to it. */
export function pageVisits(): PageVisit[] {
  const candidates = allRequests().map((r) => [...prefixTo(r.from), r]);
  return pages.pages
    .filter((page) => !page.meta.terminal)
    .map((page) => {
      const ways = candidates.filter((list) => pageOfValue(list.at(-1)?.to.value) === page);
      const requests = ways.reduce((a, b) => (b.length < a.length ? b : a));
      return { page, requests, state: requests.at(-1)?.to ?? initial };
    });
}

/** A model path of requests, for the replay. */
export function pathOf(id: string, requests: Request[]): ModelPath {
  return { id, kind: 'shortest', name: describePath(requests), requests };
}
