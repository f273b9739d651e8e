/**
 * Replays a model path against a running server through a `Driver`: the integration harness's HTTP
 * client (test/paths/http-driver.ts) or Chromium (test/e2e/paths.spec.ts). Both share this code, so
 * a path means the same requests in both.
 *
 * A path is made real by its world: the accounts, passwords and emailed links of the path, kept
 * as the server would have them. Valid payloads are filled in from it (payloads.ts), links and
 * user IDs are read from the real emails, and each side-effect outcome the model asks for is
 * arranged from outside (a wrong password typed, a link used in another browser meanwhile).
 */
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { EntryEvent } from '../../machines/session.ts';
import { emailedLinkUrl } from '../../src/flow/pages.ts';
import { emailedLinkIn } from '../support/emailed-link.ts';
import type { Message } from '../support/smtp.ts';
import {
  acceptedTypes,
  type ModelEvent,
  type ModelPath,
  type OutcomeCase,
  type OutcomeKey,
  outcomes,
  pages,
  type Request,
  startRequest,
} from './model.ts';
import { type Facts, type Fields, type InvalidPayload, payloads, sampleFacts } from './payloads.ts';

export interface Account {
  userId: string;
  email: string;
  /** Null until a password is registered from the emailed link. */
  password: string | null;
}

/** A browser: it shows one page at a time and presses that page's buttons. */
export interface Client {
  /** Opens a URL (path and query), as typed or clicked in an email. */
  open(url: string): Promise<void>;
  /** Presses a button of the page shown, with these form fields (exactly these: others are emptied). */
  press(action: string, fields?: Fields): Promise<void>;
  /** Whether the page shown has a button for the action. */
  offers(action: string): Promise<boolean>;
}

export interface Driver {
  /** The browser the path runs in. */
  main: Client;
  /** Another browser (another device): arrangements happen there. */
  side(): Client;
  /** An account with a password, made without the path's browser. */
  createAccount(): Promise<Account>;
  /** The first email (received or still to come) that matches. */
  mail(predicate: (message: Message) => boolean): Promise<Message>;
  /** From the page shown, posts an action the page does not offer (the engine's invalid operation). */
  outOfSequence(action: string): Promise<void>;
  /** Lets the session of the main browser reach its idle timeout, then reloads the page. */
  expire(): Promise<void>;
  /** Before a request from the page shown (e.g. the page offers the button). */
  before?(request: Request): Promise<void>;
  /** After a request: the server's state and the page shown are where the request leads; throws if not. */
  check(request: Request, expectedCodes: string[]): Promise<void>;
}

/** A restore link, the account it belongs to and the address it puts back. */
interface Restore {
  url: string;
  account: Account;
  former: string;
}

interface Link {
  /** Path and query of the link, once its email has been read. */
  url?: string;
  to: string;
  account: Account;
  purpose: 'register' | 'reset';
  used: boolean;
  /** When the server was asked for it: its email arrives after that. */
  since: number;
}

/**
 * The homepage, and the pages emailed links open (those with an entry), as the machine names them:
 * the password links' and the restore link's in the notice to a former address.
 */
const homeUrl = pages.byPath.get('home')?.meta.url ?? '/';
/** The URL of the link that starts `event` with a token, and the one in an email. */
function entryOf(event: EntryEvent) {
  return {
    url: (token: string) => emailedLinkUrl(pages, event, token),
    /** The path and query of the link in an email. */
    inMessage: (message: Message): string | undefined => emailedLinkIn(message.text, event),
  };
}
const passwordEntry = entryOf('OPEN_LINK');
const restoreEntry = entryOf('OPEN_RESTORE_LINK');
const USER_ID = /(?:User ID|認証ID)\s*[:：]\s*([a-z0-9]{6,20})/;

export const linkOf = passwordEntry.inMessage;

const unique = () => randomBytes(4).toString('hex');
/** A valid password nobody has had: letters, digits and a symbol, not a common one. */
export const newPassword = () => `Hato#${unique()}Q7`;
export const freshEmail = () => `path-${unique()}@example.com`;
const wrongPassword = 'Wr0ng#pass9';

