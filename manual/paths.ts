/**
 * The walk that shows the manual (and the explorer) every page: the paths generated from the
 * machine (test/paths/model.ts), replayed by the path suite's own replay (test/paths/journey.ts)
 * through any `Driver` — Chromium for the screenshots, the HTTP client for the model test.
 *
 * - the shortest path to every state, so every page state is shown clean;
 * - for every form a person fills in, the shortest way to its page and the invalid submit that
 *   marks the most fields (an empty one, mostly), so the page is also shown with its errors. A
 *   form a person fills in is one with an empty submit ("nothing-given"): all but the Search
 *   picker's, whose choices come from lists (only a tampered request gets its error).
 */

import type { FormEventType } from '../src/flow/forms.ts';
import type { PageState } from '../src/flow/pages.ts';
import type { Driver } from '../test/paths/journey.ts';
import { replay } from '../test/paths/journey.ts';
import {
  allRequests,
  type ModelPath,
  pageOfValue,
  pathOf,
  prefixTo,
  type Request,
  shortestPaths,
} from '../test/paths/model.ts';
import { type InvalidPayload, payloads } from '../test/paths/payloads.ts';

/** How a page is shown: as it opens (or as an outcome leaves it), or after a submit that broke its form's rules. */
export type Variant = 'clean' | 'errors';

const emptySubmit = 'nothing-given';

/** The invalid payload of a form that marks the most fields (the first listed of equals). */
function mostMarking(form: FormEventType): string | undefined {
  const marked = (payload: InvalidPayload) => payload.errors.filter(([field]) => field !== null).length;
  const invalid = payloads[form].invalid;
  if (!invalid.some((payload) => payload.name === emptySubmit)) return undefined;
  return invalid.reduce((best, payload) => (marked(payload) > marked(best) ? payload : best)).name;
}

/** For each form a person fills in: the shortest path to its page, then its most marking invalid submit. */
export function errorPaths(): ModelPath[] {
  const chosen = new Map<string, Request[]>();
  for (const request of allRequests()) {
    const { trigger } = request;
    const form = trigger.action as FormEventType;
    if (trigger.kind !== 'invalid' || trigger.payload !== mostMarking(form)) continue;
    const requests = [...prefixTo(request.from), request];
    const known = chosen.get(trigger.case);
    if (!known || known.length > requests.length) chosen.set(trigger.case, requests);
  }
  return [...chosen.values()].map((requests, i) => pathOf(`E${i + 1}`, requests));
}

/** Every path the walk takes: the shortest paths, then the error paths. */
export function walkPaths(): ModelPath[] {
  return [...shortestPaths(), ...errorPaths()];
}

/** A page the walk has come to, once the driver has checked it is the page the path expects. */
export interface Arrival {
  page: PageState;
  variant: Variant;
  /** The request that led here (the homepage opened, for the first page of a path). */
  request: Request;
  /** The error codes the page shows. */
  codes: string[];
}

/** The driver, reporting each page it has checked. */
function reporting(driver: Driver, arrive: (arrival: Arrival) => Promise<void>): Driver {
  return {
    ...driver,
    async check(request, codes) {
      await driver.check(request, codes);
      const page = pageOfValue(request.to.value);
      if (!page) throw new Error(`no page for ${JSON.stringify(request.to.value)}`);
      const variant = request.trigger.kind === 'invalid' ? 'errors' : 'clean';
      await arrive({ page, variant, request, codes });
    },
  };
}

export interface Session {
  driver: Driver;
  close(): Promise<void>;
}

/**
 * Replays each path in a session of its own (`open` makes one: a fresh browser), reporting every
 * page checked, with the session showing it. A path that fails is reported and the walk goes on;
 * the answer lists the failures.
 */
export async function walk<S extends Session>(
  paths: ModelPath[],
  open: () => Promise<S>,
  arrive: (arrival: Arrival, session: S) => Promise<void>,
): Promise<string[]> {
  const failures: string[] = [];
  for (const path of paths) {
    const session = await open();
    try {
      await replay(
        path,
        reporting(session.driver, (arrival) => arrive(arrival, session)),
      );
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    } finally {
      await session.close();
    }
  }
  return failures;
}
