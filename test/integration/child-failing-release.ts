/**
 * A process built by the composition root (PostgreSQL and the queue only) whose pool something
 * released already, so that its own release fails at shutdown; stopped as the service's processes
 * are (src/ops/shutdown.ts). Started by composition.test.ts.
 */
import { buildApp } from '../../src/app.ts';
import { stopOnSignals } from '../../src/ops/shutdown.ts';

const app = await buildApp({ web: false, workers: false });
await app.postgres.pool.end();
// Nothing said here: the line about the failure must come from the plugin's release itself.
stopOnSignals(
  () => app.close(),
  () => {},
);
app.log.info('ready, with a pool that cannot be released');
