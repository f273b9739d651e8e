import pg from 'pg';

// DATE columns come back as 'YYYY-MM-DD' strings, not as Dates shifted by the local time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export type Queryable = Pick<pg.PoolClient, 'query'>;

export function createPool(databaseUrl: string, max = 10): pg.Pool {
  return new pg.Pool({ connectionString: databaseUrl, max, idleTimeoutMillis: 30_000 });
}

/** Runs `work` in one transaction: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
