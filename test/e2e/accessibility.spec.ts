/**
 * Accessible, keyboard-safe pages (WCAG 2.2 AA), in real Chromium against the real server.
 *
 * Every page state of the session machine is reached by walking the flow, once in Japanese and
 * once in English (`stops` below says how; the walk refuses to start while a page state of the
 * machine has no stop, so a new page cannot be skipped). On every stop: axe-core, the `lang`
 * attributes (of the page, and of text in the other language), the colours of every text and its
 * background (tokens of the Digital Agency Design System, contrast ≥ 4.5:1), a screenshot, reflow
 * at 320 CSS px, 200% zoom, and on completion pages the print stylesheet. Then, apart: the error summary, a keyboard-only journey, the timeout warning, and
 * the pages without JavaScript.
 */
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Locator, Page } from '@playwright/test';
import { contrastRatio, hexOf, tokenColours } from '../support/design-tokens.ts';
import {
  type Applicant,
  chiyoda,
  createAccount,
  type Lang,
  langs,
  linkIn,
  mailOf,
  mainServer,
  newApplicant,
  pageAt,
  pageIndex,
  pausedClockContext,
  registrationFields,
  type Server,
  shortIdleSeconds,
  Tour,
  test,
  userIdIn,
} from './steps.ts';

const { expect } = test;

const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const desktop = { width: 1280, height: 800 };
/** WCAG 1.4.10 Reflow: 320 CSS px wide, as a 1280 px window at 400% zoom. */
const narrow = { width: 320, height: 640 };
/**
 * WCAG 1.4.4 Resize text, 200%: Chromium's page zoom at 200% lays a 1280 × 800 window out exactly
 * as a 640 × 400 CSS px viewport (the device scale factor only makes the pixels denser, it does not
 * change the layout), so the page is laid out at 640 × 400.
 */
const zoomed = { width: 640, height: 400 };

const languageName = (lang: Lang) => (lang === 'ja' ? 'Japanese' : 'English');

/**
 * axe's violations, one line each: rule, help text, and the elements. Legacy mode runs axe in the
 * page itself; the default mode also opens a blank page per scan to merge the results of frames
 * from other origins, which these pages do not have, and takes twice as long.
 */
