/**
 * The shortest path to every page state of the session machine (test/paths/model.ts), replayed in
 * Chromium against the real server: the same paths and the same replay as the HTTP suite
 * (test/paths/journey.ts), with buttons clicked and fields filled in a real page. After every
 * request the page's URL and template are checked, and the state the server keeps in Redis.
 *
 *   PATHS_FILTER=S9 npm run test:e2e -- test/e2e/paths.spec.ts
 */
import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import { Redis } from 'ioredis';
import { type Driver, registerAccount, replay, stateMismatch } from '../paths/journey.ts';
import { generatePaths, pageOfValue, type Request } from '../paths/model.ts';
import { redisUrl } from '../support/redis.ts';
import { PageClient } from './page-client.ts';
import { waitForMail } from './support.ts';

const paths = generatePaths(process.env.PATHS_FILTER || undefined).shortest;

async function sessionId(page: Page): Promise<string | undefined> {
  const cookie = (await page.context().cookies()).find((c) => c.name.endsWith('zairyu_session'));
  return cookie ? decodeURIComponent(cookie.value).split('.')[0] : undefined;
}

/** The key of a session in Redis, whatever prefix the e2e server runs with. */
async function sessionKey(redis: Redis, id: string): Promise<string | undefined> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*s:${id}`, 'COUNT', 1000);
    if (keys[0]) return keys[0];
    cursor = next;
  } while (cursor !== '0');
  return undefined;
}

function pageDriver(browser: Browser, main: Page, baseURL: string, redis: Redis) {
  const contexts: BrowserContext[] = [];
  const client = new PageClient(async () => main);
  const stored = async (id: string | undefined) => {
    const key = id && (await sessionKey(redis, id));
    const raw = key ? await redis.get(key) : null;
    return raw === null
      ? null
      : (JSON.parse(raw.slice(raw.indexOf('\n') + 1)) as { snapshot: { value: unknown } });
  };
  const driver: Driver = {
    main: client,
    side: () =>
      new PageClient(async () => {
        const context = await browser.newContext({ baseURL });
        contexts.push(context);
        return context.newPage();
      }),
    createAccount: () => registerAccount(driver),
    mail: (predicate) => waitForMail(predicate),
    outOfSequence: (action) => client.postForeign(action),
    async expire() {
      const key = await sessionKey(redis, (await sessionId(main)) ?? '');
      if (key) await redis.pexpire(key, 1);
      await new Promise((resolve) => setTimeout(resolve, 10));
      await main.reload();
    },
    async check(request: Request, expectedCodes: string[]) {
      const expected = pageOfValue(request.to.value);
      if (!expected) throw new Error(`no page for ${JSON.stringify(request.to.value)}`);
      expect(new URL(main.url()).pathname).toBe(expected.meta.url);
      await expect(main.locator(`main.page--${expected.meta.template}`)).toBeVisible();
      for (const code of expectedCodes)
        await expect(main.locator(`[data-code="${code}"]`).first()).toBeVisible();
      const id = await sessionId(main);
      if (request.to.status === 'done') expect(id, 'no session after it ended').toBeUndefined();
      else if (id) {
        const mismatch = stateMismatch(await stored(id), request);
        if (mismatch) throw new Error(mismatch);
      }
    },
  };
  return { driver, close: () => Promise.all(contexts.map((c) => c.close())) };
}

let redis: Redis;
test.beforeAll(() => {
  redis = new Redis(redisUrl());
});
test.afterAll(() => redis.disconnect());

for (const path of paths) {
  test(`${path.id}: ${path.name}`, async ({ browser, page, baseURL }) => {
    const { driver, close } = pageDriver(browser, page, baseURL ?? '', redis);
    try {
      await replay(path, driver);
    } finally {
      await close();
    }
  });
}
