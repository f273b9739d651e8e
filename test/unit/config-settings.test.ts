/** Settings read outside the app go through the one config schema too, and are refused when bad. */
import { describe, expect, it } from 'vitest';
import { loadConfig, settingsSchema } from '../../src/config.ts';

describe('settings through the config schema', () => {
  it('takes UV_THREADPOOL_SIZE as a number (4 by default) and refuses 0 or text', () => {
    expect(loadConfig({}).UV_THREADPOOL_SIZE).toBe(4);
    expect(loadConfig({ UV_THREADPOOL_SIZE: '8' }).UV_THREADPOOL_SIZE).toBe(8);
    expect(() => loadConfig({ UV_THREADPOOL_SIZE: '0' })).toThrow(/UV_THREADPOOL_SIZE/);
    expect(() => loadConfig({ UV_THREADPOOL_SIZE: 'many' })).toThrow(/UV_THREADPOOL_SIZE/);
  });

  it('gives the migration runner DATABASE_URL alone, without the production checks it would fail as the tables’ owner', () => {
    const env = { NODE_ENV: 'production', DATABASE_URL: 'postgres://postgres@db.example:5432/zairyu' };
    expect(() => loadConfig(env)).toThrow();
    expect(settingsSchema.pick({ DATABASE_URL: true }).parse(env).DATABASE_URL).toBe(env.DATABASE_URL);
    expect(() => settingsSchema.pick({ DATABASE_URL: true }).parse({ DATABASE_URL: 'not a url' })).toThrow();
  });
});
