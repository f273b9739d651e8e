/**
 * The manual printed by Chromium: A4, page numbers in the footer (as the seed's "- 3 -"), a
 * bookmark outline, and a table of contents with the page of each heading. Chromium cannot number
 * the contents itself, so the document is printed twice: the first print says on which page each
 * linked heading landed (the PDF's named destinations), the second carries those numbers in
 * place (they take room reserved for them, so nothing moves).
 */
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from '@playwright/test';

const footer =
  '<div style="width:100%;font-size:8pt;text-align:center;color:#505a5f">- <span class="pageNumber"></span> -</div>';

async function print(tab: Page): Promise<Buffer> {
  return tab.pdf({
    preferCSSPageSize: true,
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: '<div></div>',
    footerTemplate: footer,
    margin: { top: '16mm', bottom: '18mm', left: '14mm', right: '14mm' },
    outline: true,
    tagged: true,
  });
}

/** The PDF's objects by number: their dictionaries as text (streams are not read). */
function objects(pdf: string): Map<number, string> {
  const found = new Map<number, string>();
  for (const match of pdf.matchAll(/(\d+) 0 obj\s*(<<[\s\S]*?)(?:stream|endobj)/g)) {
    found.set(Number(match[1]), match[2] ?? '');
  }
  return found;
}

/** The page objects in document order, walking the page tree from the catalogue's /Pages. */
function pageOrder(all: Map<number, string>): number[] {
  const catalogue = [...all.values()].find((body) => /\/Type\s*\/Catalog\b/.test(body)) ?? '';
  const root = Number(/\/Pages\s+(\d+) 0 R/.exec(catalogue)?.[1]);
  const order: number[] = [];
  const visit = (id: number) => {
    const body = all.get(id) ?? '';
    if (/\/Type\s*\/Pages\b/.test(body)) {
      const kids = /\/Kids\s*\[([^\]]*)\]/.exec(body)?.[1] ?? '';
      for (const [, kid] of kids.matchAll(/(\d+) 0 R/g)) visit(Number(kid));
    } else order.push(id);
  };
  visit(root);
  return order;
}

/** How many pages a PDF has, and on which page each named destination (a linked heading's id) is. */
export function readPdf(buffer: Buffer): { pages: number; destinations: Map<string, number> } {
  const all = objects(buffer.toString('latin1'));
  const order = pageOrder(all);
  const destinations = new Map<string, number>();
  const catalogue = [...all.values()].find((body) => /\/Type\s*\/Catalog\b/.test(body)) ?? '';
  const dests = all.get(Number(/\/Dests\s+(\d+) 0 R/.exec(catalogue)?.[1])) ?? '';
  for (const [, name, page] of dests.matchAll(/\/([^\s[/]+)\s*\[(\d+) 0 R/g)) {
    const id = (name ?? '').replace(/#([0-9a-f]{2})/gi, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
    destinations.set(id, order.indexOf(Number(page)) + 1);
  }
  return { pages: order.length, destinations };
}

/** Writes into each `.toc-page[data-for=id]` of the page the number of the page `id` is printed on. */
export async function fillContents(tab: Page, contents: Map<string, number>): Promise<void> {
  await tab.evaluate(
    (pages: [string, number][]) => {
      interface Slot {
        textContent: string;
        getAttribute(name: string): string | null;
      }
      const { document } = globalThis as unknown as {
        document: { querySelectorAll(s: string): Iterable<Slot> };
      };
      const byId = new Map(pages);
      for (const slot of document.querySelectorAll('.toc-page')) {
        slot.textContent = String(byId.get(slot.getAttribute('data-for') ?? '') ?? '');
      }
    },
    [...contents],
  );
}

/**
 * Prints the HTML file to `pdfPath`, each `.toc-page[data-for=id]` filled with the page of the
 * heading `id`; answers the number of pages and those page numbers.
 */
export async function printManual(
  browser: Browser,
  htmlPath: string,
  pdfPath: string,
): Promise<{ pages: number; contents: Map<string, number> }> {
  const tab = await browser.newPage();
  try {
    await tab.goto(pathToFileURL(htmlPath).toString(), { waitUntil: 'load' });
    await tab.emulateMedia({ media: 'print' });
    const first = readPdf(await print(tab));
    await fillContents(tab, first.destinations);
    const pdf = await print(tab);
    await writeFile(pdfPath, pdf);
    const printed = readPdf(pdf);
    return { pages: printed.pages, contents: printed.destinations };
  } finally {
    await tab.close();
  }
}
