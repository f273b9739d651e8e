import { describe, expect, it } from 'vitest';
import {
  fillFromPostalCode,
  lookupPostalCode,
  municipalities,
  municipality,
  municipalityError,
  normalizePostalCode,
  prefecture,
  prefectures,
  streetWithTown,
} from '../../../src/domain/address.ts';

describe('prefectures', () => {
  it('lists the 47 in code order with Japanese and English names', () => {
    const list = prefectures();
    expect(list).toHaveLength(47);
    expect(list.map((p) => p.code)).toEqual(
      Array.from({ length: 47 }, (_, i) => String(i + 1).padStart(2, '0')),
    );
    expect(list[0]).toEqual({ code: '01', ja: '北海道', en: 'Hokkaido' });
    expect(prefecture('13')).toEqual({ code: '13', ja: '東京都', en: 'Tokyo' });
    expect(prefecture('47')).toEqual({ code: '47', ja: '沖縄県', en: 'Okinawa' });
    expect(list.every((p) => p.ja !== '' && p.en !== '')).toBe(true);
  });

  it('knows no prefecture 00 or 48', () => {
    expect(prefecture('00')).toBeUndefined();
    expect(prefecture('48')).toBeUndefined();
  });
});

describe('municipalities', () => {
  it('includes the wards of designated cities, sorted by code', () => {
    const hokkaido = municipalities('01');
    expect(hokkaido).toContainEqual({ code: '01101', ja: '札幌市中央区', en: 'Chuo-ku, Sapporo-shi' });
    const codes = hokkaido.map((m) => m.code);
    expect(codes).toEqual([...codes].sort());
  });

  it('lists 千代田区 under 東京都', () => {
    expect(municipalities('13')).toContainEqual({ code: '13101', ja: '千代田区', en: 'Chiyoda-ku' });
    expect(municipality('13101')).toEqual({
      code: '13101',
      ja: '千代田区',
      en: 'Chiyoda-ku',
      prefectureCode: '13',
      prefectureJa: '東京都',
    });
  });

  it('gives every municipality a romanised name in plain ASCII, each part with its suffix', () => {
    const all = prefectures().flatMap(({ code }) => municipalities(code));
    expect(all.length).toBeGreaterThan(1700);
    const suffix = /-(shi|ku|machi|cho|mura|son|gun)$/;
    const wrong = all.filter(
      (m) =>
        !/^[A-Z][a-z']*(-[a-z]+)?(, [A-Z][a-z']*-[a-z]+)?$/.test(m.en) ||
        !m.en.split(', ').every((part) => suffix.test(part)) ||
        m.en.split(', ').length !== (/^.+[郡市].+[区町村]$/.test(m.ja) && !/^郡/.test(m.ja) ? 2 : 1),
    );
    expect(wrong).toEqual([]);
  });

  it.each([
    ['01101', 'Chuo-ku, Sapporo-shi'],
    ['13101', 'Chiyoda-ku'],
    ['10201', 'Maebashi-shi'],
    ['10344', 'Shinto-mura, Kitagunma-gun'],
    ['07203', 'Koriyama-shi'],
    ['11103', 'Omiya-ku, Saitama-shi'],
    ['13361', 'Oshima-machi'],
    ['47382', 'Yonaguni-cho, Yaeyama-gun'],
  ])('romanises %s from its official reading as %s', (code, en) => {
    expect(municipality(code)?.en).toBe(en);
  });

  it('gives every prefecture its municipalities', () => {
    for (const { code } of prefectures()) expect(municipalities(code).length).toBeGreaterThan(0);
  });

  it('answers undefined or nothing for unknown codes', () => {
    expect(municipality('99999')).toBeUndefined();
    expect(municipality('')).toBeUndefined();
    expect(municipality('__proto__')).toBeUndefined();
    expect(municipalities('99')).toEqual([]);
    expect(municipalityError('13101')).toBeNull();
    expect(municipalityError('13100')).toBe('WZBAM091E');
  });
});

describe('postal codes', () => {
  const kasumigaseki = {
    municipalityCode: '13101',
    prefectureJa: '東京都',
    municipalityJa: '千代田区',
    townJa: '霞が関',
  };

  it.each(['100-0013', '1000013', '１００－００１３', '〒100-0013'])(
    'finds 東京都千代田区霞が関 for %s',
    (zip) => {
      expect(lookupPostalCode(zip)).toEqual([kasumigaseki]);
    },
  );

  it('finds nothing for an unknown or malformed code', () => {
    expect(lookupPostalCode('999-9999')).toEqual([]);
    expect(lookupPostalCode('100-001')).toEqual([]);
    expect(lookupPostalCode('abc')).toEqual([]);
    expect(normalizePostalCode('10000133')).toBeNull();
  });
});

describe('filling the address from a postal code', () => {
  it('gives the municipality and its one town', () => {
    expect(fillFromPostalCode('100-0013')).toEqual({ ok: true, municipalityCode: '13101', townJa: '霞が関' });
  });

  it('gives no town where Japan Post lists none, or several, for the code', () => {
    expect(fillFromPostalCode('060-0000')).toEqual({ ok: true, municipalityCode: '01101', townJa: '' });
    // 452-0961 covers 65 towns of 清須市
    expect(fillFromPostalCode('452-0961')).toEqual({ ok: true, municipalityCode: '23233', townJa: '' });
  });

  it('refuses malformed, unknown and several-municipality codes with their codes', () => {
    expect(fillFromPostalCode('100-001')).toEqual({ ok: false, code: 'WZBAM110E' });
    expect(fillFromPostalCode('')).toEqual({ ok: false, code: 'WZBAM110E' });
    expect(fillFromPostalCode('999-9999')).toEqual({ ok: false, code: 'WZBAM111E' });
    // 206-0000 is both 多摩市 and 稲城市
    expect(fillFromPostalCode('206-0000')).toEqual({ ok: false, code: 'WZBAM112E' });
  });

  it('puts the town before the street unless the street already starts with it', () => {
    expect(streetWithTown('', '霞が関')).toBe('霞が関');
    expect(streetWithTown('１－１', '霞が関')).toBe('霞が関１－１');
    expect(streetWithTown('霞が関１－１', '霞が関')).toBe('霞が関１－１');
    expect(streetWithTown('１－１', '')).toBe('１－１');
  });
});
