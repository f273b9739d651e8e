/**
 * The paths generated from the session machine (model.ts), replayed over HTTP against the real
 * app on PostgreSQL, Redis and a real SMTP server. After every request the session record in
 * Redis must hold the path's state and the page shown must be that state's page. Writes the
 * coverage report to test-results/paths/ and fails below 100% of states and transitions (the
 * `unreachable` table of model.ts excepted), and always when PATHS_FILTER picks some paths only.
 *
 *   PATHS_FILTER=P17 npm exec -- vitest run test/paths/replay.test.ts     one path, by id
 *   PATHS_FILTER=OPEN_LINK npm exec -- vitest run test/paths/replay.test.ts   paths whose name has it
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStateNodes } from 'xstate/graph';
import { forms } from '../../src/flow/forms.ts';
import { type MailHarness, startMailHarness } from '../integration/harness.ts';
import { httpDriver } from './http-driver.ts';
import { replay } from './journey.ts';
import { generatePaths, machine, outcomes } from './model.ts';
import { payloads, probeBodies, sampleFacts } from './payloads.ts';
import { Coverage, summaryLine, writeReport } from './report.ts';

const filter = process.env.PATHS_FILTER || undefined;
const paths = generatePaths(filter);
const coverage = new Coverage();
let harness: MailHarness;

beforeAll(async () => {
  // Every path's browser comes from one address: the per-address limit would refuse them.
  harness = await startMailHarness({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => harness?.close());

const ctx = { userId: sampleFacts.userId, lang: 'ja' as const };
const pairs = (errors: { field?: string; code: string }[]) =>
  errors.map((e) => `${e.field ?? '-'} ${e.code}`).sort();

describe('the payload table (payloads.ts) against the forms', () => {
  for (const [type, table] of Object.entries(payloads)) {
    const form = forms[type as keyof typeof forms];

    it(`${type}: each invalid payload gives exactly its errors, each valid one none`, () => {
      for (const payload of table.invalid) {
        const result = form(payload.fields(sampleFacts), ctx);
        const expected = payload.errors.map(([field, code]) => `${field ?? '-'} ${code}`).sort();
        expect(result.ok ? [] : pairs(result.errors), `${type}:${payload.name}`).toEqual(expected);
      }
      for (const payload of table.valid) {
        const result = form(payload.fields(sampleFacts), ctx);
        expect(result.ok ? [] : pairs(result.errors), `${type}:${payload.name}`).toEqual([]);
      }
    });

    it(`${type}: every error the form gives to probing bodies has an invalid payload`, () => {
      const listed = new Set(
        table.invalid.flatMap((p) => p.errors.map(([field, code]) => `${field ?? '-'} ${code}`)),
      );
      const provoked = probeBodies().flatMap((body) => {
        const result = form(body, ctx);
        return result.ok ? [] : pairs(result.errors);
      });
      expect(provoked.filter((pair) => !listed.has(pair))).toEqual([]);
    });
  }

  it('has outcomes for every side effect the machine invokes', () => {
    const invoked = getStateNodes(machine.root).flatMap((node) => node.invoke.map((i) => String(i.src)));
    expect(invoked.filter((src) => !(src in outcomes))).toEqual([]);
  });
});

describe.concurrent(`${paths.all.length} paths replayed over HTTP`, () => {
  for (const path of paths.all) {
    it(`${path.id}: ${path.name}`, async () => {
      const started = Date.now();
      const driver = httpDriver(harness);
      let error: string | undefined;
      try {
        await replay(path, driver, (request) => coverage.record(request));
        if (driver.problems.length > 0) throw new Error(`${path.id}: ${driver.problems.join('; ')}`);
      } catch (caught) {
        error = caught instanceof Error ? caught.message : String(caught);
        throw caught;
      } finally {
        const { id, kind, name } = path;
        coverage.result({
          id,
          kind,
          name,
          requests: path.requests.length,
          passed: !error,
          ms: Date.now() - started,
          error,
        });
      }
    });
  }
});

describe('coverage of the machine', () => {
  it('reaches every state and takes every transition not listed as unreachable', () => {
    const report = coverage.report();
    writeReport(report);
    console.log(summaryLine(report));
    // A filtered run replays some paths only: it cannot show the machine covered, so it says so.
    expect(
      filter,
      `PATHS_FILTER=${filter} replayed ${paths.all.length} paths: the coverage of the machine is not checked`,
    ).toBeUndefined();
    expect(report.transitions.staleUnreachable, 'stale entries in the unreachable table').toEqual([]);
    expect(report.states.missing, 'states not reached').toEqual([]);
    expect(report.transitions.missing, 'transitions not taken').toEqual([]);
  });
});
