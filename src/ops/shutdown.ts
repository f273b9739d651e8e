/**
 * The graceful stop of the web process and of the worker on SIGTERM or SIGINT: `close()` stops
 * taking work, finishes what is in hand and closes the pools, then the process exits 0. Whatever
 * still runs at the deadline is cut (exit 1): a mail job in hand is retried by another worker once
 * its heartbeat lapses, a request in flight is answered by no one. The deadline is a timer on the
 * event loop, which is why nothing may block that loop, logging included (logging.ts).
 */
import { logFlushed } from './logging.ts';

/** README: a process is gone within 15 s of SIGTERM. It gives up at 14 s, a second left to exit. */
export const shutdownDeadlineMs = 14_000;

export function stopOnSignals(
  close: (signal: NodeJS.Signals) => Promise<void>,
  onFailure: (signal: NodeJS.Signals, error: unknown) => void,
): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), shutdownDeadlineMs).unref();
    close(signal)
      .then(() => logFlushed())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          onFailure(signal, error);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
