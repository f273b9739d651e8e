/**
 * Redis for one test run: every run gets its own key prefix on the shared server, and its keys are
 * deleted afterwards (SCAN + UNLINK, never FLUSHDB: other runs may share the server).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const localRedisUrl = 'redis://127.0.0.1:6379';

export function redisUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.REDIS_URL || localRedisUrl;
}

/** A prefix such as `zairyu:test:3f9a0c1d:` that no other run uses. */
export function uniquePrefix(kind: 'test' | 'e2e'): string {
  return `zairyu:${kind}:${randomBytes(4).toString('hex')}:`;
}

/** Deletes every key that starts with `prefix`; returns how many were deleted. */
export async function deleteKeys(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 500);
      if (keys.length > 0) deleted += await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** A redis-server of the test's own on `port` (nothing on disk), so stopping it disturbs no one else. */
export async function privateRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  const probe = new Redis({ port, lazyConnect: true, retryStrategy: () => 50 });
  probe.on('error', () => {});
  await probe.ping();
  probe.disconnect();
  return child;
}