/** The accounts and links of one path, as the server has them. */
export class World {
  private fixture?: Account;
  /** The account registered on this path (its user ID read from the email). */
  registered?: Account;
  signedIn?: Account;
  /** The link the main browser is on (Password Registration). */
  open?: Link;
  /** The restore link whose confirmation page the main browser is on. */
  openRestore?: Restore;
  /** The address the registration form was confirmed with. */
  registrationEmail?: string;
  private readonly links: Link[] = [];
  private readonly driver: Driver;

  constructor(driver: Driver) {
    this.driver = driver;
  }

  /** The account to log in with: the one registered on the path once it has a password, else a made one. */
  async primary(): Promise<Account> {
    if (this.registered?.password) return this.registered;
    this.fixture ??= await this.driver.createAccount();
    return this.fixture;
  }

  /** An account other than the path's own. */
  another(): Promise<Account> {
    return this.driver.createAccount();
  }

  /** The server is about to send a link: earlier ones of the account and purpose are void. */
  async expectLink(to: string, account: Account, purpose: Link['purpose']): Promise<void> {
    await this.readPending(to);
    for (const link of this.links) if (link.account === account && link.purpose === purpose) link.used = true;
    this.links.push({ to, account, purpose, used: false, since: Date.now() });
  }

  /** Reads the emails of the links still to come to `to` (all of them when `to` is undefined). */
  private async readPending(to?: string): Promise<void> {
    for (const link of this.links) {
      if (link.url || (to !== undefined && link.to !== to)) continue;
      const known = new Set(this.links.map((l) => l.url));
      const message = await this.driver.mail(
        (m) =>
          m.to.includes(link.to) &&
          Date.parse(m.receivedAt) >= link.since &&
          linkOf(m) !== undefined &&
          !known.has(linkOf(m)),
      );
      link.url = linkOf(message);
      if (link.purpose === 'register') link.account.userId = USER_ID.exec(message.text)?.[1] ?? '';
    }
  }

  /** A new password for the account: every link still out for it is void. */
  passwordSet(account: Account, password: string): void {
    account.password = password;
    this.linksVoid(account);
  }

  /** A new password or email address: the account's password links still out are void. */
  linksVoid(account: Account): void {
    for (const link of this.links) if (link.account === account) link.used = true;
  }

  /** Restore links already read, so that each arrangement reads its own. */
  private readonly restoreLinks = new Set<string>();

  /** Another browser, logged in as the account, changes its email address to `email`. */
  async changeEmailElsewhere(account: Account, email: string): Promise<void> {
    const side = this.driver.side();
    await side.open(homeUrl);
    await side.press('GO_LOGIN');
    await side.press('LOGIN', { userId: account.userId, password: account.password ?? '' });
    await side.press('GO_USER_INFO');
    await side.press('GO_CHANGE_USER_INFO');
    await side.press('CHANGE_USER_INFO', { email, emailConfirm: email });
    account.email = email;
    this.linksVoid(account);
  }

  /**
   * A restore link: another browser changes the primary account's address to a fresh one, and the
   * notice to the former address carries the link. Answers it with the address it puts back.
   */
  async restoreLink(): Promise<Restore> {
    const account = await this.primary();
    const former = account.email;
    const since = Date.now();
    await this.changeEmailElsewhere(account, freshEmail());
    const message = await this.driver.mail((m) => {
      const url = restoreEntry.inMessage(m);
      return (
        m.to.includes(former) && Date.parse(m.receivedAt) >= since && !!url && !this.restoreLinks.has(url)
      );
    });
    const url = restoreEntry.inMessage(message) ?? '';
    this.restoreLinks.add(url);
    return { url, account, former };
  }

  /** The restore link confirmed: the account has its former address again, its password links void. */
  emailRestored(restore: { account: Account; former: string }): void {
    restore.account.email = restore.former;
    this.linksVoid(restore.account);
  }

  /** Another browser opens a restore link and presses the button on its confirmation page. */
  async restoreElsewhere(restore: Restore): Promise<void> {
    const side = this.driver.side();
    await side.open(restore.url);
    await side.press('RESTORE_EMAIL');
    this.emailRestored(restore);
  }

