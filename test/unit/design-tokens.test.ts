/**
 * The stylesheet is built on the Digital Agency Design System's tokens (@digital-go-jp/design-tokens):
 * it writes no colour, size or radius of its own where the package has a token, and every custom
 * property it reads is the package's or one of its own roles that names a token. (The contrast of
 * every text/background pair the pages show is measured on every page state by
 * test/e2e/accessibility.spec.ts.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { designTokens } from '../support/design-tokens.ts';

const siteCss = readFileSync(
  join(import.meta.dirname, '..', '..', 'templates', 'assets', 'site.css'),
  'utf8',
);
const css = siteCss.replace(/\/\*[\s\S]*?\*\//g, '');
const tokens = designTokens();

/** Every declaration of the sheet, as [property, value]. */
const declarations = [...css.matchAll(/([\w-]+)\s*:\s*([^;{}]+);/g)].map(
  (m) => [m[1] as string, (m[2] as string).trim()] as const,
);
/** The sheet's own roles (`--text: var(--color-neutral-solid-gray-800)`), defined once in :root. */
const roles = new Map(declarations.filter(([property]) => property.startsWith('--')));

describe('site.css on the design tokens', () => {
  it('imports the package’s tokens from this site', () => {
    expect(siteCss).toMatch(/^@import url\("\/assets\/design-tokens\/tokens\.css"\);$/m);
  });

  it('names each of its roles after a token of the package', () => {
    expect(roles.size).toBeGreaterThan(10);
    for (const [role, value] of roles) {
      const token = /^var\((--[\w-]+)\)$/.exec(value)?.[1];
      expect(token && tokens.has(token), `${role}: ${value}`).toBe(true);
    }
  });

  it('reads no custom property that is neither a token nor one of its roles', () => {
    const read = [...css.matchAll(/var\((--[\w-]+)\)/g)].map((m) => m[1] as string);
    expect(read.filter((name) => !tokens.has(name) && !roles.has(name))).toEqual([]);
  });

  it('writes no colour of its own: every colour is a token', () => {
    const colourProperties =
      /^(color|background(-color)?|border(-(top|right|bottom|left))?(-color)?|outline(-color)?|box-shadow|accent-color)$/;
    const ownColours = declarations
      .filter(([property]) => colourProperties.test(property))
      .filter(([, value]) => {
        const rest = value
          .replace(/var\(--[\w-]+\)/g, '')
          .replace(/\b(none|transparent|currentcolor|inherit|solid|dashed|double)\b/g, '')
          .replace(/-?[\d.]+(px|rem|em)?/g, '')
          .trim();
        return rest !== '';
      });
    expect(ownColours).toEqual([]);
  });

  it('takes its type sizes, line heights and weights from the tokens', () => {
    const own = declarations.filter(
      ([property, value]) =>
        /^(font-size|font-weight|line-height)$/.test(property) && !/^var\(--[\w-]+\)$/.test(value),
    );
    expect(own).toEqual([]);
  });
});
