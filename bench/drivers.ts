/**
 * The load: autocannon connections walking journeys through the pages. Each step of a journey
 * builds its request from what the previous answers taught (cookie, step token) and checks its
 * answer; anything but the expected status and redirect target is an error, so an
 * invalid-operation logout (a 303 like any other) is never counted as a success.
 */
import autocannon, { type Request, type Result } from 'autocannon';
import type { Credentials, FlowSession } from './client.ts';
import { cookiesOf, header, pathOf, stepOf } from './client.ts';

// ---------------------------------------------------------------------------------------------
// Measuring

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

/** Latencies in ms, measured from writing the request to reading the whole answer. */
export class Latency {
  private readonly values: number[] = [];

  add(ms: number): void {
    this.values.push(ms);
  }

  summary(): LatencySummary {
    const sorted = Float64Array.from(this.values).sort();
    const at = (p: number) =>
      sorted.length
        ? (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0)
        : 0;
    const total = sorted.reduce((sum, value) => sum + value, 0);
    return {
      count: sorted.length,
      mean: sorted.length ? total / sorted.length : 0,
      p50: at(50),
      p90: at(90),
      p95: at(95),
      p99: at(99),
      max: sorted.length ? (sorted[sorted.length - 1] ?? 0) : 0,
    };
  }
}

/** What one load run saw. */
class Tally {
  readonly overall = new Latency();
  readonly bySteps = new Map<string, Latency>();
  /** Size of the first answers of each step: [bytes, answers]. */
  readonly sizes = new Map<string, [number, number]>();
  readonly problems = new Map<string, number>();
  errors = 0;

  record(step: string, ms: number, body: string): void {
    this.overall.add(ms);
    const latency = this.bySteps.get(step) ?? new Latency();
    this.bySteps.set(step, latency);
    latency.add(ms);
    const size = this.sizes.get(step) ?? [0, 0];
    if (size[1] < 100) this.sizes.set(step, [size[0] + Buffer.byteLength(body), size[1] + 1]);
  }

  /** Average body size of each step's answers, in bytes. */
  bodySizes(): Record<string, number> {
    return Object.fromEntries(
      [...this.sizes].map(([step, [bytes, count]]) => [step, Math.round(bytes / count)]),
    );
  }

  problem(what: string): void {
    this.errors += 1;
    this.problems.set(what, (this.problems.get(what) ?? 0) + 1);
  }
}

export interface LoadResult {
  connections: number;
  /** Length of the run, in seconds. */
  seconds: number;
  /** Answers received. */
  requests: number;
  requestsPerSecond: number;
  latency: LatencySummary;
  bySteps: Record<string, LatencySummary>;
  /** Average size of each step's answer body, in bytes. */
  bodyBytes: Record<string, number>;
  /** Wrong answers (status or redirect target) plus autocannon's connection errors and timeouts. */
  errors: number;
  /** The wrong answers by step and what came back, e.g. `POST /menu: 303 /invalid-operation`. */
  problems: Record<string, number>;
  timeouts: number;
}

/** One load run, or several runs of the same load counted as one (rounds). */
export class LoadTotals {
  readonly tally = new Tally();
  private seconds = 0;
  private errors = 0;
  private timeouts = 0;

  add(result: Pick<Result, 'duration' | 'errors' | 'timeouts'>): void {
    this.seconds += result.duration;
    this.errors += result.errors;
    this.timeouts += result.timeouts;
  }

