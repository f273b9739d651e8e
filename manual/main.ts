/**
 * `npm run manual` — the user manual, generated from the running system, in manual/out/ (not
 * committed; regenerated at will):
 *   ja/index.html, en/index.html   the manual in each language, its pictures beside it
 *   manual-ja.pdf, manual-en.pdf   the same, printed by Chromium, with page numbers and contents
 *
 * Starts the real service (embedded defaults, or the configured servers: see
 * visualize/screenshots.ts), walks to every page in Chromium along the paths generated from the
 * machine, builds the manual's model (model.ts) and writes it out. Says how long it took. Exits 1
 * when the walk failed somewhere or the model found the manual and the system disagreeing (the
 * manual is written all the same, so the disagreement can be seen).
 *
 *   npm run manual -- --last-walk   writes the manual again from the last walk's pages
 *                                   (manual/out/walk.json and the pictures), without walking
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { langs } from '../src/i18n/lang.ts';
import { chromiumArgs, chromiumPath } from '../test/support/e2e-settings.ts';
import { runCommand } from '../visualize/command.ts';
import { viewport } from '../visualize/screenshots.ts';
import { capturePages } from './capture.ts';
import { catalogue } from './catalogue.ts';
import { diagramDot, diagramSvg, type Thumbs } from './diagram.ts';
import { buildManual, type Rendition, renditionKey } from './model.ts';
import { printManual } from './pdf.ts';
import { renderManual } from './render.ts';

const outDir = join(import.meta.dirname, 'out');

function thumbsOf(renditions: Map<string, Rendition>, lang: (typeof langs)[number], paths: string[]): Thumbs {
  const thumbs: Thumbs = new Map();
  for (const path of paths) {
    const shot = renditions.get(renditionKey(lang, path, 'clean'))?.shot;
    if (shot) thumbs.set(path, { file: shot.thumb, ...viewport });
  }
  return thumbs;
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

const walkFile = join(outDir, 'walk.json');

/** Walks every page (the output folder emptied first), or reads the last walk back. */
async function pagesOf(
  lastWalk: boolean,
): Promise<{ renditions: Map<string, Rendition>; failures: string[] }> {
  if (lastWalk) {
    const saved = JSON.parse(await readFile(walkFile, 'utf8')) as { renditions: [string, Rendition][] };
    return { renditions: new Map(saved.renditions), failures: [] };
  }
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  console.log('manual: walking every page in Chromium (ja, en)…');
  const walked = await capturePages(outDir, langs);
  await writeFile(walkFile, JSON.stringify({ renditions: [...walked.renditions] }));
  return walked;
}

async function main(args: string[]): Promise<number> {
  const started = performance.now();
  const { renditions, failures } = await pagesOf(args.includes('--last-walk'));
  const model = buildManual({ catalogue, renditions });
  const date = new Date().toISOString().slice(0, 10);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const written: string[] = [];
  try {
    for (const lang of langs) {
      const thumbs = thumbsOf(renditions, lang, [...model.pages.keys()]);
      const diagram = await diagramSvg(diagramDot(model, lang, thumbs), thumbs);
      const html = join(outDir, lang, 'index.html');
      await writeFile(html, renderManual({ model, renditions, catalogue, lang, diagram, date }));
      const pdf = join(outDir, `manual-${lang}.pdf`);
      const { pages } = await printManual(browser, html, pdf);
      written.push(`manual/out/${lang}/index.html`, `manual/out/manual-${lang}.pdf (${pages} pages)`);
    }
  } finally {
    await browser.close();
  }
  for (const failure of failures) console.error(`manual: the walk stopped: ${failure}`);
  for (const problem of model.problems) console.error(`manual: ${problem}`);
  console.log(`manual: wrote ${written.join(', ')}`);
  console.log(`manual: took ${duration(performance.now() - started)}`);
  return failures.length > 0 || model.problems.length > 0 ? 1 : 0;
}

if (import.meta.main) runCommand(main);
