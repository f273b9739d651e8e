/** Production refuses default service credentials (src/config.ts, `defaultCredentials`). */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { productionEnv } from '../support/production-env.ts';

const production = productionEnv;

describe('service credentials in production', () => {
  it('starts with a role of its own and a Redis password', () => {
    expect(() => loadConfig(production({}))).not.toThrow();
  });

  it.each([
    [
      'the postgres superuser',
      'postgres://postgres:postgres@db.example.jp/zairyu',
      /not the postgres superuser/,
    ],
    [
      'the postgres superuser without a password',
      'postgres://postgres@db.example.jp/zairyu',
      /not the postgres superuser/,
    ],
    ['no user at all', 'postgres://db.example.jp/zairyu', /not the postgres superuser/],
    ['no password', 'postgres://zairyu_app@db.example.jp/zairyu', /needs a password or a client certificate/],
  ])('refuses DATABASE_URL with %s, naming the variable', (_what, url, message) => {
    expect(() => loadConfig(production({ DATABASE_URL: url }))).toThrow(message);
    expect(() => loadConfig(production({ DATABASE_URL: url }))).toThrow(/DATABASE_URL/);
  });

  it('takes a client certificate instead of a password', () => {
    const url =
      'postgres://zairyu_app@db.example.jp/zairyu?sslcert=/etc/zairyu/client.crt&sslkey=/etc/zairyu/client.key';
    expect(() => loadConfig(production({ DATABASE_URL: url }))).not.toThrow();
  });

  it('refuses a Redis on another host without credentials, and takes one on this host', () => {
    expect(() => loadConfig(production({ REDIS_URL: 'redis://redis.example.jp:6379' }))).toThrow(
      /REDIS_URL needs a password/,
    );
    for (const local of ['redis://127.0.0.1:6379', 'redis://localhost:6379', 'redis://[::1]:6379']) {
      expect(() => loadConfig(production({ REDIS_URL: local })), local).not.toThrow();
    }
    expect(() =>
      loadConfig(production({ REDIS_URL: 'rediss://zairyu:s3cret-Pw@redis.example.jp:6380' })),
    ).not.toThrow();
  });

  it('asks nothing of the kind outside production', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://postgres@127.0.0.1/x' }),
    ).not.toThrow();
  });

  it('takes a cluster or a Sentinel group in production instead of REDIS_URL, with a password for other hosts', () => {
    expect(() => loadConfig(production({ REDIS_URL: '' }))).toThrow(
      /REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS is required/,
    );
    expect(() =>
      loadConfig(production({ REDIS_URL: '', REDIS_CLUSTER_NODES: '127.0.0.1:7000' })),
    ).not.toThrow();
    expect(() => loadConfig(production({ REDIS_URL: '', REDIS_CLUSTER_NODES: '10.0.0.1:7000' }))).toThrow(
      /REDIS_CLUSTER_NODES on another host needs REDIS_PASSWORD/,
    );
    const sentinels = { REDIS_URL: '', REDIS_SENTINELS: '10.0.0.5:26379', REDIS_SENTINEL_NAME: 'zairyu' };
    expect(() => loadConfig(production(sentinels))).toThrow(
      /REDIS_SENTINELS on another host needs REDIS_PASSWORD/,
    );
    expect(() => loadConfig(production({ ...sentinels, REDIS_PASSWORD: 's3cret-Pw' }))).not.toThrow();
  });
});
