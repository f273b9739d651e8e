/** What the benchmark runs share: the machine they ran on, their users and their sessions' ids. */
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { insertUser } from '../src/db/users.ts';
import { hashPassword } from '../src/domain/passwords.ts';
import { generateUserId } from '../src/domain/rules.ts';
import { withClient } from '../test/support/postgres.ts';
import type { Credentials, FlowSession } from './client.ts';
import type { Machine } from './report.ts';

const password = 'Bench#Passw0rd';

/** The machine a run measured on, and how busy it was when it began. */
export async function machine(redis: Redis, databaseUrl: string): Promise<Machine> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const server = await redis.info('server');
  const postgres = await withClient(databaseUrl, (client) =>
    client.query<{ server_version: string }>('SHOW server_version'),
  );
  const loadAverage = loadavg(); // read before the argon2 measurement below adds its own load
  return {
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    cores: availableParallelism(),
    node: process.version,
    redis: /redis_version:(\S+)/.exec(server)?.[1] ?? 'unknown',
    postgres: postgres.rows[0]?.server_version ?? 'unknown',
    loadAverage,
    argon2PerSecond: await argon2Rate(3_000),
  };
}

/** argon2id hashes per second, one at a time for `ms`: how fast this machine is at a login's work. */
async function argon2Rate(ms: number): Promise<number> {
  const start = performance.now();
  let hashes = 0;
  while (performance.now() - start < ms) {
    await hashPassword(password);
    hashes += 1;
  }
  return hashes / ((performance.now() - start) / 1000);
}

/** Users with a password, straight into the database (one hash shared by all: they only log in). */
export async function createUsers(pool: pg.Pool, count: number): Promise<Credentials[]> {
  const hash = await hashPassword(password);
  const users: Credentials[] = [];
  while (users.length < count) {
    const userId = generateUserId();
    const row = await insertUser(pool, {
      user_id: userId,
      name: 'BENCH MADOGUCHI',
      sex: 'female',
      birth_date: '1990-04-01',
      municipality_code: '13101',
      street: '１－１－１霞ヶ関ハイツ２０２号',
      phone: '0312345678',
      email: `${userId}@example.com`,
      lang: 'ja',
      password_hash: hash,
    });
    if (row) users.push({ userId, password });
  }
  return users;
}

/** The session id in a `zairyu_session=<id>.<signature>` cookie. */
export function sessionIdOf(session: FlowSession): string {
  const value = /zairyu_session=([^;]+)/.exec(session.cookie)?.[1] ?? '';
  return decodeURIComponent(value).split('.')[0] ?? '';
}
