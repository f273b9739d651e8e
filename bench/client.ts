/**
 * The benchmark's browser: sessions with their cookie and step token, opened and repaired over
 * plain HTTP (fetch) between the load runs. The load itself is autocannon (drivers.ts).
 */

/** A step token as the pages carry it in their forms. */
const stepPattern = /name="_step" value="([^"]+)"/;

export function stepOf(html: string): string | undefined {
  return stepPattern.exec(html)?.[1];
}

/** The path of a URL, without its query (a page's per-render key). */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** `name=value` of each Set-Cookie line (attributes dropped); an emptied cookie has value ''. */
export function cookiesOf(setCookie: string | string[] | undefined): [string, string][] {
  const lines = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
  return lines.map((line) => {
    const pair = line.split(';', 1)[0] ?? '';
    const equals = pair.indexOf('=');
    const expired = /max-age=0|expires=thu, 01 jan 1970/i.test(line);
    return [pair.slice(0, equals).trim(), expired ? '' : pair.slice(equals + 1).trim()];
  });
}

/** A header of an autocannon response, whatever case it was sent in. */
export function header(
  headers: Record<string, string | string[]>,
  name: string,
): string | string[] | undefined {
  if (name in headers) return headers[name];
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** One signed-in browser session that the transitions scenario moves between menu and user information. */
export class FlowSession {
  private jar = new Map<string, string>();
  /** The Cookie header to send. */
  cookie = '';
  step = '';
  /** The path of the page the session is on. */
  page = '';
  /** The URL of the page's current render (its path and per-render key), which a GET must name. */
  href = '';
  /** The request sent last whose answer was not seen (a run stopped): replayed by `settle`. */
  pending: { method: 'GET' | 'POST'; path: string; body?: string } | null = null;
  /** Ended by the server (an error): never used again. */
  dead = false;

  keepCookies(setCookie: string | string[] | undefined): void {
    const cookies = cookiesOf(setCookie);
    if (cookies.length === 0) return;
    for (const [name, value] of cookies) {
      if (value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    this.cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** One request, redirects not followed; remembers cookies. */
  async request(
    base: string,
    method: 'GET' | 'POST',
    path: string,
    form?: Record<string, string> | string,
  ): Promise<{ status: number; location: string | null; html: string }> {
    const body =
      form === undefined ? undefined : typeof form === 'string' ? form : new URLSearchParams(form).toString();
    const response = await fetch(`${base}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      body,
    });
    this.keepCookies(response.headers.getSetCookie());
    return {
      status: response.status,
      location: response.headers.get('location'),
      html: await response.text(),
    };
  }

  /** GET of a page; remembers its step token. */
  async open(base: string, href: string): Promise<void> {
    const page = await this.request(base, 'GET', href);
    const step = stepOf(page.html);
    if (page.status !== 200 || !step)
      throw new Error(`GET ${href} answered ${page.status} without a step token`);
    this.href = href;
    this.page = pathOf(href);
    this.step = step;
  }

  /** POSTs a button of the current page and follows its 303 to the next page. */
  async press(base: string, action: string, fields: Record<string, string> = {}): Promise<void> {
    const answer = await this.request(base, 'POST', this.page, {
      _step: this.step,
      _action: action,
      ...fields,
    });
    await this.follow(base, answer, `${action} on ${this.page}`);
  }

  async follow(
    base: string,
    answer: { status: number; location: string | null },
    what: string,
  ): Promise<void> {
    if (answer.status !== 303 || !answer.location) throw new Error(`${what} answered ${answer.status}`);
    if (/invalid-operation|timed-out/.test(answer.location)) throw new Error(`${what} ended the session`);
    await this.open(base, answer.location);
  }
}

export interface Credentials {
  userId: string;
  password: string;
}

/** A Zairyu session logged in as a user, on the menu: the journey of manual 2.2. */
export async function loginSession(base: string, user: Credentials): Promise<FlowSession> {
  const session = new FlowSession();
  await session.open(base, '/'); // the homepage's token, bound to the visit cookie it sets
  await session.press(base, 'GO_LOGIN');
  await session.press(base, 'LOGIN', { userId: user.userId, password: user.password });
  if (session.page !== '/menu') throw new Error(`login landed on ${session.page}`);
  return session;
}

/** A session of a reference server (the baseline, the conventional stack) on the menu. */
export async function referenceSession(base: string): Promise<FlowSession> {
  const session = new FlowSession();
  await session.follow(base, await session.request(base, 'POST', '/start'), 'start');
  return session;
}

/**
 * Brings a session whose last request went unanswered back to the menu. A repeated POST of the
 * step token just used is answered like the first one (DESIGN.md, "Request lifecycle"), so the
 * lost request is simply sent again: whether or not the server had taken it, the session ends up
 * one step further, and nothing happens twice.
 */
export async function settle(base: string, session: FlowSession): Promise<void> {
  if (session.dead) return;
  try {
    const lost = session.pending;
    session.pending = null;
    if (lost?.method === 'POST') {
      await session.follow(
        base,
        await session.request(base, 'POST', lost.path, lost.body),
        `repeated POST ${lost.path}`,
      );
    } else if (lost) {
      await session.open(base, lost.path);
    }
    if (session.page === '/user-info') await session.press(base, 'BACK');
    if (session.page !== '/menu') throw new Error(`session left on ${session.page}`);
  } catch {
    session.dead = true;
  }
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function inParallel<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}
