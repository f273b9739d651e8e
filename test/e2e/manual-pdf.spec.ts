/**
 * The manual's PDF (manual/pdf.ts): Chromium prints it with the page of each heading in the table
 * of contents, found in a first print and filled in for the second.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { fillContents, printManual, readPdf } from '../../manual/pdf.ts';

const dir = join(import.meta.dirname, '..', '..', 'test-results', 'manual-pdf');

test('finds the page each heading of the contents is printed on, and prints bookmarks', async ({
  browser,
}) => {
  mkdirSync(dir, { recursive: true });
  const html = join(dir, 'doc.html');
  const pdf = join(dir, 'doc.pdf');
  const entry = (id: string) =>
    `<li><a href="#${id}">${id}<span class="toc-page" data-for="${id}"></span></a></li>`;
  writeFileSync(
    html,
    `<!doctype html><html><body><ol>${['first', 'second', 'third'].map(entry).join('')}</ol>
<h1 id="first">First</h1><p>On the first page.</p>
<h1 id="second" style="break-before: page">Second</h1><div style="height: 400mm"></div>
<h1 id="third">Third</h1></body></html>`,
  );
  const printed = await printManual(browser, html, pdf);
  expect(printed.pages).toBe(3);
  expect(Object.fromEntries(printed.contents)).toEqual({ first: 1, second: 2, third: 3 });
  // The file written is the second print: its page count is the one answered.
  const written = readFileSync(pdf);
  expect(readPdf(written).pages).toBe(3);
  expect(written.toString('latin1')).toMatch(/\/Outlines\s+\d+ 0 R/);
});

test("writes each heading's page into its entry of the contents", async ({ page }) => {
  await page.setContent(
    '<ol><li><a href="#a">A<span class="toc-page" data-for="a"></span></a></li><li><a href="#b">B<span class="toc-page" data-for="b"></span></a></li></ol>',
  );
  await fillContents(
    page,
    new Map([
      ['a', 3],
      ['b', 12],
    ]),
  );
  await expect(page.locator('.toc-page')).toHaveText(['3', '12']);
});
