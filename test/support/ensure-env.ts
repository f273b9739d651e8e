/**
 * Runs before `npm test`: makes sure what the tests need is there, or says clearly what is not.
 * - Chromium and the IPA Gothic font (installed with apt-get when we are root);
 * - Redis on 127.0.0.1:6379 unless REDIS_URL is set (started when redis-server is installed);
 * - PostgreSQL on 127.0.0.1:5432 unless DATABASE_URL is set (the installed cluster is started;
 *   with no server installed, the tests fall back to embedded PostgreSQL).
 * Idempotent, and quick when everything is already there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';
import { browserPackages, chromiumPath, ipaGothicFont } from './e2e-settings.ts';
import { accepts, connectError, embeddedMarker, localAdminUrl } from './postgres.ts';

class EnvError extends Error {}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, command)));
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) {
    throw new EnvError(
      `\`${command} ${args.join(' ')}\` failed (${result.error?.message ?? `exit ${result.status}`})`,
    );
  }
}

/** Polls `ready` for up to `timeoutMs`. */
async function waitFor(ready: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ready()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return ready();
}

function ensureBrowser(): void {
  const missing = [
    existsSync(chromiumPath) ? undefined : `Chromium (${chromiumPath})`,
    existsSync(ipaGothicFont) ? undefined : 'the IPA Gothic font',
  ].filter((item) => item !== undefined);
  if (missing.length === 0) return;
  const install = `apt-get install -y ${browserPackages.join(' ')}`;
  if (process.getuid?.() !== 0 || !onPath('apt-get')) {
    throw new EnvError(`missing: ${missing.join(' and ')}; as root, run: ${install}`);
  }
  console.log(`ensure-env: installing ${browserPackages.join(', ')}`);
  run('apt-get', ['update']);
  run('apt-get', install.split(' ').slice(1));
}

function redisPing(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

async function ensureRedis(): Promise<void> {
  if (process.env.REDIS_URL) return;
  const ping = () => redisPing('127.0.0.1', 6379);
  if (await ping()) return;
  if (!onPath('redis-server')) {
    throw new EnvError(
      'Redis does not answer on 127.0.0.1:6379 and redis-server is not installed: ' +
        'install it (apt-get install -y redis-server) or set REDIS_URL',
    );
  }
  console.log('ensure-env: starting redis-server on 127.0.0.1:6379');
  run('redis-server', [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '--port',
    '6379',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  if (!(await waitFor(ping, 10_000))) throw new EnvError('redis-server was started but does not answer PING');
}

/** Installed PostgreSQL clusters named `main`, newest version first (Debian's layout). */
function installedClusters(): string[] {
  const etc = '/etc/postgresql';
  if (!existsSync(etc)) return [];
  return readdirSync(etc)
    .filter((version) => existsSync(join(etc, version, 'main')))
    .sort((a, b) => Number(b) - Number(a));
}

async function ensurePostgres(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const error = await connectError(localAdminUrl);
  if (!error) {
    rmSync(embeddedMarker, { force: true });
    return;
  }
  if (error.code !== 'ECONNREFUSED') {
    throw new EnvError(
      `PostgreSQL at 127.0.0.1:5432 refuses user postgres: ${error.message}; set DATABASE_URL`,
    );
  }
  const [version] = installedClusters();
  if (version === undefined || !onPath('pg_ctlcluster')) {
    mkdirSync(dirname(embeddedMarker), { recursive: true });
    writeFileSync(
      embeddedMarker,
      'No PostgreSQL server is installed: the tests run an embedded PostgreSQL (see test/support/postgres.ts).\n',
    );
    console.log('ensure-env: no PostgreSQL server installed; the tests will use embedded PostgreSQL');
    return;
  }
  rmSync(embeddedMarker, { force: true });
  console.log(`ensure-env: starting PostgreSQL ${version} (cluster main)`);
  run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']);
  if (!(await waitFor(() => accepts(localAdminUrl), 15_000))) {
    throw new EnvError(`PostgreSQL ${version} was started but 127.0.0.1:5432 does not accept user postgres`);
  }
}

try {
  ensureBrowser();
  await Promise.all([ensureRedis(), ensurePostgres()]);
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(`ensure-env: ${error.message}`);
  process.exit(1);
}
