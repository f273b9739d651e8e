/**
 * The benchmark: the real service (`start(env)`) on real Redis, a throw-away PostgreSQL database and
 * a real SMTP server, driven by autocannon through its scenarios, with two references in the same
 * run: a bare-Fastify baseline (bench/baseline.ts) and the conventional stack (bench/conventional.ts).
 * Writes bench/results/<start time>.json and .md (e.g. 2026-11-29T1012Z), never over an earlier run,
 * and exits 1 when a budget line fails.
 *
 *   npm run bench                 every scenario
 *   npm run bench -- --profile    the transitions scenario under the CPU profiler: writes
 *                                 bench/results/<start time>-transitions.cpuprofile and prints where
 *                                 the time went; no results files. `--profile=baseline` or
 *                                 `--profile=conventional` profiles that reference instead, to
 *                                 compare where each spends
 *   npm run bench -- --transitions  the transitions scenario on the service and the references
 *                                 only, to try a change quickly; no results files
 *
 * Settings (environment): BENCH_SECONDS (30) per load run, BENCH_TRANSITION_SECONDS (60) per
 * server for the transitions comparison, in BENCH_ROUNDS (6) rounds taking turns, BENCH_WARMUP (5)
 * seconds before the first of them,
 * BENCH_PROCESSES (1) processes of the service and of each reference, the load spread over them, BENCH_CONNECTIONS (64), BENCH_LOGIN_CONNECTIONS (16), BENCH_SESSIONS (10000),
 * BENCH_MAILS (2000), BENCH_MAIL_RATE (100 per second); DATABASE_URL and REDIS_URL name the
 * servers to use (default: the local ones).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createPool } from '../src/db/pool.ts';
import { createAppRole, createTestDatabase } from '../test/support/postgres.ts';
import { redisUrl as defaultRedisUrl, deleteKeys } from '../test/support/redis.ts';
import { startSmtp, type TestSmtp } from '../test/support/smtp.ts';
import {
  type Credentials,
  type FlowSession,
  inParallel,
  loginSession,
  referenceSession,
  settle,
} from './client.ts';
import {
  createVisitors,
  type LoadResult,
  LoadTotals,
  runLogins,
  runTransitions,
  SessionPool,
} from './drivers.ts';
import { runMail } from './mail.ts';
import { measureKeys, usedMemory } from './memory.ts';
import { type CpuProfile, formatSummary, summarizeProfile } from './profile.ts';
import {
  benchExitCode,
  budgets,
  type Machine,
  type Measured,
  markdown,
  type Ratios,
  type Results,
  runName,
  type Settings,
} from './report.ts';
import {
  combineStats,
  type ServerKind,
  type ServerProcess,
  type ServerStats,
  serverKinds,
  spawnServers,
  startFlags,
} from './server.ts';
import { createUsers, machine, sessionIdOf } from './setup.ts';

const resultsDir = join(import.meta.dirname, 'results');

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, not "${raw}"`);
  return value;
}

const log = (line: string) => console.log(`[bench] ${line}`);
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
const fixed = (value: number, digits = 1) => value.toFixed(digits);

/** After a run: every session back on the menu; the ones the server ended are replaced. */
async function restore(flow: Flow): Promise<void> {
  const { server, sessions, open } = flow;
  await new Promise((resolve) => setTimeout(resolve, 200));
  await inParallel(sessions, 8, (session) => settle(server.url, session));
  const lost = sessions.flatMap((session, index) => (session.dead ? [index] : []));
  await inParallel(lost, 4, async (index) => {
    sessions[index] = await open(index);
  });
}

/** A server with its signed-in sessions on the menu, and how to open a new one in place of a lost one. */
interface Flow {
  server: ServerProcess;
  sessions: FlowSession[];
  open: (index: number) => Promise<FlowSession>;
}

/** Runs around the measured part only (the profiler). */
interface Around {
  before(): Promise<void>;
  after(): Promise<void>;
}

/** The transitions load on one server, for `seconds`; `totals` counts it with earlier rounds. */
function transitionsLoad(flow: Flow, settings: Settings, seconds: number, totals?: LoadTotals) {
  return runTransitions({
    urls: flow.server.urls,
    pool: new SessionPool(flow.sessions),
    connections: settings.connections,
    seconds,
    totals,
  });
}

