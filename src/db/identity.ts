import type { Queryable } from './pool.ts';

/** The random identity migration 020 gave this database: what caches of its rows are keyed by. */
export async function databaseIdentity(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM database_identity');
  const [row] = rows;
  if (!row) throw new Error('the database has no identity: run the migrations (migration 020)');
  return row.id;
}
