/**
 * Where a page state lives in the generated manual: one anchor per page state, the same in both
 * languages, so the explorer (and anyone) can link to a page's section.
 */
import type { Lang } from '../src/i18n/lang.ts';

/** The manual's folder for a language, relative to the repository root. */
export const manualDir = (lang: Lang) => `manual/out/${lang}`;

/** `page-signedIn-menu` for `signedIn.menu`. */
export function pageAnchor(path: string): string {
  return `page-${path.replaceAll('.', '-')}`;
}

/** A link to a page state's section, relative to a file `depth` folders below the repository root. */
export function manualLink(lang: Lang, path: string, depth: number): string {
  return `${'../'.repeat(depth)}${manualDir(lang)}/index.html#${pageAnchor(path)}`;
}
