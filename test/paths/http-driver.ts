/**
 * The replay's driver over HTTP: the integration harness's browser (cookies, PRG followed) against
 * the real app, PostgreSQL, Redis and a real SMTP server. After every request it reads the
 * session record in Redis and checks the state the server keeps is the path's state, and that the
 * page shown is that state's page.
 */
import { Browser, createUser, type MailHarness } from '../integration/harness.ts';
import { type Client, type Driver, expectedMarks, stateMismatch } from './journey.ts';
import { pageOfValue, type Request, startRequest } from './model.ts';

export interface StoredSession {
  step: string;
  snapshot: { value: unknown; context: Record<string, unknown> };
}

export const sessionKey = (harness: MailHarness, id: string) => `${harness.prefix}s:${id}`;

/** The session record as the server stored it: `<revision>\n<json>`. */
export async function storedSession(
  harness: MailHarness,
  id: string | undefined,
): Promise<StoredSession | null> {
  if (!id) return null;
  const raw = await harness.redis.get(sessionKey(harness, id));
  return raw === null ? null : (JSON.parse(raw.slice(raw.indexOf('\n') + 1)) as StoredSession);
}

export class HttpClient implements Client {
  readonly browser: Browser;
  private readonly harness: MailHarness;

  constructor(harness: MailHarness) {
    this.harness = harness;
    this.browser = new Browser(harness.app);
  }

  async open(url: string): Promise<void> {
    await this.browser.get(url);
  }

  async press(action: string, fields: Record<string, string> = {}): Promise<void> {
    await this.browser.press(action, fields, await this.step());
  }

  async offers(action: string): Promise<boolean> {
    return this.browser.page.html.includes(`name="_action" value="${action}"`);
  }

  /** The page's step token; the session's when the page did not render (the check reports that). */
  async step(): Promise<string> {
    if (this.browser.page.step) return this.browser.page.step;
    return (await storedSession(this.harness, this.browser.sessionId()))?.step ?? '';
  }
}

export interface HttpDriver extends Driver {
  main: HttpClient;
  /** What was wrong with the pages shown (the server-side state was right): reported at the end. */
  problems: string[];
}

export function httpDriver(harness: MailHarness): HttpDriver {
  const main = new HttpClient(harness);
  const problems: string[] = [];
  let sessionBefore: string | undefined;

  const problem = (message: string) => problems.push(`${main.browser.page.url}: ${message}`);

  return {
    main,
    problems,
    side: () => new HttpClient(harness),
    async createAccount() {
      const user = await createUser(harness.pool);
      return { userId: user.userId, email: user.email, password: user.password };
    },
    mail: (predicate) => harness.smtp.waitFor(predicate, 15_000),
    async outOfSequence(action) {
      await main.press(action);
    },
    async expire() {
      const id = main.browser.sessionId();
      if (id) await harness.redis.pexpire(sessionKey(harness, id), 1);
      await new Promise((resolve) => setTimeout(resolve, 10));
      await main.browser.get(main.browser.page.url);
    },
    async before(request) {
      sessionBefore = main.browser.sessionId();
      // An invalid payload may be crafted (a code the picker never lists): only the others need a button.
      const { action, kind } = request.trigger;
      if (action && (kind === 'move' || kind === 'form') && !(await main.offers(action))) {
        problem(`the page offers no ${action} button`);
      }
    },
    async check(request: Request, expectedCodes: string[]) {
      const { page } = main.browser;
      const expected = pageOfValue(request.to.value);
      if (!expected) throw new Error(`no page for ${JSON.stringify(request.to.value)}`);
      if (page.url !== expected.meta.url) {
        throw new Error(
          `the browser is on ${page.url} (HTTP ${page.status}), the path expects ${expected.meta.url}`,
        );
      }
      const id = main.browser.sessionId();
      if (request.to.status === 'done') {
        if (id) throw new Error('the session cookie is kept on a page shown after the session ended');
        if (sessionBefore && (await harness.redis.exists(sessionKey(harness, sessionBefore)))) {
          throw new Error('the session ended but its record is still in Redis');
        }
      } else if (id || request !== startRequest) {
        const stored = await storedSession(harness, id);
        const mismatch = stateMismatch(stored, request);
        if (mismatch) throw new Error(mismatch);
        if (page.step && stored?.step !== page.step)
          problem('the page carries another step token than the session');
      }
      if (page.status !== 200) problem(`HTTP ${page.status}`);
      if (!page.html.includes(`class="page page--${expected.meta.template}"`)) {
        problem(`not the ${expected.meta.template} page`);
      }
      for (const code of expectedCodes) {
        if (!page.html.includes(`data-code="${code}"`)) problem(`no error ${code} shown`);
      }
      // every error tied to a field marks that field with "!" (manual 1.4 item 4)
      for (const field of expectedMarks(request)) {
        if (!page.html.includes(`data-mark-for="${field}"`)) problem(`no "!" on ${field}`);
      }
    },
  };
}
