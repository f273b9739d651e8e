/**
 * A server under test, in a process of its own, so that the load generator never shares its event
 * loop and its memory and CPU time can be read apart:
 *
 *   node bench/server.ts zairyu         the real service, through start(env)
 *   node bench/server.ts baseline       the bare-Fastify baseline (bench/baseline.ts)
 *   node bench/server.ts conventional   Fastify, @fastify/session and connect-redis (bench/conventional.ts)
 *
 * Both take their settings from the environment. The runner talks to it over the IPC channel:
 * it learns the URL, then asks for CPU time, event-loop delay and memory around each scenario,
 * starts and stops the CPU profiler, and finally closes it.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export const serverKinds = ['zairyu', 'baseline', 'conventional'] as const;
export type ServerKind = (typeof serverKinds)[number];

/** What the server process measured since the last `reset`. */
export interface ServerStats {
  /** CPU time of the whole process (every thread), in ms. */
  cpuMs: number;
  wallMs: number;
  /** Event-loop delay, in ms. */
  eventLoop: { p50: number; p99: number; max: number };
  rssBytes: number;
  heapUsedBytes: number;
  /** Highest resident set size of the process so far. */
  maxRssBytes: number;
}

type Command =
  | { op: 'reset' }
  | { op: 'stats' }
  | { op: 'profile-start' }
  | { op: 'profile-stop'; path: string }
  | { op: 'close' };

type Message = { id: number } & Command;
type Reply = { id: number; result?: unknown; error?: string };
type Hello = { ready: string } | { failed: string };

// ---------------------------------------------------------------------------------------------
// The runner's side

