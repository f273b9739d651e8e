/**
 * Proof 5: a message the relay rejects with a 5xx on every attempt lands in the dead-letter
 * queue after its attempts; `npm run mail:dead` lists it (masked) and re-drives it, and it then
 * arrives with the Message-ID of the original job.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { listDeadLetters } from '../../../src/mail/dead.ts';
import {
  enqueueCommitted,
  job,
  MAIL_DEAD_LETTER_QUEUE,
  type MailHarness,
  mailHarness,
  startRelay,
  waitUntil,
} from './helpers.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const RECIPIENT = 'taro.yamada@example.com';

let h: MailHarness;
let rejecting: Awaited<ReturnType<typeof startRelay>>;

beforeAll(async () => {
  h = await mailHarness('dead');
  // A relay that knows no such mailbox: every RCPT TO gets a permanent 550.
  rejecting = await startRelay({
    onRcptTo(address, _session, callback) {
      callback(
        Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected`), {
          responseCode: 550,
        }),
      );
    },
  });
});

afterAll(async () => {
  await h?.close();
  await rejecting?.close();
});

/** Runs the real CLI against this file's pg-boss schema. */
async function mailDead(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    join(root, 'node_modules', '.bin', 'node'),
    ['src/mail/dead.ts', '--schema', h.db.schema, ...args],
    {
      cwd: root,
      // Vitest sets BASE_URL='/' in its own environment; the CLI would rightly refuse it.
      env: { ...process.env, NODE_ENV: 'test', BASE_URL: '', DATABASE_URL: h.db.url },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  return { code, stdout, stderr };
}

test('a permanently rejected message is dead-lettered, listed masked, and re-driven', async () => {
  const { db, smtp, log } = h;
  const boss = await db.boss({}, { retryLimit: 2, retryDelay: 1, retryBackoff: false });
  const rejected = await h.startWorker(boss, { smtpUrl: rejecting.url });
  const [id] = await enqueueCommitted(boss, db.pool, [
    job(1, { to: RECIPIENT, template: 'passwordChanged' }),
  ]);

  await waitUntil(async () => (await listDeadLetters(boss)).length === 1, 20_000, 'the dead letter');
  const [dead] = await listDeadLetters(boss);
  expect(dead).toMatchObject({ template: 'passwordChanged', to: 't***@example.com', attempts: 3 });
  expect(dead?.lastError).toContain('550');
  // Neither the stored failures nor the log carry the address.
  const stored = JSON.stringify(
    [...(await db.jobs()), ...(await db.jobs(MAIL_DEAD_LETTER_QUEUE))].map((j) => j.output),
  );
  expect(stored).toContain('t***@example.com');
  expect(stored).not.toContain(RECIPIENT);
  expect(log.lines.join('\n')).not.toContain(RECIPIENT);
  await rejected.stop();

  const listed = await mailDead();
  expect(listed.stderr).toBe('');
  expect(listed.code).toBe(0);
  expect(listed.stdout).toContain(dead?.id);
  expect(listed.stdout).toContain('t***@example.com');
  expect(listed.stdout).not.toContain(RECIPIENT);

  // The relay is fixed; the operator re-drives the message.
  await h.startWorker(boss);
  const redriven = await mailDead('--retry', dead?.id ?? '');
  expect(redriven.stdout).toContain('1 notification(s) moved back');
  expect(redriven.code).toBe(0);
  const message = await smtp.waitFor((m) => m.to.includes(RECIPIENT), 10_000);
  expect(message.messageId).toBe(`<job-${id}@ras-immi.example.jp>`);
  expect(await listDeadLetters(boss)).toEqual([]);
  expect((await mailDead()).stdout).toContain('No dead-lettered notifications.');
});
