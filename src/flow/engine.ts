/**
 * The engine: HTTP request → event → settle → persist → redirect (Post/Redirect/Get).
 *
 * One sequence for every request (DESIGN.md, "Request lifecycle"): load the session, check the
 * request is in sequence, send the event, wait until no state is busy, persist with
 * compare-and-set, answer. Anything out of sequence ends the session on the invalid-operation
 * page (manual 1.4 item 7).
 */
import {
  type AnyActorLogic,
  type AnyActorScope,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  createActor,
  type InspectionEvent,
  type Snapshot,
  type StateValue,
  waitFor,
} from 'xstate';
import type { SessionContext, SessionEvent, SessionMachine } from '../../machines/session.ts';
import { TooManyRequestsError } from '../errors.ts';
import { endOf, type SessionRecord, type SessionStore, type StoreTimes } from '../store/types.ts';
import { type PageIndex, type PageState, pageOf, renderKey, renderUrl } from './pages.ts';
import { type RequestScope, requestScope } from './scope.ts';
import { newToken, sameToken } from './tokens.ts';

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
  /** What was wrong: `page` (another page or render), `step_token`, `action`, `concurrent`, `old_id`. */
  cause: 'page' | 'step_token' | 'action' | 'concurrent' | 'old_id';
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
/** A POST claimed longer ago than this was lost with its process; the session may go on. */
const staleClaimMs = 60_000;

/**
 * XState's pure transition with one inert actor scope for every call: xstate's `transition()`
 * builds and initialises a throw-away actor per call (4 % of a POST's CPU). The calls are
 * synchronous, so one scope serves them all. Actions a transition would have to run are counted:
 * the machine only assigns, but a move that ran anything else would need a real actor.
 */
function pureTransitions(machine: SessionMachine) {
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
  return (snapshot: AnyMachineSnapshot, event: SessionEvent) => {
    actions = 0;
    const next = (machine as unknown as AnyStateMachine).transition(
      snapshot,
      event,
      scope,
    ) as AnyMachineSnapshot;
    return { next, runsEffect: actions > 0 || next.hasTag('busy') };
  };
}

