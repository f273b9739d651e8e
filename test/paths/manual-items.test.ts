/**
 * The manual's numbered on-screen items (src/flow/manual-items.ts) against the pages the real app
 * renders: every page state of the machine, in Japanese and in English, reached over HTTP by the
 * shortest generated path to it (model.ts), and each page with a form once more with its errors
 * shown (the generated path's invalid payload that marks the most fields). A page must carry every
 * item the catalogue lists for it (`data-manual-item`), and no number the catalogue does not list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allItemIds,
  type ItemId,
  manualItem,
  manualPages,
  manualSections,
} from '../../src/flow/manual-items.ts';
import { type MailHarness, startMailHarness } from '../integration/harness.ts';
import { httpDriver } from './http-driver.ts';
import { expectedCodes, replay } from './journey.ts';
import { allRequests, pageOfValue, pages, pathOf, prefixTo, type Request } from './model.ts';
import { payloads } from './payloads.ts';

let harness: MailHarness;

beforeAll(async () => {
  harness = await startMailHarness({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => harness?.close());

const candidates = allRequests().map((request) => [...prefixTo(request.from), request]);
const last = (requests: Request[]) => requests.at(-1) as Request;
const shortest = (ways: Request[][]) =>
  ways.reduce<Request[] | undefined>((a, b) => (a && a.length <= b.length ? a : b), undefined);

/** How many fields an invalid payload marks with "!". */
function markedFields(request: Request): number {
  const { trigger } = request;
  if (trigger.kind !== 'invalid') return 0;
  const table = payloads[trigger.action as keyof typeof payloads];
  const payload = table.invalid.find((p) => p.name === trigger.payload);
  return new Set(payload?.errors.flatMap(([field]) => (field ? [field] : []))).size;
}

interface Visit {
  id: string;
  path: string;
  withErrors: boolean;
  requests: Request[];
}

/** Each page state as it first shows, and with the errors of its form. */
function visits(): Visit[] {
  return pages.pages.flatMap((page) => {
    const ending = candidates.filter((ways) => pageOfValue(last(ways).to.value) === page);
    // the page as it first shows; the invalid-link page only ever shows with its error
    const plain =
      shortest(ending.filter((ways) => expectedCodes(last(ways)).length === 0)) ?? shortest(ending);
    const invalid = ending.filter(
      (ways) => pageOfValue(last(ways).from.value) === page && markedFields(last(ways)) > 0,
    );
    const most = Math.max(0, ...invalid.map((ways) => markedFields(last(ways))));
    const errors = shortest(invalid.filter((ways) => markedFields(last(ways)) === most));
    if (!plain) throw new Error(`no way to ${page.path}`);
    return [
      { id: page.path, path: page.path, withErrors: false, requests: plain },
      ...(errors
        ? [{ id: `${page.path} (errors)`, path: page.path, withErrors: true, requests: errors }]
        : []),
    ];
  });
}

/** Every item number a page carries. */
function marksOf(html: string): Set<string> {
  const marks = [...html.matchAll(/data-manual-item="([^"]*)"/g)].flatMap((m) => (m[1] ?? '').split(/\s+/));
  return new Set(marks.filter(Boolean));
}

describe('the catalogue of the manual', () => {
  it('has the 53 numbered items of sections 1.4, 2.1.3, 2.2.2, 2.3, 2.4.2, 2.4.3, 2.4.4, 2.4.6, 2.4.7, 2.5.2 and 2.5.3', () => {
    expect(Object.keys(manualSections)).toEqual([
      '1.4',
      '2.1.3',
      '2.2.2',
      '2.3',
      '2.4.2',
      '2.4.3',
      '2.4.4',
      '2.4.6',
      '2.4.7',
      '2.5.2',
      '2.5.3',
    ]);
    expect(Object.values(manualSections).map((section) => section.items.length)).toEqual([
      8, 4, 7, 5, 3, 9, 2, 3, 7, 4, 1,
    ]);
    expect(allItemIds()).toHaveLength(53);
    for (const id of allItemIds()) {
      const item = manualItem(id);
      for (const text of [item?.name.en, item?.name.ja, item?.description.en, item?.description.ja]) {
        expect(text?.trim(), id).toBeTruthy();
      }
    }
  });

  it('has an entry for every page state of the machine, and for nothing else', () => {
    expect(Object.keys(manualPages).sort()).toEqual(pages.pages.map((page) => page.path).sort());
  });

  it('places every item of the manual on some page, and only items the manual has', () => {
    const placed = Object.values(manualPages).flatMap((page) => [...page.items, ...(page.onError ?? [])]);
    expect(placed.filter((id) => !manualItem(id))).toEqual([]);
    expect(allItemIds().filter((id) => !placed.includes(id))).toEqual([]);
  });
});

describe.concurrent('every page state carries its manual items', () => {
  for (const lang of ['ja', 'en'] as const) {
    for (const visit of visits()) {
      it(`${visit.id} in ${lang === 'ja' ? 'Japanese' : 'English'}`, async () => {
        const driver = httpDriver(harness);
        driver.main.browser.cookies.set('lang', lang);
        await replay(pathOf(`${visit.id} ${lang}`, visit.requests), driver);
        expect(driver.problems).toEqual([]);
        const { html } = driver.main.browser.page;
        expect(html).toContain(`<html lang="${lang}">`);
        const entry = manualPages[visit.path];
        const expected: ItemId[] = [
          ...(entry?.items ?? []),
          ...(visit.withErrors ? (entry?.onError ?? []) : []),
        ];
        const known = new Set<string>([...(entry?.items ?? []), ...(entry?.onError ?? [])]);
        const marks = marksOf(html);
        expect(
          expected.filter((id) => !marks.has(id)),
          'items of the catalogue missing from the page',
        ).toEqual([]);
        expect(
          [...marks].filter((id) => !known.has(id)),
          'numbers the catalogue does not list for the page',
        ).toEqual([]);
      });
    }
  }
});
