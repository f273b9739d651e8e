/**
 * What pages show beyond the session, keyed by template, read on every render: the user's profile
 * from its cache beside the sessions (kept current by every change, see effects.ts), the rest from
 * PostgreSQL and static data.
 */
import type pg from 'pg';
import type { SessionContext } from '../../machines/session.ts';
import type { Config } from '../config.ts';
import { listNotices } from '../db/notices.ts';
import { findUserProfile } from '../db/users.ts';
import { municipalities, municipality, prefecture, prefectures } from '../domain/address.ts';
import type { Lang } from '../i18n/lang.ts';
import type { SessionStore } from '../store/types.ts';
import type { Loaders } from './view.ts';

/**
 * "北海道札幌市中央区", as the manual's User Information page shows the address; on English pages the
 * romanised name before it: "Chuo-ku, Sapporo-shi, Hokkaido 北海道札幌市中央区".
 */
export function addressName(code: string | undefined, lang: Lang): string {
  const found = code ? municipality(code) : undefined;
  if (!found) return '';
  const ja = `${found.prefectureJa}${found.ja}`;
  const pref = prefecture(found.prefectureCode);
  return lang === 'en' && pref ? `${found.en}, ${pref.en} ${ja}` : ja;
}

function chosenAddress({ context, lang }: { context: SessionContext; lang: Lang }) {
  return { chosenAddress: addressName(context.form.values.municipalityCode, lang) };
}

/**
 * The regions the Search picker groups the 47 prefectures by (message keys `region.<key>`), as
 * ranges of prefecture codes: 01–07 Hokkaido and Tohoku … 40–47 Kyushu and Okinawa.
 */
export const REGIONS = [
  { key: 'hokkaidoTohoku', last: '07' },
  { key: 'kanto', last: '14' },
  { key: 'chubu', last: '23' },
  { key: 'kinki', last: '30' },
  { key: 'chugoku', last: '35' },
  { key: 'shikoku', last: '39' },
  { key: 'kyushuOkinawa', last: '47' },
] as const;

let regions: { key: string; prefectures: ReturnType<typeof prefectures>[number][] }[] | undefined;

/** The prefectures grouped by region: static data, grouped once. */
function byRegion() {
  let first = '00';
  regions ??= REGIONS.map(({ key, last }) => {
    const listed = prefectures().filter((pref) => pref.code > first && pref.code <= last);
    first = last;
    return { key, prefectures: listed };
  });
  return regions;
}

/**
 * The user's profile from the cache beside the sessions, read through to PostgreSQL on a miss. The
 * copy may sit on another Redis Cluster node than the session: while that node fails over, the
 * page is read from PostgreSQL instead of failing with it.
 */
async function userProfile(pool: pg.Pool, store: SessionStore, userRef: string) {
  const cached = await store.cachedProfile(userRef).catch(() => null);
  if (cached) return cached;
  const profile = await findUserProfile(pool, userRef);
  if (profile) await store.cacheProfile(profile).catch(() => {});
  return profile;
}

function userRecord(pool: pg.Pool, store: SessionStore) {
  return async ({ context, lang }: { context: SessionContext; lang: Lang }) => {
    const profile = context.user ? await userProfile(pool, store, context.user.id) : undefined;
    if (!profile) return { record: null };
    return { record: { ...profile, address: addressName(profile.municipality_code, lang) } };
  };
}

/** How long the emailed links live, which the completion pages tell. */
export type LinkLifetimes = Pick<Config, 'REGISTRATION_LINK_HOURS' | 'RESET_LINK_MINUTES'>;

export function createLoaders(pool: pg.Pool, store: SessionStore, links: LinkLifetimes): Loaders {
  const shownUser = userRecord(pool, store);
  return {
    home: async ({ lang }) => ({ notices: await listNotices(pool, lang) }),
    userInfo: shownUser,
    changeUserInfo: async (load) => ({
      ...(await shownUser(load)),
      ...chosenAddress(load),
    }),
    registrationInput: async (load) => chosenAddress(load),
    registrationConfirm: async (load) => chosenAddress(load),
    registrationComplete: async () => ({ hours: String(links.REGISTRATION_LINK_HOURS) }),
    resetRequested: async () => ({ minutes: String(links.RESET_LINK_MINUTES) }),
    // the prefectures are always listed: with a prefecture chosen, to pick another one
    addressSearch: async ({ context }) => {
      const code = context.searchPrefecture;
      const chosen = code ? { prefecture: prefecture(code), municipalities: municipalities(code) } : {};
      return { prefectures: prefectures(), regions: byRegion(), ...chosen };
    },
  };
}
