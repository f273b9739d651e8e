/**
 * Proof 3: the worker process is SIGKILLed in the middle of its work, twice; after a restart
 * every email arrives. A kill can repeat only the messages the relay had accepted but whose
 * acknowledgement had not reached the database at that instant; the test counts them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { enqueueCommitted, job, type MailHarness, mailHarness, sleep, waitUntil } from './helpers.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const COUNT = 400;
/** The worker's default concurrency: at most this many messages are in flight at a kill. */
const IN_FLIGHT = 1;

let h: MailHarness;
let child: ChildProcess | undefined;

beforeAll(async () => {
  h = await mailHarness('crash');
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await h?.close();
});

async function startWorkerProcess(): Promise<ChildProcess> {
  const proc = spawn(
    join(root, 'node_modules', '.bin', 'node'),
    [join(import.meta.dirname, 'child-worker.ts')],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: h.db.url, SMTP_URL: h.smtp.url, MAIL_SCHEMA: h.db.schema },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  proc.stdout?.on('data', (chunk) => (out += chunk));
  await waitUntil(() => out.includes('ready') || proc.exitCode !== null, 20_000, 'the worker process');
  expect(proc.exitCode).toBeNull();
  return proc;
}

async function kill(proc: ChildProcess): Promise<void> {
  const exited = once(proc, 'exit');
  proc.kill('SIGKILL');
  await exited;
}

const distinct = () => new Set(h.smtp.messages.map((m) => m.messageId)).size;

test('after SIGKILLs mid-batch and a restart every email arrives', { timeout: 90_000 }, async () => {
  const { db, smtp } = h;
  const boss = await db.boss();
  const ids = await enqueueCommitted(
    boss,
    db.pool,
    Array.from({ length: COUNT }, (_, i) => job(i)),
  );
  const kills: number[] = [];
  const heldAtKill: number[] = [];
  for (const at of [80, 200]) {
    child = await startWorkerProcess();
    await waitUntil(() => smtp.messages.length >= at, 30_000, `${at} emails`);
    await kill(child);
    kills.push(smtp.messages.length);
    heldAtKill.push((await db.jobs()).filter((j) => j.state === 'active').length);
  }
  // The kills came while work was in progress: jobs were claimed and not yet settled.
  expect(kills.every((delivered) => delivered < COUNT)).toBe(true);
  expect(heldAtKill.some((held) => held > 0)).toBe(true);

  child = await startWorkerProcess();
  await waitUntil(() => distinct() >= COUNT, 60_000, `all ${COUNT} emails`);
  await waitUntil(
    async () => (await db.jobs()).every((j) => j.state === 'completed'),
    30_000,
    'every job completed',
  );
  await sleep(1500);
  child.kill('SIGTERM');
  await once(child, 'exit');

  const expected = new Set(ids.map((id) => `<job-${id}@ras-immi.example.jp>`));
  const received = smtp.messages.map((m) => m.messageId);
  expect(received.every((id) => expected.has(id))).toBe(true);
  expect(distinct()).toBe(COUNT);
  const duplicates = received.length - distinct();
  console.log(
    `crash test: ${COUNT} emails, ${kills.length} SIGKILLs (at ${kills.join(' and ')} delivered, ` +
      `${heldAtKill.join(' and ')} jobs in hand), ` +
      `${received.length} deliveries, ${duplicates} Message-ID(s) delivered twice`,
  );
  expect(duplicates).toBeLessThanOrEqual(kills.length * IN_FLIGHT);
  expect((await db.jobs()).every((j) => j.state === 'completed')).toBe(true);
});
