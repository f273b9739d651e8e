/** What pages show beyond the session, keyed by template: read fresh on every render. */
import type pg from 'pg';
import type { SessionContext } from '../../machines/session.ts';
import { listNotices } from '../db/notices.ts';
import { findUserById } from '../db/users.ts';
import { municipalities, municipality, prefecture, prefectures } from '../domain/address.ts';
import type { Lang } from '../i18n/lang.ts';
import type { Loaders } from './view.ts';

/** "北海道札幌市中央区", as the manual's User Information page shows the address. */
export function addressName(code: string | undefined, lang: Lang): string {
  const found = code ? municipality(code) : undefined;
  if (!found) return '';
  const pref = prefecture(found.prefectureCode);
  return lang === 'en' && pref ? `${found.ja} (${pref.en})` : `${found.prefectureJa}${found.ja}`;
}

function chosenAddress({ context, lang }: { context: SessionContext; lang: Lang }) {
  return { chosenAddress: addressName(context.form.values.municipalityCode, lang) };
}

async function userRecord(pool: pg.Pool, context: SessionContext, lang: Lang) {
  const row = context.user ? await findUserById(pool, context.user.id) : undefined;
  if (!row) return { record: null };
  const { password_hash: _secret, ...shown } = row;
  return { record: { ...shown, address: addressName(row.municipality_code, lang) } };
}

export function createLoaders(pool: pg.Pool): Loaders {
  return {
    home: async ({ lang }) => ({ notices: await listNotices(pool, lang) }),
    userInfo: async ({ context, lang }) => userRecord(pool, context, lang),
    changeUserInfo: async (load) => ({
      ...(await userRecord(pool, load.context, load.lang)),
      ...chosenAddress(load),
    }),
    registrationInput: async (load) => chosenAddress(load),
    registrationConfirm: async (load) => chosenAddress(load),
    addressSearch: async ({ context }) => {
      const code = context.searchPrefecture;
      return code
        ? { prefecture: prefecture(code), municipalities: municipalities(code) }
        : { prefectures: prefectures() };
    },
  };
}
