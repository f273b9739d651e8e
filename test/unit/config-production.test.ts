/** What the configuration accepts of the settings it checks beyond their type (src/config.ts). */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig, secretWeakness } from '../../src/config.ts';
import { productionEnv } from '../support/production-env.ts';

const production = productionEnv;

describe('settings checked at start', () => {
  it.each(['http://127.0.0.1', 'http://localhost:3000', 'http://[::1]:8080'])(
    'accepts an http: BASE_URL on this machine (%s)',
    (url) => {
      expect(() => loadConfig(production({ BASE_URL: url }))).not.toThrow();
    },
  );

  it('accepts every one of 20,000 random secrets as openssl or Node make them: hex of 12 and 16 bytes, base64 of 24', () => {
    for (let i = 0; i < 20_000; i++) {
      expect(secretWeakness(randomBytes(12).toString('hex'), 24)).toBeUndefined();
      expect(secretWeakness(randomBytes(16).toString('hex'), 32)).toBeUndefined();
      expect(secretWeakness(randomBytes(24).toString('base64'), 32)).toBeUndefined();
    }
  });

  it('refuses a TRUST_PROXY that is neither a hop count nor addresses and ranges, naming it', () => {
    for (const value of ['yes', '10.0.0.0/33', '10.0.0.1, proxy.example.jp'])
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY must be a hop count/);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, ::1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '::1']);
  });
});
