import pg from 'pg';
import { isConnectionFailure, UnavailableError } from '../errors.ts';

// DATE columns come back as 'YYYY-MM-DD' strings, not as Dates shifted by the local time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export type Queryable = Pick<pg.PoolClient, 'query'>;

export function createPool(databaseUrl: string, max = 10, onError?: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, idleTimeoutMillis: 30_000 });
  // An idle client losing its server emits 'error'; unhandled, that would end the process. The
  // pool drops the client and the next query connects again, so noting it is all there is to do.
  pool.on('error', (error) => onError?.(error));
  return failingAsUnavailable(pool);
}

function unavailable(error: unknown): never {
  throw isConnectionFailure(error) ? new UnavailableError('PostgreSQL', error) : error;
}

/**
 * The pool's queries and connections fail with `UnavailableError` when the server cannot be
 * reached, so the error writer answers 503 by class. Only the promise forms are used here; the
 * callback form of `connect` is left as it is.
 */
function failingAsUnavailable(pool: pg.Pool): pg.Pool {
  const query: (...args: unknown[]) => Promise<unknown> = pool.query.bind(pool);
  const connect: (...args: unknown[]) => Promise<pg.PoolClient> | undefined = pool.connect.bind(pool);
  return Object.assign(pool, {
    query: (...args: unknown[]) => query(...args).catch(unavailable),
    // pg-pool's own query connects with a callback: that form is passed through as it is
    connect: (...args: unknown[]) => (args.length > 0 ? connect(...args) : connect()?.catch(unavailable)),
  });
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
  // A failure after the client lost its server is the server's unavailability, whatever threw it.
  let lostServer = false;
  const lost = () => {
    lostServer = true;
  };
  client.on('error', lost);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw lostServer ? new UnavailableError('PostgreSQL', error) : error;
  } finally {
    client.off('error', lost);
    client.release();
  }
}
