import type { Queryable } from './pool.ts';

export interface Notice {
  published_on: string;
  title: string;
  body: string;
}

/** Homepage notices in the page's language, newest first (manual 2.1.3 item 2). */
export async function listNotices(db: Queryable, lang: 'ja' | 'en', limit = 20): Promise<Notice[]> {
  const { rows } = await db.query<Notice>(
    `SELECT published_on, title_${lang} AS title, body_${lang} AS body
       FROM notices ORDER BY published_on DESC, id DESC LIMIT $1`,
    [limit],
  );
  return rows;
}
