/**
 * The sequence check (DESIGN.md, "Navigation: what is in sequence"), as pure decisions on what the
 * session holds and what the request carries. A GET is in sequence only as the current render of
 * the current page; a POST only with the page's step token, from the current page's URL, naming an
 * action a page may post and the current state can take. A POST of the step consumed last is a
 * repeat (see repeat.ts), never out of sequence.
 */
import type { AnyMachineSnapshot, EventObject } from 'xstate';
import type { RefusalCause } from '../errors.ts';
import { type PageIndex, type PageState, renderKey } from './pages.ts';
import { sameToken } from './tokens.ts';

/** Whether a GET of `target` is the current render of the session's current page. */
export function isCurrentRender(
  current: PageState | undefined,
  key: number,
  target: PageState,
  query: Record<string, string | undefined>,
): boolean {
  return current === target && query[renderKey] === String(key);
}

/** What the session expects of a POST. */
export interface Expected {
  /** The step token of the current page (without a session: the visit's homepage token). */
  step: string | null | undefined;
  /** The step consumed last (null without a session). */
  lastStep: string | null;
  /** The current page and the snapshot behind it. */
  page: PageState | undefined;
  snapshot: AnyMachineSnapshot;
}

/** What a POST carries: the URL it was posted to, its action and the step token. */
export interface Posted {
  url: string;
  action: string;
  step: string | null;
}

/** In sequence, a repeat, or out of sequence for a stale or foreign step token or an action not taken here. */
export type PostVerdict = 'in sequence' | 'repeat' | Extract<RefusalCause, 'step_token' | 'action'>;

/**
 * The verdict on a POST, decided on the action itself, before its form's schema turns a bad body
 * into INVALID.
 */
export function checkPost(
  index: Pick<PageIndex, 'postable'>,
  expected: Expected,
  posted: Posted,
): PostVerdict {
  if (!sameToken(posted.step, expected.step))
    return sameToken(posted.step, expected.lastStep) ? 'repeat' : 'step_token';
  const onPage = expected.page?.meta.url === posted.url;
  const takes =
    index.postable.has(posted.action) && expected.snapshot.can({ type: posted.action } as EventObject);
  return onPage && takes ? 'in sequence' : 'action';
}
