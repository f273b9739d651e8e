/**
 * The pages and their templates never drift apart (STYLE.md, convention 4): every page state of the
 * machine has its template, every page template belongs to a state, and every message key the
 * templates use is in the catalogue, in both languages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Eta } from 'eta';
import { describe, expect, it } from 'vitest';
import { sessionMachine } from '../../machines/session.ts';
import { SEXES } from '../../src/domain/rules.ts';
import { REGIONS } from '../../src/flow/loaders.ts';
import { indexPages } from '../../src/flow/pages.ts';
import { pageTemplates } from '../../src/flow/view.ts';
import { messages } from '../../src/i18n/messages.ts';

const templatesDir = join(import.meta.dirname, '..', '..', 'templates');
const { pages } = indexPages(sessionMachine);
const templatesOfStates = new Set(pages.map((page) => page.meta.template));

/** Every .eta file of the page templates and their partials (not the emails: they have their own texts). */
function templateFiles(): string[] {
  const top = readdirSync(templatesDir).filter((name) => name.endsWith('.eta'));
  const partials = readdirSync(join(templatesDir, 'partials')).map((name) => join('partials', name));
  const statics = readdirSync(join(templatesDir, 'static')).map((name) => join('static', name));
  return [...top, ...partials, ...statics];
}

/** Quoted literals shaped like message keys (`'button.back'`): in `it.t(…)` or passed to a partial. */
function literalKeys(source: string): string[] {
  return [...source.matchAll(/'([a-z][A-Za-z]*(?:\.[A-Za-z]+)+)'/g)].map((match) => match[1] as string);
}

/** Keys the templates build: the steps of each flow, each page's title, the picker's regions, sexes. */
function builtKeys(): string[] {
  const flows = pages.flatMap((page) => (page.meta.steps ? [page.meta.steps.flow] : []));
  return [
    ...flows.map((flow) => `steps.${flow}`),
    ...[...templatesOfStates].map((template) => `${template}.title`),
    ...REGIONS.map((region) => `region.${region.key}`),
    ...SEXES.map((sex) => `user.sex.${sex}`),
  ];
}

const catalogue = messages as Record<string, { ja: string; en: string }>;

describe('templates', () => {
  it('has a template for every page state', () => {
    const missing = [...templatesOfStates].filter((template) => {
      try {
        readFileSync(join(templatesDir, `${template}.eta`));
        return false;
      } catch {
        return true;
      }
    });
    expect(missing).toEqual([]);
  });

  it('has no top-level template that is no state’s page (layout aside)', () => {
    const orphans = readdirSync(templatesDir)
      .filter((name) => name.endsWith('.eta') && name !== 'layout.eta')
      .map((name) => name.replace(/\.eta$/, ''))
      .filter((template) => !templatesOfStates.has(template));
    expect(orphans).toEqual([]);
  });

  it('uses only message keys that exist, in Japanese and in English', () => {
    const used = new Set([
      ...templateFiles().flatMap((file) => literalKeys(readFileSync(join(templatesDir, file), 'utf8'))),
      ...builtKeys(),
    ]);
    expect(used.size).toBeGreaterThan(100);
    const unknown = [...used].filter((key) => !catalogue[key]?.ja || !catalogue[key]?.en);
    expect(unknown).toEqual([]);
  });

  it('gives each flow as many step labels in both languages as its pages count', () => {
    for (const page of pages) {
      const steps = page.meta.steps;
      if (!steps) continue;
      const { ja, en } = catalogue[`steps.${steps.flow}`] ?? { ja: '', en: '' };
      const count = Math.max(
        ...pages.filter((p) => p.meta.steps?.flow === steps.flow).map((p) => p.meta.steps?.current ?? 0),
      );
      expect([ja.split('|').length, en.split('|').length], steps.flow).toEqual([count, count]);
    }
  });
});

describe('pageTemplates', () => {
  const eta = pageTemplates(templatesDir, true);
  const plain = new Eta({ views: templatesDir });
  const layout = join(templatesDir, 'layout.eta');

  it('resolves pages and includes as Eta does, the second time from memory', () => {
    for (const [template, options] of [
      ['menu.eta', undefined],
      ['partials/action', { filepath: layout }],
      ['/partials/action', { filepath: layout }],
    ] as const) {
      const expected = plain.resolvePath?.(template, options);
      expect(eta.resolvePath?.(template, options)).toBe(expected);
      expect(eta.resolvePath?.(template, options)).toBe(expected);
    }
  });

  it('refuses a path outside the templates every time it is asked', () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(() => eta.resolvePath?.('../package.json')).toThrow(/not in the views directory/);
    }
  });
});

describe('third parties (no tracker, no foreign resource)', () => {
  /** Every file a page or an email is made of: templates, assets, and the message texts. */
  function sources(dir = templatesDir): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? sources(join(dir, entry.name)) : [join(dir, entry.name)],
    );
  }
  const messagesFile = join(templatesDir, '..', 'src', 'i18n', 'messages.ts');
  const AGENCY = 'https://www.moj.go.jp/isa/';
  /** Namespace names in the flow diagram's script: identifiers, never fetched. */
  const XML_NAMESPACES = ['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink'];

  it("names no other origin than the agency's page, linked without a referrer", () => {
    const foreign: string[] = [];
    for (const file of [...sources(), messagesFile]) {
      const text = readFileSync(file, 'utf8');
      for (const [url] of text.matchAll(/(?:https?:)?\/\/[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+[^\s"'<>`)]*/g)) {
        if (XML_NAMESPACES.includes(url)) continue;
        if (!url.startsWith(AGENCY)) foreign.push(`${relative(templatesDir, file)}: ${url}`);
      }
      for (const [anchor] of text.matchAll(/<a [^>]*href="https:[^>]*>/g)) {
        expect(anchor, file).toMatch(/rel="noopener noreferrer"/);
      }
    }
    expect(foreign).toEqual([]);
  });
});
