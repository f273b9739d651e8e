/**
 * The stylesheet's design tokens come from this site, as installed from the package
 * @digital-go-jp/design-tokens: no CDN, no build step, nothing else of the package served.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokensCssPath } from '../support/design-tokens.ts';
import { type Harness, startHarness } from './harness.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

describe('design tokens', () => {
  it('serves the package’s tokens.css as installed, where site.css imports it from', async () => {
    const site = await harness.app.inject('/assets/site.css');
    const imported = /@import url\("([^"]+)"\)/.exec(site.body)?.[1] ?? '';
    expect(imported).toBe('/assets/design-tokens/tokens.css');
    const tokens = await harness.app.inject(imported);
    expect(tokens.statusCode).toBe(200);
    expect(tokens.headers['content-type']).toMatch(/^text\/css/);
    expect(tokens.body).toBe(readFileSync(tokensCssPath, 'utf8'));
  });

  it('serves nothing else of the package', async () => {
    for (const path of ['tokens.js', 'tokens-simple.css', '../package.json', '%2e%2e/package.json']) {
      expect((await harness.app.inject(`/assets/design-tokens/${path}`)).statusCode, path).toBe(404);
    }
  });
});
