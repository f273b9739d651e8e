/**
 * How the service sends Redis commands (`sendInTurnsWithDeadline`, src/store/redis-options.ts),
 * against a redis-server of the test's own:
 * - the commands of one turn of the event loop reach Redis in one read, which Redis counts
 *   (INFO's `total_reads_processed`), where a client without it makes one write per command;
 * - stopped (SIGSTOP: connected, never answering), plain, pipelined, MULTI and script commands fail
 *   with "Command timed out" between 3/4 of the deadline and (on a loaded test machine) twice it; a
 *   command answered in time is untouched; the client serves again once Redis continues. A client
 *   without the deadline keeps waiting, so the failures are the deadline's doing;
 * - the deadline holds no answered command: held until the next sweep, every command outlived the
 *   young generation and was promoted, half of the collector's work under load.
 */
import type { ChildProcess } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Command, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commandDeadlineMs,
  redisOptions,
  sendInTurnsWithDeadline,
  untilReady,
} from '../../src/store/redis-options.ts';
import { freePort } from '../support/ports.ts';
import { privateRedis } from '../support/redis.ts';

let redis: ChildProcess;
let client: Redis;
let bare: Redis;

beforeAll(async () => {
  const port = await freePort();
  redis = await privateRedis(port);
  client = new Redis(port, '127.0.0.1', redisOptions);
  sendInTurnsWithDeadline(client);
  client.defineCommand('echoKey', { numberOfKeys: 1, lua: "return redis.call('GET', KEYS[1])" });
  bare = new Redis(port, '127.0.0.1', redisOptions);
  await Promise.all([untilReady(client), untilReady(bare)]);
  await client.set('deadline:key', 'value');
});

afterAll(async () => {
  redis.kill('SIGKILL');
  client.disconnect();
  bare.disconnect();
});

/** How a command ended and when, in ms after it was sent. */
async function settled(command: Promise<unknown>): Promise<{ ms: number; value?: unknown; error?: string }> {
  const sent = performance.now();
  const ms = () => Math.round(performance.now() - sent);
  return command.then(
    (value) => ({ ms: ms(), value }),
    (error: Error) => ({ ms: ms(), error: error.message }),
  );
}

/** How many reads of its clients' sockets Redis has processed. */
async function readsProcessed(): Promise<number> {
  const stats = await bare.info('stats');
  return Number(/total_reads_processed:(\d+)/.exec(stats)?.[1]);
}

describe('one write per turn', () => {
  it('sends the commands of one turn in one write, and uncorks the socket when the turn ends', async () => {
    const commands = 50;
    const reads = async (client: Redis) => {
      const before = await readsProcessed();
      const answers = await Promise.all(Array.from({ length: commands }, () => client.get('deadline:key')));
      expect(answers).toEqual(Array(commands).fill('value'));
      return (await readsProcessed()) - before - 1; // the INFO of `before`
    };
    const batched = await reads(client);
    const unbatched = await reads(bare);
    // without it the kernel merges some writes, so its count only shows the scale
    console.info(`${commands} commands in one turn: ${batched} read(s) by Redis; ${unbatched} without`);
    expect(batched).toBeLessThanOrEqual(2);
    // a later turn is written on its own, the socket not left corked
    await expect(client.get('deadline:key')).resolves.toBe('value');
    expect(client.stream.writableCorked).toBe(0);
  });
});

/** The collector, on demand (the flag exposes it to contexts made after it is set). */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** `waves` × 20 answered commands, `gapMs` apart, known only by weak references. */
async function answeredCommands(waves: number, gapMs: number): Promise<WeakRef<Command>[]> {
  const refs: WeakRef<Command>[] = [];
  for (let wave = 0; wave < waves; wave++) {
    const commands = Array.from(
      { length: 20 },
      () => new Command('get', ['deadline:key'], { replyEncoding: 'utf8' }),
    );
    const answers = await Promise.all(commands.map((command) => client.sendCommand(command)));
    expect(answers).toEqual(Array(20).fill('value'));
    refs.push(...commands.map((command) => new WeakRef(command)));
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  return refs;
}

describe('what the deadline holds', () => {
  it('keeps no answered command reachable: of 800 sent over a deadline, at most the one noted at each sweep', async () => {
    const gc = collector();
    // spread over the deadline, so that every sweep notes one of them
    const refs = await answeredCommands(40, commandDeadlineMs / 40);
    gc();
    const reachable = refs.filter((ref) => ref.deref() !== undefined).length;
    console.info(`answered commands still reachable after a collection: ${reachable} of ${refs.length}`);
    expect(reachable).toBeLessThanOrEqual(4);
  });
});

describe('a Redis that stops answering', () => {
  it('fails plain, pipelined, MULTI and script commands with "Command timed out" within the deadline, then serves again', async () => {
    redis.kill('SIGSTOP');
    let waiting: Promise<unknown> | undefined;
    try {
      waiting = bare.get('deadline:key');
      const outcomes = await Promise.all([
        settled(client.get('deadline:key')),
        settled(client.get('deadline:key')), // the same turn: one write
        settled(client.multi().get('deadline:key').exec()),
        settled((client as Redis & { echoKey(key: string): Promise<string> }).echoKey('deadline:key')),
      ]);
      console.info(`with Redis silent, commands failed after ${outcomes.map((o) => o.ms).join(', ')} ms`);
      for (const outcome of outcomes) {
        expect(outcome.error).toBe('Command timed out');
        expect(outcome.ms).toBeGreaterThanOrEqual(commandDeadlineMs * 0.75 - 5);
        expect(outcome.ms).toBeLessThan(commandDeadlineMs * 2);
      }
      // without the deadline the same command is still waiting
      const stillWaiting = await Promise.race([waiting.then(() => 'answered'), Promise.resolve('waiting')]);
      expect(stillWaiting).toBe('waiting');
    } finally {
      redis.kill('SIGCONT');
    }
    await expect(waiting).resolves.toBe('value');
    await expect(client.get('deadline:key')).resolves.toBe('value');
  });

  it('leaves alone a command Redis answers late but within the deadline', async () => {
    redis.kill('SIGSTOP');
    const late = settled(client.get('deadline:key'));
    await new Promise((resolve) => setTimeout(resolve, commandDeadlineMs * 0.3));
    redis.kill('SIGCONT');
    const outcome = await late;
    expect(outcome.value).toBe('value');
    expect(outcome.ms).toBeGreaterThanOrEqual(commandDeadlineMs * 0.3 - 5);
  });
});
