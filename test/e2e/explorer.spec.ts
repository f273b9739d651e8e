/**
 * The analysts' explorer (visualize/out/index.html) in Chromium: it opens with the whole diagram
 * in the window, zooms and pans with the mouse, the keyboard and touch, finds states and events,
 * and links each page state to its section in the generated manual.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { sessionMachine } from '../../machines/session.ts';
import { pageAnchor } from '../../manual/anchors.ts';
import { explorerPage, generateDiagrams } from '../../visualize/generate.ts';

const dir = join(import.meta.dirname, '..', '..', 'test-results', 'explorer');
const file = join(dir, 'index.html');

test.beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  const diagrams = await generateDiagrams(sessionMachine);
  writeFileSync(
    file,
    explorerPage(diagrams, { screenshotNote: 'no screenshots: Chromium is not installed' }),
  );
});

/** The transform of the diagram's stage (pan-zoom.js sets it as `translate(x, y) scale(s)`). */
async function transform(page: Page) {
  const style = (await page.locator('#stage').getAttribute('style')) ?? '';
  const found = /translate\((-?[\d.e-]+)px, (-?[\d.e-]+)px\) scale\(([\d.e-]+)\)/.exec(style);
  if (!found) throw new Error(`no transform in "${style}"`);
  const [, x, y, scale] = found.map(Number) as [number, number, number, number];
  return { scale, x, y };
}

async function expectWithin(page: Page, selector: string) {
  const viewport = page.viewportSize();
  const box = await page.locator(selector).first().boundingBox();
  if (!viewport || !box) throw new Error(`${selector} is not shown`);
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
  return box;
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test(`opens with the whole diagram inside a ${viewport.width}×${viewport.height} window`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    await page.goto(`file://${file}`);
    const box = await expectWithin(page, '#stage svg');
    // Fitted, not merely small: it fills the frame's width or its height.
    const frame = await page.locator('#diagram').boundingBox();
    if (!frame) throw new Error('no frame');
    expect(Math.max(box.width / frame.width, box.height / frame.height)).toBeGreaterThan(0.95);
  });
}

test('zooms with the wheel around the pointer and pans by dragging', async ({ page }) => {
  await page.goto(`file://${file}`);
  const fitted = await transform(page);
  await page.mouse.move(600, 450);
  await page.mouse.wheel(0, -400);
  const zoomed = await transform(page);
  expect(zoomed.scale).toBeGreaterThan(fitted.scale * 1.5);
  await page.mouse.down();
  await page.mouse.move(500, 350, { steps: 5 });
  await page.mouse.up();
  const panned = await transform(page);
  expect(panned.scale).toBe(zoomed.scale);
  expect(panned.x).toBeCloseTo(zoomed.x - 100, 0);
  expect(panned.y).toBeCloseTo(zoomed.y - 100, 0);
});

test('zooms and pans with the keyboard, and 0 fits the diagram again', async ({ page }) => {
  await page.goto(`file://${file}`);
  const fitted = await transform(page);
  await page.locator('#diagram').focus();
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  const zoomed = await transform(page);
  expect(zoomed.scale).toBeCloseTo(fitted.scale * 1.5625, 3);
  await page.keyboard.press('ArrowRight');
  expect((await transform(page)).x).toBeCloseTo(zoomed.x - 60, 0);
  await page.keyboard.press('0');
  expect(await transform(page)).toEqual(fitted);
});

test('pinches to zoom and pans with one finger on a touch screen', async ({ browser }) => {
  const context = await browser.newContext({ hasTouch: true, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`file://${file}`);
  const fitted = await transform(page);
  const frame = await page.locator('#diagram').boundingBox();
  if (!frame) throw new Error('no frame');
  const touch = await context.newCDPSession(page);
  const send = (type: string, xs: number[]) =>
    touch.send('Input.dispatchTouchEvent', {
      type,
      touchPoints: xs.map((x, id) => ({ x, y: 400, id })),
    } as never);
  // Two fingers 100 px apart spread to 300 px apart: three times the scale.
  await send('touchStart', [550, 650]);
  await send('touchMove', [450, 750]);
  await send('touchEnd', []);
  const pinched = await transform(page);
  expect(pinched.scale).toBeCloseTo(fitted.scale * 3, 2);
  // What lay between the fingers stays between them.
  const drawn = (600 - frame.x - fitted.x) / fitted.scale;
  const shownAt = frame.x + pinched.x + drawn * pinched.scale;
  expect(shownAt).toBeGreaterThan(450);
  expect(shownAt).toBeLessThan(750);
  // One finger pans.
  await send('touchStart', [600]);
  await send('touchMove', [640]);
  await send('touchEnd', []);
  const panned = await transform(page);
  expect(panned.scale).toBe(pinched.scale);
  expect(panned.x).toBeCloseTo(pinched.x + 40, 0);
  await context.close();
});

test('finds a state by name and brings it into view, marked', async ({ page }) => {
  await page.goto(`file://${file}`);
  await page.getByLabel('Find a state or event').fill('changePass');
  const result = page.getByRole('button', { name: 'signedIn.changePassword (state)' });
  await expect(result).toBeVisible();
  await result.click();
  await expect(page.locator('#diagram')).toHaveAttribute('data-found', 'signedIn.changePassword');
  const node = page.locator('[id="session.signedIn.changePassword"]');
  await expect(node).toHaveClass(/found/);
  await expectWithin(page, '[id="session.signedIn.changePassword"]');
  expect((await transform(page)).scale).toBeGreaterThan(0.9);
});

test('finds an event and marks every edge it labels', async ({ page }) => {
  await page.goto(`file://${file}`);
  const search = page.getByLabel('Find a state or event');
  await search.fill('GO_CHANGE_PASSWORD');
  await search.press('Enter');
  await expect(page.locator('.edge.found')).toHaveCount(1);
  await expect(page.locator('.edge.found')).toHaveAttribute(
    'id',
    'session.signedIn.userInfo|GO_CHANGE_PASSWORD|session.signedIn.changePassword',
  );
});

test('links each page state to its section of the generated manual, and says why screenshots are missing', async ({
  page,
}) => {
  await page.goto(`file://${file}`);
  const links = page.locator('[id="state-session.signedIn.menu"] .manual-link a');
  await expect(links).toHaveCount(2);
  await expect(links.first()).toHaveAttribute(
    'href',
    `../../manual/out/ja/index.html#${pageAnchor('signedIn.menu')}`,
  );
  await expect(page.locator('[id="state-session.authenticating"] .manual-link')).toHaveCount(0);
  await expect(page.getByTestId('screenshot-note')).toHaveText('no screenshots: Chromium is not installed');
});
