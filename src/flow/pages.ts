/**
 * The pages, read off the machine: every state whose `meta` names a URL is a page. Routes,
 * templates, the out-of-sequence check, the diagrams and the path tests all start from here.
 */
import { createHash } from 'node:crypto';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { type EntryEvent, type PageMeta, postableEvents } from '../../machines/session.ts';

export interface PageState {
  /** The state's path in the machine, e.g. `signedIn.menu`. */
  path: string;
  meta: PageMeta;
}

export interface PageIndex {
  pages: PageState[];
  byUrl: Map<string, PageState>;
  byPath: Map<string, PageState>;
  /** The machine's event types (XState's internal ones aside). */
  eventTypes: Set<string>;
  /** The event types a page may post: the machine's list of moves and forms. */
  postable: Set<string>;
  /** Fingerprint of the definition; a stored snapshot of another version is an expired session. */
  version: string;
  /**
   * URLs an emailed link leads to: its own page and every page its entry event settles on without
   * a click. A browser reaches them from another site (the mail reader), redirects included.
   */
  entryUrls: Set<string>;
}

/** The query parameter of a page's per-render key. */
export const renderKey = 'k';

/** The URL of one render of a page: the page's URL with the session's current per-render key. */
export function renderUrl(page: PageState, key: number): string {
  return `${page.meta.url}?${renderKey}=${key}`;
}

function walk(node: AnyStateNode, visit: (node: AnyStateNode) => void): void {
  visit(node);
  for (const child of Object.values(node.states)) walk(child, visit);
}

/** The pages a state leads to without a click: itself if a page, else the outcomes of its side effect. */
function settlesOn(node: AnyStateNode, found: Set<AnyStateNode>): void {
  if ((node.meta as PageMeta | undefined)?.url) {
    found.add(node);
    return;
  }
  for (const [type, transitions] of Object.entries(node.on)) {
    if (!type.startsWith('xstate.')) continue;
    for (const transition of transitions)
      for (const target of transition.target ?? []) settlesOn(target, found);
  }
}

function entryUrlsOf(machine: AnyStateMachine, pages: PageState[]): Set<string> {
  const found = new Set<AnyStateNode>();
  const start = machine.root.initial.target[0] as AnyStateNode;
  for (const page of pages) {
    const event = page.meta.entry?.event;
    if (!event) continue;
    for (const transition of start.on[event] ?? [])
      for (const target of transition.target ?? []) settlesOn(target, found);
  }
  const landings = [...found].map((node) => (node.meta as PageMeta).url);
  return new Set([...pages.filter((page) => page.meta.entry).map((page) => page.meta.url), ...landings]);
}

export function indexPages(machine: AnyStateMachine): PageIndex {
  const pages: PageState[] = [];
  const eventTypes = new Set<string>();
  walk(machine.root, (node) => {
    for (const type of node.ownEvents) if (!type.startsWith('xstate.')) eventTypes.add(type);
    const meta = node.meta as PageMeta | undefined;
    if (meta?.url) pages.push({ path: node.path.join('.'), meta });
  });
  const version = createHash('sha256').update(JSON.stringify(machine.definition)).digest('hex').slice(0, 16);
  return {
    pages,
    byUrl: new Map(pages.map((page) => [page.meta.url, page])),
    byPath: new Map(pages.map((page) => [page.path, page])),
    eventTypes,
    postable: new Set(postableEvents),
    version,
    entryUrls: entryUrlsOf(machine, pages),
  };
}

/** The page an emailed link opens: the one whose `meta` names `event` as its entry event. */
export function entryPage(
  index: PageIndex,
  event: EntryEvent,
): PageState & { meta: Required<Pick<PageMeta, 'entry'>> } {
  const page = index.pages.find((candidate) => candidate.meta.entry?.event === event);
  if (!page?.meta.entry) throw new Error(`the machine has no entry page for ${event}`);
  return page as PageState & { meta: Required<Pick<PageMeta, 'entry'>> };
}

/**
 * The URL of an emailed link starting `event` with `token` (absolute with `base`): its page's URL with
 * the token under its query key, both as the page's `meta` names them.
 */
export function emailedLinkUrl(index: PageIndex, event: EntryEvent, token: string, base = ''): string {
  const { meta } = entryPage(index, event);
  return `${base}${meta.url}?${meta.entry.query}=${encodeURIComponent(token)}`;
}

/** The page of a settled snapshot: its deepest active state that is a page (the last region's). */
export function pageOf(index: PageIndex, stateValue: unknown, prefix = ''): PageState | undefined {
  if (typeof stateValue === 'string') return index.byPath.get(`${prefix}${stateValue}`);
  if (!stateValue || typeof stateValue !== 'object') return undefined;
  let found: PageState | undefined;
  for (const [key, child] of Object.entries(stateValue)) {
    const path = `${prefix}${key}`;
    found = pageOf(index, child, `${path}.`) ?? index.byPath.get(path) ?? found;
  }
  return found;
}