  result(connections: number): LoadResult {
    const { tally } = this;
    const requests = tally.overall.summary().count;
    return {
      connections,
      seconds: this.seconds,
      requests,
      requestsPerSecond: requests / this.seconds,
      latency: tally.overall.summary(),
      bySteps: Object.fromEntries([...tally.bySteps].map(([step, latency]) => [step, latency.summary()])),
      bodyBytes: tally.bodySizes(),
      errors: tally.errors + this.errors,
      problems: Object.fromEntries(tally.problems),
      timeouts: this.timeouts,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Load

/**
 * Runs journeys from `connections` connections spread over the servers' URLs, as a load balancer
 * spreads them, all at once, counted into `totals`.
 */
async function spread(
  urls: string[],
  connections: number,
  seconds: number,
  requests: () => Request[],
  totals: LoadTotals,
): Promise<void> {
  const shares = urls
    .map((url, index) => ({
      url,
      connections: Math.floor(connections / urls.length) + (index < connections % urls.length ? 1 : 0),
    }))
    .filter((share) => share.connections > 0);
  const results = await Promise.all(
    shares.map((share) => autocannon({ ...share, duration: seconds, requests: requests() })),
  );
  totals.add({
    duration: Math.max(...results.map((result) => result.duration)),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    timeouts: results.reduce((sum, result) => sum + result.timeouts, 0),
  });
}

// ---------------------------------------------------------------------------------------------
// Journeys

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[]>;
}

interface JourneyStep<C> {
  method: 'GET' | 'POST';
  path: string;
  /**
   * Cookie and form of the request, and its URL when it is not `path` (a page's current render);
   * null gives up the rest of the journey (never on the first step).
   */
  prepare(context: C): { cookie?: string; form?: string; url?: string } | null;
  /** Undefined when the answer is the expected one, else what was wrong. */
  check(answer: Answer, context: C): string | undefined;
}

interface Timing {
  sentAt?: number;
  failed?: boolean;
}

/** What went wrong, short: the status and, for a redirect, where to. */
function statusOf(answer: Answer): string {
  const location = header(answer.headers, 'location');
  return location ? `${answer.status} ${String(location)}` : String(answer.status);
}

/** The autocannon requests of a journey; its context starts empty at every first step. */
function journey<C extends object>(steps: JourneyStep<C>[], tally: Tally): Request[] {
  return steps.map((step, index) => {
    const name = `${step.method} ${step.path}`;
    return {
      method: step.method,
      path: step.path,
      setupRequest(request, context) {
        const state = context as C & Timing;
        if (index > 0 && state.failed) return null;
        const prepared = step.prepare(state);
        if (!prepared) return null;
        const headers: Record<string, string> = {};
        if (prepared.cookie) headers.cookie = prepared.cookie;
        if (prepared.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
        state.sentAt = performance.now();
        const path = prepared.url ?? step.path;
        return { ...request, method: step.method, path, headers, body: prepared.form ?? '' };
      },
      onResponse(status, body, context, headers) {
        const state = context as C & Timing;
        tally.record(name, performance.now() - (state.sentAt ?? 0), body);
        const problem = step.check({ status, body, headers }, state);
        if (problem === undefined) return;
        tally.problem(`${name}: ${problem}`);
        state.failed = true;
      },
    };
  });
}

/** Undefined when the answer is a 303 to a render of the page at `target`, else what came instead. */
function redirectsTo(answer: Answer, target: string): string | undefined {
  const location = header(answer.headers, 'location');
  return answer.status === 303 && typeof location === 'string' && pathOf(location) === target
    ? undefined
    : statusOf(answer);
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

// ---------------------------------------------------------------------------------------------
// Transitions: menu → user information → menu, on signed-in sessions

/** Sessions on the menu, lent to connections for one round trip at a time. */
export class SessionPool {
  private readonly free: FlowSession[];
  readonly all: FlowSession[];

  constructor(sessions: FlowSession[]) {
    this.all = sessions;
    this.free = sessions.filter((session) => !session.dead && session.page === '/menu' && !session.pending);
  }

  /** A session on the menu; when every one is lent or dead, a dead one (its requests count as errors). */
  take(): FlowSession {
    const session = this.free.pop() ?? this.all.find((candidate) => candidate.dead) ?? this.all[0];
    if (!session) throw new Error('no sessions');
    return session;
  }

  giveBack(session: FlowSession): void {
    if (!session.dead) this.free.push(session);
  }

  get live(): number {
    return this.all.filter((session) => !session.dead).length;
  }
}

interface Lent {
  session?: FlowSession;
}

/** POST a button of the session's page; the session then waits for its answer. */
function button(session: FlowSession, action: string) {
  const body = form({ _step: session.step, _action: action });
  session.pending = { method: 'POST', path: session.page, body };
  return { cookie: session.cookie, form: body };
}

function transitionSteps(pool: SessionPool): JourneyStep<Lent>[] {
  const post = (path: string, action: string, next: string): JourneyStep<Lent> => ({
    method: 'POST',
    path,
    prepare(state) {
      const { session } = state;
      if (!session || session.dead || session.pending) return null;
      return button(session, action);
    },
    check(answer, { session }) {
      if (!session) return 'no session';
      session.pending = null;
      session.keepCookies(header(answer.headers, 'set-cookie'));
      const problem = redirectsTo(answer, next);
      if (problem) session.dead = true;
      else [session.page, session.href] = [next, String(header(answer.headers, 'location'))];
      return problem;
    },
  });
  const get = (path: string, last: boolean): JourneyStep<Lent> => ({
    method: 'GET',
    path,
    prepare(state) {
      const { session } = state;
      if (!session || session.dead || session.pending) return null;
      session.pending = { method: 'GET', path: session.href };
      return { cookie: session.cookie, url: session.href };
    },
    check(answer, state) {
      const { session } = state;
      if (!session) return 'no session';
      session.pending = null;
      const step = answer.status === 200 ? stepOf(answer.body) : undefined;
      if (!step) {
        session.dead = true;
        return answer.status === 200 ? '200 without a step token' : statusOf(answer);
      }
      session.step = step;
      if (last) {
        pool.giveBack(session);
        state.session = undefined;
      }
      return undefined;
    },
  });
  return [
    {
      ...post('/menu', 'GO_USER_INFO', '/user-info'),
      prepare(state) {
        const session = pool.take();
        state.session = session;
        // the first request cannot be skipped: a dead session's request is sent and counted
        return button(session, 'GO_USER_INFO');
      },
    },
    get('/user-info', false),
    post('/user-info', 'BACK', '/menu'),
    get('/menu', true),
  ];
}

export interface TransitionsOptions {
  /** The servers' URLs; the connections are spread over them. */
  urls: string[];
  pool: SessionPool;
  connections: number;
  seconds: number;
  /** Earlier rounds of the same load, to count this run with (the answer covers them all). */
  totals?: LoadTotals;
}

/**
 * Each round trip is POST GO_USER_INFO (303) + GET /user-info + POST BACK (303) + GET /menu, with
 * the step token read from each page. A session lost mid-trip when the run stops is left with
 * `pending` set, for `settle` to repair before the next run.
 */
export async function runTransitions(options: TransitionsOptions): Promise<LoadResult> {
  const totals = options.totals ?? new LoadTotals();
  const requests = () => journey(transitionSteps(options.pool), totals.tally);
  await spread(options.urls, options.connections, options.seconds, requests, totals);
  return totals.result(options.connections);
}

// ---------------------------------------------------------------------------------------------
// Logins

interface Visitor {
  cookie?: string;
  /** The homepage's visit cookie, whose token the first button posts. */
  visit?: string;
  step?: string;
  /** The render the last redirect named. */
  href?: string;
  user?: Credentials;
}

function cookieNamed(answer: Answer, name: string): string | undefined {
  const pairs = cookiesOf(header(answer.headers, 'set-cookie'));
  const found = pairs.find(([cookie, value]) => cookie.endsWith(name) && value !== '');
  return found ? `${found[0]}=${found[1]}` : undefined;
}

function sessionCookie(answer: Answer): string | undefined {
  return cookieNamed(answer, 'zairyu_session');
}

/** A new visitor's homepage: its visit cookie and the token its buttons post. */
function homepage(): JourneyStep<Visitor> {
  return {
    method: 'GET',
    path: '/',
    prepare: () => ({}),
    check(answer, state) {
      state.visit = cookieNamed(answer, 'zairyu_visit');
      state.step = answer.status === 200 ? stepOf(answer.body) : undefined;
      if (!state.visit || !state.step) return `${statusOf(answer)} without a visit cookie and token`;
      return undefined;
    },
  };
}

/** From the homepage to the login page: the request that creates a session. */
function toLoginPage(): JourneyStep<Visitor> {
  return {
    method: 'POST',
    path: '/',
    prepare: (state) => ({
      cookie: state.visit,
      form: form({ _step: state.step ?? '', _action: 'GO_LOGIN' }),
    }),
    check(answer, state) {
      state.cookie = sessionCookie(answer);
      state.href = String(header(answer.headers, 'location'));
      if (!state.cookie) return `${statusOf(answer)} without a session cookie`;
      return redirectsTo(answer, '/login');
    },
  };
}

/** GET of the page the last redirect named, at its render. */
function page(path: string): JourneyStep<Visitor> {
  return {
    method: 'GET',
    path,
    prepare: (state) => ({ cookie: state.cookie, url: state.href }),
    check(answer, state) {
      state.step = answer.status === 200 ? stepOf(answer.body) : undefined;
      if (!state.step) return answer.status === 200 ? '200 without a step token' : statusOf(answer);
      return undefined;
    },
  };
}

export interface LoginsOptions {
  /** The servers' URLs; the connections are spread over them. */
  urls: string[];
  users: Credentials[];
  connections: number;
  seconds: number;
}

export interface LoginsResult extends LoadResult {
  logins: number;
  loginsPerSecond: number;
  /** Latency of the login POST alone (the password check). */
  login: LatencySummary;
}

/**
 * Each journey is a new visitor logging in: GET / (the homepage's visit cookie and token), POST
 * GO_LOGIN with them (303, new session), GET /login, POST LOGIN with the user ID and password (303
 * to the menu, new session id), GET /menu.
 */
export async function runLogins(options: LoginsOptions): Promise<LoginsResult> {
  const totals = new LoadTotals();
  const { tally } = totals;
  let next = 0;
  let logins = 0;
  const steps: JourneyStep<Visitor>[] = [
    homepage(),
    toLoginPage(),
    page('/login'),
    {
      method: 'POST',
      path: '/login',
      prepare(state) {
        const user = options.users[next++ % options.users.length] as Credentials;
        state.user = user;
        return {
          cookie: state.cookie,
          form: form({
            _step: state.step ?? '',
            _action: 'LOGIN',
            userId: user.userId,
            password: user.password,
          }),
        };
      },
      check(answer, state) {
        state.cookie = sessionCookie(answer);
        state.href = String(header(answer.headers, 'location'));
        const problem =
          redirectsTo(answer, '/menu') ?? (state.cookie ? undefined : '303 without a new session id');
        if (!problem) logins += 1;
        return problem;
      },
    },
    page('/menu'),
  ];
  await spread(options.urls, options.connections, options.seconds, () => journey(steps, tally), totals);
  const load = totals.result(options.connections);
  return {
    ...load,
    logins,
    loginsPerSecond: logins / load.seconds,
    login: tally.bySteps.get('POST /login')?.summary() ?? new Latency().summary(),
  };
}

// ---------------------------------------------------------------------------------------------
// Visitors: many cheap sessions, for the memory scenario

export interface VisitorsResult {
  created: number;
  errors: number;
  problems: Record<string, number>;
  seconds: number;
}

/** `count` new sessions on the login page: GET / then POST GO_LOGIN, each from a fresh visitor. */
export async function createVisitors(
  url: string,
  count: number,
  connections: number,
): Promise<VisitorsResult> {
  const tally = new Tally();
  let created = 0;
  const perConnection = Math.ceil(count / connections);
  const steps: JourneyStep<Visitor>[] = [
    homepage(),
    {
      ...toLoginPage(),
      check(answer, state) {
        const problem = toLoginPage().check(answer, state);
        if (!problem) created += 1;
        return problem;
      },
    },
  ];
  const result = await autocannon({
    url,
    connections,
    amount: perConnection * connections * steps.length,
    requests: journey(steps, tally),
  });
  return {
    created,
    errors: tally.errors + result.errors,
    problems: Object.fromEntries(tally.problems),
    seconds: result.duration,
  };
}
