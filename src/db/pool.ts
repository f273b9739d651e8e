import pg from 'pg';

// DATE columns come back as 'YYYY-MM-DD' strings, not as Dates shifted by the local time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export type Queryable = Pick<pg.PoolClient, 'query'>;

export function createPool(databaseUrl: string, max = 10, onError?: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, idleTimeoutMillis: 30_000 });
  // An idle client losing its server emits 'error'; unhandled, that would end the process. The
  // pool drops the client and the next query connects again, so noting it is all there is to do.
  pool.on('error', (error) => onError?.(error));
  return pool;
}

/** Runs `work` in one transaction: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  // A server lost mid-transaction fails the running query (and the transaction with it); the
  // client also emits 'error', which the pool hears only from idle clients: unheard, it would end
  // the process.
  const lost = () => {};
  client.on('error', lost);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.off('error', lost);
    client.release();
  }
}
