/**
 * The log stream as the app writes it (pino JSON lines, read from the stream the logger writes to):
 * every line stamped in UTC, one error line for a 503, and no line a client can forge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Browser,
  capturedLogger,
  createUser,
  type Harness,
  type HarnessOptions,
  postForm,
  startHarness,
  unreachableStore,
} from './harness.ts';

interface Logged {
  harness: Harness;
  /** Every line written so far, as written. */
  lines: string[];
}

async function loggedHarness(options: HarnessOptions = {}): Promise<Logged> {
  const { lines, logger } = capturedLogger();
  return { harness: await startHarness({}, { ...options, logger }), lines };
}

const parsed = (lines: string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('log lines', () => {
  let logged: Logged;
  beforeAll(async () => {
    logged = await loggedHarness();
  });
  afterAll(() => logged.harness.close());

  it('stamps every line with the time in UTC: epoch milliseconds, or ISO 8601 with its offset', async () => {
    const before = Date.now();
    await new Browser(logged.harness.app).login(await createUser(logged.harness.pool));
    const after = Date.now();
    const entries = parsed(logged.lines);
    expect(entries.length).toBeGreaterThan(3);
    for (const { time } of entries) {
      const ms = typeof time === 'number' ? time : Date.parse(String(time));
      if (typeof time === 'string') expect(time).toMatch(/(Z|[+-]\d\d:\d\d)$/);
      expect(ms).toBeGreaterThanOrEqual(before - 60_000);
      expect(ms).toBeLessThanOrEqual(after + 1_000);
    }
  });

  it('keeps what a client sends inside its own line: a newline cannot start a forged one', async () => {
    const forged = '{"level":60,"msg":"forged by the client"}';
    const count = logged.lines.length;
    await logged.harness.app.inject({
      method: 'GET',
      url: `/no/such/page%0A${encodeURIComponent(forged)}`,
      headers: { 'x-request-id': `id\n${forged}\r\n${forged}` },
    });
    const written = logged.lines.slice(count);
    expect(written.length).toBeGreaterThan(0);
    for (const entry of parsed(written)) {
      expect(entry.msg).not.toBe('forged by the client');
      expect(entry.level).not.toBe(60);
    }
  });
});

describe('failures', () => {
  it('writes one error line, with the request id and no secret, for a 503', async () => {
    const unreachable = unreachableStore();
    const { harness, lines } = await loggedHarness({ store: unreachable.store });
    try {
      // a visitor's first move makes a session: the store it needs is down
      const visitor = new Browser(harness.app);
      await visitor.get('/');
      const page = await postForm(
        harness.app,
        '/',
        { _action: 'GO_LOGIN', _step: visitor.page.step },
        { cookie: `${visitor.cookieHeader()}; zairyu_session=cookie-value-never-logged` },
      );
      expect(page.statusCode).toBe(503);
      const entries = parsed(lines);
      const errors = entries.filter((entry) => Number(entry.level) >= 50);
      expect(errors).toHaveLength(1);
      const [error] = errors;
      expect(error?.reqId).toEqual(expect.any(String));
      expect(error?.err).toMatchObject({ type: expect.any(String) });
      const answered = entries.find((entry) => (entry.res as { statusCode?: number })?.statusCode === 503);
      expect(answered?.reqId).toBe(error?.reqId);
      expect(lines.join('\n')).not.toMatch(/cookie-value-never-logged|SELECT |INSERT /);
    } finally {
      await harness.close();
      unreachable.close();
    }
  });
});
