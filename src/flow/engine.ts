/**
 * The engine: HTTP request → event → settle → persist → redirect (Post/Redirect/Get).
 *
 * One sequence for every request (DESIGN.md, "Request lifecycle"): load the session, check the
 * request is in sequence, send the event, wait until no state is busy, persist with
 * compare-and-set, answer. Anything out of sequence ends the session on the invalid-operation
 * page (manual 1.4 item 7). The parts, each with its own tests in test/unit/flow/:
 * - sequence.ts: whether a request is in sequence;
 * - persistence.ts: loading, claiming and compare-and-set saving of session records;
 * - repeat.ts: the answer to a repeated POST, and the tombstone an old session id keeps;
 * - xstate-shims.ts: pure moves and restored snapshots below XState's actor API.
 */
import {
  type AnyMachineSnapshot,
  createActor,
  type InspectionEvent,
  type Snapshot,
  type StateValue,
  waitFor,
} from 'xstate';
import type { SessionContext, SessionEvent, SessionMachine } from '../../machines/session.ts';
import {
  ConflictError,
  type FlowPlace,
  OutOfSequenceError,
  type RefusalCause,
  SessionExpiredError,
  TooManyRequestsError,
} from '../errors.ts';
import type { SessionRecord, SessionStore, StoreTimes } from '../store/types.ts';
import { type PageIndex, type PageState, pageOf, renderUrl } from './pages.ts';
import { claimStep, loadRecord, nextRecord, type RecordRules, saveUnderNewId } from './persistence.ts';
import { repeatAnswer, tombstoneAnswer, waitForClaim } from './repeat.ts';
import type { RequestScope } from './scope.ts';
import { checkPost, isCurrentRender } from './sequence.ts';
import { newToken, sameToken } from './tokens.ts';
import { initialSnapshot, pureTransitions, snapshotResolver } from './xstate-shims.ts';

/** What the engine answers; the routes turn it into an HTTP response. */
export type Outcome =
  /**
   * Render this page for this snapshot (GET of the current page, or a page without a session):
   * `key` is the render's key, null without a session; `variant` picks a terminal page's wording.
   */
  | {
      kind: 'render';
      page: PageState;
      snapshot: AnyMachineSnapshot;
      step: string | null;
      key: number | null;
      variant?: EndVariant;
    }
  /**
   * Redirect (303) to a URL; `session` says what happens to the cookie; `refused` says why the
   * request was refused, when it was (a security event to log).
   */
  | { kind: 'redirect'; location: string; session?: { set: string } | { clear: true }; refused?: Refusal };

/** Why a request ended its session: out of the machine's order, or carrying a replaced session id. */
export interface Refusal {
  event: 'out_of_sequence' | 'replaced_session';
  cause: RefusalCause;
  /** The state the session was in, when known. */
  from?: string;
}

/** Told of every move, for metrics, the live flow view and the traffic record. */
export interface FlowObserver {
  /**
   * `from` and `to` are state paths; `trace` names the session for analysis: random, kept when the
   * session id changes at login, so one visit stays one line in the traffic (null: none yet).
   */
  transition(move: { trace: string | null; from: string; event: string; to: string }): void;
}

/** The invalid-operation page for someone who never signed in does not speak of logging out. */
export type EndVariant = 'visitor';

export interface EngineDeps {
  index: PageIndex;
  store: SessionStore;
  /** The machine with its side effects supplied. */
  machine: SessionMachine;
  /** The sessions' lifetimes, as the store keeps them. */
  times: Pick<StoreTimes, 'absoluteMs' | 'anonymousMs'>;
  /** Whether this client may start one more session now (a per-address rate limit). */
  admit?: (ip: string) => Promise<boolean>;
  /** A user's credential epoch now: a login verified against an older one must not outlive it. */
  credentialEpoch?: (userRef: string) => Promise<number | undefined>;
  /** How long a repeated POST waits for the first one to finish. */
  settleWaitMs?: number;
  now?: () => number;
  observer?: FlowObserver;
  /** Told of each microstep of a session's machine, the busy ones too (the live flow view). */
  step?: (step: MachineStep) => void;
}

/** Where a request's move settled: the snapshot, what to store of it, and its page if it is on one. */
interface Move {
  settled: AnyMachineSnapshot;
  persisted: unknown;
  page: PageState | undefined;
}

export interface MachineStep {
  trace: string;
  event: string;
  value: StateValue;
}