async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(axeTags).setLegacyMode().analyze();
  return violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((node) => node.target.join(' ')).join(' | ')}`,
  );
}

// ---------------------------------------------------------------------------------------------
// The walk: how to reach every page state

interface Walk {
  tour: Tour;
  lang: Lang;
  applicant: Applicant;
  userId: string;
  link: string;
  browser: Browser;
  shortIdle: Server;
  contexts: BrowserContext[];
}

interface Stop {
  /** The page state, by its path in the machine. */
  path: string;
  /** What makes this visit different from another one of the same state. */
  variant?: string;
  /** From the previous stop's page to this one. */
  go(walk: Walk): Promise<void>;
}

const press = (key: string) => (w: Walk) => w.tour.press(key);
const fillAndPress = (fields: (w: Walk) => Record<string, string>, key: string) => async (w: Walk) => {
  await w.tour.fill(fields(w));
  await w.tour.press(key);
};
const sapporo = '01101';

/**
 * Goes on in a new browser on the main server (no cookie of the stops before), signed in, on the
 * User Information page.
 */
async function onUserInfoInNewBrowser(w: Walk): Promise<void> {
  const context = await w.browser.newContext({ viewport: desktop });
  w.contexts.push(context);
  w.tour = new Tour(await context.newPage(), w.lang);
  await w.tour.openHome();
  await w.tour.logIn({ userId: w.userId, password: w.applicant.password });
  await w.tour.press('button.userInfoUpdate');
}

/** In order: each stop starts where the one before it ended. */
const stops: Stop[] = [
  { path: 'home', go: (w) => w.tour.openHome() },
  { path: 'registration.input', go: (w) => w.tour.press(w.tour.categoryButton('home.register')) },
  { path: 'registration.input', variant: 'errors', go: press('button.confirm') },
  {
    path: 'registration.addressSearch',
    variant: 'prefectures',
    go: fillAndPress((w) => registrationFields(w.applicant), 'button.search'),
  },
  {
    path: 'registration.addressSearch',
    variant: 'municipalities',
    go: (w) => w.tour.choosePrefecture(chiyoda),
  },
  {
    path: 'registration.confirm',
    go: async (w) => {
      await w.tour.chooseMunicipality(chiyoda);
      await w.tour.press('button.confirm');
    },
  },
  { path: 'registration.complete', go: press('button.register') },
  {
    path: 'passwordRegistration',
    go: async (w) => {
      const mail = await mailOf(mainServer, w.applicant.email, 'registration', w.lang);
      w.userId = userIdIn(mail);
      w.link = linkIn(mail);
      await w.tour.open(w.link);
    },
  },
  { path: 'passwordRegistration', variant: 'errors', go: press('button.register') },
  {
    path: 'passwordRegistered',
    go: fillAndPress(
      (w) => ({ password: w.applicant.password, passwordConfirm: w.applicant.password }),
      'button.register',
    ),
  },
  { path: 'login', go: press('button.backToLogin') },
  { path: 'login', variant: 'errors', go: press('button.login') },
  {
    path: 'signedIn.menu',
    go: fillAndPress((w) => ({ userId: w.userId, password: w.applicant.password }), 'button.login'),
  },
  { path: 'signedIn.userInfo', go: press('button.userInfoUpdate') },
  { path: 'signedIn.changeUserInfo', go: press('button.changeUserInfo') },
  { path: 'signedIn.changeUserInfo', variant: 'errors', go: press('button.change') },
  { path: 'signedIn.addressSearch', go: press('button.search') },
  {
    path: 'signedIn.userInfoUpdated',
    go: async (w) => {
      await w.tour.choosePrefecture(sapporo);
      await w.tour.chooseMunicipality(sapporo);
      await w.tour.fill({ street: '２－２－２' });
      await w.tour.press('button.change');
    },
  },
  {
    path: 'signedIn.changePassword',
    go: async (w) => {
      await w.tour.press('button.backToUserInfo');
      await w.tour.press('button.changePassword');
    },
  },
  { path: 'signedIn.changePassword', variant: 'errors', go: press('button.change') },
  {
    path: 'signedIn.passwordChanged',
    go: fillAndPress((w) => {
      const currentPassword = w.applicant.password;
      w.applicant.password = `${currentPassword}x`;
      return { currentPassword, newPassword: w.applicant.password, newPasswordConfirm: w.applicant.password };
    }, 'button.change'),
  },
  { path: 'loggedOut', go: press('button.logout') },
  // the registration link, used already
  { path: 'linkInvalid', go: (w) => w.tour.open(w.link) },
  {
    path: 'forgotPassword',
    go: async (w) => {
      await w.tour.press('button.home');
      await w.tour.press(w.tour.categoryButton('home.login'));
      await w.tour.press('button.forgotPassword');
    },
  },
  { path: 'forgotPassword', variant: 'errors', go: press('button.send') },
  {
    path: 'resetRequested',
    go: fillAndPress((w) => ({ userId: w.userId, email: w.applicant.email }), 'button.send'),
  },
  {
    // the browser's Back button (manual 1.4 item 7)
    path: 'invalidOperation',
    go: async (w) => {
      await w.tour.press('button.backToLogin');
      await w.tour.expectPage('login');
      await w.tour.page.goBack();
    },
  },
  {
    // on the short-idle server the warning shows as soon as a page of a session loads; the page
    // reloads itself at the timeout, so this stop has the server's idle timeout to be checked
    path: 'login',
    variant: 'timeout warning',
    go: async (w) => {
      const context = await w.browser.newContext({ baseURL: w.shortIdle.baseURL, viewport: desktop });
      w.contexts.push(context);
      w.tour = new Tour(await context.newPage(), w.lang);
      await w.tour.openHome();
      await w.tour.press(w.tour.categoryButton('home.login'));
      await expect(w.tour.page.getByRole('dialog', { name: w.tour.t('timeout.title') })).toBeVisible();
    },
  },
  {
    // at the timeout the page reloads, and the server, whose session has expired, says so
    path: 'timedOut',
    go: (w) => expect(w.tour.page).toHaveURL(/\/timed-out$/, { timeout: (shortIdleSeconds + 15) * 1000 }),
  },
  {
    // beyond the manual: on the main server again, the email changed, then the link in the notice
    // to the former address
    path: 'emailRestored',
    go: async (w) => {
      await onUserInfoInNewBrowser(w);
      await w.tour.press('button.changeUserInfo');
      const newEmail = `new-${w.applicant.email}`;
      await w.tour.fill({ email: newEmail, emailConfirm: newEmail });
      await w.tour.press('button.change');
      w.link = linkIn(
        await mailOf(mainServer, w.applicant.email, 'emailChangedOld', w.lang),
        'emailRestored',
      );
      await w.tour.open(w.link);
    },
  },
  // the restore link, used already
  { path: 'restoreFailed', go: (w) => w.tour.open(w.link) },
  {
    // last, as the account stays locked: wrong current passwords on the Password Input page until
    // the account locks and the session ends
    path: 'accountLocked',
    go: async (w) => {
      await onUserInfoInNewBrowser(w);
      await w.tour.press('button.changePassword');
      const newPassword = `${w.applicant.password}y`;
      const guess = {
        currentPassword: `${w.applicant.password}z`,
        newPassword,
        newPasswordConfirm: newPassword,
      };
      for (let guesses = 0; !w.tour.page.url().includes(pageAt('accountLocked').meta.url); guesses++) {
        expect(guesses, 'the account locks within 100 wrong current passwords').toBeLessThan(100);
        await w.tour.fill(guess);
        await w.tour.press('button.change');
      }
    },
  },
];

/** The page states of the machine that no stop reaches. */
function statesWithoutStop(): string[] {
  const reached = new Set(stops.map((stop) => stop.path));
  return pageIndex.pages.map((page) => page.path).filter((path) => !reached.has(path));
}

// ---------------------------------------------------------------------------------------------
// What is checked on every stop

interface Report {
  axe: string[];
  lang: string[];
  /** Text whose colour or background is not a token, or whose contrast is below 4.5:1. */
  contrast: string[];
  /** Every text/background pair seen, with its tokens and ratio. */
  pairs: Set<string>;
  reflow: string[];
  zoom: string[];
  print: string[];
  screenshots: string[];
  completionPages: string[];
}

/*
 * The callbacks below run in the page. The project's TypeScript has no DOM library (one file
 * adding it would change every file's types), so they reach the document through the element
 * Playwright hands them, which its types leave untyped.
 */

/**
 * Text in the other language than the page's, not marked with its `lang`: on an English page,
 * Japanese-only text (no Latin letter) not within lang="ja"; on a Japanese page, an English
 * sentence (four words or more, no Japanese) not within lang="en". Names and codes are left alone.
 */
function untaggedOtherLanguage(page: Page, lang: Lang): Promise<string[]> {
  return page.locator('body').evaluate((body, pageLang) => {
    const japanese = /[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]/;
    const foreign =
      pageLang === 'en'
        ? { lang: 'ja', is: (text: string) => japanese.test(text) && !/[A-Za-z]/.test(text) }
        : {
            lang: 'en',
            is: (text: string) => !japanese.test(text) && /([A-Za-z]+\W+){3}[A-Za-z]/.test(text),
          };
    const found: string[] = [];
    const showText = 4; // NodeFilter.SHOW_TEXT
    const walker = body.ownerDocument.createTreeWalker(body, showText);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text: string = node.textContent?.trim() ?? '';
      if (!foreign.is(text)) continue;
      if (node.parentElement?.closest('[lang]')?.getAttribute('lang') !== foreign.lang) found.push(text);
    }
    return found;
  }, lang);
}

/**
 * The colour of every text a person sees and of the background it is drawn on (the nearest
 * opaque background of it or an ancestor; the canvas is white), as the page computes them.
 */
function textColours(page: Page): Promise<{ color: string; background: string; text: string }[]> {
  return page.locator('body').evaluate((body) => {
    const view = body.ownerDocument.defaultView as unknown as {
      getComputedStyle(el: unknown): { color: string; backgroundColor: string; clip: string };
    };
    const opaque = (colour: string) => colour.startsWith('rgb(') || /, 1\)$/.test(colour);
    const found = new Map<string, { color: string; background: string; text: string }>();
    const showText = 4; // NodeFilter.SHOW_TEXT
    const walker = body.ownerDocument.createTreeWalker(body, showText);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const el = node.parentElement;
      if (!text || !el || el.closest('script, style, option')) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width <= 1 || rect.height <= 1 || view.getComputedStyle(el).clip !== 'auto') continue;
      let background = 'rgb(255, 255, 255)';
      for (let at: typeof el | null = el; at; at = at.parentElement) {
        const colour = view.getComputedStyle(at).backgroundColor;
        if (opaque(colour)) {
          background = colour;
          break;
        }
      }
      const color = view.getComputedStyle(el).color;
      found.set(`${color} ${background}`, { color, background, text: text.slice(0, 30) });
    }
    return [...found.values()];
  });
}

const tokens = tokenColours();
const tokenName = (hex: string | undefined) =>
  hex && tokens.has(hex) ? (tokens.get(hex) ?? []).join(' = ') : undefined;

/** Each pair's tokens and contrast; a colour that is no token, or a ratio under 4.5, is a problem. */
async function checkContrast(page: Page, label: string, report: Report): Promise<void> {
  for (const { color, background, text } of await textColours(page)) {
    const [fg, bg] = [hexOf(color), hexOf(background)];
    const [fgName, bgName] = [tokenName(fg), tokenName(bg)];
    const ratio = fg && bg ? contrastRatio(fg, bg) : 0;
    const pair = `${fgName ?? color} on ${bgName ?? background}: ${ratio.toFixed(2)}:1`;
    report.pairs.add(pair);
    if (!fgName || !bgName || ratio < 4.5) report.contrast.push(`${label}: "${text}" ${pair}`);
  }
}

/** Sideways scrolling, and the elements that stick out of the viewport (not out of a parent that does). */
function overflow(page: Page): Promise<string[]> {
  return page.locator('html').evaluate((root) => {
    const width: number = root.clientWidth;
    const scroll: number = root.scrollWidth;
    if (scroll <= width) return [];
    const out = (el: typeof root | null) => !!el && el.getBoundingClientRect().right > width + 1;
    const sticking: string[] = [...root.querySelectorAll('body *')]
      .filter((el) => out(el) && !out(el.parentElement))
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${el.textContent?.trim().slice(0, 40)}"`,
      );
    return [`${scroll} px wide in ${width} px: ${sticking.join(', ')}`];
  });
}

