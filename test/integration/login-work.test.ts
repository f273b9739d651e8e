/**
 * A wrong password on a known user ID must cost what an unknown user ID costs, or the time of the
 * answer tells which user IDs exist. Timing tests flake; the work is counted instead: the app's
 * connections to PostgreSQL go through a TCP proxy that reads every statement the app sends
 * (the protocol's Query and Parse messages), so the test sees the statements from outside.
 */
import { connect, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Browser, createUser, type Harness, startHarness } from './harness.ts';

/** The statement text of a Query ('Q') or Parse ('P') message body. */
function statementOf(type: string, body: Buffer): string | undefined {
  if (type === 'Q') return body.subarray(0, body.indexOf(0)).toString();
  if (type !== 'P') return undefined;
  const start = body.indexOf(0) + 1; // after the prepared statement's name
  return body.subarray(start, body.indexOf(0, start)).toString();
}

/** Forwards TCP to PostgreSQL and, while recording, keeps the text of every statement sent. */
function statementRecorder(target: URL) {
  const statements: string[] = [];
  let recording = false;
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) socket.on('error', () => {});
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    upstream.pipe(client);
    let pending = Buffer.alloc(0);
    let started = false; // the startup message has no type byte
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const offset = started ? 1 : 0;
        if (pending.length < offset + 4) break;
        const end = offset + pending.readInt32BE(offset);
        if (pending.length < end) break;
        const statement = started
          ? statementOf(String.fromCharCode(pending[0] ?? 0), pending.subarray(5, end))
          : undefined;
        if (recording && statement !== undefined) statements.push(statement);
        pending = pending.subarray(end);
        started = true;
      }
    });
  });
  return {
    server,
    /** Records the statements sent while `work` runs. */
    async during(work: () => Promise<unknown>): Promise<string[]> {
      statements.length = 0;
      recording = true;
      try {
        await work();
      } finally {
        recording = false;
      }
      return [...statements];
    },
  };
}

const listening = (server: Server): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );

let harness: Harness;
let recorder: ReturnType<typeof statementRecorder>;
beforeAll(async () => {
  const target = new URL(inject('databaseUrl'));
  recorder = statementRecorder(target);
  const proxied = new URL(target);
  proxied.host = `127.0.0.1:${await listening(recorder.server)}`;
  harness = await startHarness({ LOGIN_LOCKOUT_ATTEMPTS: '2' }, { databaseUrl: proxied.toString() });
});
afterAll(async () => {
  await harness.close();
  await new Promise((resolve) => recorder.server.close(resolve));
});

/** The statements one login POST sends (the traffic recorder's timed batch aside), and its page. */
async function loginStatements(userId: string, password: string) {
  const browser = new Browser(harness.app);
  await browser.get('/');
  await browser.press('GO_LOGIN');
  const statements = await recorder.during(() => browser.press('LOGIN', { userId, password }));
  expect(browser.page.url).toBe('/login');
  return statements.filter((text) => !text.includes('flow_transitions'));
}

describe('the work of a failed login', () => {
  it('sends PostgreSQL the same statements for a wrong password on a known user ID, an unknown user ID and a locked account', async () => {
    const known = await createUser(harness.pool);
    const locked = await createUser(harness.pool);
    for (let i = 0; i < harness.config.LOGIN_LOCKOUT_ATTEMPTS; i++)
      await loginStatements(locked.userId, 'Wrong#pass1');

    const wrongPassword = await loginStatements(known.userId, 'Wrong#pass1');
    const unknownUser = await loginStatements('nosuchuser42', 'Wrong#pass1');
    const lockedAccount = await loginStatements(locked.userId, locked.password);

    expect(wrongPassword.some((text) => /^\s*UPDATE users/.test(text))).toBe(true);
    expect(unknownUser).toEqual(wrongPassword);
    expect(lockedAccount).toEqual(wrongPassword);
  });
});
