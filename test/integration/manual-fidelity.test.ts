/**
 * What the manual's pages show and the app lacked (issue "Manual fidelity, second pass"), over HTTP
 * against the real app, PostgreSQL, Redis and SMTP: the homepage's notice, guidance and documents
 * (2.1.3), the Login page's paragraphs about the user ID (2.2.2), the error summary, one help-desk
 * wording for pages and emails, and the way from the timed-out page to the Login page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencyLinks } from '../../src/flow/agency-links.ts';
import { errorMessage } from '../../src/i18n/errors.ts';
import { translate } from '../../src/i18n/messages.ts';
import { Browser, createUser, type MailHarness, startMailHarness } from './harness.ts';

let harness: MailHarness;

beforeAll(async () => {
  harness = await startMailHarness();
});
afterAll(() => harness.close());

const langs = ['ja', 'en'] as const;
/** A text of the catalogue as the page shows it (Eta escapes HTML). */
const shown = (key: string, lang: 'ja' | 'en') =>
  translate(key, lang).replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

async function homepage(lang: 'ja' | 'en') {
  const browser = new Browser(harness.app);
  browser.cookies.set('lang', lang);
  return { browser, page: await browser.get('/') };
}

describe('the homepage (2.1.3)', () => {
  for (const lang of langs) {
    it(`shows the terms of use in Japanese and English, the guidance bullets and the registration documents (${lang})`, async () => {
      const { page } = await homepage(lang);
      const terms = /<p class="notices__terms"[\s\S]*?<\/p>/.exec(page.html)?.[0] ?? '';
      expect(terms).toContain(`href="${agencyLinks.terms}" hreflang="ja"`);
      expect(terms).toContain(`>${shown('home.termsJa', lang)}</a>`);
      expect(terms).toContain(`>${shown('home.termsEn', lang)}</a>`);
      for (const key of [
        'home.loginForeignNational',
        'home.loginCorporation',
        'home.loginIntro',
        'home.registerForeignNational',
        'home.registerAttorney',
        'home.registerIntro',
      ]) {
        expect(page.html, key).toContain(`<li>${shown(key, lang)}</li>`);
      }
      for (const key of ['home.registerNeeded', 'home.registerOnline']) {
        expect(page.html, key).toContain(`<p>${shown(key, lang)}</p>`);
      }
      const documents = /<ul class="documents"[\s\S]*?<\/ul>/.exec(page.html)?.[0] ?? '';
      for (const [link, key] of [
        [agencyLinks.whoCanRegister, 'home.docWhoCanRegister'],
        [agencyLinks.registrationPreparation, 'home.docPreparation'],
        [agencyLinks.jpkiDownload, 'home.docJpki'],
      ] as const) {
        expect(documents).toContain(
          `<a href="${link}" rel="noopener noreferrer" target="_blank">${shown(key, lang)}</a>`,
        );
      }
    });
  }

  it('loads nothing from another site: it renders without the network', async () => {
    const { page } = await homepage('ja');
    const loaded = [
      ...page.html.matchAll(/<(?:script|img|iframe)[^>]*\ssrc="([^"]*)"|<link[^>]*\shref="([^"]*)"/g),
    ];
    expect(loaded.length).toBeGreaterThan(0);
    expect(loaded.map((m) => m[1] ?? m[2]).filter((url) => !url?.startsWith('/'))).toEqual([]);
  });

  it('sets the "not offered" note with the greyed buttons, before the offered one, never under it', async () => {
    const { page } = await homepage('en');
    for (const [section, action] of [
      ['login', 'GO_LOGIN'],
      ['register', 'GO_REGISTER'],
    ] as const) {
      const note = page.html.indexOf(`id="not-offered-${section}"`);
      const greyed = [...page.html.matchAll(new RegExp(`aria-describedby="not-offered-${section}"`, 'g'))];
      const offered = page.html.indexOf(`value="${action}"`);
      expect(greyed).toHaveLength(2);
      expect(greyed.every((m) => (m.index ?? Infinity) < note)).toBe(true);
      expect(note).toBeLessThan(offered);
      // nothing but the note stands between the greyed buttons and it
      const between = page.html.slice((greyed.at(-1)?.index ?? 0) + 1, note);
      expect(between).not.toContain('category--offered');
    }
  });
});