  /** The newest unused link; when there is none, one is asked for in another browser. */
  async freshLink(): Promise<Link & { url: string }> {
    await this.readPending();
    let link = this.links.findLast((l) => !l.used);
    if (!link) {
      const account = await this.primary();
      await this.expectLink(account.email, account, 'reset');
      const side = this.driver.side();
      await side.open(homeUrl);
      await side.press('GO_LOGIN');
      await side.press('GO_FORGOT_PASSWORD');
      await side.press('SEND_RESET', { userId: account.userId, email: account.email });
      await this.readPending(account.email);
      link = this.links.findLast((l) => !l.used);
    }
    if (!link?.url) throw new Error('no emailed link came');
    return link as Link & { url: string };
  }

  /** Another browser opens the link and registers a password with it. */
  async useElsewhere(link: Link & { url: string }): Promise<void> {
    const side = this.driver.side();
    const password = newPassword();
    await side.open(link.url);
    await side.press('SET_PASSWORD', { password, passwordConfirm: password });
    this.passwordSet(link.account, password);
  }

  /**
   * Another browser signed in to the signed-in account types wrong current passwords on the
   * Password Input page until the account locks (its session ends there).
   */
  async lockElsewhere(): Promise<void> {
    const account = this.signedIn ?? (await this.primary());
    const side = this.driver.side();
    await side.open(homeUrl);
    await side.press('GO_LOGIN');
    await side.press('LOGIN', { userId: account.userId, password: account.password ?? '' });
    await side.press('GO_USER_INFO');
    await side.press('GO_CHANGE_PASSWORD');
    const password = newPassword();
    const guess = { currentPassword: wrongPassword, newPassword: password, newPasswordConfirm: password };
    for (let guesses = 0; await side.offers('CHANGE_PASSWORD'); guesses++) {
      if (guesses > 100) throw new Error('the account did not lock after 100 wrong current passwords');
      await side.press('CHANGE_PASSWORD', guess);
    }
  }

  /** The facts a payload of `action` is filled in from. */
  async facts(action: string): Promise<Facts> {
    const needsAccount = action === 'LOGIN' || action === 'SEND_RESET';
    const account =
      action === 'SET_PASSWORD'
        ? this.open?.account
        : (this.signedIn ?? (needsAccount ? await this.primary() : undefined));
    return {
      userId: account?.userId ?? sampleFacts.userId,
      password: account?.password ?? sampleFacts.password,
      email: account?.email ?? sampleFacts.email,
      newPassword: newPassword(),
      freshEmail: freshEmail(),
    };
  }
}

interface Context {
  world: World;
  request: Request;
  /** The fields the request posts. */
  fields: Fields;
}

/** How the replay makes the server produce an outcome, and what the world learns from it. */
interface Arrangement {
  /** The fields to post instead of the payload's. */
  fields?(fields: Fields): Fields;
  /** For the emailed link: which URL to open. */
  url?(world: World): Promise<string>;
  before?(c: Context): Promise<void>;
  after?(c: Context): Promise<void>;
}