const busyTimeoutMs = 30_000;
/** The query parameter that picks a terminal page's wording (`EndVariant`). */
export const variantParam = 'v';

export function createEngine(deps: EngineDeps) {
  const { index, store, machine } = deps;
  const now = deps.now ?? Date.now;
  const rules: RecordRules = { version: index.version, times: deps.times, now };
  const waiting = { waitMs: deps.settleWaitMs, now };
  const home = index.byPath.get('home') as PageState;
  const terminalUrl = (path: 'invalidOperation' | 'timedOut') => index.byPath.get(path)?.meta.url ?? '/';
  const resolveSnapshot = snapshotResolver(machine);
  const pureTransition = pureTransitions(machine, resolveSnapshot);
  const initial = () => initialSnapshot(machine); // one, shared and frozen
  const restore = (record: SessionRecord) => resolveSnapshot(record.snapshot);

  /** XState's microsteps of the session actor itself (not of its effects, not its stopping). */
  function inspector(trace: string) {
    const told = deps.step;
    if (!told) return undefined;
    return (event: InspectionEvent) => {
      if (event.type !== '@xstate.microstep' || event.actorRef.sessionId !== event.rootId) return;
      if (event.event.type.startsWith('xstate.stop')) return;
      told({ trace, event: event.event.type, value: (event.snapshot as AnyMachineSnapshot).value });
    };
  }

  /** Restores, sends, waits until nothing is busy; never leaves an in-flight promise behind. */
  async function run(
    scope: RequestScope,
    snapshot: Snapshot<unknown> | undefined,
    event: SessionEvent,
    trace: string,
  ) {
    const actor = createActor(machine, { snapshot, inspect: inspector(trace) });
    actor.start();
    try {
      // the side effect it starts gets the request it runs for through its input
      actor.send({ ...event, request: { sessionId: scope.sessionId, lang: scope.lang, ip: scope.ip } });
      const settled = await waitFor(actor, (s) => !s.hasTag('busy'), { timeout: busyTimeoutMs });
      return moved(settled, actor.getPersistedSnapshot());
    } finally {
      actor.stop();
    }
  }

  /**
   * A move that runs no effect settles in XState's pure `transition` (every action of the machine
   * is an `assign`): no actor to build, start and stop.
   */
  function settledMove(next: AnyMachineSnapshot, event: SessionEvent, trace: string) {
    deps.step?.({ trace, event: event.type, value: next.value });
    return moved(next, machine.getPersistedSnapshot(next));
  }

  /** A settled move with its page, looked up once for persisting and for the traffic record. */
  function moved(settled: AnyMachineSnapshot, persisted: unknown): Move {
    return { settled, persisted, page: pageOf(index, settled.value) };
  }

  const observe = (trace: string | null, from: string, event: string, to: string) =>
    deps.observer?.transition({ trace, from, event, to });
  /** A snapshot's page path, or its state value when it is on no page. */
  const pathOf = (snapshot: AnyMachineSnapshot, page = pageOf(index, snapshot.value)) =>
    page?.path ?? JSON.stringify(snapshot.value);

  /**
   * Ends a session on a terminal page; `where` says which visit, in which state, if known, and
   * whether someone had signed in to it (the invalid-operation page then says they were logged out).
   */
  async function end(
    sessionId: string | null,
    path: 'invalidOperation' | 'timedOut',
    where: FlowPlace = {},
  ): Promise<Outcome> {
    if (sessionId) await store.destroy(sessionId);
    const event = path === 'timedOut' ? 'SESSION_EXPIRED' : 'INVALID_OPERATION';
    observe(where.trace ?? null, where.from ?? 'unknown', event, path);
    const variant = path === 'invalidOperation' && where.signedIn === false ? `?${variantParam}=visitor` : '';
    const location = `${terminalUrl(path)}${variant}`;
    if (!where.refused) return { kind: 'redirect', location, session: { clear: true } };
    const refused: Refusal = {
      event: where.refused === 'old_id' ? 'replaced_session' : 'out_of_sequence',
      cause: where.refused,
      ...(where.from ? { from: where.from } : {}),
    };
    return { kind: 'redirect', location, session: { clear: true }, refused };
  }

  /** The flow's own failures, thrown where they are found, end the session on the page for each. */
  async function failed(sessionId: string | null, error: unknown): Promise<Outcome> {
    if (error instanceof OutOfSequenceError) return end(sessionId, 'invalidOperation', error.place);
    if (error instanceof SessionExpiredError) return end(sessionId, 'timedOut', error.place);
    throw error;
  }

  /** The page a settled record is on, at its current render. */
  function locationOf(record: SessionRecord): string {
    const page = pageOf(index, (record.snapshot as { value: unknown }).value);
    return page ? renderUrl(page, record.key) : home.meta.url;
  }

  /** A repeated POST waits for the first and is answered like it; a session gone meanwhile timed out. */
  async function answerRepeat(sessionId: string): Promise<Outcome> {
    const location = await repeatAnswer(store, sessionId, locationOf, waiting);
    if (!location) throw new SessionExpiredError();
    return { kind: 'redirect', location };
  }

  /**
   * A new signed-in session is checked against the user's credential epoch after it is stored:
   * a password change commits its new epoch before it ends the user's sessions, so a login
   * verified before the change either sees the new epoch here or is stored in time to be ended.
   */
  async function credentialsCurrent(user: SessionContext['user']): Promise<boolean> {
    if (!user || !deps.credentialEpoch) return true;
    return (await deps.credentialEpoch(user.id)) === user.credentialEpoch;
  }

  /**
   * Saves the settled snapshot; a new session id when the privilege changed (login, new password),
   * the old one left as a tombstone. A ConflictError when another request of the session wrote first.
   */
  async function persist(
    scope: RequestScope,
    before: SessionRecord | null,
    { settled, persisted, page }: Move,
    consumedStep: string | null,
    trace: string,
  ): Promise<Outcome> {
    if (settled.status === 'done' || !page) {
      const location = page?.meta.url ?? terminalUrl('invalidOperation');
      if (scope.sessionId) await store.destroy(scope.sessionId);
      return { kind: 'redirect', location, session: { clear: true } };
    }
    const context = settled.context as SessionContext;
    const record = nextRecord(
      before,
      { persisted, userRef: context.user?.id ?? null, trace },
      consumedStep,
      rules,
    );
    const location = renderUrl(page, record.key);
    const epochBefore = before ? (before.snapshot as { context: SessionContext }).context.authEpoch : 0;
    if (before && scope.sessionId && context.authEpoch === epochBefore) {
      if (!(await store.replace(scope.sessionId, before.revision, record))) throw new ConflictError();
      return { kind: 'redirect', location };
    }
    const old = before && scope.sessionId ? { sessionId: scope.sessionId, before } : null;
    const sessionId = await saveUnderNewId(store, old, record, location);
    if (!(await credentialsCurrent(context.user))) return end(sessionId, 'timedOut', { trace });
    return { kind: 'redirect', location, session: { set: sessionId } };
  }

  /** Refuses a new session past the client's rate (429, "too many attempts"). */
  async function admit(scope: RequestScope): Promise<void> {
    if (deps.admit && !(await deps.admit(scope.ip))) throw new TooManyRequestsError('new sessions');
  }

  /** GET of a flow URL: the current page at its current render, a page without a session, or out of sequence. */
  async function show(
    scope: RequestScope,
    url: string,
    query: Record<string, string | undefined>,
  ): Promise<Outcome> {
    const target = index.byUrl.get(url);
    if (!target) return { kind: 'redirect', location: home.meta.url };
    const entry = target.meta.entry;
    const entryValue = entry ? query[entry.query] : undefined;
    if (entry && entryValue)
      return enter(scope, { type: entry.event, [entry.query]: entryValue } as SessionEvent);

    let { record, expired } = await loadRecord(store, scope.sessionId, rules);
    if (record?.pendingSince) record = await waitForClaim(store, scope.sessionId as string, waiting);
    // the old id of a moved session: whoever holds only it logs in again
    if (record?.tombstone) throw new SessionExpiredError({ trace: record.trace, refused: 'old_id' });
    if (!record) {
      if (target.meta.terminal) {
        const variant = query[variantParam] === 'visitor' ? 'visitor' : undefined;
        return { kind: 'render', page: target, snapshot: initial(), step: null, key: null, variant };
      }
      if (expired) throw new SessionExpiredError();
      return target === home
        ? { kind: 'render', page: home, snapshot: initial(), step: null, key: null }
        : { kind: 'redirect', location: home.meta.url };
    }
    const snapshot = restore(record);
    const current = pageOf(index, snapshot.value);
    if (!isCurrentRender(current, record.key, target, query)) {
      const from = pathOf(snapshot, current);
      throw new OutOfSequenceError({
        trace: record.trace,
        from,
        signedIn: record.userRef !== null,
        refused: 'page',
      });
    }
    return { kind: 'render', page: target, snapshot, step: record.step, key: record.key };
  }

  /** An emailed link: ends any session of this browser and starts a new one with the link's event. */
  async function enter(scope: RequestScope, event: SessionEvent): Promise<Outcome> {
    await admit(scope);
    if (scope.sessionId) await store.destroy(scope.sessionId);
    const fresh = { ...scope, sessionId: null };
    const trace = newToken();
    const move = await run(fresh, undefined, event, trace);
    observe(trace, 'home', event.type, pathOf(move.settled, move.page));
    return persist(fresh, null, move, null, trace); // a new id never conflicts
  }

  /**
   * POST of a form: `action` names the event, `step` is the page's step token; without a session,
   * the homepage's token (`scope.visit`) stands for it.
   */
  async function submit(
    scope: RequestScope,
    url: string,
    action: string,
    step: string | null,
    toEvent: (type: string, snapshot: AnyMachineSnapshot) => SessionEvent,
  ): Promise<Outcome> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { record, expired } = await loadRecord(store, scope.sessionId, rules);
      if (expired) throw new SessionExpiredError();
      if (record?.tombstone) {
        // the step that moved the session, repeated: where it went, and no cookie; else log in again
        const location = tombstoneAnswer(record, step);
        if (location) return { kind: 'redirect', location };
        throw new SessionExpiredError({ trace: record.trace, refused: 'old_id' });
      }
      const trace = record?.trace ?? newToken();
      const snapshot = record ? restore(record) : initial();
      const current = pageOf(index, snapshot.value);
      const from = pathOf(snapshot, current);
      const signedIn = record !== null && record.userRef !== null;
      const expected = {
        step: record ? record.step : scope.visit,
        lastStep: record?.lastStep ?? null,
        page: current,
        snapshot,
      };
      const verdict = checkPost(index, expected, { url, action, step });
      if (verdict === 'repeat') return answerRepeat(scope.sessionId as string);
      if (verdict !== 'in sequence')
        throw new OutOfSequenceError({ trace, from, signedIn, refused: verdict });
      if (!record) await admit(scope);
      const event = toEvent(action, snapshot);

      // A move with a side effect claims its step first; one without needs no claim: its one
      // compare-and-set decides.
      let claimed = record;
      const { next, runsEffect } = pureTransition(snapshot, event);
      if (record && scope.sessionId && runsEffect) {
        claimed = await claimStep(store, scope.sessionId, record, step, now());
        if (!claimed) continue;
      }
      const move = runsEffect
        ? await run(scope, record?.snapshot as Snapshot<unknown>, event, trace)
        : settledMove(next, event, trace);
      try {
        const outcome = await persist(scope, claimed, move, step, trace);
        observe(trace, from, event.type, pathOf(move.settled, move.page));
        return outcome;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        // The claim made this request the only writer; losing after it means the session moved on.
        if (runsEffect) throw new OutOfSequenceError({ trace, signedIn, refused: 'concurrent' });
        // a concurrent move won: the next round answers this one as its repeat
      }
    }
    throw new OutOfSequenceError({ refused: 'concurrent' });
  }

  /** A request's answer with the flow's own failures (thrown where they are found) turned into their pages. */
  function answering<A extends [RequestScope, ...unknown[]]>(handle: (...args: A) => Promise<Outcome>) {
    return (...args: A) => handle(...args).catch((error: unknown) => failed(args[0].sessionId, error));
  }

  return {
    get: answering(show),
    post: answering(submit),

    /**
     * "Stay logged in" from the timeout warning: refreshes the idle timer (the store's read does)
     * without moving the session. Bound to the current page's step token, so it cannot be forged.
     */
    async keepAlive(scope: RequestScope, step: string | null): Promise<boolean> {
      const matches = (record: SessionRecord | null) =>
        record !== null && !record.tombstone && sameToken(step, record.step);
      // looked at first without refreshing, so that only the right token extends the session
      if (!scope.sessionId || !matches(await store.peek(scope.sessionId))) return false;
      return matches((await loadRecord(store, scope.sessionId, rules)).record);
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
