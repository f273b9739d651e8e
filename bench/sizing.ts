/**
 * Sizing for README "Running in production", measured: the real service (one web process, in
 * production mode, connected as the app role) on a Redis server and on a Redis Cluster of three
 * primaries (one replica each) started for the run, driven by the benchmark's transitions load
 * (menu → user information → menu, signed in). For each: requests/s of the one web process, the
 * Redis commands and Redis CPU time per request (summed over the primaries, from Redis's own
 * statistics), the PostgreSQL connections the process holds at most; then Redis memory per
 * 100,000 signed-in sessions (copies of a real signed-in record, written through the store) and
 * `redis-benchmark`'s GET/SET rate on this machine. From those: how many such web processes one
 * primary serves before its core is the bottleneck.
 *
 *   npm run bench:sizing      writes bench/results/<date>-sizing.json and .md (never over another)
 *
 * Settings: SIZING_SECONDS (20) per load run, SIZING_CONNECTIONS (32).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { createPool } from '../src/db/pool.ts';
import { createRedisStore } from '../src/store/redis.ts';
import { createRedisClient, type RedisClient } from '../src/store/redis-client.ts';
import { untilReady } from '../src/store/redis-options.ts';
import type { SessionRecord } from '../src/store/types.ts';
import { createAppRole, createTestDatabase } from '../test/support/postgres.ts';
import { command, startCluster, startSingle } from '../test/support/redis-servers.ts';
import { startSmtp } from '../test/support/smtp.ts';
import { type Credentials, inParallel, loginSession } from './client.ts';
import { runTransitions, SessionPool } from './drivers.ts';
import { spawnServers } from './server.ts';
import { createUsers, machine, sessionIdOf } from './setup.ts';

const seconds = Number(process.env.SIZING_SECONDS ?? 20);
const connections = Number(process.env.SIZING_CONNECTIONS ?? 32);
const singlePort = 7130;
const clusterPorts = [7140, 7141, 7142, 7143, 7144, 7145];
const log = (line: string) => console.log(`[sizing] ${line}`);

interface Deployment {
  name: string;
  env: Record<string, string>;
  /** The primaries' ports (where the commands and the CPU time are read). */
  primaries: () => Promise<number[]>;
}

interface RedisCounters {
  calls: number;
  cpuSeconds: number;
}

/** Commands served and CPU time spent, summed over the primaries. */
async function redisCounters(ports: number[]): Promise<RedisCounters> {
  let calls = 0;
  let cpuSeconds = 0;
  for (const port of ports) {
    const stats = String(await command(port, 'INFO', 'commandstats'));
    for (const match of stats.matchAll(/calls=(\d+)/g)) calls += Number(match[1]);
    const cpu = String(await command(port, 'INFO', 'cpu'));
    cpuSeconds +=
      Number(/used_cpu_user:([\d.]+)/.exec(cpu)?.[1]) + Number(/used_cpu_sys:([\d.]+)/.exec(cpu)?.[1]);
  }
  return { calls, cpuSeconds };
}

/** Connections the app role holds now. */
async function roleConnections(pool: pg.Pool, role: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1',
    [role],
  );
  return rows[0]?.n ?? 0;
}

interface LoadFigures {
  deployment: string;
  primaries: number;
  requestsPerSecond: number;
  errors: number;
  redisCommandsPerRequest: number;
  redisCpuMicrosPerRequest: number;
  postgresConnectionsMax: number;
  sampleRecord: string;
}

