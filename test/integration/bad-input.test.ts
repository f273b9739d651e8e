/** Bad input never costs a 5xx or the user's typing; every page carries the security headers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_CAP } from '../../src/flow/forms.ts';
import { Browser, createUser, type Harness, startHarness } from './harness.ts';

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
  it('acts on a JSON body as on the form it carries: without fields the coded "required" messages, with them a login', async () => {
    const postJson = (browser: Browser, fields: Record<string, string>) =>
      harness.app.inject({
        method: 'POST',
        url: '/login',
        headers: {
          cookie: `zairyu_session=${browser.cookies.get('zairyu_session')}`,
          'content-type': 'application/json',
        },
        payload: JSON.stringify({ _action: 'LOGIN', _step: browser.page.step, ...fields }),
      });
    const browser = await onLoginPage();
    const empty = await postJson(browser, {});
    expect(empty.statusCode).toBe(303);
    const page = await browser.get(String(empty.headers.location));
    expect(page.url).toBe('/login');
    expect(page.html).toContain('WZBAM001E');

    const user = await createUser(harness.pool);
    const filled = await postJson(await onLoginPage(), { userId: user.userId, password: user.password });
    expect(filled.statusCode).toBe(303);
    expect(filled.headers.location).toMatch(/^\/menu/);
  });

  it('keeps the first 1,000 characters of a 1 MB field with markup in it, escaped, with a coded message', async () => {
    const browser = await onLoginPage();
    const huge = `<script>alert(1)</script>${'あ'.repeat(350_000)}`;
    const page = await browser.press('LOGIN', { userId: huge, password: 'x' });
    expect(page.status).toBe(200);
    expect(page.url).toBe('/login');
    expect(page.html).not.toContain('<script>alert(1)</script>');
    // kept in the field it was typed in, escaped, up to the cap on what is read of a field
    const kept = huge.slice(0, FIELD_CAP).replaceAll('<', '&lt;').replaceAll('>', '&gt;');
    expect(page.html).toContain(`value="${kept}"`);
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
