/**
 * Forward-only migration runner: applies `migrations/NNN_name.sql` in order, each in its own
 * transaction, under an advisory lock so that two processes starting at once apply each once.
 */

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { settingsSchema } from '../config.ts';

const migrationsDir = join(import.meta.dirname, '..', '..', 'migrations');
/** Arbitrary but fixed: the advisory lock every Zairyu process takes to migrate. */
const lockKey = 7_351_002;

export async function migrate(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [lockKey]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await client.query('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
    const files = (await readdir(migrationsDir)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
    const applied: string[] = [];
    for (const file of files.filter((f) => !done.has(f))) {
      await applyOne(client, file);
      applied.push(file);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [lockKey]).catch(() => {});
    await client.end();
  }
}

async function applyOne(client: pg.Client, file: string): Promise<void> {
  const sql = await readFile(join(migrationsDir, file), 'utf8');
  await client.query('BEGIN');
  try {
    await client.query(sql);
    await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw new Error(`migration ${file} failed: ${(error as Error).message}`);
  }
}

if (import.meta.main) {
  // Only the database setting: migrations run as the tables' owner, which production's checks refuse.
  const url = settingsSchema.pick({ DATABASE_URL: true }).parse(process.env).DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is required to run migrations on their own');
    process.exit(2);
  }
  const applied = await migrate(url);
  console.log(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date');
}