async function measureLoad(
  deployment: Deployment,
  base: { env: NodeJS.ProcessEnv; pool: pg.Pool; role: string; users: Credentials[] },
): Promise<LoadFigures> {
  const server = await spawnServers('zairyu', { ...base.env, ...deployment.env }, 1);
  try {
    const sessions = await inParallel(base.users, 4, (user) => loginSession(server.url, user));
    const prefix = String(deployment.env.REDIS_PREFIX);
    const client = createRedisClient(loadConfig(deployment.env)) as RedisClient;
    await untilReady(client);
    const sampleRecord = String(
      await client.get(`${prefix}s:${sessionIdOf(sessions[0] as (typeof sessions)[number])}`),
    );
    client.disconnect();
    const primaries = await deployment.primaries();
    const before = await redisCounters(primaries);
    let postgresConnectionsMax = 0;
    const sampler = setInterval(async () => {
      postgresConnectionsMax = Math.max(postgresConnectionsMax, await roleConnections(base.pool, base.role));
    }, 500);
    const result = await runTransitions({
      urls: [server.url],
      pool: new SessionPool(sessions),
      connections,
      seconds,
    });
    clearInterval(sampler);
    const after = await redisCounters(primaries);
    const requests = result.requests;
    const figures: LoadFigures = {
      deployment: deployment.name,
      primaries: primaries.length,
      requestsPerSecond: result.requestsPerSecond,
      errors: result.errors,
      // the measuring connections' own INFO calls are a handful against hundreds of thousands
      redisCommandsPerRequest: (after.calls - before.calls) / requests,
      redisCpuMicrosPerRequest: ((after.cpuSeconds - before.cpuSeconds) * 1e6) / requests,
      postgresConnectionsMax,
      sampleRecord,
    };
    log(
      `${deployment.name}: ${figures.requestsPerSecond.toFixed(0)} req/s, ${figures.errors} errors, ` +
        `${figures.redisCommandsPerRequest.toFixed(2)} Redis commands and ${figures.redisCpuMicrosPerRequest.toFixed(1)} µs ` +
        `of Redis CPU per request, ${postgresConnectionsMax} PostgreSQL connections at most`,
    );
    return figures;
  } finally {
    await server.close();
  }
}

/** Redis memory of 100,000 signed-in sessions: copies of a real record, written through the store. */
async function memoryPer100k(
  url: string,
  sample: string,
): Promise<{ bytesPerSession: number; megabytes: number }> {
  const client = createRedisClient({ REDIS_URL: url }) as RedisClient;
  await untilReady(client);
  const raw = new Redis(url);
  try {
    const record = JSON.parse(sample.slice(sample.indexOf('\n') + 1)) as SessionRecord;
    const times = { idleMs: 1_800_000, absoluteMs: 43_200_000, anonymousMs: 3_600_000 };
    const store = createRedisStore(client, `zairyu:sizing:${randomBytes(4).toString('hex')}:`, times, 'db');
    const before = Number(/used_memory:(\d+)/.exec(await raw.info('memory'))?.[1]);
    for (let start = 0; start < 100_000; start += 5_000) {
      const batch = Array.from({ length: 5_000 }, (_, i) => start + i);
      await Promise.all(
        batch.map((n) =>
          store.create(randomBytes(32).toString('base64url'), {
            ...record,
            userRef: String(n),
            createdAt: Date.now(),
          }),
        ),
      );
    }
    const after = Number(/used_memory:(\d+)/.exec(await raw.info('memory'))?.[1]);
    const bytesPerSession = (after - before) / 100_000;
    return { bytesPerSession, megabytes: (after - before) / 2 ** 20 };
  } finally {
    client.disconnect();
    raw.disconnect();
  }
}

/** `redis-benchmark`'s GET and SET requests/s on the single server (50 clients, no pipelining). */
async function redisBenchmark(port: number): Promise<Record<string, number>> {
  const { stdout } = await promisify(execFile)('redis-benchmark', [
    '-p',
    String(port),
    '-t',
    'get,set',
    '-n',
    '200000',
    '-c',
    '50',
    '-q',
  ]);
  const rates: Record<string, number> = {};
  for (const match of stdout.matchAll(/^(\w+): ([\d.]+) requests per second/gm))
    rates[String(match[1])] = Number(match[2]);
  return rates;
}

/**
 * Requests/s the deployment's primaries serve before one is saturated, the lower of two bounds:
 * its core (a primary runs commands on one thread: 1 s of CPU per second, spread evenly over the
 * primaries) and redis-benchmark's GET/SET rate without pipelining (the commands a request sends);
 * divided by the requests/s one web process made, how many such processes it serves.
 */
