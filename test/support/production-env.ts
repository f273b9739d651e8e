/** A production environment that passes every check of src/config.ts, for tests that break one setting. */
import { randomBytes } from 'node:crypto';

export function productionEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    BASE_URL: 'https://portal.example.jp',
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    OPERATOR_TOKEN: randomBytes(24).toString('base64url'),
    SMTP_URL: 'smtp://relay.example.jp:587',
    DATABASE_URL: 'postgres://zairyu_app:s3cret-Pw@db.example.jp/zairyu',
    REDIS_URL: 'redis://:s3cret-Pw@redis.example.jp:6379',
    ...overrides,
  };
}
