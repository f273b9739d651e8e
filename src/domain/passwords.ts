/**
 * Password hashing: argon2id with OWASP's parameters (m=19456 KiB, t=2, p=1), in PHC strings. The
 * binding (@node-rs/argon2, whose default algorithm is argon2id) hashes on libuv's thread pool, so
 * the event loop keeps serving other requests meanwhile; it verifies in about half the CPU time of
 * node-argon2's generic build, for the same strings (README, "Decisions beyond DESIGN.md").
 */
import { readdir, readFile } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { hash, verify } from '@node-rs/argon2';

const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

let inFlight = 0;

/** Hashes and verifications running or queued on the thread pool (for the saturation metric). */
export function argon2InFlight(): number {
  return inFlight;
}

async function counted<T>(work: () => Promise<T>): Promise<T> {
  inFlight += 1;
  try {
    return await work();
  } finally {
    inFlight -= 1;
  }
}

export function hashPassword(password: string): Promise<string> {
  return counted(() => hash(password, options));
}

/** A hash of nothing anyone knows: verified for unknown user IDs so they cost the same time. */
const dummyHash = hashPassword(`no-such-user-${Math.random()}`);

/**
 * Verifies against the stored hash, or against a dummy when there is none or it cannot be read
 * (argon2 refuses such a string at once): every answer costs one verification, no timing oracle.
 */
export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  const check = (against: string) => counted(() => verify(against, password)).catch(() => undefined);
  const matches = hash == null ? undefined : await check(hash);
  if (matches !== undefined) return matches;
  await check(await dummyHash);
  return false;
}

/**
 * Lowers the CPU priority (raises the nice value) of libuv's thread pool, where the hashing runs,
 * so a login storm takes the CPU that page views leave instead of sharing it with them. On 2 cores
 * (`npm run bench`), page-view p99 during a storm: 4.1× its value without at nice 0, 1.7–2.5× at
 * 10, 1.8× at 15 (27 logins/s meanwhile), 1.0× at 19 (16 logins/s); logins alone are as fast at
 * any. Linux only (threads by /proc); elsewhere, or with `nice` 0, nothing changes. Answers how
 * many threads.
 */
export async function lowerHashingPriority(nice: number): Promise<number> {
  if (nice === 0 || process.platform !== 'linux') return 0;
  await dummyHash; // the pool's threads start with its first job
  const tasks = await readdir('/proc/self/task').catch(() => [] as string[]);
  let lowered = 0;
  for (const task of tasks) {
    const name = await readFile(`/proc/self/task/${task}/comm`, 'utf8').catch(() => '');
    if (name.trim() !== 'libuv-worker') continue;
    setPriority(Number(task), nice);
    lowered += 1;
  }
  return lowered;
}
