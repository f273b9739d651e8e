/**
 * What the paths must never do, for every page a session can rest on (read off the machine with
 * indexPages): every event the page's state does not take, a stale step token, a GET of every
 * other page's URL, and a GET of the page itself without its render's key or with a stale one end
 * the session on the invalid-operation page, with the session gone from Redis; and a side
 * effect's form posted twice at once runs once.
 *
 * Each page is reached once over HTTP (its shortest path); every check then starts from a copy of
 * that session (the stored record under a new id, with a cookie signed by the app), so the checks
 * do not replay the path again and do not disturb each other.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderKey } from '../../src/flow/pages.ts';
import { ACCOUNT_QUEUE, openAccountRequest } from '../../src/mail/account-requests.ts';
import { Browser, type MailHarness, postForm, startMailHarness } from '../integration/harness.ts';
import { type HttpDriver, httpDriver, sessionKey } from './http-driver.ts';
import { prepareForm, replay, type World } from './journey.ts';
import {
  acceptedTypes,
  allRequests,
  type PageVisit,
  pageOfValue,
  pages,
  pageVisits,
  pathOf,
  prefixTo,
  type Request,
} from './model.ts';

let harness: MailHarness;

beforeAll(async () => {
  harness = await startMailHarness({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => harness?.close());

const invalidOperation = pages.byPath.get('invalidOperation')?.meta.url;
const home = pages.byPath.get('home')?.meta.url;
const entry = pages.pages.find((page) => page.meta.entry?.event === 'OPEN_LINK');

/** A session resting on a page, kept so that each check starts from a copy of it. */
interface Rest {
  driver: HttpDriver;
  world: World;
  raw: string;
}

async function reach(id: string, requests: Request[]): Promise<Rest> {
  const driver = httpDriver(harness);
  const world = await replay(pathOf(id, requests), driver);
  const sessionId = driver.main.browser.sessionId();
  const raw = sessionId ? await harness.redis.get(sessionKey(harness, sessionId)) : null;
  if (!raw) throw new Error(`${id}: no session on the server`);
  return { driver, world, raw };
}

/** Another browser on a copy of the session: same state, same step token, its own id. */
async function fork(rest: Rest): Promise<{ browser: Browser; key: string }> {
  const id = randomBytes(32).toString('base64url');
  const key = sessionKey(harness, id);
  await harness.redis.set(key, rest.raw, 'PX', 600_000);
  const browser = new Browser(harness.app);
  browser.cookies.set('zairyu_session', encodeURIComponent(harness.app.signCookie(id)));
  browser.page = { ...rest.driver.main.browser.page };
  return { browser, key };
}

/** What went wrong, per request tried: one list per page, so one failure does not hide the next. */
type Findings = string[];

async function expectLoggedOut(findings: Findings, label: string, browser: Browser, key: string) {
  const wrong = [
    browser.page.url !== invalidOperation && `shows ${browser.page.url} (HTTP ${browser.page.status})`,
    browser.sessionId() !== undefined && 'keeps a session cookie',
    (await harness.redis.exists(key)) === 1 && 'leaves the session in Redis',
  ].filter(Boolean);
  if (wrong.length > 0) findings.push(`${label}: ${wrong.join(', ')}`);
}

/** Every action a client could post that the page's state does not take. */
function refused(visit: PageVisit): string[] {
  const accepted = new Set(acceptedTypes(visit.state));
  return [...[...pages.eventTypes].filter((type) => !accepted.has(type)), 'NO_SUCH_EVENT', ''];
}

/** Events the engine alone sends (or that carry what only the engine can give): no page has a button for them. */
const engineOnly = ['INVALID', 'OPEN_LINK', 'OPEN_RESTORE_LINK', 'INVALID_OPERATION', 'SESSION_EXPIRED'];

const visits = pageVisits();

describe.concurrent('out of sequence on every page → invalid operation, session gone', () => {
  for (const visit of visits) {
    const name = visit.page.path;
    const resting = () => reach(`N-${name}`, visit.requests);

    it(`${name}: every event its state does not take, a stale step token, a GET of another page or render`, async ({
      expect,
    }) => {
      const rest = await resting();
      const findings: Findings = [];
      for (const action of refused(visit)) {
        const { browser, key } = await fork(rest);
        await browser.press(action);
        await expectLoggedOut(findings, `POST ${action || '(no action)'}`, browser, key);
      }
      const [accepted] = acceptedTypes(visit.state);
      {
        const { browser, key } = await fork(rest);
        await browser.press(accepted ?? 'HOME', {}, 'stale-step-token');
        await expectLoggedOut(findings, `POST ${accepted} with a stale step token`, browser, key);
      }
      for (const other of pages.pages.filter((page) => page !== visit.page)) {
        const { browser, key } = await fork(rest);
        await browser.get(other.meta.url);
        await expectLoggedOut(findings, `GET ${other.meta.url}`, browser, key);
      }
      for (const stale of [visit.page.meta.url, `${visit.page.meta.url}?${renderKey}=0`]) {
        const { browser, key } = await fork(rest);
        await browser.get(stale);
        await expectLoggedOut(findings, `GET ${stale} (the page, another render's key)`, browser, key);
      }
      {
        const { browser } = await fork(rest);
        const again = await browser.refresh();
        if (again.url !== visit.page.meta.url) findings.push(`a refresh moves to ${again.url}`);
      }
      expect(findings).toEqual([]);
    });

    it(`${name}: events only the engine sends, posted by a client`, async ({ expect }) => {
      const rest = await resting();
      const findings: Findings = [];
      for (const action of engineOnly) {
        const { browser, key } = await fork(rest);
        await browser.press(action, { userId: 'abcdef1' });
        await expectLoggedOut(findings, `POST ${action}`, browser, key);
      }
      expect(findings).toEqual([]);
    });

    it(`${name}: an emailed link opened ends the session and checks the link in a new one`, async ({
      expect,
    }) => {
      const rest = await resting();
      const { browser, key } = await fork(rest);
      const before = browser.sessionId();
      const page = await browser.get(`${entry?.meta.url}?token=${randomBytes(32).toString('base64url')}`);
      expect(page.url).toBe(pages.byPath.get('linkInvalid')?.meta.url);
      expect(await harness.redis.exists(key)).toBe(0);
      expect(browser.sessionId()).not.toBe(before);
    });
  }
});

