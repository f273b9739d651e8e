/**
 * The generated manual cannot drift from the system. Its model (manual/model.ts: chapters, pages,
 * items, how-to steps, the diagram's moves, the error list) is built here from the real pages:
 * the walk of `npm run manual` (the machine's shortest paths, and an empty submit of every form),
 * replayed over HTTP against the real app on PostgreSQL, Redis and a real SMTP server, in Japanese
 * and in English, each page read as the manual reads it. No screenshot is taken.
 *
 * It fails when a page state has no chapter, an item on a page has no description, a description
 * has no item, the diagram misses or cannot label a move, or an error code is shown nowhere; the
 * tests after the first show that each of those checks finds what it looks for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Catalogue, catalogue } from '../../manual/catalogue.ts';
import { chapters } from '../../manual/chapters.ts';
import { diagramDot, missingMoves } from '../../manual/diagram.ts';
import { scanPage } from '../../manual/html-scan.ts';
import { buildManual, type ManualModel, type Rendition, renditionKey } from '../../manual/model.ts';
import { walk, walkPaths } from '../../manual/paths.ts';
import { type Lang, langs } from '../../src/i18n/lang.ts';
import { type MailHarness, startMailHarness } from '../integration/harness.ts';
import { httpDriver } from './http-driver.ts';

let harness: MailHarness;
const renditions = new Map<string, Rendition>();
const failures: string[] = [];
let model: ManualModel;

/** Walks every path in a language, keeping the first rendition of each page and variant. */
async function walkIn(lang: Lang): Promise<void> {
  const open = async () => {
    const driver = httpDriver(harness);
    driver.main.browser.cookies.set('lang', lang);
    return { driver, close: async () => {} };
  };
  const failed = await walk(walkPaths(), open, async (arrival, session) => {
    const key = renditionKey(lang, arrival.page.path, arrival.variant);
    if (!renditions.has(key)) renditions.set(key, { scan: scanPage(session.driver.main.browser.page.html) });
    failures.push(...session.driver.problems.splice(0).map((problem) => `${lang}: ${problem}`));
  });
  failures.push(...failed.map((failure) => `${lang}: ${failure}`));
}

beforeAll(async () => {
  // Every path's browser comes from one address: the per-address limit would refuse them.
  harness = await startMailHarness({ RATE_LIMIT_PER_MINUTE: '100000' });
  for (const lang of langs) await walkIn(lang);
  model = buildManual({ catalogue, renditions });
}, 600_000);
afterAll(() => harness?.close());

/** The catalogue with one item left out of one page's list. */
function without(path: string, id: string): Catalogue {
  return {
    ...catalogue,
    page(p) {
      const page = catalogue.page(p);
      if (!page || p !== path) return page;
      return { ...page, items: page.items.filter((item) => item !== id) };
    },
  };
}

describe('the generated manual, built from the real pages', () => {
  it('walks to every page in Japanese and English, clean and (a page with a form) with its errors', () => {
    expect(failures).toEqual([]);
    const shown = [...model.pages.values()].flatMap((page) =>
      page.variants.flatMap((variant) => langs.map((lang) => renditionKey(lang, page.path, variant))),
    );
    expect(shown.filter((key) => !renditions.has(key))).toEqual([]);
    expect(model.pages.get('login')?.variants).toEqual(['clean', 'errors']);
  });

  it('has a chapter for every page state, a description for every item on a page, an item for every description, every move of the machine drawn and labelled, and every error code placed', () => {
    expect(model.problems).toEqual([]);
    expect(model.pages.size).toBeGreaterThan(15);
    expect(model.moves.length).toBeGreaterThan(20);
  });

  it('labels the moves with the buttons of the pages and says what the engine does', () => {
    const move = (id: string) => model.moves.find((m) => m.id === id)?.label;
    // The homepage's Login and Registration buttons of a category read alike: the catalogue names them.
    expect(move('home|GO_LOGIN|login')?.en).toMatch(/^Login button for /);
    expect(move('home|GO_REGISTER|registration.input')?.en).toMatch(/^User Registration button for /);
    expect(move('signedIn.userInfo|GO_CHANGE_PASSWORD|signedIn.changePassword')).toEqual({
      ja: 'パスワード変更',
      en: 'Change password',
    });
    // Declared once for every page after login, and once for any page.
    expect(move('signedIn|LOGOUT|loggedOut')?.en).toBe('Log out');
    expect(move('*|INVALID_OPERATION|invalidOperation')?.en).toMatch(/^Invalid operation/);
    expect(model.moves.filter((m) => m.event === 'LOGOUT')).toHaveLength(1);
  });

  it('writes each how-to step from the path: the page, the fields filled in and the button pressed', () => {
    const login = model.chapters.flatMap((c) => c.howTos).find((h) => h.goal === 'signedIn.menu');
    // Opening the Login page is the homepage's sequence (2.1.1): referred to, not repeated.
    expect(login?.follows?.title.en).toBe('How to open the Login page');
    expect(login?.steps.map((step) => [step.page, step.action, step.fields])).toEqual([
      ['login', 'LOGIN', ['userId', 'password']],
    ]);
    const password = model.chapters
      .flatMap((c) => c.howTos)
      .find((h) => h.goal === 'signedIn.passwordChanged');
    expect(password?.follows?.number).toBe(login?.number);
  });

  it('places each error code on the pages that show it', () => {
    const row = (code: string) => model.errors.find((r) => r.code === code);
    expect(row('WZBAM002E')?.pages).toEqual(['login']);
    expect(row('WZBAM245E')?.pages).toEqual(['signedIn.changeUserInfo']);
    expect(row('WZBAM320E')?.elsewhere[0]?.pages).toContain('login');
  });
});

describe('the checks of the manual model', () => {
  it('finds a page state with no chapter', () => {
    const shortOfOne = chapters.map((c) => ({ ...c, pages: c.pages.filter((p) => p !== 'linkInvalid') }));
    const problems = buildManual({ catalogue, renditions, chapters: shortOfOne }).problems;
    expect(problems).toContain('page state linkInvalid has no chapter');
  });

  it('finds an item on a page that has no description there', () => {
    const problems = buildManual({ catalogue: without('login', '2.2.2-5'), renditions }).problems;
    expect(problems).toContain('item 2.2.2-5 on login (clean, en) has no description');
  });

  it('finds a description whose item is not on the page', () => {
    const key = renditionKey('ja', 'login', 'clean');
    const scan = renditions.get(key)?.scan;
    if (!scan) throw new Error('login was not shown');
    const lacking = new Map(renditions).set(key, {
      scan: { ...scan, items: scan.items.filter((i) => i !== '2.2.2-5') },
    });
    const problems = buildManual({ catalogue, renditions: lacking }).problems;
    expect(problems).toContain('description of 2.2.2-5 on login (clean, ja) has no item');
  });

  it('finds a move the diagram misses', () => {
    const dot = diagramDot(model, 'en')
      .split('\n')
      .filter((line) => !line.includes('id="signedIn.userInfo|GO_CHANGE_PASSWORD|signedIn.changePassword"'))
      .join('\n');
    expect(missingMoves(model, dot)).toEqual([
      'signedIn.userInfo|GO_CHANGE_PASSWORD|signedIn.changePassword',
    ]);
  });
});