async function inspect(w: Walk, stop: Stop, n: number, dir: string, report: Report): Promise<void> {
  const { page } = w.tour;
  const label = `${stop.path}${stop.variant ? ` (${stop.variant})` : ''}`;
  await w.tour.expectPage(stop.path);

  for (const violation of await axeViolations(page)) report.axe.push(`${label}: ${violation}`);
  for (const text of await untaggedOtherLanguage(page, w.lang)) report.lang.push(`${label}: "${text}"`);
  await checkContrast(page, label, report);

  const name = label.replace(/\W+/g, '-').replace(/-$/, '');
  const file = join(dir, `${String(n).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  report.screenshots.push(file);

  for (const [size, problems] of [
    [narrow, report.reflow],
    [zoomed, report.zoom],
  ] as const) {
    await page.setViewportSize(size);
    for (const problem of await overflow(page)) problems.push(`${label}: ${problem}`);
  }
  await page.setViewportSize(desktop);

  if ((await page.getByTestId('completion').count()) > 0) {
    report.completionPages.push(label);
    await page.emulateMedia({ media: 'print' });
    const printed = page.locator('nav, form, .skip-link, .site-footer a').filter({ visible: true });
    for (const shown of await printed.all()) {
      report.print.push(`${label}: ${(await shown.evaluate((el) => el.outerHTML)).slice(0, 120)}`);
    }
    if (!(await page.getByTestId('completion').isVisible()))
      report.print.push(`${label}: no completion text`);
    await page.emulateMedia({ media: 'screen' });
  }
}

async function walkEveryPage(browser: Browser, shortIdle: Server, lang: Lang, dir: string): Promise<Report> {
  const missing = statesWithoutStop();
  if (missing.length > 0) throw new Error(`page states with no stop in the walk: ${missing.join(', ')}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const context = await browser.newContext({ viewport: desktop });
  const w: Walk = {
    tour: new Tour(await context.newPage(), lang),
    lang,
    applicant: newApplicant(`a11y-${lang}`),
    userId: '',
    link: '',
    browser,
    shortIdle,
    contexts: [context],
  };
  const report: Report = {
    axe: [],
    lang: [],
    contrast: [],
    pairs: new Set(),
    reflow: [],
    zoom: [],
    print: [],
    screenshots: [],
    completionPages: [],
  };
  try {
    for (const [n, stop] of stops.entries()) {
      await stop.go(w);
      await inspect(w, stop, n + 1, dir, report);
    }
  } finally {
    for (const open of w.contexts) await open.close();
  }
  return report;
}

// The two walks and the tests below run side by side on the workers there are.
test.describe.configure({ mode: 'parallel' });

test('every page state of the machine has a stop on the accessibility walk', () => {
  expect(statesWithoutStop()).toEqual([]);
});

for (const lang of langs) {
  test(`every page state in ${languageName(lang)}: axe, lang, reflow at 320 px, 200% zoom, print, screenshots`, async ({
    browser,
    shortIdle,
  }, testInfo) => {
    test.setTimeout(300_000);
    const dir = join(dirname(testInfo.project.outputDir), 'screenshots', lang);
    const report = await walkEveryPage(browser, shortIdle, lang, dir);
    // each list names the page state and what is wrong; all of them are reported at once
    expect.soft(report.axe, 'axe-core: WCAG 2.2 A/AA violations').toEqual([]);
    expect.soft(report.lang, 'text in the other language without its lang').toEqual([]);
    await testInfo.attach('text-background pairs', { body: [...report.pairs].sort().join('\n') });
    expect.soft(report.contrast, 'text colours off the design tokens, or contrast under 4.5:1').toEqual([]);
    // the measure sees what the pages show: body text, the primary buttons' text, error text
    expect
      .soft([...report.pairs])
      .toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^--color-neutral-solid-gray-800 on --color-neutral-white: /),
          expect.stringMatching(/^--color-neutral-white on --color-primitive-blue-900: /),
          expect.stringMatching(
            /^--color-primitive-red-800 = --color-semantic-error-1 on --color-neutral-white: /,
          ),
        ]),
      );
    expect.soft(report.reflow, 'sideways scrolling at 320 CSS px').toEqual([]);
    expect.soft(report.zoom, 'sideways scrolling at 200% zoom').toEqual([]);
    expect.soft(report.print, 'navigation or buttons printed on completion pages').toEqual([]);
    expect.soft(report.completionPages, 'completion pages printed').toHaveLength(6);
    expect(report.screenshots, 'screenshots').toHaveLength(stops.length);
  });
}

