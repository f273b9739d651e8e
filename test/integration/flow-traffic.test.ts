/** The analysts' data: every move recorded without personal data, and streamed live. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sinceOf } from '../../src/ops/live-flow.ts';
import { Browser, createUser, type Harness, startHarness } from './harness.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

describe('traffic record', () => {
  it('stores each page move with a hashed session and serves edge counts and endings', async () => {
    const user = await createUser(harness.pool);
    const browser = new Browser(harness.app);
    await browser.login(user);
    await browser.get('/login'); // the Back button: invalid operation
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const response = await harness.app.inject('/flow/traffic?since=1h');
    expect(response.statusCode).toBe(200);
    const { edges, endings } = response.json();
    expect(edges).toContainEqual(
      expect.objectContaining({ from_state: 'login', event: 'LOGIN', to_state: 'signedIn.menu' }),
    );
    expect(endings).toContainEqual(
      expect.objectContaining({ state: 'signedIn.menu', ending: 'invalidOperation' }),
    );
    const { rows } = await harness.pool.query('SELECT DISTINCT session FROM flow_transitions');
    for (const row of rows) expect(row.session).toMatch(/^([A-Za-z0-9_-]{12}|unknown)$/);
    expect(JSON.stringify(rows)).not.toContain(browser.sessionId());
    // one visit is one trace, across the new session id of the login
    const visit = await harness.pool.query(
      `SELECT session, array_agg(event ORDER BY at) AS events FROM flow_transitions
        WHERE session IN (SELECT session FROM flow_transitions WHERE event = 'INVALID_OPERATION')
        GROUP BY session`,
    );
    expect(visit.rows.map((row) => row.events)).toContainEqual(['GO_LOGIN', 'LOGIN', 'INVALID_OPERATION']);
  });

  it('reads --since style periods', () => {
    const now = Date.UTC(2026, 0, 10);
    expect(sinceOf('7d', now).toISOString()).toBe('2026-01-03T00:00:00.000Z');
    expect(sinceOf('12h', now).toISOString()).toBe('2026-01-09T12:00:00.000Z');
    expect(sinceOf('nonsense', now).toISOString()).toBe('2026-01-03T00:00:00.000Z');
  });
});

describe('live stream', () => {
  it('streams the moves of sessions as server-sent events, without context values', async () => {
    const address = await harness.app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const response = await fetch(`${address}/flow/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const user = await createUser(harness.pool);
    await new Browser(harness.app).login(user);
    let text = '';
    while (!text.includes('"to":"signedIn.menu"'))
      text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(text).toContain('"event":"LOGIN"');
    expect(text).toContain('"to":"authenticating"');
    expect(text).not.toContain(user.userId);
    expect(text).not.toContain(user.password);
  });
});