/** Every outcome of the model needs one (the type says so). */
const arrangements: Record<OutcomeKey, Arrangement> = {
  'authenticate:ok': {
    async after({ world }) {
      world.signedIn = await world.primary();
    },
  },
  'authenticate:wrong-password': { fields: (fields) => ({ ...fields, password: wrongPassword }) },
  'registerUser:ok': {
    async after({ world }) {
      const to = world.registrationEmail ?? '';
      world.registered = { userId: '', email: to, password: null };
      await world.expectLink(to, world.registered, 'register');
    },
  },
  'updateUserInfo:ok': {
    async after({ world, fields }) {
      if (world.signedIn && fields.email) world.signedIn.email = fields.email;
    },
  },
  'updateUserInfo:email-in-use': {
    async before({ world, fields }) {
      const other = await world.another();
      fields.email = other.email;
      fields.emailConfirm = other.email;
    },
  },
  'changePassword:ok': {
    async after({ world, fields }) {
      if (world.signedIn) world.passwordSet(world.signedIn, fields.newPassword ?? '');
    },
  },
  'changePassword:wrong-current-password': {
    fields: (fields) => ({ ...fields, currentPassword: wrongPassword }),
  },
  'changePassword:account-locked': {
    before: ({ world }) => world.lockElsewhere(),
  },
  'requestPasswordReset:ok': {
    async before({ world, request, fields }) {
      if (request.trigger.payload !== 'registered-pair') return;
      const account = await world.primary();
      await world.expectLink(fields.email ?? '', account, 'reset');
    },
  },
  'verifyLink:ok': {
    async url(world) {
      const link = await world.freshLink();
      world.open = link;
      return link.url;
    },
  },
  'verifyLink:unknown-token': {
    url: async () => passwordEntry.url(randomBytes(32).toString('base64url')),
  },
  'verifyLink:used-link': {
    async url(world) {
      const link = await world.freshLink();
      await world.useElsewhere(link);
      return link.url;
    },
  },
  'checkRestoreLink:ok': {
    async url(world) {
      const restore = await world.restoreLink();
      world.openRestore = restore;
      return restore.url;
    },
  },
  'checkRestoreLink:unknown-token': {
    url: async () => restoreEntry.url(randomBytes(32).toString('base64url')),
  },
  'checkRestoreLink:used-link': {
    async url(world) {
      const restore = await world.restoreLink();
      await world.restoreElsewhere(restore);
      return restore.url;
    },
  },
  'restoreEmail:ok': {
    async after({ world }) {
      if (world.openRestore) world.emailRestored(world.openRestore);
    },
  },
  'restoreEmail:link-used-meanwhile': {
    async before({ world }) {
      if (!world.openRestore) throw new Error('no restore link is open');
      await world.restoreElsewhere(world.openRestore);
    },
  },
  'restoreEmail:address-taken': {
    async before({ world }) {
      if (!world.openRestore) throw new Error('no restore link is open');
      await world.changeEmailElsewhere(await world.another(), world.openRestore.former);
    },
    // refused, the restore still voids the account's password links (and ends its sessions)
    async after({ world }) {
      if (world.openRestore) world.linksVoid(world.openRestore.account);
    },
  },
  'setPassword:ok': {
    async after({ world, fields }) {
      if (world.open) world.passwordSet(world.open.account, fields.password ?? '');
    },
  },
  'setPassword:link-used-meanwhile': {
    async before({ world }) {
      if (!world.open?.url) throw new Error('no link is open');
      await world.useElsewhere(world.open as Link & { url: string });
    },
  },
};

function outcomeKey(event: ModelEvent | undefined): OutcomeKey | undefined {
  return event ? (`${event.effect}:${event.outcome}` as OutcomeKey) : undefined;
}

function payloadOf(event: ModelEvent) {
  const table = payloads[event.action as keyof typeof payloads];
  const list = event.kind === 'invalid' ? table.invalid : table.valid;
  const payload = list.find((p) => p.name === event.payload);
  if (!payload) throw new Error(`no payload ${event.case}`);
  return payload;
}

/** The error codes the page must show after the request. */
export function expectedCodes(request: Request): string[] {
  const { trigger, outcome } = request;
  if (trigger.kind === 'invalid')
    return (payloadOf(trigger) as InvalidPayload).errors.map(([, code]) => code);
  const effect = outcome?.effect;
  if (!effect) return [];
  const found = (outcomes[effect] as readonly OutcomeCase[]).find((o) => o.name === outcome.outcome);
  return found?.code ? [found.code] : [];
}

/** The fields the page must mark with "!" after the request: every error tied to a field. */
export function expectedMarks(request: Request): string[] {
  const { trigger, outcome } = request;
  if (trigger.kind === 'invalid') {
    return (payloadOf(trigger) as InvalidPayload).errors.flatMap(([field]) => (field ? [field] : []));
  }
  const effect = outcome?.effect;
  const found =
    effect && (outcomes[effect] as readonly OutcomeCase[]).find((o) => o.name === outcome.outcome);
  return found?.field ? [found.field] : [];
}

/** An action the state does not take, to provoke the engine's invalid operation. */
export function unacceptedAction(request: Request): string {
  const accepted = new Set(acceptedTypes(request.from));
  const action = [...pages.eventTypes]
    .sort()
    .find((type) => !accepted.has(type) && !type.startsWith('xstate.') && type !== 'INVALID_OPERATION');
  if (!action) throw new Error('the state takes every event');
  return action;
}

/**
 * The picker lists a prefecture's municipalities once the prefecture is chosen, as a person would
 * (the machine takes a municipality either way; choosing the prefecture keeps it on the page).
 */
async function listMunicipalities(client: Client, action: string, fields: Fields): Promise<void> {
  if (action !== 'SELECT_MUNICIPALITY' || (await client.offers(action))) return;
  await client.press('SELECT_PREFECTURE', { prefecture: (fields.municipalityCode ?? '').slice(0, 2) });
}