test('the pages outside the flow (error-code list, not found) pass axe in both languages', async ({
  page,
}) => {
  for (const lang of langs) {
    await page.goto(`/errors?lang=${lang}`);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    expect(await axeViolations(page), `/errors in ${lang}`).toEqual([]);
    expect(await untaggedOtherLanguage(page, lang), `/errors in ${lang}`).toEqual([]);
    await page.goto('/no-such-page');
    await expect(page.locator('[data-code="WZBAM902E"]')).toBeVisible();
    expect(await axeViolations(page), `not found in ${lang}`).toEqual([]);
  }
});

// ---------------------------------------------------------------------------------------------
// The error summary

/** Focus on the summary, "Error: " in the title, every message a link that focuses its field. */
async function expectErrorSummary(tour: Tour, count: number): Promise<void> {
  const { page } = tour;
  const summary = page.locator('[data-error-summary]');
  await expect(summary).toBeFocused();
  await expect(summary).toHaveAttribute('role', 'alert');
  expect((await page.title()).startsWith(tour.t('title.errorPrefix'))).toBe(true);
  const links = summary.getByRole('link');
  await expect(links).toHaveCount(count);
  await expect(summary.getByRole('listitem')).toHaveCount(count);
  for (const link of await links.all()) {
    const target = page.locator((await link.getAttribute('href')) ?? 'no-href');
    await link.click();
    await expect(target).toBeFocused();
    await expect(target).toBeInViewport();
    // the field (or, for radio buttons, their group) is described by its error text
    const described = target.locator('xpath=ancestor-or-self::*[@aria-describedby][1]');
    await expect(described).toHaveAttribute('aria-describedby', /-error-WZBAM/);
  }
}

