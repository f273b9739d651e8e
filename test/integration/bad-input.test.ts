/** Bad input never costs a 5xx or the user's typing; every page carries the security headers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, type Harness, startHarness } from './harness.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

async function onLoginPage(): Promise<Browser> {
  const browser = new Browser(harness.app);
  await browser.get('/');
  await browser.press('GO_LOGIN');
  return browser;
}

describe('bad input', () => {
  it('reads a JSON body as an empty form: coded "required" messages, not a 415', async () => {
    const browser = await onLoginPage();
    const response = await harness.app.inject({
      method: 'POST',
      url: '/login',
      headers: {
        cookie: `zairyu_session=${browser.cookies.get('zairyu_session')}`,
        'content-type': 'application/json',
      },
      payload: JSON.stringify({ _action: 'LOGIN', _step: browser.page.step }),
    });
    expect(response.statusCode).toBeLessThan(500);
  });

  it('keeps and escapes a 1 MB field with markup in it', async () => {
    const browser = await onLoginPage();
    const huge = `<script>alert(1)</script>${'あ'.repeat(350_000)}`;
    const page = await browser.press('LOGIN', { userId: huge, password: 'x' });
    expect(page.status).toBe(200);
    expect(page.url).toBe('/login');
    expect(page.html).not.toContain('<script>alert(1)</script>');
    expect(page.html).toMatch(/WZBAM0\d\dE/);
  });

  it('answers an unknown URL with a coded page in the user language', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/no/such/page' });
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('WZBAM902E');
    expect(response.body).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('headers', () => {
  it('sends a strict CSP, no referrer, nosniff and no-store on flow pages', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/' });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['a flow page', '/'],
    ['an unknown URL', '/no/such/page'],
    ['an asset', '/assets/site.js'],
    ['the error-code page', '/errors'],
  ])(
    'sends the CSP that allows no plugin, no foreign script and no <base>, no referrer and nosniff, on %s',
    async (_what, url) => {
      const response = await harness.app.inject({ method: 'GET', url });
      const csp = String(response.headers['content-security-policy']).split(/;\s*/);
      expect(csp).toEqual(
        expect.arrayContaining([
          "default-src 'self'",
          "script-src 'self'",
          "object-src 'none'",
          "base-uri 'none'",
          "frame-ancestors 'none'",
        ]),
      );
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    },
  );

  it.each([
    ['GET', '/'],
    ['POST', '/login'],
    ['OPTIONS', '/login'],
  ] as const)('sends no CORS header to a foreign origin (%s %s)', async (method, url) => {
    const response = await harness.app.inject({
      method,
      url,
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });
});

describe('static pages', () => {
  it('lists every error code on the error-code page, in both languages', async () => {
    const ja = await harness.app.inject({ method: 'GET', url: '/errors' });
    expect(ja.statusCode).toBe(200);
    expect(ja.body).toContain('WZBAM245E');
    const en = await harness.app.inject({ method: 'GET', url: '/errors', cookies: { lang: 'en' } });
    expect(en.body).toMatch(/WZBAM245E<\/code>.*Please enter the information to change\./s);
  });
});