async function warmUp(flow: Flow, settings: Settings): Promise<void> {
  if (settings.warmupSeconds <= 0) return;
  await transitionsLoad(flow, settings, settings.warmupSeconds);
  await restore(flow);
}

/** Server and load-generator figures of several rounds, added up. */
function addRound(sum: Measured<object> | undefined, round: Measured<object>): Measured<object> {
  if (!sum) return round;
  return {
    generatorCpuMs: sum.generatorCpuMs + round.generatorCpuMs,
    server: combineStats([sum.server, round.server], false),
  };
}

/** A measured run of the transitions load, counted into `into`. */
async function measuredRound(
  flow: Flow,
  settings: Settings,
  seconds: number,
  into: { totals: LoadTotals; spent?: Measured<object> },
  around?: Around,
): Promise<Measured<LoadResult>> {
  const { server } = flow;
  await around?.before();
  await server.reset();
  const generator = process.cpuUsage();
  const result = await transitionsLoad(flow, settings, seconds, into.totals);
  const round = { server: await server.stats(), generatorCpuMs: cpuMs(process.cpuUsage(generator)) };
  await around?.after();
  await restore(flow);
  into.spent = addRound(into.spent, round);
  return { ...result, ...(into.spent as Measured<object>) };
}

function logTransitions(kind: string, run: Measured<LoadResult>, settings: Settings): void {
  log(
    `transitions ${kind}: ${Math.round(run.requestsPerSecond)} req/s, p50 ${fixed(run.latency.p50)} ms, ` +
      `p99 ${fixed(run.latency.p99)} ms, ${run.errors} errors, server CPU ${fixed((run.server.cpuMs / run.requests) * 1000, 1)} µs ` +
      `per request (${fixed(run.seconds, 0)} s, ${settings.connections} connections)`,
  );
}