for (const lang of langs) {
  test(`the error summary takes focus and links to each field (${languageName(lang)})`, async ({ page }) => {
    const tour = new Tour(page, lang);
    await tour.openHome();
    await tour.press(tour.categoryButton('home.login'));
    await tour.press('button.login');
    await expectErrorSummary(tour, 2);

    await tour.press('button.home');
    await tour.press(tour.categoryButton('home.register'));
    await tour.press('button.confirm');
    // name, sex, date of birth, address (its Search button), street, phone, email, confirmation
    await expectErrorSummary(tour, 8);
  });
}

// ---------------------------------------------------------------------------------------------
// Keyboard only

/** Presses Tab until `target` has focus; fails, naming the stops on the way, if it never does. */
async function tabTo(page: Page, target: Locator, limit = 60): Promise<void> {
  const passed: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return;
    passed.push(
      await page.locator('body').evaluate((body): string => {
        const el = body.ownerDocument.activeElement;
        return el ? `${el.tagName.toLowerCase()} "${el.textContent?.trim().slice(0, 30)}"` : 'nothing';
      }),
    );
  }
  throw new Error(`Tab never reached ${target}; it went ${passed.join(' → ')}`);
}

/** Presses a key that submits, and waits for the page it leads to. */
async function submitWith(page: Page, key: 'Enter' | 'Space'): Promise<void> {
  const loaded = page.waitForEvent('load');
  await page.keyboard.press(key);
  await loaded;
}

