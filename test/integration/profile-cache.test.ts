/**
 * The cached profiles of signed-in users live in Redis beside the sessions, keyed by the user's
 * database key. Two databases sharing one Redis prefix — two deployments, or a database recreated
 * while Redis kept its keys — have users with the same keys: each must show its own.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { Browser, createUser, type Harness, startHarness } from './harness.ts';

const databases: TestDatabase[] = [];
const harnesses: Harness[] = [];

beforeAll(async () => {
  const prefix = `${inject('redisPrefix')}${randomBytes(4).toString('hex')}:`;
  for (let i = 0; i < 2; i++) {
    const database = await createTestDatabase();
    databases.push(database);
    harnesses.push(await startHarness({}, { prefix, databaseUrl: database.url }));
  }
});

afterAll(async () => {
  for (const harness of harnesses) await harness.close();
  for (const database of databases) await database.drop();
});

it('shows each of two databases under one Redis prefix its own user, though both users have the same key', async () => {
  const [a, b] = harnesses as [Harness, Harness];
  const userA = await createUser(a.pool, { phone: '0311111111' });
  const userB = await createUser(b.pool, { phone: '0322222222' });
  expect(userA.id).toBe(userB.id); // the first user of each database: the same key

  const first = new Browser(a.app);
  await first.login(userA);
  const pageA = await first.press('GO_USER_INFO');
  expect(pageA.html).toContain(userA.email);

  const second = new Browser(b.app);
  await second.login(userB);
  const pageB = await second.press('GO_USER_INFO');
  expect(pageB.html).toContain(userB.email);
  expect(pageB.html).toContain('0322222222');
  expect(pageB.html).not.toContain(userA.email);
  expect(pageB.html).not.toContain('0311111111');
});