/** Sends one request of the path from the main browser; `driver.before` runs just before it goes. */
export async function send(world: World, driver: Driver, request: Request): Promise<void> {
  const { trigger } = request;
  const arrangement = arrangements[outcomeKey(request.outcome) as OutcomeKey] as Arrangement | undefined;
  const before = () => driver.before?.(request);
  switch (trigger.kind) {
    case 'engine':
      await before();
      if (trigger.type === 'SESSION_EXPIRED') await driver.expire();
      else await driver.outOfSequence(unacceptedAction(request));
      return;
    case 'link': {
      if (!arrangement?.url) throw new Error(`no link for ${request.outcome?.case}`);
      const url = await arrangement.url(world);
      await before();
      await driver.main.open(url);
      return;
    }
    default: {
      const form = await prepareForm(world, driver, request);
      await before();
      await driver.main.press(form.action, form.fields);
      await form.done();
    }
  }
}

export interface PreparedForm {
  action: string;
  fields: Fields;
  /** Tells the world what the server did, once the form was posted. */
  done(): Promise<void>;
}

/** What a button or form request posts, its outcome arranged (e.g. the link used elsewhere meanwhile). */
export async function prepareForm(world: World, driver: Driver, request: Request): Promise<PreparedForm> {
  const { trigger } = request;
  const arrangement = arrangements[outcomeKey(request.outcome) as OutcomeKey] as Arrangement | undefined;
  const action = trigger.action ?? trigger.type;
  const payload = trigger.kind === 'move' ? {} : payloadOf(trigger).fields(await world.facts(action));
  const fields = arrangement?.fields?.(payload) ?? payload;
  const context = { world, request, fields };
  await arrangement?.before?.(context);
  if (trigger.kind === 'form') await listMunicipalities(driver.main, action, fields);
  return {
    action,
    fields,
    async done() {
      if (trigger.kind === 'form' && action === 'CONFIRM_REGISTRATION')
        world.registrationEmail = fields.email;
      await arrangement?.after?.(context);
    },
  };
}

/**
 * An account made the way a person makes one, in another browser: register, read the user ID and
 * the link from the email, register a password with it.
 */
export async function registerAccount(driver: Driver): Promise<Account> {
  const side = driver.side();
  const email = freshEmail();
  const password = newPassword();
  const registration =
    payloads.CONFIRM_REGISTRATION.valid[0]?.fields({ ...sampleFacts, freshEmail: email }) ?? {};
  await side.open(homeUrl);
  await side.press('GO_REGISTER');
  await side.press('CONFIRM_REGISTRATION', registration);
  await side.press('REGISTER');
  const message = await driver.mail((m) => m.to.includes(email) && linkOf(m) !== undefined);
  await side.open(linkOf(message) ?? '');
  await side.press('SET_PASSWORD', { password, passwordConfirm: password });
  return { userId: USER_ID.exec(message.text)?.[1] ?? '', email, password };
}

/** Why the state the server stored is not the one the request leads to (undefined when it is). */
export function stateMismatch(
  stored: { snapshot: { value: unknown } } | null,
  request: Request,
): string | undefined {
  if (!stored) return 'no session record on the server';
  if (isDeepStrictEqual(stored.snapshot.value, request.to.value)) return undefined;
  return `the server keeps ${JSON.stringify(stored.snapshot.value)}, the path expects ${JSON.stringify(request.to.value)}`;
}

/** Replays a path: the homepage, then each request, each checked; `onChecked` hears of each one checked. */
export async function replay(
  path: ModelPath,
  driver: Driver,
  onChecked: (request: Request) => void = () => {},
): Promise<World> {
  const world = new World(driver);
  await driver.main.open(homeUrl);
  await driver.check(startRequest, []);
  for (const [index, request] of path.requests.entries()) {
    try {
      await send(world, driver, request);
      await driver.check(request, expectedCodes(request));
    } catch (error) {
      const label = request.outcome
        ? `${request.trigger.case}+${request.outcome.outcome}`
        : request.trigger.case;
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${path.id} request ${index + 1} (${label}): ${message}\n  path: ${path.name}`);
    }
    onChecked(request);
  }
  return world;
}
