/**
 * The shortest path to every page state of the session machine (test/paths/model.ts), replayed in
 * Chromium against the real server: the same paths and the same replay as the HTTP suite
 * (test/paths/journey.ts), with buttons clicked and fields filled in a real page. After every
 * request the page's URL and template are checked, and the state the server keeps in Redis.
 *
 *   PATHS_FILTER=S9 npm run test:e2e -- test/e2e/paths.spec.ts
 */
import { test } from '@playwright/test';
import { Redis } from 'ioredis';
import { replay } from '../paths/journey.ts';
import { generatePaths } from '../paths/model.ts';
import { redisUrl } from '../support/redis.ts';
import { pageDriver } from './page-driver.ts';

const paths = generatePaths(process.env.PATHS_FILTER || undefined).shortest;

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
