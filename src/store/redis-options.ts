/**
 * How the service's Redis clients send commands (`sendInTurnsWithDeadline`) and behave when Redis
 * is away: every command fails at once, or within a second when Redis is reachable but silent, so
 * a request answers 503 instead of waiting on reconnection attempts; the client keeps reconnecting
 * by itself, at most a second apart, so service resumes within about a second of Redis's return.
 */
import { once } from 'node:events';
import type { Cluster, Command, Redis, RedisOptions } from 'ioredis';

export const redisOptions = {
  // Commands are not queued while disconnected: they fail, and the request answers 503.
  enableOfflineQueue: false,
  // A command in flight when the connection drops fails with it, never replayed after its
  // request has been answered (a compare-and-set the user was told failed must not land later).
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  // 100 ms, 200 ms, 400 ms, … then every second (ioredis's own backoff grows to 5 s).
  retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 1_000),
  // One write per turn of the event loop comes from `sendInTurnsWithDeadline` (a Redis Cluster
  // keeps ioredis's auto-pipelining and command timeout, src/store/redis-client.ts).
  enableAutoPipelining: false,
} as const satisfies RedisOptions;

/**
 * Waits until `redis` is connected (commands are not queued before), at most `ms`: a Redis down at
 * start does not stop the service starting; its requests answer 503 until Redis is reachable.
 */
export async function untilReady(redis: Redis | Cluster, ms = 5_000): Promise<boolean> {
  if (redis.status === 'ready') return true;
  const timeout = AbortSignal.timeout(ms);
  return once(redis, 'ready', { signal: timeout }).then(
    () => true,
    () => false,
  );
}

/** How long a command may go unanswered before it fails: a silent Redis is answered 503 within it. */
export const commandDeadlineMs = 1_000;
/** Sweeps per deadline: a silent command fails between 3/4 of the deadline and all of it. */
const SWEEPS = 4;

/**
 * Installs how the service sends commands on `client`, in the one place every command passes
 * (`sendCommand`: plain, pipelined and script commands alike):
 *
 * - One write per turn of the event loop: the socket is corked at a turn's first command and
 *   uncorked when the turn ends, so the commands of every request handled in that turn leave
 *   together. ioredis's auto-pipelining does the same with a pipeline object, a promise per
 *   command and a tick per answer, about 4 % of the CPU under load (bench/changes.md).
 * - A deadline: a command Redis has not answered within `deadlineMs` fails ("Command timed out",
 *   as with ioredis's `commandTimeout`), found by a sweep a quarter of the deadline apart instead
 *   of a timer set and cleared for each command (about 3 %).
 *
 * For one server or a Sentinel's primary. A Cluster sends to several sockets, some of them its
 * own (its QUIT to each node), so it keeps ioredis's auto-pipelining and per-node timeout.
 */
export function sendInTurnsWithDeadline(client: Redis, deadlineMs = commandDeadlineMs): void {
  const corkTurn = turnCorker(client);
  const send = client.sendCommand.bind(client) as (command: Command, ...rest: unknown[]) => unknown;
  client.sendCommand = (command: Command, ...rest: unknown[]) => {
    corkTurn();
    return send(command, ...rest);
  };
  const sweep = setInterval(overdueSweeper(client), deadlineMs / SWEEPS);
  sweep.unref();
  client.once('end', () => clearInterval(sweep));
}

/**
 * One sweep of the deadline. The commands awaiting an answer are the client's own queue, oldest
 * first (Redis answers a connection in order, and an answered command leaves the queue); each sweep
 * notes the newest of them, and fails, three sweeps later, whatever is still unanswered up to that
 * note. Holding a command per sweep rather than every command sent: commands held for a second
 * outlived the young generation, and promoting them was half of the collector's work.
 */
function overdueSweeper(client: Redis): () => void {
  const notes: (Command | undefined)[] = [];
  return () => {
    const queue = client.commandQueue;
    notes.push(queue.peekBack()?.command as Command | undefined);
    if (notes.length < SWEEPS) return;
    const due = notes.shift();
    if (!due || due.isSettled) return; // answered, and so every command sent before it
    let last = 0;
    while (last < queue.length && queue.peekAt(last)?.command !== due) last++;
    if (last === queue.length) return; // no longer queued: the connection was flushed
    for (let i = 0; i <= last; i++) {
      const command = queue.peekAt(i)?.command as Command;
      if (!command.isSettled) command.reject(new Error('Command timed out'));
    }
  };
}

/** Corks the client's socket until the end of the current turn, once per turn. */
function turnCorker(client: Redis): () => void {
  let corked = false;
  return () => {
    const stream = client.stream as Redis['stream'] | undefined;
    if (corked || !stream?.writable) return;
    corked = true;
    stream.cork();
    setImmediate(() => {
      corked = false;
      stream.uncork();
    });
  };
}
