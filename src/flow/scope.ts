/**
 * The request a side effect runs for. The machine is provided with its effects once, at start;
 * each effect reads who it works for from here (AsyncLocalStorage), not from a per-request copy
 * of the machine, which would rebuild every state node on every request.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Lang } from '../i18n/lang.ts';

export interface RequestScope {
  sessionId: string | null;
  lang: Lang;
  ip: string;
  /** Without a session: the homepage's token of this browser (from its visit cookie), if any. */
  visit?: string | null;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

export function currentScope(): RequestScope {
  const scope = requestScope.getStore();
  if (!scope) throw new Error('a side effect ran outside a request');
  return scope;
}
