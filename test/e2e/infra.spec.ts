/** The browser-test infrastructure itself: Chromium reaches the real server and its mailbox. */
import { expect, test } from '@playwright/test';
import { mailbox } from './support.ts';

test('the browser reaches the server, and the mailbox answers', async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBeLessThan(500);
  expect(Array.isArray(await mailbox())).toBe(true);
});
