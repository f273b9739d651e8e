/**
 * A browser tab as the path replay's `Client` (test/paths/journey.ts): it opens URLs, and presses a
 * page's buttons with exactly the given fields filled in, waiting for the page that follows. The
 * Chromium path suite (paths.spec.ts) and the generated manual's walk (visualize/screenshots.ts)
 * drive the pages through it.
 */
import type { Locator, Page } from '@playwright/test';
import type { Client } from '../paths/journey.ts';

/** What the page scripts below touch of the DOM (the project compiles without the DOM library). */
interface Field {
  name: string;
  type: string;
  value: string;
  checked: boolean;
}
interface Submittable {
  requestSubmit(): void;
}

/** A browser tab, opened on first use. */
export class PageClient implements Client {
  private page?: Page;
  private readonly opening: () => Promise<Page>;

  constructor(opening: () => Promise<Page>) {
    this.opening = opening;
  }

  async current(): Promise<Page> {
    this.page ??= await this.opening();
    return this.page;
  }

  async open(url: string): Promise<void> {
    await (await this.current()).goto(url);
  }

  async offers(action: string): Promise<boolean> {
    return (await (await this.current()).locator(`[name="_action"][value="${action}"]`).count()) > 0;
  }

  /** The button for the action a person sees (not one hidden from them), or the form's hidden action field. */
  private async control(page: Page, action: string): Promise<Locator> {
    const all = page.locator(`[name="_action"][value="${action}"]:not([aria-hidden="true"])`);
    if ((await all.count()) === 0) throw new Error(`the page ${page.url()} offers no ${action} button`);
    const visible = all.filter({ visible: true });
    return (await visible.count()) > 0 ? visible.first() : all.first();
  }

  /** Fills exactly these fields in the form (typed into visible inputs; others set), then submits it. */
  async press(action: string, fields: Record<string, string> = {}): Promise<void> {
    const page = await this.current();
    const control = await this.control(page, action);
    const form = control.locator('xpath=ancestor::form[1]');
    const inputs = form.locator('input:not([type=hidden]):not([type=radio]):not([type=submit]), textarea');
    for (const input of await inputs.all()) {
      const name = (await input.getAttribute('name')) ?? '';
      if (name && !name.startsWith('_')) await input.fill(fields[name] ?? '');
    }
    await form.evaluate((element, values) => {
      for (const input of element.querySelectorAll(
        'input[type=hidden], input[type=radio]',
      ) as Iterable<Field>) {
        if (!input.name || input.name.startsWith('_')) continue;
        if (input.type === 'radio') input.checked = values[input.name] === input.value;
        else input.value = values[input.name] ?? '';
      }
    }, fields);
    // A picker's choice is a button named after the field it sets.
    let submit = control;
    for (const [name, value] of Object.entries(fields)) {
      const choice = form.locator(`button[name="${name}"][value="${value}"]`);
      if ((await choice.count()) > 0) submit = choice.first();
    }
    const loaded = page.waitForEvent('load');
    if ((await submit.getAttribute('type')) === 'hidden')
      await form.evaluate((f) => (f as Submittable).requestSubmit());
    else await submit.click();
    await loaded;
  }

  /** Posts, from the page shown, a form the page does not have. */
  async postForeign(action: string): Promise<void> {
    const page = await this.current();
    const step = (await page.locator('input[name="_step"]').first().getAttribute('value')) ?? '';
    await page.setContent(
      `<form method="post" action="${page.url().split(/[?#]/)[0]}">` +
        `<input type="hidden" name="_step" value="${step}"><button name="_action" value="${action}">go</button></form>`,
    );
    const loaded = page.waitForEvent('load');
    await page.locator('button').click();
    await loaded;
  }
}
