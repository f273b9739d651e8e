/**
 * Settings the service refuses to start with, shown on the real process (`node src/main.ts`):
 * production over plain http or with guessable secrets, and a development server reachable from
 * other hosts without being asked to be. Each refusal names the variable, exits with 1 and prints
 * no stack trace.
 */

import { afterAll, describe, expect, it } from 'vitest';
import {
  StartFailed,
  serviceEnv,
  startProcess,
  stopAll,
  stopProcess,
  webReady,
} from '../support/processes.ts';
import { productionEnv } from '../support/production-env.ts';

afterAll(stopAll);

/** Starts the web process; answers its exit code and output, or fails the test if it became ready. */
async function refusal(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const started = await startProcess('src/main.ts', { env: serviceEnv(env), ready: webReady }).catch(
    (error: unknown) => error,
  );
  if (!(started instanceof StartFailed)) throw new Error('the process started with settings it must refuse');
  return { code: started.code, output: started.output };
}

describe('production', () => {
  it.each([
    ['an http: BASE_URL', { BASE_URL: 'http://portal.example.jp' }, 'BASE_URL must be https:'],
    [
      'a SESSION_SECRET of 32 × "a"',
      { SESSION_SECRET: 'a'.repeat(32) },
      'SESSION_SECRET repeats one pattern',
    ],
    [
      'a SESSION_SECRET of few different characters',
      { SESSION_SECRET: `${'a'.repeat(30)}bcdefghij` },
      'SESSION_SECRET has too few different characters',
    ],
    [
      'an OPERATOR_TOKEN of 16 × "a"',
      { OPERATOR_TOKEN: 'a'.repeat(16) },
      'OPERATOR_TOKEN is shorter than 24 characters',
    ],
    [
      'an OPERATOR_TOKEN of one pattern repeated',
      { OPERATOR_TOKEN: 'Zq9!'.repeat(8) },
      'OPERATOR_TOKEN repeats one pattern',
    ],
  ])(
    'refuses to start with %s: exit code 1, the variable named, no stack trace',
    async (_case, change, message) => {
      const { code, output } = await refusal(productionEnv(change));
      expect(code).toBe(1);
      expect(output).toContain(message);
      expect(output).not.toMatch(/^\s+at /m);
      // the one variable broken is the one named
      expect(output.match(/^ {2}\w+:/gm)).toHaveLength(1);
    },
  );
});

describe('outside production', () => {
  it.each(['development', 'test'])(
    'refuses to listen on 0.0.0.0 in %s mode without ALLOW_REMOTE_DEV=1: exit code 1, HOST named, no stack trace',
    async (mode) => {
      const { code, output } = await refusal({ NODE_ENV: mode, HOST: '0.0.0.0' });
      expect(code).toBe(1);
      expect(output).toContain('HOST 0.0.0.0 is reachable from other hosts');
      expect(output).toContain('ALLOW_REMOTE_DEV=1');
      expect(output).not.toMatch(/^\s+at /m);
    },
  );

  it('listens on 0.0.0.0 and answers with ALLOW_REMOTE_DEV=1', async () => {
    const started = await startProcess('src/main.ts', {
      env: serviceEnv({
        NODE_ENV: 'development',
        HOST: '0.0.0.0',
        ALLOW_REMOTE_DEV: '1',
        RUN_WORKER: 'false',
      }),
      ready: webReady,
    });
    const port = /^http:\/\/0\.0\.0\.0:(\d+)$/.exec(started.url)?.[1];
    expect(port).toBeDefined();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    await stopProcess(started.child);
  });
});
