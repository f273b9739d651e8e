/**
 * Small screens (issue: the 「必須」 label broke across two lines at 390 px; on signed-in pages the
 * language link floated in the middle of the header), in real Chromium against the real server.
 *
 * Every page state is reached by the generated shortest paths (test/paths/model.ts), replayed as
 * the Chromium path suite replays them, in Japanese and in English; and every form page once more
 * with the invalid payload that shows the most errors, per form it posts. On every page reached,
 * at 320 and 390 CSS px wide (and the header at 1280):
 *
 * - nothing wraps mid-word. A word wraps mid-word when the client rects of its text
 *   (Range.getClientRects) lie on more than one line box. The words: every run of Latin letters and
 *   digits in the page's text, and the text of every element that is one word as the browser's own
 *   word breaker reads it (Intl.Segmenter, in the element's language: 「必須」, 「ログアウト」, "Search")
 *   or a badge (the Required label, the "!" mark, a step's number). Japanese text of several words
 *   may break between any two characters, as Japanese typesetting does.
 * - the language link sits at the right end of the header's first row.
 */
import type { Locator, Page } from '@playwright/test';
import { Redis } from 'ioredis';
import { replay } from '../paths/journey.ts';
import {
  allRequests,
  generatePaths,
  type ModelPath,
  pageOfValue,
  pathOf,
  prefixTo,
  type Request,
  stateName,
} from '../paths/model.ts';
import { payloads } from '../paths/payloads.ts';
import { redisUrl } from '../support/redis.ts';
import { pageDriver } from './page-driver.ts';
import { langs, test } from './steps.ts';

const { expect } = test;

const widths = [320, 390] as const;
const desktop = 1280;

/**
 * Each form page once more with the invalid payload of each form it posts that shows the most
 * errors (the Search picker's municipality aside: see below).
 */
function errorPaths(): ModelPath[] {
  const chosen = new Map<string, Request>();
  const errorCount = (r: Request) =>
    payloads[r.trigger.action as keyof typeof payloads]?.invalid.find((p) => p.name === r.trigger.payload)
      ?.errors.length ?? 0;
  for (const request of allRequests()) {
    if (request.trigger.kind !== 'invalid' || !pageOfValue(request.from.value)) continue;
    // a municipality button exists only once a prefecture is listed: posting none is tampering, no page state
    if (request.trigger.action === 'SELECT_MUNICIPALITY') continue;
    const key = `${stateName(request.from)} ${request.trigger.action}`;
    const known = chosen.get(key);
    if (!known || errorCount(request) > errorCount(known)) chosen.set(key, request);
  }
  return [...chosen.values()].map((r, i) => pathOf(`E${i + 1}`, [...prefixTo(r.from), r]));
}

const paths = [...generatePaths(process.env.PATHS_FILTER || undefined).shortest, ...errorPaths()];

/**
 * The words of the page that wrap mid-word, as "word" in <element>. Runs in the page; the project
 * compiles without the DOM library, so the document is reached through the element handed in.
 */
