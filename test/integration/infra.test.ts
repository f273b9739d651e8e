/** The test infrastructure itself: this run's own database (migrated) and Redis key prefix. */
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';

describe('test infrastructure', () => {
  const databaseUrl = inject('databaseUrl');
  const redisUrl = inject('redisUrl');
  const redisPrefix = inject('redisPrefix');
  const redis = new Redis(redisUrl, { keyPrefix: redisPrefix });
  afterAll(() => redis.quit());

  it('passes the same values through the environment', () => {
    expect(process.env.TEST_DATABASE_URL).toBe(databaseUrl);
    expect(process.env.TEST_REDIS_URL).toBe(redisUrl);
    expect(process.env.TEST_REDIS_PREFIX).toBe(redisPrefix);
    expect(redisPrefix).toMatch(/^zairyu:test:[0-9a-f]{8}:$/);
  });

  it('connects to a throw-away database with the migrations applied', async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; migrations: string | null }>(
        "SELECT current_database() AS db, to_regclass('public.schema_migrations')::text AS migrations",
      );
      expect(rows[0]?.db).toMatch(/^zairyu_test_\d+_[0-9a-f]{8}$/);
      expect(rows[0]?.migrations).toBe('schema_migrations');
      const applied = await client.query('SELECT name FROM schema_migrations');
      expect(applied.rowCount).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });

  it('writes Redis keys under the run prefix only', async () => {
    await redis.set('infra-check', 'ok', 'EX', 60);
    const raw = new Redis(redisUrl);
    try {
      expect(await raw.get(`${redisPrefix}infra-check`)).toBe('ok');
    } finally {
      raw.disconnect();
    }
  });
});
