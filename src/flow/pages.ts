/**
 * The pages, read off the machine: every state whose `meta` names a URL is a page. Routes,
 * templates, the out-of-sequence check, the diagrams and the path tests all start from here.
 */
import { createHash } from 'node:crypto';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { engineEvents, type PageMeta } from '../../machines/session.ts';

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
  /** The event types a page may post: the machine's, less those only the engine sends. */
  postable: Set<string>;
  /** Fingerprint of the definition; a stored snapshot of another version is an expired session. */
  version: string;
}

function walk(node: AnyStateNode, visit: (node: AnyStateNode) => void): void {
  visit(node);
  for (const child of Object.values(node.states)) walk(child, visit);
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
    postable: new Set([...eventTypes].filter((type) => !(engineEvents as readonly string[]).includes(type))),
    version,
  };
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
