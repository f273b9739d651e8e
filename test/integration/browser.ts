/**
 * A browser-like client of the app: a cookie jar, the step token read from each page, PRG
 * followed; over `inject` or real HTTP.
 */
import type { FastifyInstance } from 'fastify';
import type { EntryEvent } from '../../machines/session.ts';
import { emailedLinkIn } from '../support/emailed-link.ts';
import type { Message } from '../support/smtp.ts';
import type { TestUser } from './fixtures.ts';

/**
 * The address Search picker from a form page (manual 1.4 item 5): Search with the typed `fields`,
 * the prefecture of `municipalityCode`, then the municipality. Answers the three pages it passed.
 */
export async function pickAddress(
  browser: Browser,
  fields: Record<string, string>,
  municipalityCode: string,
) {
  const prefectures = await browser.press('SEARCH', fields);
  const municipalities = await browser.press('SELECT_PREFECTURE', {
    prefecture: municipalityCode.slice(0, 2),
  });
  const form = await browser.press('SELECT_MUNICIPALITY', { municipalityCode });
  return { prefectures, municipalities, form };
}

/**
 * The path and query of the system's link that starts `event` in an email (the Password
 * Registration link unless told), to open with `Browser.get`.
 */
export function linkIn(message: Message, event: EntryEvent = 'OPEN_LINK'): string {
  const link = emailedLinkIn(message.text, event);
  if (!link) throw new Error(`no ${event} link in: ${message.text}`);
  return link;
}

/** "Forgot your password?" for the pair (2.5.2), in a browser of its own. */
export async function requestReset(app: FastifyInstance, userId: string, email: string): Promise<void> {
  const browser = new Browser(app);
  await browser.get('/');
  await browser.press('GO_LOGIN');
  await browser.press('GO_FORGOT_PASSWORD');
  await browser.press('SEND_RESET', { userId, email });
}

export interface Page {
  status: number;
  /** The path of the page shown, without its query. */
  url: string;
  /** The URL as requested, query and all (a page's per-render key is in it). */
  href: string;
  html: string;
  /** The step token of the page's forms. */
  step: string;
}

interface Sent {
  statusCode: number;
  headers: { location?: string | number | string[]; 'set-cookie'?: string | string[] | number };
  body: string;
}

/** How a request reaches the app: `inject` into one instance, or real HTTP to a base URL chosen per request. */
type Transport = (
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string,
) => Promise<Sent>;

function injectInto(app: FastifyInstance): Transport {
  return async (method, url, headers, body) => {
    const response = await app.inject({ method: method as 'GET' | 'POST', url, headers, payload: body });
    return { statusCode: response.statusCode, headers: response.headers, body: response.body };
  };
}

/** Real HTTP; `base()` names the server for each request (e.g. alternating between processes). */
export function overHttp(base: () => string): Transport {
  return async (method, url, headers, body) => {
    const response = await fetch(`${base()}${url}`, { method, headers, body, redirect: 'manual' });
    return {
      statusCode: response.status,
      headers: {
        location: response.headers.get('location') ?? undefined,
        'set-cookie': response.headers.getSetCookie(),
      },
      body: await response.text(),
    };
  };
}

/** A form POST as a page sends it (urlencoded), with the cookies and headers given. */
export function postForm(
  app: FastifyInstance,
  url: string,
  form: Record<string, string>,
  options: { cookie?: string; headers?: Record<string, string>; remoteAddress?: string } = {},
) {
  return app.inject({
    method: 'POST',
    url,
    remoteAddress: options.remoteAddress,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
    payload: new URLSearchParams(form).toString(),
  });
}

/** A browser: keeps cookies, follows 303s, remembers the last page. */
export class Browser {
  cookies = new Map<string, string>();
  page: Page = { status: 0, url: '', href: '', html: '', step: '' };
  /** Sent with every request, redirects followed included (e.g. the fetch metadata of a navigation). */
  headers: Record<string, string> = {};
  private readonly send: Transport;

  constructor(app: FastifyInstance | Transport) {
    this.send = typeof app === 'function' ? app : injectInto(app);
  }

  private keepCookies(setCookie: string | string[] | undefined): void {
    for (const line of [setCookie ?? []].flat()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...rest] = (pair ?? '').split('=');
      const expired = attributes.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
      if (!name) continue;
      if (expired || rest.join('=') === '') this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), rest.join('='));
    }
  }

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<Page> {
    const response = await this.send(
      method,
      url,
      {
        ...this.headers,
        cookie: this.cookieHeader(),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      form ? new URLSearchParams(form).toString() : undefined,
    );
    this.keepCookies(response.headers['set-cookie'] as string | string[] | undefined);
    if (response.statusCode === 303) return this.get(String(response.headers.location));
    const html = response.body;
    const step = /name="_step" value="([^"]*)"/.exec(html)?.[1] ?? '';
    this.page = { status: response.statusCode, url: url.split('?')[0] ?? url, href: url, html, step };
    return this.page;
  }

  /** The Cookie header this browser sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** The id of this browser's session (its cookie is `<id>.<signature>`). */
  sessionId(): string | undefined {
    const raw = this.cookies.get('zairyu_session');
    return raw ? decodeURIComponent(raw).split('.')[0] : undefined;
  }

  get(url: string): Promise<Page> {
    return this.request('GET', url);
  }

  /** The browser's reload button: the page shown, requested again at the same URL. */
  refresh(): Promise<Page> {
    return this.get(this.page.href);
  }

  /** Presses a button of the current page: posts its event with the page's step token. */
  press(action: string, fields: Record<string, string> = {}, step = this.page.step): Promise<Page> {
    return this.request('POST', this.page.url, { _step: step, _action: action, ...fields });
  }

  async login(user: TestUser): Promise<Page> {
    await this.get('/');
    await this.press('GO_LOGIN');
    return this.press('LOGIN', { userId: user.userId, password: user.password });
  }
}