describe('a visitor without a session', () => {
  it('is sent to the homepage from every page but the terminal ones, which render', async () => {
    const findings: Findings = [];
    for (const page of pages.pages) {
      const browser = new Browser(harness.app);
      const shown = await browser.get(page.meta.url);
      const expected = page.meta.terminal ? page.meta.url : home;
      if (shown.url !== expected || shown.status !== 200)
        findings.push(`GET ${page.meta.url} → ${shown.url} (HTTP ${shown.status})`);
      if (browser.sessionId() !== undefined) findings.push(`GET ${page.meta.url} starts a session`);
    }
    expect(findings).toEqual([]);
  });

  it('with the cookie of a session that has expired sees the timed-out page', async () => {
    const rest = await reach('N-expired', visits[1]?.requests ?? []);
    const { browser, key } = await fork(rest);
    await harness.redis.del(key);
    expect((await browser.get(browser.page.url)).url).toBe(pages.byPath.get('timedOut')?.meta.url);
  });
});

/** How to count a side effect: the address its email goes to, or (logging in) the user's sessions. */
const effects: Record<string, (world: World, fields: Record<string, string>) => string | undefined> = {
  REGISTER: (world) => world.registrationEmail,
  // only an email change is notified (manual 2.4.1): the new address gets one notice
  CHANGE_USER_INFO: (_world, fields) => fields.email,
  CHANGE_PASSWORD: (world) => world.signedIn?.email,
  SEND_RESET: (_world, fields) => fields.email,
  SET_PASSWORD: (world) => world.open?.account.email,
  // the former address is told once that it is back (and the address it replaced, once too)
  RESTORE_EMAIL: (world) => world.openRestore?.former,
  LOGIN: () => undefined,
};

/** The queued registration and reset requests that name an address. */
async function accountRequests(address: string) {
  const jobs = await harness.boss.findJobs(ACCOUNT_QUEUE);
  return jobs.filter((job) => JSON.stringify(openAccountRequest(harness.seal, job.data)).includes(address));
}

/** The payload whose effect can be counted, where the first valid one leaves no trace to count. */
const countablePayload: Record<string, string> = { CHANGE_USER_INFO: 'email' };

/** One request per side effect: its first (countable) valid payload and its successful outcome. */
function effectRequests(): Request[] {
  const chosen = new Map<string, Request>();
  for (const r of allRequests()) {
    const action = r.trigger.action;
    const countable = !action || !countablePayload[action] || r.trigger.payload === countablePayload[action];
    if (
      action &&
      r.outcome?.outcome === 'ok' &&
      r.trigger.kind !== 'invalid' &&
      countable &&
      !chosen.has(action)
    ) {
      chosen.set(action, r);
    }
  }
  return [...chosen.values()];
}

describe.concurrent('a side effect posted twice at once runs once', () => {
  for (const request of effectRequests()) {
    const action = request.trigger.action ?? '';
    it(`${action} (${request.trigger.case})`, async ({ expect }) => {
      expect(action in effects, `no way to count the effect of ${action}`).toBe(true);
      const rest = await reach(`D-${action}`, prefixTo(request.from));
      const { browser } = rest.driver.main;
      const form = await prepareForm(rest.world, rest.driver, request);
      const recipient = effects[action]?.(rest.world, form.fields);
      const jobsBefore = recipient ? await harness.jobsFor(recipient) : 0;
      const requestsBefore = recipient ? (await accountRequests(recipient)).length : 0;
      const post = () =>
        postForm(
          harness.app,
          browser.page.url,
          { _step: browser.page.step, _action: form.action, ...form.fields },
          { cookie: browser.cookieHeader() },
        );
      const [a, b] = await Promise.all([post(), post()]);
      const expected = pageOfValue(request.to.value)?.meta.url;
      expect([a.statusCode, b.statusCode]).toEqual([303, 303]);
      // both sent to the one render the single move made
      expect(String(a.headers.location).split('?')[0]).toBe(expected);
      expect(b.headers.location).toBe(a.headers.location);
      if (recipient) {
        // Registration and reset requests are queued and mailed by a worker: once each.
        expect((await accountRequests(recipient)).length - requestsBefore).toBeLessThanOrEqual(1);
        await expect
          // the worker polls every half second; with the suite's other files running, give it the mail's time
          .poll(async () => (await accountRequests(recipient)).every((job) => job.state === 'completed'), {
            timeout: 15_000,
          })
          .toBe(true);
        expect(await harness.jobsFor(recipient)).toBe(jobsBefore + 1);
        await harness.smtp.waitFor((m) => m.to.includes(recipient));
      } else {
        const { rows } = await harness.pool.query<{ id: string }>(
          'SELECT id::text FROM users WHERE user_id = $1',
          [form.fields.userId],
        );
        expect(await harness.redis.smembers(`${harness.prefix}u:${rows[0]?.id}`)).toHaveLength(1);
      }
    });
  }
});
