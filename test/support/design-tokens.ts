/**
 * The Digital Agency Design System's colour tokens as installed (@digital-go-jp/design-tokens), and
 * WCAG 2.2's contrast ratio, for the tests that check the stylesheet is built on them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const tokensCssPath = fileURLToPath(
  import.meta.resolve('@digital-go-jp/design-tokens/dist/tokens.css'),
);

/** Every custom property the package defines, name → value as written (`--color-…` → `#0017c1`). */
export function designTokens(): Map<string, string> {
  const css = readFileSync(tokensCssPath, 'utf8');
  return new Map(
    [...css.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1] as string, (m[2] as string).trim()]),
  );
}

/** The package's solid colours by value: `#0017c1` → its token names (semantic ones follow their primitive). */
export function tokenColours(): Map<string, string[]> {
  const tokens = designTokens();
  const resolve = (value: string, depth = 0): string => {
    const ref = /^var\((--[\w-]+)\)$/.exec(value)?.[1];
    return ref && depth < 5 ? resolve(tokens.get(ref) ?? '', depth + 1) : value;
  };
  const byValue = new Map<string, string[]>();
  for (const [name, value] of tokens) {
    const colour = resolve(value).toLowerCase();
    if (!/^#[0-9a-f]{6}$/.test(colour)) continue;
    byValue.set(colour, [...(byValue.get(colour) ?? []), name]);
  }
  return byValue;
}

/** `rgb(0, 23, 193)` (as a browser computes a colour) → `#0017c1`; undefined when not opaque. */
export function hexOf(computed: string): string | undefined {
  const parts = /^rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)$/.exec(computed);
  if (!parts || (parts[4] !== undefined && Number(parts[4]) < 1)) return undefined;
  return `#${parts
    .slice(1, 4)
    .map((n) => Number(n).toString(16).padStart(2, '0'))
    .join('')}`;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.2's contrast ratio of two opaque colours (#rrggbb), 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}
