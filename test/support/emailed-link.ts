/** Finds the system's emailed link in a message, by the entry page the machine's `meta` names. */
import { sessionMachine } from '../../machines/session.ts';
import { emailedLinkUrl, indexPages } from '../../src/flow/pages.ts';

const index = indexPages(sessionMachine);
const escaped = emailedLinkUrl(index, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const link = new RegExp(`https?://\\S+?${escaped}[\\w%-]+`);

/** The path and query of the first emailed link in `text`, to open as a browser would; undefined if none. */
export function emailedLinkIn(text: string): string | undefined {
  const found = link.exec(text)?.[0];
  if (!found) return undefined;
  const url = new URL(found);
  return `${url.pathname}${url.search}`;
}