for (const lang of langs) {
  test(`keyboard only: login, user information, change, completion (${languageName(lang)})`, async ({
    page,
  }) => {
    const account = await createAccount(mainServer, lang, 'keyboard');
    const tour = new Tour(page, lang);
    await tour.openHome();

    // the first Tab reaches the skip link, shown when focused, which moves focus to the content
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: tour.t('site.skip') });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page.locator('main')).toBeFocused();

    await tabTo(page, tour.categoryButton('home.login'));
    await submitWith(page, 'Enter');
    await tour.expectPage('login');
    await tabTo(page, tour.field('userId'));
    await page.keyboard.type(account.userId);
    await page.keyboard.press('Tab');
    await expect(tour.field('password')).toBeFocused();
    await page.keyboard.type(account.password);
    // Enter in a text field is the page's primary action (manual 1.5)
    await submitWith(page, 'Enter');
    await tour.expectPage('signedIn.menu');

    const update = tour.button('button.userInfoUpdate');
    await tabTo(page, update);
    // the focus is visible: the design system's ring, a 4 px black outline with a yellow ring inside
    await expect(update).toHaveCSS('outline-style', 'solid');
    await expect(update).toHaveCSS('outline-width', '4px');
    await expect(update).toHaveCSS('outline-color', 'rgb(0, 0, 0)');
    await expect(update).toHaveCSS('box-shadow', /rgb\(255, 212, 61\)/);
    await submitWith(page, 'Space');
    await tour.expectPage('signedIn.userInfo');

    await tabTo(page, tour.button('button.changeUserInfo'));
    await submitWith(page, 'Enter');
    await tour.expectPage('signedIn.changeUserInfo');
    // Enter in an empty field: Change (WZBAM245E), never Back
    await tabTo(page, tour.field('phone'));
    await submitWith(page, 'Enter');
    await tour.expectPage('signedIn.changeUserInfo');
    await tour.expectErrors('WZBAM245E');
    await tabTo(page, tour.field('phone'));
    await page.keyboard.type('0311112222');
    await submitWith(page, 'Enter');
    await tour.expectPage('signedIn.userInfoUpdated');
    await expect(page.getByTestId('completion')).toContainText(tour.t('userInfoUpdated.lead'));
  });
}

