/** Password hashing: argon2id at OWASP's parameters, and hashes stored before the binding changed. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashPassword, lowerHashingPriority, verifyPassword } from '../../../src/domain/passwords.ts';

/** The nice value in a /proc stat file (its 19th field). */
const niceIn = (statFile: string) => Number(readFileSync(statFile, 'utf8').split(') ')[1]?.split(' ')[16]);

/** The nice value of each of this process's threads with this name. */
function niceOf(name: string): number[] {
  return readdirSync('/proc/self/task')
    .filter((task) => readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim() === name)
    .map((task) => niceIn(`/proc/self/task/${task}/stat`));
}

describe('password hashing', () => {
  it('hashes with argon2id, m=19456 KiB, t=2, p=1, a new salt each time', async () => {
    const first = await hashPassword('Passw0rd#1');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await hashPassword('Passw0rd#1')).not.toBe(first);
    expect(await verifyPassword(first, 'Passw0rd#1')).toBe(true);
    expect(await verifyPassword(first, 'Passw0rd#2')).toBe(false);
  });

  it('verifies hashes that node-argon2 stored (the binding used before)', async () => {
    const stored =
      '$argon2id$v=19$m=19456,p=1,t=2$rRG9I82SSyDpHshOjdjBfw$Jg2lWvkpQNZyMh2V68iiIQhiO1ZmomfuOXMfYceR0Z4';
    expect(await verifyPassword(stored, 'Passw0rd#1')).toBe(true);
    expect(await verifyPassword(stored, 'passw0rd#1')).toBe(false);
  });

  it('answers false, after the same work, for a user without a hash or with a broken one', async () => {
    const stored = await hashPassword('Passw0rd#1');
    const cases = { stored, none: null, broken: 'not a hash' };
    const cpuMs: Record<keyof typeof cases, number[]> = { stored: [], none: [], broken: [] };
    // CPU time of the whole process (the hashing threads included), the three kinds interleaved
    for (let round = 0; round < 7; round++) {
      for (const [kind, hash] of Object.entries(cases) as [keyof typeof cases, string | null][]) {
        const before = process.cpuUsage();
        expect(await verifyPassword(hash, 'Passw0rd#2')).toBe(false);
        const used = process.cpuUsage(before);
        cpuMs[kind].push((used.user + used.system) / 1000);
      }
    }
    expect(await verifyPassword(null, 'Passw0rd#1')).toBe(false);
    expect(await verifyPassword('not a hash', 'Passw0rd#1')).toBe(false);
    // One argon2id verification is about 15 ms of CPU here; an answer without one, microseconds.
    // "The same work" within a factor of 2 either way, by median.
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] as number;
    for (const kind of ['none', 'broken'] as const) {
      const ratio = median(cpuMs[kind]) / median(cpuMs.stored);
      expect(ratio, `${kind}: ${cpuMs[kind].join(', ')} vs ${cpuMs.stored.join(', ')} ms`).toBeGreaterThan(
        0.5,
      );
      expect(ratio).toBeLessThan(2);
    }
  });
});

describe('hashing priority', () => {
  it('lowers the thread pool that hashes, and only it, to the nice value asked', async () => {
    const lowered = await lowerHashingPriority(7);
    expect(lowered).toBeGreaterThan(0);
    expect(niceOf('libuv-worker')).toEqual(new Array(lowered).fill(7));
    expect(niceIn('/proc/self/stat')).toBe(0); // the event loop's thread keeps its priority
    expect(await lowerHashingPriority(0)).toBe(0);
  });
});
