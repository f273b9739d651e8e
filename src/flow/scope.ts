/** The request the engine works for: its session (if any), language and client address. */
import type { Lang } from '../i18n/lang.ts';

export interface RequestScope {
  sessionId: string | null;
  lang: Lang;
  ip: string;
  /** Without a session: the homepage's token of this browser (from its visit cookie), if any. */
  visit?: string | null;
}
