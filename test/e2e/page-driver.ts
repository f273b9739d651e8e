/**
 * A real browser tab as the driver of the model paths (test/paths/journey.ts): buttons clicked and
 * fields filled in a real page, and after every request the page's URL and template checked, and
 * the state the server keeps in Redis. Used by the Chromium replay of the paths and by the specs
 * that look at every page state a path reaches; its page client also drives the walk of the
 * generated manual and the explorer's screenshots (visualize/screenshots.ts).
 */
import { type Browser, type BrowserContext, expect, type Locator, type Page } from '@playwright/test';
import type { Redis } from 'ioredis';
import { type Client, type Driver, registerAccount, stateMismatch } from '../paths/journey.ts';
import { pageOfValue, type Request } from '../paths/model.ts';
import { sessionId, sessionKey } from './steps.ts';
import { waitForMail } from './support.ts';

/** What the page scripts below touch of the DOM (the project compiles without the DOM library). */
interface Field {
  name: string;
  type: string;
  value: string;
  checked: boolean;
}
interface Submittable {
  requestSubmit(submitter?: unknown): void;
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
    else if ((await submit.getAttribute('data-script-answers')) !== null)
      // the page's script answers a click on it without a request (the postal-code lookup): the
      // machine's event is the post the button makes without the script
      await submit.evaluate((button) => (button as { form: Submittable }).form.requestSubmit(button));
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

export function pageDriver(browser: Browser, main: Page, baseURL: string, redis: Redis) {
  const contexts: BrowserContext[] = [];
  const client = new PageClient(async () => main);
  const stored = async (id: string | undefined) => {
    const key = id && (await sessionKey(redis, id));
    const raw = key ? await redis.get(key) : null;
    return raw === null
      ? null
      : (JSON.parse(raw.slice(raw.indexOf('\n') + 1)) as { snapshot: { value: unknown } });
  };
  const driver: Driver = {
    main: client,
    side: () =>
      new PageClient(async () => {
        const context = await browser.newContext({ baseURL });
        contexts.push(context);
        return context.newPage();
      }),
    createAccount: () => registerAccount(driver),
    mail: (predicate) => waitForMail(predicate),
    outOfSequence: (action) => client.postForeign(action),
    async expire() {
      const key = await sessionKey(redis, (await sessionId(main)) ?? '');
      if (key) await redis.pexpire(key, 1);
      await new Promise((resolve) => setTimeout(resolve, 10));
      await main.reload();
    },
    async check(request: Request, expectedCodes: string[]) {
      const expected = pageOfValue(request.to.value);
      if (!expected) throw new Error(`no page for ${JSON.stringify(request.to.value)}`);
      expect(new URL(main.url()).pathname).toBe(expected.meta.url);
      await expect(main.locator(`main.page--${expected.meta.template}`)).toBeVisible();
      for (const code of expectedCodes)
        await expect(main.locator(`[data-code="${code}"]`).first()).toBeVisible();
      const id = await sessionId(main);
      if (request.to.status === 'done') expect(id, 'no session after it ended').toBeUndefined();
      else if (id) {
        const mismatch = stateMismatch(await stored(id), request);
        if (mismatch) throw new Error(mismatch);
      }
    },
  };
  return { driver, close: () => Promise.all(contexts.map((c) => c.close())) };
}
