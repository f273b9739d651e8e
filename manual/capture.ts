/**
 * The pictures of the manual: every page state in Japanese and English, clean and (a page with a
 * form) with its errors, taken in Chromium on the walk of manual/paths.ts (visualize/screenshots.ts
 * starts the service and drives the browser). For each: the page's HTML (what the model reads),
 * a full-page screenshot, its first screen (the diagram's thumbnail), and where each element that
 * carries manual items, and each button, lies on the screenshot.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Lang } from '../src/i18n/lang.ts';
import { type Shown, showPages, viewport } from '../visualize/screenshots.ts';
import { scanPage } from './html-scan.ts';
import { type Box, type Rendition, renditionKey, type Shot } from './model.ts';
import { walkPaths } from './paths.ts';

/** What the page script below reads of the DOM (the project compiles without the DOM library). */
interface Measured {
  width: number;
  height: number;
  marks: { items: string[]; box: Box }[];
  buttons: Record<string, Box>;
}

/** Boxes in page coordinates (those of a full-page screenshot), of visible elements only. */
async function measure(tab: Page): Promise<Measured> {
  return tab.evaluate(() => {
    interface Rect {
      left: number;
      top: number;
      width: number;
      height: number;
    }
    interface Node {
      getAttribute(name: string): string | null;
      getBoundingClientRect(): Rect;
    }
    const view = globalThis as unknown as {
      scrollX: number;
      scrollY: number;
      document: {
        documentElement: { scrollWidth: number; scrollHeight: number };
        querySelectorAll(selector: string): Iterable<Node>;
      };
    };
    const boxOf = (node: Node) => {
      const r = node.getBoundingClientRect();
      return { x: r.left + view.scrollX, y: r.top + view.scrollY, width: r.width, height: r.height };
    };
    const visible = (box: { width: number; height: number }) => box.width > 0 && box.height > 0;
    const marks = [...view.document.querySelectorAll('[data-manual-item]')]
      .map((node) => ({
        items: (node.getAttribute('data-manual-item') ?? '').split(/\s+/),
        box: boxOf(node),
      }))
      .filter((mark) => visible(mark.box));
    const buttons: Record<string, ReturnType<typeof boxOf>> = {};
    for (const node of view.document.querySelectorAll('button[name="_action"]:not([aria-hidden="true"])')) {
      const action = node.getAttribute('value') ?? '';
      const box = boxOf(node);
      if (action && visible(box) && !buttons[action]) buttons[action] = box;
    }
    const { scrollWidth, scrollHeight } = view.document.documentElement;
    return { width: scrollWidth, height: scrollHeight, marks, buttons };
  });
}

/** File names of a page's pictures, relative to its language's folder. */
const files = (path: string, variant: string) => ({
  shot: `shots/${path}.${variant}.png`,
  thumb: `thumbs/${path}.${variant}.png`,
});

async function picture(outDir: string, { lang, arrival, tab }: Shown): Promise<Shot> {
  const { shot, thumb } = files(arrival.page.path, arrival.variant);
  const dir = join(outDir, lang);
  const measured = await measure(tab);
  await tab.screenshot({ path: join(dir, shot), fullPage: true });
  await tab.screenshot({ path: join(dir, thumb), clip: { x: 0, y: 0, ...viewport } });
  return { file: shot, thumb, ...measured };
}

/**
 * Shows every page in both languages and keeps the first rendition of each page and variant, its
 * pictures written under `outDir/<lang>/`. Answers the renditions and the walk's failures.
 */
export async function capturePages(
  outDir: string,
  langs: readonly Lang[],
): Promise<{ renditions: Map<string, Rendition>; failures: string[] }> {
  for (const lang of langs) {
    await mkdir(join(outDir, lang, 'shots'), { recursive: true });
    await mkdir(join(outDir, lang, 'thumbs'), { recursive: true });
  }
  const renditions = new Map<string, Rendition>();
  const failures = await showPages(walkPaths(), langs, async (shown) => {
    const key = renditionKey(shown.lang, shown.arrival.page.path, shown.arrival.variant);
    if (renditions.has(key)) return;
    const scan = scanPage(await shown.tab.content());
    renditions.set(key, { scan, shot: await picture(outDir, shown) });
  });
  return { renditions, failures };
}