describe('the Login page (2.2.2)', () => {
  it("has the manual's paragraphs about the user ID, the request to the regional office and registration on the top page", async () => {
    for (const lang of langs) {
      const { browser } = await homepage(lang);
      const login = await browser.press('GO_LOGIN');
      const box = /<section class="info"[\s\S]*?<\/section>/.exec(login.html)?.[0] ?? '';
      for (const key of ['login.obtainId', 'login.staffRequest', 'login.registerOnTop', 'login.forgotId']) {
        expect(box, `${key} (${lang})`).toContain(`<p>${shown(key, lang)}</p>`);
      }
      expect(box).toContain(`href="${agencyLinks.onlineProcedures}"`);
    }
    expect(translate('login.staffRequest', 'en')).toBe(
      'If you are a staff member of the organization the applicant is affiliated with, a staff member of the public interest corporation, or a staff member of a registered support organization, please file a request to use the system with the regional immigration services office.',
    );
    expect(translate('login.registerOnTop', 'en')).toBe(
      'If you are a foreign national (Applicant), a legal representative of a foreign national, an attorney or administrative procedures legal specialist, or an applicant (at a counter) for the electronic issuance of a certificate of eligibility, go to the top page to register as a user.',
    );
  });
});

describe('the error summary', () => {
  for (const lang of langs) {
    it(`names each field before its message and links to it, each line once (${lang})`, async () => {
      const { browser } = await homepage(lang);
      await browser.press('GO_LOGIN');
      const page = await browser.press('LOGIN', {});
      const lines = [...page.html.matchAll(/<li data-code="(WZBAM\d{3}E)">([\s\S]*?)<\/li>/g)].map(
        (m) => m[2],
      );
      const message = errorMessage('WZBAM001E', lang);
      expect(lines).toEqual([
        `<a href="#field-userId">${translate('errors.line', lang, { field: translate('login.userId', lang), message })}</a>`,
        `<a href="#field-password">${translate('errors.line', lang, { field: translate('login.password', lang), message })}</a>`,
      ]);
      expect(new Set(lines).size).toBe(lines.length);
    });
  }
});

describe('the help desk', () => {
  it('is worded one way per language on pages and in emails, to January 3 of the following year', async () => {
    expect(translate('helpdesk.hours', 'en')).toContain('January 3 of the following year');
    expect(translate('helpdesk.hours', 'ja')).toContain('12月29日から翌年1月3日まで');
    for (const lang of langs) {
      const user = await createUser(harness.pool);
      const { browser } = await homepage(lang);
      await browser.press('GO_LOGIN');
      await browser.press('GO_FORGOT_PASSWORD');
      const page = await browser.press('SEND_RESET', { userId: user.userId, email: user.email });
      const hours = `${translate('helpdesk.hoursLabel', lang)}${translate('helpdesk.hours', lang)}`;
      expect(page.html).toContain(hours);
      expect(page.html).toContain(shown('helpdesk.name', lang));
      const mail = await harness.mailTo(user.email);
      expect(mail.text).toContain(hours);
      expect(mail.text).toContain(translate('helpdesk.name', lang));
    }
  });
});

describe('the timed-out page', () => {
  it('offers "Go to the login page" beside "Back to Homepage"; it opens the Login page in a fresh session', async () => {
    for (const lang of langs) {
      const { browser } = await homepage(lang);
      await browser.press('GO_LOGIN');
      const expired = browser.sessionId();
      await harness.redis.del(`${harness.prefix}s:${expired}`);
      // an idle session's record is gone from the store: its next request times out
      const timedOut = await browser.get('/login');
      expect(timedOut.url).toBe('/timed-out');
      expect(timedOut.html).toContain(`>${shown('button.goToLogin', lang)}</button>`);
      expect(timedOut.html).toContain(`href="/" data-manual-item="1.4-8">${shown('button.home', lang)}</a>`);
      const form = /<form method="post" action="([^"]*)"[\s\S]*?<\/form>/.exec(timedOut.html)?.[0] ?? '';
      expect(form).toContain('action="/"');
      expect(form).toContain('value="GO_LOGIN"');
      expect(browser.sessionId()).toBeUndefined();

      // the form carries the visit's double-submit token, as the homepage's forms do
      expect(timedOut.step).not.toBe('');
      const login = await browser.request('POST', '/', { _step: timedOut.step, _action: 'GO_LOGIN' });
      expect(login.url).toBe('/login');
      expect(browser.sessionId()).toBeDefined();
      expect(browser.sessionId()).not.toBe(expired);
    }
  });
});
