/** Finds the system's emailed links in a message, by the entry pages the machine's `meta` names. */
import { type EntryEvent, sessionMachine } from '../../machines/session.ts';
import { emailedLinkUrl, indexPages } from '../../src/flow/pages.ts';

const index = indexPages(sessionMachine);

/** Matches the absolute URL of the link that starts `event`, whatever its token. */
function linkPattern(event: EntryEvent): RegExp {
  const escaped = emailedLinkUrl(index, event, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`https?://\\S+?${escaped}[\\w%-]+`);
}

/**
 * The path and query of the first emailed link in `text` that starts `event` (the password link
 * unless told), to open as a browser would; undefined if there is none.
 */
export function emailedLinkIn(text: string, event: EntryEvent = 'OPEN_LINK'): string | undefined {
  const found = linkPattern(event).exec(text)?.[0];
  if (!found) return undefined;
  const url = new URL(found);
  return `${url.pathname}${url.search}`;
}
