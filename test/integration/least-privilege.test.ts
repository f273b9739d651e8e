/**
 * The service run as production should run it: migrations applied apart by the tables' owner, the
 * process (`start()`, real HTTP) connected as the role `src/db/app-role.sql` makes, which reads and
 * writes rows and nothing more. Registration, password registration, login, a change and a reset
 * all work; what the role must not do, it cannot.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Running, start } from '../../src/main.ts';
import { type AppRole, createAppRole, createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';
import { Browser, linkIn, overHttp } from './harness.ts';

let database: TestDatabase;
let role: AppRole;
let smtp: TestSmtp;
let service: Running;

beforeAll(async () => {
  database = await createTestDatabase();
  role = await createAppRole(database.url);
  smtp = await startSmtp();
  service = await start({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: role.url,
    MIGRATE_ON_START: 'false',
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: `${inject('redisPrefix')}role:`,
    SMTP_URL: smtp.url,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
  });
}, 120_000);

afterAll(async () => {
  await service?.close();
  await smtp?.close();
  await role?.drop();
  await database?.drop();
});

const browser = () => new Browser(overHttp(() => service.url));

describe('connected as a role that only reads and writes rows', () => {
  it('registers, sets the password from the link, logs in, changes the phone and resets the password', async () => {
    const email = `role-${randomBytes(4).toString('hex')}@example.com`;
    const visitor = browser();
    await visitor.get('/');
    await visitor.press('GO_REGISTER');
    await visitor.press('CONFIRM_REGISTRATION', {
      name: 'ROLE USER',
      sex: 'female',
      birthDate: '1991-03-04',
      municipalityCode: '13101',
      street: '１－２',
      phone: '0312345678',
      email,
      emailConfirm: email,
    });
    expect((await visitor.press('REGISTER')).url).toBe('/register/complete');
    const registered = await smtp.waitFor((m) => m.to.includes(email) && m.subject.includes('利用者登録'));
    const userId = /(?:利用者ID|認証ID)：([a-z0-9]+)/.exec(registered.text)?.[1] ?? '';
    await visitor.get(linkIn(registered));
    const first = 'Koubou#first1';
    expect((await visitor.press('SET_PASSWORD', { password: first, passwordConfirm: first })).url).toBe(
      '/password/registered',
    );

    const user = browser();
    expect((await user.login({ id: '', userId, email, password: first })).url).toBe('/menu');
    await user.press('GO_USER_INFO');
    await user.press('GO_CHANGE_USER_INFO');
    expect((await user.press('CHANGE_USER_INFO', { phone: '0398761234' })).url).toBe('/user-info/updated');
    await user.press('LOGOUT');

    const forgot = browser();
    await forgot.get('/');
    await forgot.press('GO_LOGIN');
    await forgot.press('GO_FORGOT_PASSWORD');
    await forgot.press('SEND_RESET', { userId, email });
    const reset = await smtp.waitFor((m) => m.to.includes(email) && m.subject.includes('パスワード再設定'));
    await forgot.get(linkIn(reset));
    const second = 'Koubou#second2';
    await forgot.press('SET_PASSWORD', { password: second, passwordConfirm: second });
    expect((await browser().login({ id: '', userId, email, password: second })).url).toBe('/menu');
  });

  it('cannot create, alter, drop or truncate a table, rewrite the migration record or the audit trail', async () => {
    const client = new pg.Client({ connectionString: role.url });
    await client.connect();
    try {
      for (const sql of [
        'CREATE TABLE intruder (id int)',
        'ALTER TABLE users ADD COLUMN intruder text',
        'DROP TABLE notices',
        'TRUNCATE flow_transitions',
        "INSERT INTO schema_migrations (name) VALUES ('999_intruder.sql')",
        'DELETE FROM schema_migrations',
        "UPDATE audit_events SET outcome = 'success'",
      ]) {
        await expect(client.query(sql), sql).rejects.toThrow(/permission denied|must be owner|append-only/);
      }
    } finally {
      await client.end();
    }
  });

  it('creates no demo user when started in production', async () => {
    const production = await start({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      BASE_URL: 'https://portal.example.jp',
      DATABASE_URL: role.url,
      MIGRATE_ON_START: 'false',
      REDIS_URL: inject('redisUrl'),
      REDIS_PREFIX: `${inject('redisPrefix')}role-production:`,
      SMTP_URL: smtp.url,
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      OPERATOR_TOKEN: randomBytes(24).toString('base64url'),
      RUN_WORKER: 'false',
      LOG_LEVEL: 'silent',
    });
    await production.close();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT user_id FROM users WHERE user_id = 'madoguchi01'");
      expect(rows).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
