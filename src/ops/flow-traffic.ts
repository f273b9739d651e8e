/**
 * Records every move of the session machines in PostgreSQL for the traffic overlay. Moves are
 * buffered and written in one INSERT per second (or per 500), so requests never wait on it; a
 * retention setting deletes old rows.
 */
import type pg from 'pg';
import { sessionMachine } from '../../machines/session.ts';
import { describeMachine, finalPaths } from '../diagram/model.ts';
import type { FlowObserver } from '../flow/engine.ts';
import { hashSessionId } from './logging.ts';

interface Move {
  /** ms since the epoch */
  at: number;
  session: string;
  from: string;
  event: string;
  to: string;
}

export interface TrafficRecorder {
  observer: FlowObserver;
  flush(): Promise<void>;
  /** Deletes rows older than the retention; answers how many. */
  purge(retentionDays: number): Promise<number>;
  close(): Promise<void>;
}

export function createTrafficRecorder(
  pool: pg.Pool,
  options: { flushMs?: number; maxBatch?: number; onError?: (error: Error) => void } = {},
): TrafficRecorder {
  const maxBatch = options.maxBatch ?? 500;
  let buffer: Move[] = [];
  let writing: Promise<void> = Promise.resolve();

  const write = async (moves: Move[]) => {
    if (moves.length === 0) return;
    // one JSON parameter: serialised natively, where five text arrays were escaped value by value
    await pool
      .query(
        `INSERT INTO flow_transitions (at, session, from_state, event, to_state)
         SELECT to_timestamp(at / 1000.0), session, "from", event, "to" FROM json_to_recordset($1::json)
             AS m(at double precision, session text, "from" text, event text, "to" text)`,
        [JSON.stringify(moves)],
      )
      .catch((error: Error) => options.onError?.(error)); // the overlay may lose a batch; a request never fails for it
  };
  const flush = () => {
    const moves = buffer;
    buffer = [];
    writing = writing.then(() => write(moves));
    return writing;
  };
  const timer = setInterval(flush, options.flushMs ?? 1000);
  timer.unref();

  return {
    observer: {
      transition({ trace, from, event, to }) {
        buffer.push({
          at: Date.now(),
          session: trace ? hashSessionId(trace) : 'unknown',
          from,
          event,
          to,
        });
        if (buffer.length >= maxBatch) void flush();
      },
    },
    flush,
    async purge(retentionDays) {
      const { rowCount } = await pool.query(
        'DELETE FROM flow_transitions WHERE at < now() - make_interval(days => $1)',
        [retentionDays],
      );
      return rowCount ?? 0;
    },
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}

/** Where a session ends: the machine's final states. */
const finalStates = finalPaths(describeMachine(sessionMachine));

/** Edge counts and, per state, how sessions that were in it ended, since a time. */
export async function trafficSince(pool: pg.Pool, since: Date) {
  const edges = await pool.query<{ from_state: string; event: string; to_state: string; count: number }>(
    `SELECT from_state, event, to_state, count(*)::int AS count FROM flow_transitions
      WHERE at >= $1 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [since],
  );
  // where people get stuck: the share of sessions that were last seen in a state before an end
  const endings = await pool.query<{ state: string; ending: string; sessions: number }>(
    `SELECT from_state AS state, to_state AS ending, count(DISTINCT session)::int AS sessions FROM flow_transitions
      WHERE at >= $1 AND to_state = ANY($2::text[])
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [since, finalStates],
  );
  return { edges: edges.rows, endings: endings.rows };
}