// ---------------------------------------------------------------------------------------------
// The timeout warning (WCAG 2.2.1), JavaScript off

const sleepUntil = (time: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, time - Date.now())));

test('the timeout warning appears, and "Stay logged in" keeps the session past the timeout', async ({
  browser,
  shortIdle,
}) => {
  test.setTimeout(60_000 + 2 * shortIdleSeconds * 1000);
  const account = await createAccount(shortIdle, 'ja', 'stay');
  const context = await pausedClockContext(browser, shortIdle);
  const tour = new Tour(await context.newPage(), 'ja');
  const { page } = tour;
  await tour.openHome();
  await tour.logIn(account);
  // the menu's request has just restarted the server's idle timer
  const loadedAt = Date.now();

  const dialog = page.getByRole('dialog', { name: tour.t('timeout.title') });
  await expect(dialog).toBeHidden();
  // the warning is due two minutes before the timeout: at once, with this server's timeout
  await context.clock.runFor(1000);
  await expect(dialog).toBeVisible();
  const stay = dialog.getByRole('button', { name: tour.t('timeout.stay') });
  await expect(stay).toBeFocused();
  // (axe needs running timers: the walk checks this dialog, on its "timeout warning" stop)

  await sleepUntil(loadedAt + (shortIdleSeconds * 1000) / 2);
  const kept = page.waitForResponse((response) => response.url().endsWith('/session/keep-alive'));
  await stay.click();
  expect((await kept).status()).toBe(204);
  await expect(dialog).toBeHidden();

  // past the moment the session would have ended without "Stay logged in"
  await sleepUntil(loadedAt + shortIdleSeconds * 1000 + 500);
  await tour.press('button.userInfoUpdate');
  await tour.expectPage('signedIn.userInfo');
  await context.close();
});

test('without JavaScript the pages still work: log in and reach the menu', async ({ browser }) => {
  const account = await createAccount(mainServer, 'ja', 'nojs');
  const context = await browser.newContext({ javaScriptEnabled: false });
  const tour = new Tour(await context.newPage(), 'ja');
  await tour.openHome();
  await tour.press(tour.categoryButton('home.login'));
  await tour.press('button.login');
  await tour.expectErrors('WZBAM001E');
  await tour.fill({ userId: account.userId, password: account.password });
  await tour.press('button.login');
  await tour.expectPage('signedIn.menu');
  await tour.press('button.userInfoUpdate');
  await tour.expectPage('signedIn.userInfo');
  await context.close();
});

test('English text is set in a proportional typeface, not a fixed-width one', async ({ page }) => {
  await page.goto('/?lang=en');
  const widths = await page.locator('main').evaluate((main) =>
    ['iiiiiiiiii', 'MMMMMMMMMM'].map((text) => {
      const probe = main.ownerDocument.createElement('span');
      probe.textContent = text;
      main.append(probe);
      const width = probe.getBoundingClientRect().width;
      probe.remove();
      return width;
    }),
  );
  const [narrow = 0, wide = 0] = widths;
  expect(wide).toBeGreaterThan(narrow * 1.5);
});