function primaryCapacity(load: LoadFigures, benchmark: Record<string, number>) {
  const byCpu = load.primaries / (load.redisCpuMicrosPerRequest / 1e6);
  const commandsPerSecond = Math.min(benchmark.GET ?? 0, benchmark.SET ?? 0) * load.primaries;
  const byCommands = commandsPerSecond / load.redisCommandsPerRequest;
  const requestsPerSecond = Math.min(byCpu, byCommands);
  return {
    deployment: load.deployment,
    requestsPerSecondByCpu: byCpu,
    requestsPerSecondByCommands: byCommands,
    webProcesses: requestsPerSecond / load.requestsPerSecond,
  };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const single = await startSingle(singlePort);
    cleanups.push(single.close);
    const cluster = await startCluster(clusterPorts);
    cleanups.push(cluster.close);
    const smtp = await startSmtp();
    cleanups.push(smtp.close);
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const role = await createAppRole(database.url);
    cleanups.push(role.drop);
    const pool = createPool(database.url, 2);
    cleanups.push(() => pool.end());
    const probe = new Redis(single.url);
    const about = await machine(probe, database.url);
    probe.disconnect();
    log(
      `${about.cpu}, ${about.cores} cores, load average ${about.loadAverage.map((n) => n.toFixed(2)).join(' ')}`,
    );

    const users = await createUsers(pool, connections + 8);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      // a web process as production runs it: the workers run apart (npm run worker)
      RUN_WORKER: 'false',
      // one address signs in every user of the load
      RATE_LIMIT_PER_MINUTE: '1000000000',
      SESSION_CREATION_PER_MINUTE: '1000000000',
      HOST: '127.0.0.1',
      PORT: '0',
      BASE_URL: 'http://127.0.0.1',
      DATABASE_URL: new URL(role.url).toString(),
      MIGRATE_ON_START: 'false',
      SMTP_URL: smtp.url,
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      OPERATOR_TOKEN: randomBytes(24).toString('base64url'),
      REDIS_URL: '',
    };
    const roleName = decodeURIComponent(new URL(role.url).username);
    const base = { env, pool, role: roleName, users };
    const deployments: Deployment[] = [
      {
        name: 'one Redis server',
        env: { REDIS_URL: single.url, REDIS_PREFIX: 'zairyu:sizing:one:' },
        primaries: async () => [singlePort],
      },
      {
        name: 'Redis Cluster, 3 primaries',
        env: { REDIS_CLUSTER_NODES: cluster.seeds, REDIS_PREFIX: 'zairyu:sizing:cluster:' },
        primaries: () => cluster.primaries(),
      },
    ];
    const loads: LoadFigures[] = [];
    for (const deployment of deployments) loads.push(await measureLoad(deployment, base));
    const [one] = loads as [LoadFigures];
    const memory = await memoryPer100k(single.url, one.sampleRecord);
    log(`Redis memory: ${memory.megabytes.toFixed(1)} MB per 100,000 signed-in sessions`);
    const benchmark = await redisBenchmark(singlePort);
    log(`redis-benchmark: ${JSON.stringify(benchmark)}`);
    const capacity = loads.map((load) => primaryCapacity(load, benchmark));
    const results = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: about,
      loadAverageAtEnd: loadavg(),
      settings: { seconds, connections },
      loads: loads.map(({ sampleRecord, ...figures }) => ({
        ...figures,
        sessionRecordBytes: Buffer.byteLength(sampleRecord),
      })),
      memory,
      redisBenchmark: benchmark,
      capacity,
    };
    const name = `${startedAt.toISOString().slice(0, 10)}-sizing`;
    const dir = join(import.meta.dirname, 'results');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`, { flag: 'wx' });
    for (const line of capacity)
      log(`${line.deployment}: ${line.webProcesses.toFixed(1)} web processes before Redis is the bottleneck`);
    log(`results: bench/results/${name}.json`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
