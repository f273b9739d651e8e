/** Bad input never costs a 5xx or the user's typing; every page carries the security headers. */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_CAP } from '../../src/flow/forms.ts';
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
  it('refuses a JSON or any other non-form body with a coded 415 page, and changes nothing', async () => {
    const browser = await onLoginPage();
    const key = `${harness.prefix}s:${browser.sessionId()}`;
    const stored = await harness.redis.get(key);
    const form = { _action: 'HOME', _step: browser.page.step };
    for (const [type, body] of [
      ['application/json', JSON.stringify(form)],
      ['text/plain', new URLSearchParams(form).toString()],
      [
        'multipart/form-data; boundary=x',
        `--x\r\ncontent-disposition: form-data; name="_action"\r\n\r\nHOME\r\n--x--`,
      ],
    ]) {
      const response = await harness.app.inject({
        method: 'POST',
        url: '/login',
        headers: { cookie: browser.cookieHeader(), 'content-type': type as string },
        payload: body,
      });
      expect(response.statusCode, type).toBe(415);
      expect(response.body).toContain('WZBAM331E');
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(await harness.redis.get(key)).toBe(stored);
    }
    // the session is where it was: the same render, and its step token still moves it
    expect((await browser.refresh()).url).toBe('/login');
    expect((await browser.press('HOME')).url).toBe('/');
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

  it('never redirects the language switch to another host, whatever the raw path', async () => {
    // over a real socket: the raw path reaches the server as sent (inject would normalise it)
    const base = await harness.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(base);
    for (const path of [
      '//evil.example/?lang=en',
      '/.//evil.example/?lang=en',
      '/%2e//evil.example/?lang=en',
      '/./\\evil.example/?lang=en',
      '///evil.example/x?lang=en',
      '/menu/..//evil.example/?lang=en',
    ]) {
      const location = await new Promise<string>((resolve, reject) => {
        const sent = request({ host: '127.0.0.1', port, path, method: 'GET' }, (response) => {
          response.resume();
          expect(response.statusCode, path).toBe(303);
          resolve(String(response.headers.location));
        });
        sent.on('error', reject);
        sent.end();
      });
      expect(location, path).toMatch(/^\/(?![/\\])/);
      expect(new URL(location, 'https://portal.example.jp').host, path).toBe('portal.example.jp');
    }
  });

  it('answers an unknown URL with a coded page in the user language', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/no/such/page' });
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('WZBAM902E');
    expect(response.body).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('headers', () => {
  it('sends a strict CSP, no referrer to other sites, nosniff and no-store on flow pages', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/' });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    // same-origin, not no-referrer: under no-referrer browsers post the site's own forms with
    // `Origin: null`, and the origin is what tells them from another site's
    expect(response.headers['referrer-policy']).toBe('same-origin');
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