export interface ServerProcess {
  kind: ServerKind;
  /** The first process's URL. */
  url: string;
  /** Every process's URL. */
  urls: string[];
  pid: number;
  reset(): Promise<void>;
  stats(): Promise<ServerStats>;
  startProfile(): Promise<void>;
  /** Stops the profiler and writes the .cpuprofile to `path`. */
  stopProfile(path: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * `processes` servers of one kind, as one: stats add up (the event-loop delay is the worst
 * process's), the profiler runs in the first.
 */
export async function spawnServers(
  kind: ServerKind,
  env: NodeJS.ProcessEnv,
  processes: number,
): Promise<ServerProcess> {
  const servers = await Promise.all(Array.from({ length: processes }, () => spawnServer(kind, env)));
  const [first] = servers as [ServerProcess];
  const all = <T>(work: (server: ServerProcess) => Promise<T>) => Promise.all(servers.map(work));
  return {
    ...first,
    urls: servers.map((server) => server.url),
    reset: async () => {
      await all((server) => server.reset());
    },
    stats: async () => combineStats(await all((server) => server.stats()), true),
    close: async () => {
      await all((server) => server.close());
    },
  };
}

/**
 * Several measurements as one: CPU time adds up, the event-loop delay is the worst one's.
 * Processes measured `together` share the wall clock and add their memory; rounds measured one
 * after another add their wall clock and keep the last round's memory.
 */
export function combineStats(stats: ServerStats[], together: boolean): ServerStats {
  const sum = (pick: (s: ServerStats) => number) => stats.reduce((total, s) => total + pick(s), 0);
  const worst = (pick: (s: ServerStats) => number) => Math.max(...stats.map(pick));
  const last = stats[stats.length - 1] as ServerStats;
  const memory = (pick: (s: ServerStats) => number) => (together ? sum(pick) : pick(last));
  return {
    cpuMs: sum((s) => s.cpuMs),
    wallMs: together ? worst((s) => s.wallMs) : sum((s) => s.wallMs),
    eventLoop: {
      p50: worst((s) => s.eventLoop.p50),
      p99: worst((s) => s.eventLoop.p99),
      max: worst((s) => s.eventLoop.max),
    },
    rssBytes: memory((s) => s.rssBytes),
    heapUsedBytes: memory((s) => s.heapUsedBytes),
    maxRssBytes: memory((s) => s.maxRssBytes),
  };
}

/**
 * The Node flags `npm start` runs the service with (package.json's `start` script: the words
 * between `node` and the script), read once. Every server of the benchmark runs with them, the
 * references too, so the comparison is of code, not flags.
 */
export const startFlags: readonly string[] = nodeFlagsOf(
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')).scripts.start as string,
);

export function nodeFlagsOf(command: string): string[] {
  const [, ...words] = command.trim().split(/\s+/);
  const script = words.findIndex((word) => !word.startsWith('-'));
  return script === -1 ? words : words.slice(0, script);
}

async function spawnServer(kind: ServerKind, env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = fork(import.meta.filename, [kind], {
    env,
    execArgv: [...startFlags],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`the ${kind} server exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.once('message', (hello: Hello) => {
      child.off('exit', onExit);
      if ('ready' in hello) resolve(hello.ready);
      else reject(new Error(`the ${kind} server did not start: ${hello.failed}`));
    });
  });
  const call = rpc(child, kind);
  return {
    kind,
    url,
    urls: [url],
    pid: child.pid as number,
    reset: async () => {
      await call({ op: 'reset' });
    },
    stats: async () => (await call({ op: 'stats' })) as ServerStats,
    startProfile: async () => {
      await call({ op: 'profile-start' });
    },
    stopProfile: async (path) => {
      await call({ op: 'profile-stop', path });
    },
    close: async () => {
      if (child.exitCode !== null || !child.connected) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await call({ op: 'close' }).catch(() => {});
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

function rpc(child: ChildProcess, kind: ServerKind) {
  let next = 0;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on('message', (reply: Reply) => {
    const waiter = waiting.get(reply.id);
    if (!waiter) return;
    waiting.delete(reply.id);
    if (reply.error === undefined) waiter.resolve(reply.result);
    else waiter.reject(new Error(`${kind} server: ${reply.error}`));
  });
  child.on('exit', () => {
    for (const waiter of waiting.values()) waiter.reject(new Error(`the ${kind} server exited`));
    waiting.clear();
  });
  return (command: Command) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++next;
      waiting.set(id, { resolve, reject });
      child.send({ id, ...command } satisfies Message);
    });
}

// ---------------------------------------------------------------------------------------------
// The server's side

async function serve(kind: ServerKind): Promise<void> {
  const send = (message: Hello | Reply) => process.send?.(message);
  let running: { url: string; close(): Promise<void> };
  try {
    if (kind === 'baseline') {
      const { startBaseline, baselineOptions } = await import('./baseline.ts');
      running = await startBaseline(baselineOptions(process.env));
    } else if (kind === 'conventional') {
      const { baselineOptions } = await import('./baseline.ts');
      const { startConventional } = await import('./conventional.ts');
      running = await startConventional(baselineOptions(process.env));
    } else {
      const { start } = await import('../src/main.ts');
      running = await start(process.env);
    }
  } catch (error) {
    send({ failed: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }

  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let since = { cpu: process.cpuUsage(), wall: performance.now() };
  let profiler: Session | undefined;

  const stats = (): ServerStats => {
    const cpu = process.cpuUsage(since.cpu);
    const memory = process.memoryUsage();
    return {
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: performance.now() - since.wall,
      eventLoop: {
        p50: loop.percentile(50) / 1e6,
        p99: loop.percentile(99) / 1e6,
        max: loop.max / 1e6,
      },
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  };

  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    loop.disable();
    await running.close();
  };

  const handle = async (command: Command): Promise<unknown> => {
    switch (command.op) {
      case 'reset':
        loop.reset();
        since = { cpu: process.cpuUsage(), wall: performance.now() };
        return null;
      case 'stats':
        return stats();
      case 'profile-start':
        profiler = new Session();
        profiler.connect();
        await profiler.post('Profiler.enable');
        await profiler.post('Profiler.start');
        return null;
      case 'profile-stop': {
        if (!profiler) throw new Error('the profiler is not running');
        const { profile } = await profiler.post('Profiler.stop');
        profiler.disconnect();
        profiler = undefined;
        await writeFile(command.path, JSON.stringify(profile));
        return command.path;
      }
      case 'close':
        await close();
        return null;
    }
  };

  process.on('message', (message: Message) => {
    handle(message).then(
      (result) => {
        send({ id: message.id, result });
        if (message.op === 'close') process.disconnect();
      },
      (error: unknown) =>
        send({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
  // The runner went away (finished or crashed): close and leave.
  process.on('disconnect', () => {
    close().finally(() => process.exit(0));
  });
  send({ ready: running.url });
}

if (import.meta.main) {
  const kind = serverKinds.find((known) => known === process.argv[2]);
  if (!kind) {
    console.error(`usage: node bench/server.ts ${serverKinds.join('|')}`);
    process.exit(2);
  }
  await serve(kind);
}