function midWordWraps(body: Locator): Promise<string[]> {
  return body.evaluate((root) => {
    const doc = root.ownerDocument;
    const view = doc.defaultView as unknown as {
      getComputedStyle(el: unknown): { clip: string; clipPath: string };
      Intl: typeof Intl;
    };
    interface Box {
      top: number;
      bottom: number;
      width: number;
    }
    /** How many line boxes the rects of a range lie on. */
    const lineCount = (rects: Iterable<Box>) => {
      let lines = 0;
      let bottom = Number.NEGATIVE_INFINITY;
      for (const rect of [...rects].filter((r) => r.width > 0).sort((a, b) => a.top - b.top)) {
        if (rect.top >= bottom - 1) lines += 1;
        bottom = Math.max(bottom, rect.bottom);
      }
      return lines;
    };
    type El = typeof root;
    /** Text a person sees: not clipped away (visually hidden), not pushed off-screen (the skip link). */
    const shown = (el: El | null): boolean => {
      for (let at = el; at && at !== root; at = at.parentElement) {
        const style = view.getComputedStyle(at);
        if (style.clip !== 'auto' || style.clipPath !== 'none') return false;
      }
      const rect = el?.getBoundingClientRect();
      return !!rect && rect.width > 0 && rect.right > 0;
    };
    const nameOf = (el: El) =>
      `<${el.tagName.toLowerCase()}${el.className ? `.${[...el.classList].join('.')}` : ''}>`;
    const found: string[] = [];

    // every Latin word
    const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('script, style, select, option') || !shown(parent)) continue;
      for (const match of (node.textContent ?? '').matchAll(/[A-Za-z0-9]{2,}/g)) {
        const range = doc.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        if (lineCount(range.getClientRects() as Iterable<Box>) > 1)
          found.push(`"${match[0]}" in ${nameOf(parent)}`);
      }
    }

    // every element whose text is one word, and every badge
    const badges = '.field__required, .field__mark, .steps__number';
    for (const el of root.querySelectorAll('*')) {
      if (el.closest('script, style, select, option') || !shown(el)) continue;
      const text = (el.textContent ?? '').trim();
      if (text === '') continue;
      const lang = el.closest('[lang]')?.getAttribute('lang') ?? 'ja';
      const words = [...new view.Intl.Segmenter(lang, { granularity: 'word' }).segment(text)].filter(
        (s) => s.isWordLike,
      );
      const oneWord = words.length === 1 && words[0]?.segment === text;
      if (!oneWord && !el.matches(badges)) continue;
      const range = doc.createRange();
      range.selectNodeContents(el);
      if (lineCount(range.getClientRects() as Iterable<Box>) > 1) found.push(`"${text}" in ${nameOf(el)}`);
    }
    return [...new Set(found)];
  });
}

/** Where the language link is not at the right end of the header's first row. */
function languageLinkMisplaced(page: Page): Promise<string | null> {
  return page.locator('.site-header').evaluate((header) => {
    const link = header.querySelector('.site-header__lang a');
    const brand = header.querySelector('.site-header__brand');
    if (!link || !brand) return 'no language link or brand in the header';
    const style = header.ownerDocument.defaultView?.getComputedStyle(header);
    const contentRight = header.getBoundingClientRect().right - Number.parseFloat(style?.paddingRight ?? '0');
    const at = link.getBoundingClientRect();
    const first = brand.getBoundingClientRect();
    const where = `link ${Math.round(at.left)}–${Math.round(at.right)} px, top ${Math.round(at.top)}`;
    if (Math.abs(at.right - contentRight) > 1)
      return `${where}: not at the right edge (${Math.round(contentRight)} px)`;
    if (at.top >= first.bottom)
      return `${where}: below the first row (brand ends at ${Math.round(first.bottom)})`;
    return null;
  });
}

let redis: Redis;
test.beforeAll(() => {
  redis = new Redis(redisUrl());
});
test.afterAll(() => redis.disconnect());

test.describe.configure({ mode: 'parallel' });

for (const lang of langs) {
  for (const path of paths) {
    test(`${lang} ${path.id}: nothing wraps mid-word at 320 and 390 px, the language link at the header's right end: ${path.name}`, async ({
      browser,
      baseURL,
    }) => {
      test.setTimeout(120_000);
      const context = await browser.newContext({ viewport: { width: desktop, height: 800 } });
      await context.addCookies([{ name: 'lang', value: lang, url: baseURL ?? '' }]);
      const page = await context.newPage();
      const { driver, close } = pageDriver(browser, page, baseURL ?? '', redis);
      const problems: string[] = [];
      const check = driver.check.bind(driver);
      driver.check = async (request, codes) => {
        await check(request, codes);
        const label = stateName(request.to);
        for (const width of [...widths, desktop]) {
          await page.setViewportSize({ width, height: 800 });
          if (width !== desktop)
            for (const wrap of await midWordWraps(page.locator('body')))
              problems.push(`${label} at ${width} px: ${wrap}`);
          const misplaced = await languageLinkMisplaced(page);
          if (misplaced) problems.push(`${label} at ${width} px: ${misplaced}`);
        }
        await page.setViewportSize({ width: desktop, height: 800 });
      };
      try {
        await replay(path, driver);
      } finally {
        await close();
        await context.close();
      }
      expect(problems).toEqual([]);
    });
  }
}
