/**
 * Real Redis deployments for the tests, started from Debian's `redis-server` and `redis-cli` on
 * loopback ports of their own: a single server, a Redis Cluster (3 primaries, one replica each)
 * and a Sentinel group (one primary, one replica, three Sentinels). Each lives in a temporary
 * directory (configuration, cluster node files, logs) that `close()` deletes after killing its
 * servers; servers still running when the test process exits are killed then.
 *
 * Nothing here skips: a missing program, a taken port or too little memory throws, so the test
 * that needed the servers fails and says why.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freemem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

/** Loopback ports of the test deployments, one block per test file so files can run in parallel. */
export const testPorts = {
  /** Six data ports; each node's cluster bus is its port + 50. */
  cluster: [7100, 7101, 7102, 7103, 7104, 7105],
  /** Primary, replica, three Sentinels. */
  sentinel: [7110, 7111, 7112, 7113, 7114],
  /** One server the scale test has to itself (so its command statistics are its own). */
  single: [7120],
} as const;

const host = '127.0.0.1';
/** Enough for the servers and 100,000 sessions, with room to spare. */
const neededFreeBytes = 512 * 1024 * 1024;

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function requirePrograms(): void {
  for (const program of ['redis-server', 'redis-cli']) {
    const result = spawnSync(program, ['--version'], { encoding: 'utf8' });
    if (result.error || result.status !== 0)
      throw new Error(
        `${program} is missing (${result.error?.message ?? result.stderr}): the Redis Cluster and ` +
          'Sentinel tests need Debian\'s redis-server package ("apt-get install redis-server")',
      );
  }
}

async function requireFreePort(port: number): Promise<void> {
  const probe = createServer();
  const taken = await new Promise<Error | undefined>((resolve) => {
    probe.once('error', resolve);
    probe.listen(port, host, () => resolve(undefined));
  });
  probe.close();
  if (taken)
    throw new Error(`port ${port} is taken (${taken.message}): the Redis test servers need ports 7100-7199`);
}

/** Fails loudly unless the programs, the ports and the memory are there. */
async function requireRoom(ports: readonly number[]): Promise<void> {
  requirePrograms();
  if (freemem() < neededFreeBytes)
    throw new Error(
      `only ${Math.round(freemem() / 2 ** 20)} MB free: the Redis test servers need ${neededFreeBytes / 2 ** 20} MB`,
    );
  for (const port of ports) await requireFreePort(port);
}