export function createEngine(deps: EngineDeps) {
  const { index, store } = deps;
  const now = deps.now ?? Date.now;
  const home = index.byPath.get('home') as PageState;
  const terminalUrl = (path: 'invalidOperation' | 'timedOut') => index.byPath.get(path)?.meta.url ?? '/';

  const logic = deps.machine as unknown as AnyActorLogic;
  const pureTransition = pureTransitions(deps.machine);

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
  function run(
    scope: RequestScope,
    snapshot: Snapshot<unknown> | undefined,
    event: SessionEvent,
    trace: string,
  ) {
    return requestScope.run(scope, async () => {
      const actor = createActor(logic, { snapshot, inspect: inspector(trace) });
      actor.start();
      try {
        actor.send(event);
        const settled = (await waitFor(actor, (s) => !(s as AnyMachineSnapshot).hasTag('busy'), {
          timeout: busyTimeoutMs,
        })) as AnyMachineSnapshot;
        return moved(settled, actor.getPersistedSnapshot());
      } finally {
        actor.stop();
      }
    });
  }

  /**
   * A move that runs no effect settles in XState's pure `transition` (every action of the machine
   * is an `assign`): no actor to build, start and stop.
   */
  function settledMove(next: AnyMachineSnapshot, event: SessionEvent, trace: string) {
    deps.step?.({ trace, event: event.type, value: next.value });
    return moved(next, deps.machine.getPersistedSnapshot(next));
  }

  /** A settled move with its page, looked up once for persisting and for the traffic record. */
  function moved(settled: AnyMachineSnapshot, persisted: unknown): Move {
    return { settled, persisted, page: pageOf(index, settled.value) };
  }

  /**
   * The stored snapshot as a machine snapshot, to ask it things (page, `can`, context) — resolved,
   * not restored into an actor: only `run` needs a live actor. Settled snapshots have no children.
   */
  function restore(record: SessionRecord): AnyMachineSnapshot {
    const { value, context } = record.snapshot as { value: StateValue; context: SessionContext };
    return deps.machine.resolveState({ value, context }) as unknown as AnyMachineSnapshot;
  }

  function initial(): AnyMachineSnapshot {
    return createActor(logic).getSnapshot() as AnyMachineSnapshot;
  }

  /**
   * A stored session that may go on: right machine version, within its absolute lifetime (shorter
   * for one nobody signed in to). A tombstone is returned as it is; a claim whose request died
   * with its process is released with a new step token.
   */
  async function load(sessionId: string | null): Promise<{ record: SessionRecord | null; expired: boolean }> {
    if (!sessionId) return { record: null, expired: false };
    const record = await store.get(sessionId);
    if (record?.tombstone) return { record, expired: false };
    if (!record || record.machineVersion !== index.version || endOf(record, deps.times) <= now()) {
      if (record) await store.destroy(sessionId);
      return { record: null, expired: true };
    }
    if (!record.pendingSince || now() - record.pendingSince <= staleClaimMs)
      return { record, expired: false };
    const released = { ...record, revision: record.revision + 1, step: newToken(), pendingSince: null };
    return {
      record: (await store.replace(sessionId, record.revision, released)) ? released : record,
      expired: false,
    };
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
    where: { trace?: string; from?: string; signedIn?: boolean; refused?: Refusal['cause'] } = {},
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

  /** The page a settled record is on, at its current render. */
  function locationOf(record: SessionRecord): string {
    const page = pageOf(index, (record.snapshot as { value: unknown }).value);
    return page ? renderUrl(page, record.key) : home.meta.url;
  }

  /**
   * A repeated POST of a step already taken waits for the first and is answered like it. After a
   * move to a new session id, the old id's tombstone knows only where the move went: the browser
   * that received the new cookie sees that page, one that did not is asked to log in again.
   */
  async function answerRepeat(sessionId: string): Promise<Outcome> {
    const record = await waitForClaim(sessionId);
    if (!record) return end(sessionId, 'timedOut');
    return { kind: 'redirect', location: record.tombstone?.location ?? locationOf(record) };
  }

  async function waitForClaim(sessionId: string): Promise<SessionRecord | null> {
    const deadline = now() + (deps.settleWaitMs ?? 10_000);
    for (;;) {
      const record = await store.get(sessionId);
      if (!record?.pendingSince || now() > deadline) return record;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
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
   * the old one left as a tombstone. 'conflict' when another request of the session wrote first.
   */
  async function persist(
    scope: RequestScope,
    before: SessionRecord | null,
    { settled, persisted, page }: Move,
    consumedStep: string | null,
    trace: string,
  ): Promise<Outcome | 'conflict'> {
    if (settled.status === 'done' || !page) {
      const location = page?.meta.url ?? terminalUrl('invalidOperation');
      if (scope.sessionId) await store.destroy(scope.sessionId);
      return { kind: 'redirect', location, session: { clear: true } };
    }
    const context = settled.context as SessionContext;
    const record: SessionRecord = {
      machineVersion: index.version,
      revision: (before?.revision ?? -1) + 1,
      snapshot: persisted,
      step: newToken(),
      lastStep: consumedStep,
      key: (before?.key ?? 0) + 1,
      pendingSince: null,
      createdAt: before?.createdAt ?? now(),
      userRef: context.user?.id ?? null,
      trace,
    };
    const location = renderUrl(page, record.key);
    const epochBefore = before ? (before.snapshot as { context: SessionContext }).context.authEpoch : 0;
    if (before && scope.sessionId && context.authEpoch === epochBefore) {
      if (!(await store.replace(scope.sessionId, before.revision, record))) return 'conflict';
      return { kind: 'redirect', location };
    }
    const sessionId = newToken();
    await store.create(sessionId, { ...record, revision: 0 });
    if (before && scope.sessionId) {
      const tombstone: SessionRecord = {
        ...before,
        revision: before.revision + 1,
        snapshot: null,
        step: null,
        lastStep: consumedStep,
        pendingSince: null,
        userRef: null,
        tombstone: { location },
      };
      await store.replace(scope.sessionId, before.revision, tombstone);
    }
    if (!(await credentialsCurrent(context.user))) return end(sessionId, 'timedOut', { trace });
    return { kind: 'redirect', location, session: { set: sessionId } };
  }

  /** Refuses a new session past the client's rate (429, "too many attempts"). */
  async function admit(scope: RequestScope): Promise<void> {
    if (deps.admit && !(await deps.admit(scope.ip))) throw new TooManyRequestsError('new sessions');
  }

  return {
    /** GET of a flow URL: the current page at its current render, a page without a session, or out of sequence. */
    async get(scope: RequestScope, url: string, query: Record<string, string | undefined>): Promise<Outcome> {
      const target = index.byUrl.get(url);
      if (!target) return { kind: 'redirect', location: home.meta.url };
      const entry = target.meta.entry;
      const entryValue = entry ? query[entry.query] : undefined;
      if (entry && entryValue)
        return this.enter(scope, { type: entry.event, [entry.query]: entryValue } as SessionEvent);

      let { record, expired } = await load(scope.sessionId);
      if (record?.pendingSince) record = await waitForClaim(scope.sessionId as string);
      // the old id of a moved session: whoever holds only it logs in again
      if (record?.tombstone)
        return end(scope.sessionId, 'timedOut', { trace: record.trace, refused: 'old_id' });
      if (!record) {
        if (target.meta.terminal) {
          const variant = query[variantParam] === 'visitor' ? 'visitor' : undefined;
          return { kind: 'render', page: target, snapshot: initial(), step: null, key: null, variant };
        }
        if (expired) return end(null, 'timedOut');
        return target === home
          ? { kind: 'render', page: home, snapshot: initial(), step: null, key: null }
          : { kind: 'redirect', location: home.meta.url };
      }
      const snapshot = restore(record);
      const current = pageOf(index, snapshot.value);
      if (current !== target || query[renderKey] !== String(record.key)) {
        const where = {
          trace: record.trace,
          from: pathOf(snapshot, current),
          signedIn: record.userRef !== null,
          refused: 'page' as const,
        };
        return end(scope.sessionId, 'invalidOperation', where);
      }
      return { kind: 'render', page: target, snapshot, step: record.step, key: record.key };
    },

    /**
     * "Stay logged in" from the timeout warning: refreshes the idle timer (the store's read does)
     * without moving the session. Bound to the current page's step token, so it cannot be forged.
     */
    async keepAlive(scope: RequestScope, step: string | null): Promise<boolean> {
      const matches = (record: SessionRecord | null) =>
        record !== null && !record.tombstone && sameToken(step, record.step);
      // looked at first without refreshing, so that only the right token extends the session
      if (!scope.sessionId || !matches(await store.peek(scope.sessionId))) return false;
      return matches((await load(scope.sessionId)).record);
    },

    /** An emailed link: ends any session of this browser and starts a new one with the link's event. */
    async enter(scope: RequestScope, event: SessionEvent): Promise<Outcome> {
      await admit(scope);
      if (scope.sessionId) await store.destroy(scope.sessionId);
      const fresh = { ...scope, sessionId: null };
      const trace = newToken();
      const move = await run(fresh, undefined, event, trace);
      observe(trace, 'home', event.type, pathOf(move.settled, move.page));
      return (await persist(fresh, null, move, null, trace)) as Outcome; // a new id never conflicts
    },

    /**
     * POST of a form: `action` names the event, `step` is the page's step token; without a session,
     * the homepage's token (`scope.visit`) stands for it.
     */
    async post(
      scope: RequestScope,
      url: string,
      action: string,
      step: string | null,
      toEvent: (type: string, snapshot: AnyMachineSnapshot) => SessionEvent,
    ): Promise<Outcome> {
      for (let attempt = 0; attempt < 3; attempt++) {
        const { record, expired } = await load(scope.sessionId);
        if (expired) return end(null, 'timedOut');
        if (record?.tombstone) {
          // the step that moved the session, repeated: where it went, and no cookie; else log in again
          if (sameToken(step, record.lastStep))
            return { kind: 'redirect', location: record.tombstone.location };
          return end(scope.sessionId, 'timedOut', { trace: record.trace, refused: 'old_id' });
        }
        const trace = record?.trace ?? newToken();
        const snapshot = record ? restore(record) : initial();
        const current = pageOf(index, snapshot.value);
        const from = pathOf(snapshot, current);
        const signedIn = record !== null && record.userRef !== null;
        const outOfSequence = (refused: Refusal['cause']) =>
          end(scope.sessionId, 'invalidOperation', { trace, from, signedIn, refused });
        if (!sameToken(step, record ? record.step : scope.visit)) {
          if (record && sameToken(step, record.lastStep)) return answerRepeat(scope.sessionId as string);
          return outOfSequence('step_token');
        }
        // In sequence: the current page's URL, an action a page may post, one this state takes —
        // decided on the action itself, before its form's schema turns a bad body into INVALID.
        const onPage = current?.meta.url === url;
        if (!onPage || !index.postable.has(action) || !snapshot.can({ type: action } as SessionEvent)) {
          return outOfSequence('action');
        }
        if (!record) await admit(scope);
        const event = toEvent(action, snapshot);

        // Claim the step before any side effect runs, so a second POST of it cannot run it again:
        // the claimed record holds no step token, so nothing posted meanwhile matches it.
        // A move without a side effect needs no claim: its one compare-and-set decides.
        let claimed = record;
        const { next, runsEffect } = pureTransition(snapshot, event);
        if (record && scope.sessionId && runsEffect) {
          claimed = {
            ...record,
            revision: record.revision + 1,
            step: null,
            lastStep: step,
            pendingSince: now(),
          };
          if (!(await store.replace(scope.sessionId, record.revision, claimed))) continue;
        }
        const move = runsEffect
          ? await run(scope, record?.snapshot as Snapshot<unknown>, event, trace)
          : settledMove(next, event, trace);
        const outcome = await persist(scope, claimed, move, step, trace);
        if (outcome === 'conflict') {
          // The claim made this request the only writer; losing after it means the session moved on.
          if (runsEffect)
            return end(scope.sessionId, 'invalidOperation', { trace, signedIn, refused: 'concurrent' });
          continue; // a concurrent move won: the next round answers this one as its repeat
        }
        observe(trace, from, event.type, pathOf(move.settled, move.page));
        return outcome;
      }
      return end(scope.sessionId, 'invalidOperation', { refused: 'concurrent' });
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
