/**
 * Registration and the reset request answer the same whether or not the user ID or email exists:
 * the same bytes (step tokens aside) and, by median, the same time.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createUser, type Harness, startHarness, type TestUser } from './harness.ts';

let harness: Harness;
let user: TestUser;
beforeAll(async () => {
  harness = await startHarness({ RATE_LIMIT_PER_MINUTE: '10000' });
  user = await createUser(harness.pool);
});
afterAll(() => harness.close());

const withoutTokens = (html: string) =>
  html
    .replace(/name="_step" value="[^"]*"/g, 'name="_step" value=""')
    .replace(/data-step="[^"]*"/g, 'data-step=""');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Runs `submit` for both cases alternately; answers the pages and the POST times of each. */
async function compare(rounds: number, submit: (known: boolean) => Promise<{ html: string; ms: number }>) {
  const results = {
    known: [] as { html: string; ms: number }[],
    unknown: [] as { html: string; ms: number }[],
  };
  for (let i = 0; i < rounds; i++) {
    results.known.push(await submit(true));
    results.unknown.push(await submit(false));
  }
  const gap = Math.abs(median(results.known.map((r) => r.ms)) - median(results.unknown.map((r) => r.ms)));
  return { known: results.known[0]?.html, unknown: results.unknown[0]?.html, gap };
}

async function timedPress(browser: Browser, action: string, fields: Record<string, string>) {
  const started = performance.now();
  const page = await browser.press(action, fields);
  return { html: withoutTokens(page.html), ms: performance.now() - started };
}

describe('no account enumeration', () => {
  it('answers a reset request the same for a matching and an unknown pair', async () => {
    const result = await compare(25, async (known) => {
      const browser = new Browser(harness.app);
      await browser.get('/');
      await browser.press('GO_LOGIN');
      await browser.press('GO_FORGOT_PASSWORD');
      const userId = known ? user.userId : 'zzzzz99999';
      return timedPress(browser, 'SEND_RESET', { userId, email: user.email });
    });
    expect(result.known).toBe(result.unknown);
    console.log(`reset request: median time gap ${result.gap.toFixed(2)} ms`);
    expect(result.gap).toBeLessThan(5);
  });

  it('answers a registration the same for a new and an already registered email', async () => {
    const result = await compare(25, async (known) => {
      const browser = new Browser(harness.app);
      await browser.get('/');
      await browser.press('GO_REGISTER');
      const email = known ? user.email : `new-${Math.random().toString(36).slice(2, 10)}@example.com`;
      await browser.press('CONFIRM_REGISTRATION', {
        name: 'TEST TARO',
        sex: 'male',
        birthDate: '1990-04-01',
        municipalityCode: '13101',
        street: '霞が関１－１',
        phone: '0312345678',
        email,
        emailConfirm: email,
      });
      const page = await timedPress(browser, 'REGISTER', {});
      return { html: page.html.replace(email, 'EMAIL'), ms: page.ms };
    });
    expect(result.known).toBe(result.unknown);
    console.log(`registration: median time gap ${result.gap.toFixed(2)} ms`);
    expect(result.gap).toBeLessThan(5);
  });
});