/** A client that gives up at once (for probing servers that may be gone). */
export function probe(port: number): Redis {
  const client = new Redis({
    host,
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  return client;
}

/** Polls `check` until it answers true; throws with `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Sends one command to the server at `port` on a connection of its own. */
export async function command(port: number, name: string, ...args: (string | number)[]): Promise<unknown> {
  const client = probe(port);
  try {
    await client.connect();
    return await client.call(name, ...args);
  } finally {
    client.disconnect();
  }
}

/** Redis servers in one temporary directory, killed and deleted together. */
class Servers {
  readonly dir = mkdtempSync(join(tmpdir(), 'zairyu-redis-'));
  private readonly children = new Map<number, ChildProcess>();

  /** Starts `redis-server` with `args` on `port` and waits until it answers PING. */
  async start(port: number, args: string[], sentinel = false): Promise<void> {
    const common = ['--port', String(port), '--bind', host, '--dir', this.dir];
    const child = spawn(
      'redis-server',
      sentinel
        ? [...args, '--sentinel', ...common]
        : [
            ...args,
            ...common,
            '--save',
            '',
            '--appendonly',
            'no',
            '--logfile',
            join(this.dir, `${port}.log`),
          ],
      {
        stdio: 'ignore',
      },
    );
    running.add(child);
    child.once('exit', () => running.delete(child));
    this.children.set(port, child);
    await waitUntil(`redis-server on port ${port}`, async () => (await command(port, 'PING')) === 'PONG');
  }

  /** SIGKILL: the server is gone at once, with whatever it had not yet replicated. */
  async kill(port: number): Promise<void> {
    const child = this.children.get(port);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = once(child, 'exit');
    child.kill('SIGKILL');
    await gone;
  }

  async close(): Promise<void> {
    await Promise.all([...this.children.keys()].map((port) => this.kill(port)));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One plain Redis server. */
export async function startSingle(port: number = testPorts.single[0]) {
  await requireRoom([port]);
  const servers = new Servers();
  await servers.start(port, []).catch(async (error) => {
    await servers.close();
    throw error;
  });
  return { url: `redis://${host}:${port}`, port, close: () => servers.close() };
}

export interface TestCluster {
  /** REDIS_CLUSTER_NODES for the service: every node as a seed. */
  seeds: string;
  /** The port of the primary that serves `key`'s slot now. */
  primaryOf(key: string): Promise<number>;
  /** The ports of the primaries now. */
  primaries(): Promise<number[]>;
  /** SIGKILLs a node. */
  kill(port: number): Promise<void>;
  /** Waits until every slot is served again (a replica promoted in place of a killed primary). */
  healthy(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

interface NodeLine {
  port: number;
  primary: boolean;
  failed: boolean;
  slots: [number, number][];
}

/** CLUSTER NODES, read from any node still answering. */
async function clusterNodes(ports: readonly number[], dead: Set<number>): Promise<NodeLine[]> {
  const alive = ports.find((port) => !dead.has(port)) as number;
  const text = String(await command(alive, 'CLUSTER', 'NODES'));
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [, address = '', flags = '', , , , , , ...slots] = line.split(' ');
      return {
        port: Number(/:(\d+)@/.exec(address)?.[1]),
        primary: flags.includes('master'),
        failed: /fail/.test(flags),
        slots: slots
          .filter((slot) => /^\d/.test(slot))
          .map((slot) => {
            const [from, to = from] = slot.split('-');
            return [Number(from), Number(to)] as [number, number];
          }),
      };
    });
}

/**
 * A Redis Cluster of three primaries with one replica each. A node is judged failed after one
 * second (`cluster-node-timeout`), so a replica takes over within a few; the other primaries keep
 * serving their slots meanwhile (`cluster-require-full-coverage no`).
 */
export async function startCluster(ports: readonly number[] = testPorts.cluster): Promise<TestCluster> {
  await requireRoom([...ports, ...ports.map((port) => port + 50)]);
  const servers = new Servers();
  const dead = new Set<number>();
  try {
    await Promise.all(
      ports.map((port) =>
        servers.start(port, [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-port',
          String(port + 50),
          '--cluster-node-timeout',
          '1000',
          '--cluster-require-full-coverage',
          'no',
        ]),
      ),
    );
    await promisify(execFile)('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `${host}:${port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
  } catch (error) {
    await servers.close();
    throw error;
  }
  const cluster: TestCluster = {
    seeds: ports.map((port) => `${host}:${port}`).join(','),
    async primaryOf(key) {
      const slot = Number(await command(ports[0] as number, 'CLUSTER', 'KEYSLOT', key));
      const nodes = await clusterNodes(ports, dead);
      const owner = nodes.find(
        (node) => node.primary && !node.failed && node.slots.some(([a, b]) => slot >= a && slot <= b),
      );
      if (!owner) throw new Error(`no primary serves slot ${slot}`);
      return owner.port;
    },
    async primaries() {
      return (await clusterNodes(ports, dead))
        .filter((node) => node.primary && !node.failed)
        .map((node) => node.port);
    },
    async kill(port) {
      dead.add(port);
      await servers.kill(port);
    },
    async healthy(timeoutMs = 30_000) {
      await waitUntil(
        'every slot of the cluster served, by every node that is up',
        async () => {
          for (const port of ports.filter((p) => !dead.has(p))) {
            if (!String(await command(port, 'CLUSTER', 'INFO')).includes('cluster_slots_ok:16384'))
              return false;
          }
          const nodes = await clusterNodes(ports, dead);
          return nodes.filter((node) => node.primary && !node.failed && node.slots.length > 0).length === 3;
        },
        timeoutMs,
      );
    },
    close: () => servers.close(),
  };
  // Replicas attached and synchronised, so a killed primary has one to take over.
  await cluster.healthy();
  await waitUntil('every replica in sync', async () => {
    const nodes = await clusterNodes(ports, dead);
    const replicas = nodes.filter((node) => !node.primary);
    if (replicas.length !== 3) return false;
    for (const replica of replicas) {
      if (!String(await command(replica.port, 'INFO', 'replication')).includes('master_link_status:up'))
        return false;
    }
    return true;
  });
  return cluster;
}

export interface TestSentinels {
  /** REDIS_SENTINELS for the service. */
  sentinels: string;
  /** REDIS_SENTINEL_NAME for the service. */
  name: string;
  /** The port of the primary the Sentinels name now. */
  primary(): Promise<number>;
  kill(port: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * One primary, one replica and three Sentinels (quorum 2). A primary silent for one second is
 * judged down, so a failover starts within about two.
 */
export async function startSentinels(ports: readonly number[] = testPorts.sentinel): Promise<TestSentinels> {
  await requireRoom(ports);
  const [primaryPort, replicaPort, ...sentinelPorts] = ports as [number, number, ...number[]];
  const name = 'zairyu';
  const servers = new Servers();
  const primary = async () => {
    const [, port] = (await command(
      sentinelPorts[0] as number,
      'SENTINEL',
      'get-master-addr-by-name',
      name,
    )) as string[];
    return Number(port);
  };
  try {
    await servers.start(primaryPort, []);
    await servers.start(replicaPort, ['--replicaof', host, String(primaryPort)]);
    await Promise.all(
      sentinelPorts.map((port) => {
        // Sentinels rewrite their configuration file: each gets its own, in the temporary directory.
        const file = join(servers.dir, `sentinel-${port}.conf`);
        writeFileSync(
          file,
          [
            `sentinel monitor ${name} ${host} ${primaryPort} 2`,
            `sentinel down-after-milliseconds ${name} 1000`,
            `sentinel failover-timeout ${name} 5000`,
            `sentinel parallel-syncs ${name} 1`,
            `logfile ${join(servers.dir, `${port}.log`)}`,
            '',
          ].join('\n'),
        );
        return servers.start(port, [file], true);
      }),
    );
    await waitUntil('the replica in sync and every Sentinel knowing the others and the replica', async () => {
      if (!String(await command(replicaPort, 'INFO', 'replication')).includes('master_link_status:up'))
        return false;
      for (const port of sentinelPorts) {
        const others = (await command(port, 'SENTINEL', 'sentinels', name)) as unknown[];
        const replicas = (await command(port, 'SENTINEL', 'replicas', name)) as unknown[];
        if (others.length !== sentinelPorts.length - 1 || replicas.length !== 1) return false;
      }
      return true;
    });
  } catch (error) {
    await servers.close();
    throw error;
  }
  return {
    sentinels: sentinelPorts.map((port) => `${host}:${port}`).join(','),
    name,
    primary,
    kill: (port) => servers.kill(port),
    close: () => servers.close(),
  };
}