function readSettings(): Settings {
  return {
    seconds: setting('BENCH_SECONDS', 30),
    transitionSeconds: setting('BENCH_TRANSITION_SECONDS', 60),
    rounds: Math.max(1, Math.round(setting('BENCH_ROUNDS', 6))),
    processes: Math.max(1, Math.round(setting('BENCH_PROCESSES', 1))),
    warmupSeconds: setting('BENCH_WARMUP', 5),
    connections: setting('BENCH_CONNECTIONS', 64),
    loginConnections: setting('BENCH_LOGIN_CONNECTIONS', 16),
    sessions: setting('BENCH_SESSIONS', 10_000),
    mails: setting('BENCH_MAILS', 2000),
    mailRate: setting('BENCH_MAIL_RATE', 100),
    // One address sends the load of many users: the per-IP limit must not cut the login storm.
    service: { NODE_ENV: 'production', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000000' },
    nodeFlags: [...startFlags],
  };
}

/** Everything a run works on; `cleanUp` releases it all, last acquired first. */
interface Bench {
  settings: Settings;
  machine: Machine;
  redisUrl: string;
  redis: Redis;
  databaseUrl: string;
  smtp: TestSmtp;
  secret: string;
  /** The Redis key prefix of each reference server. */
  referencePrefixes: { baseline: string; conventional: string };
  prefix: string;
  zairyu: Flow;
  /** Users for the logins load, one per connection. */
  loginUsers: Credentials[];
  /** A signed-in session's record as stored, for the baseline to copy. */
  sample: string;
  idle: ServerStats;
  cleanups: (() => Promise<unknown>)[];
}

async function prepare(settings: Settings, cleanups: Bench['cleanups']): Promise<Bench> {
  const redisUrl = defaultRedisUrl();
  const smtp = await startSmtp();
  cleanups.push(() => smtp.close());
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  // The service connects as production's would: a role that only reads and writes rows.
  const role = await createAppRole(database.url);
  cleanups.push(() => role.drop());
  const run = randomBytes(4).toString('hex');
  const prefix = `zairyu:bench:${run}:`;
  const referencePrefixes = {
    baseline: `zairyu:bench:${run}-baseline:`,
    conventional: `zairyu:bench:${run}-conventional:`,
  };
  for (const keys of [prefix, ...Object.values(referencePrefixes)])
    cleanups.push(() => deleteKeys(redisUrl, keys));
  const redis = new Redis(redisUrl);
  cleanups.push(() => redis.quit());
  const about = await machine(redis, database.url);
  log(
    `${about.cpu}, ${about.cores} cores, Node ${about.node}, Redis ${about.redis}, PostgreSQL ${about.postgres}; ` +
      `load average ${about.loadAverage.map((value) => fixed(value, 2)).join(' ')}; ` +
      `argon2id alone ${fixed(about.argon2PerSecond ?? 0)}/s on one thread`,
  );

  const secret = randomBytes(32).toString('base64url');
  const server = await spawnServers(
    'zairyu',
    {
      ...process.env,
      ...settings.service,
      // one address starts the sessions of every user of the load
      SESSION_CREATION_PER_MINUTE: '1000000000',
      HOST: '127.0.0.1',
      PORT: '0',
      BASE_URL: 'http://127.0.0.1',
      DATABASE_URL: role.url,
      MIGRATE_ON_START: 'false',
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      SMTP_URL: smtp.url,
      SESSION_SECRET: secret,
      OPERATOR_TOKEN: randomBytes(24).toString('base64url'),
    },
    settings.processes,
  );
  cleanups.push(() => server.close());
  const idle = await server.stats();
  log(`Zairyu at ${server.url} (pid ${server.pid}), RSS ${Math.round(idle.rssBytes / 2 ** 20)} MB`);

  const pool = createPool(database.url, 4);
  cleanups.push(() => pool.end());
  const spares = Math.max(8, Math.ceil(settings.connections / 4));
  const flowUsers = await createUsers(pool, settings.connections + spares);
  const loginUsers = await createUsers(pool, settings.loginConnections);
  const open = (index: number) => loginSession(server.url, flowUsers[index] as Credentials);
  const sessions = await inParallel(
    flowUsers.map((_user, index) => index),
    8,
    open,
  );
  const sample = await redis.get(`${prefix}s:${sessionIdOf(sessions[0] as FlowSession)}`);
  if (!sample) throw new Error('the signed-in session is not in Redis under the expected key');
  log(
    `${sessions.length} sessions signed in; a signed-in session record is ${Buffer.byteLength(sample)} bytes`,
  );
  return {
    settings,
    machine: about,
    redisUrl,
    redis,
    databaseUrl: database.url,
    smtp,
    secret,
    prefix,
    referencePrefixes,
    zairyu: { server, sessions, open },
    loginUsers,
    sample,
    idle,
    cleanups,
  };
}

/** Which server `--profile` profiles: the service, or `--profile=<reference>`. */
function profiled(): ServerKind | undefined {
  const flag = process.argv.find((arg) => arg === '--profile' || arg.startsWith('--profile='));
  if (!flag) return undefined;
  const kind = flag.slice('--profile='.length) || 'zairyu';
  const known = serverKinds.find((name) => name === kind);
  if (!known) throw new Error(`--profile takes ${serverKinds.join(', ')}, not "${kind}"`);
  return known;
}

/** The transitions run of one server under the CPU profiler; prints where the time went. */
async function profile(bench: Bench, runId: string, kind: ServerKind): Promise<void> {
  await mkdir(resultsDir, { recursive: true });
  const name = `${runId}-transitions${kind === 'zairyu' ? '' : `-${kind}`}.cpuprofile`;
  const file = join(resultsDir, name);
  const { settings } = bench;
  const flow = kind === 'zairyu' ? bench.zairyu : await referenceFlow(bench, kind);
  await warmUp(flow, settings);
  const run = await measuredRound(
    flow,
    settings,
    settings.seconds,
    { totals: new LoadTotals() },
    {
      before: () => flow.server.startProfile(),
      after: () => flow.server.stopProfile(file),
    },
  );
  logTransitions(kind, run, settings);
  log(`CPU profile of the transitions run: ${join('bench', 'results', name)}`);
  const summary = summarizeProfile(JSON.parse(await readFile(file, 'utf8')) as CpuProfile);
  console.log(formatSummary(summary));
}

/** A reference server with signed-in sessions on the menu, as many as the service has. */
async function referenceFlow(bench: Bench, kind: 'baseline' | 'conventional'): Promise<Flow> {
  const server = await spawnServers(
    kind,
    {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      REDIS_URL: bench.redisUrl,
      REDIS_PREFIX: bench.referencePrefixes[kind],
      SESSION_SECRET: bench.secret,
      BENCH_RECORD: bench.sample,
    },
    bench.settings.processes,
  );
  bench.cleanups.push(() => server.close());
  const open = () => referenceSession(server.url);
  return { server, sessions: await inParallel(bench.zairyu.sessions, 8, open), open };
}

function ratios(zairyu: LoadResult, reference: LoadResult): Ratios {
  return {
    throughput: zairyu.requestsPerSecond / reference.requestsPerSecond,
    p50: zairyu.latency.p50 / reference.latency.p50,
    p99: zairyu.latency.p99 / reference.latency.p99,
  };
}

/**
 * The same transitions load on the service, the baseline and the conventional stack, in rounds
 * that take turns (Z B C, B C Z, C Z B …) and add up to `seconds` each: on a shared machine the
 * speed drifts within a minute, and taking turns spreads the drift over all alike, where one run
 * after the other gave ratios from 0.58 to 1.08 for the same code.
 */
async function compare(bench: Bench): Promise<Results['transitions']> {
  const { settings } = bench;
  const flows = [
    bench.zairyu,
    await referenceFlow(bench, 'baseline'),
    await referenceFlow(bench, 'conventional'),
  ];
  for (const flow of flows) await warmUp(flow, settings);

  const seconds = settings.transitionSeconds / settings.rounds;
  const into = flows.map(() => ({ totals: new LoadTotals() }));
  const runs: Measured<LoadResult>[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    for (let turn = 0; turn < flows.length; turn++) {
      const index = (round + turn) % flows.length;
      runs[index] = await measuredRound(
        flows[index] as Flow,
        settings,
        seconds,
        into[index] as { totals: LoadTotals },
      );
    }
  }
  for (const flow of flows.slice(1)) await flow.server.close();
  const [zairyu, baseline, conventional] = runs as [
    Measured<LoadResult>,
    Measured<LoadResult>,
    Measured<LoadResult>,
  ];
  logTransitions('zairyu', zairyu, settings);
  logTransitions('baseline', baseline, settings);
  logTransitions('conventional', conventional, settings);
  const ratio = ratios(zairyu, baseline);
  const versusConventional = ratios(zairyu, conventional);
  for (const [reference, r] of [
    ['baseline', ratio],
    ['conventional stack', versusConventional],
  ] as const) {
    log(
      `transitions Zairyu ÷ ${reference}: throughput ${fixed(r.throughput, 2)}×, p50 ${fixed(r.p50, 2)}×, ` +
        `p99 ${fixed(r.p99, 2)}× (${settings.rounds} rounds of ${fixed(seconds, 0)} s each)`,
    );
  }
  return { zairyu, baseline, conventional, ratio, versusConventional };
}

async function logins(bench: Bench): Promise<Results['logins']> {
  const { server } = bench.zairyu;
  const { settings } = bench;
  await server.reset();
  const generator = process.cpuUsage();
  const run = await runLogins({
    urls: server.urls,
    users: bench.loginUsers,
    connections: settings.loginConnections,
    seconds: settings.seconds,
  });
  const result = {
    ...run,
    server: await server.stats(),
    generatorCpuMs: cpuMs(process.cpuUsage(generator)),
    perCore: run.loginsPerSecond / bench.machine.cores,
  };
  log(
    `logins: ${fixed(result.loginsPerSecond)}/s, ${fixed(result.perCore)}/s per core, login p50 ${fixed(result.login.p50)} ms, ` +
      `p99 ${fixed(result.login.p99)} ms, ${result.errors} errors (${settings.loginConnections} connections)`,
  );
  return result;
}

/** The transitions load and the logins load at once. */
async function mixed(bench: Bench, alone: LoadResult): Promise<Results['mixed']> {
  const { server, sessions } = bench.zairyu;
  const { settings } = bench;
  await server.reset();
  const [transitionsRun, loginsRun] = await Promise.all([
    runTransitions({
      urls: server.urls,
      pool: new SessionPool(sessions),
      connections: settings.connections,
      seconds: settings.seconds,
    }),
    runLogins({
      urls: server.urls,
      users: bench.loginUsers,
      connections: settings.loginConnections,
      seconds: settings.seconds,
    }),
  ]);
  const stats = await server.stats();
  await restore(bench.zairyu);
  const p99Ratio = transitionsRun.latency.p99 / alone.latency.p99;
  log(
    `mixed: transitions p99 ${fixed(transitionsRun.latency.p99)} ms with the login storm vs ` +
      `${fixed(alone.latency.p99)} ms without (${fixed(p99Ratio, 2)}×), ` +
      `${fixed(loginsRun.loginsPerSecond)} logins/s, ${transitionsRun.errors + loginsRun.errors} errors`,
  );
  return { transitions: transitionsRun, logins: loginsRun, server: stats, p99Ratio };
}

async function mail(bench: Bench): Promise<Results['mail']> {
  const { settings } = bench;
  const result = await runMail({
    databaseUrl: bench.databaseUrl,
    secret: bench.secret,
    smtp: bench.smtp,
    count: settings.mails,
    rate: settings.mailRate,
  });
  log(
    `mail: ${result.accepted} of ${result.enqueued} accepted, p50 ${fixed(result.latency.p50, 0)} ms, ` +
      `p95 ${fixed(result.latency.p95, 0)} ms enqueue → accepted, ${result.lost} lost, ${result.duplicates} sent twice`,
  );
  return result;
}

/** Many visitor sessions, then the size of every session key in Redis. */
async function sessionsInRedis(bench: Bench) {
  const before = await usedMemory(bench.redis);
  const visitors = await createVisitors(bench.zairyu.server.url, bench.settings.sessions, 32);
  const grown = (await usedMemory(bench.redis)) - before;
  const keys = await measureKeys(bench.redis, bench.prefix);
  log(
    `memory: ${visitors.created} visitor sessions at ${keys.visitor?.bytes ?? '?'} B each in Redis, ` +
      `signed-in ${keys.signedIn?.bytes ?? '?'} B`,
  );
  return { visitors, keys, usedMemoryPerSession: visitors.created ? grown / visitors.created : 0 };
}

async function main(): Promise<void> {
  const settings = readSettings();
  const start = new Date();
  const run = runName(start, (name) => existsSync(join(resultsDir, `${name}.json`)));
  const cleanups: Bench['cleanups'] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    cleanups.length = 0;
  };
  process.once('SIGINT', () => {
    log('interrupted: cleaning up');
    cleanUp().finally(() => process.exit(130));
  });

  try {
    const bench = await prepare(settings, cleanups);
    const profiling = profiled();
    if (profiling) return await profile(bench, run, profiling);
    if (process.argv.includes('--transitions')) return void (await compare(bench));
    const { server } = bench.zairyu;

    const transitionsResult = await compare(bench);
    const afterTransitions = await server.stats();
    const loginsResult = await logins(bench);
    const mixedResult = await mixed(bench, transitionsResult.zairyu);
    const afterLogins = await server.stats();
    const mailResult = await mail(bench);
    const afterMail = await server.stats();
    const redisResult = await sessionsInRedis(bench);
    const end = await server.stats();
    const memory = {
      ...redisResult,
      rss: {
        idle: bench.idle.rssBytes,
        afterTransitions: afterTransitions.rssBytes,
        afterLogins: afterLogins.rssBytes,
        afterMail: afterMail.rssBytes,
        afterSessions: end.rssBytes,
        max: end.maxRssBytes,
      },
      heapUsed: end.heapUsedBytes,
    };
    log(
      `service RSS ${Math.round(end.rssBytes / 2 ** 20)} MB (peak ${Math.round(end.maxRssBytes / 2 ** 20)} MB)`,
    );

    const measured = {
      name: run,
      startedAt: start.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: bench.machine,
      settings,
      transitions: transitionsResult,
      logins: loginsResult,
      mixed: mixedResult,
      mail: mailResult,
      memory,
    };
    const results: Results = { ...measured, budgets: budgets(measured) };
    await mkdir(resultsDir, { recursive: true });
    // 'wx': a run never replaces another
    await writeFile(join(resultsDir, `${run}.json`), `${JSON.stringify(results, null, 2)}\n`, { flag: 'wx' });
    const changes = await readFile(join(import.meta.dirname, 'changes.md'), 'utf8');
    await writeFile(join(resultsDir, `${run}.md`), markdown(results, changes), { flag: 'wx' });
    for (const budget of results.budgets) {
      log(`${budget.pass ? 'PASS' : 'FAIL'} ${budget.name}: ${budget.measured} (budget ${budget.limit})`);
    }
    log(`results: bench/results/${run}.json and bench/results/${run}.md`);
    process.exitCode = benchExitCode(results.budgets);
    if (process.exitCode) log('a budget line FAILS: exit 1');
  } finally {
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
