import { describe, expect, it } from 'vitest';
import { commonPasswords } from '../../../src/domain/common-passwords.ts';
import {
  birthDateError,
  CONTEXT_WORDS,
  charLength,
  emailConfirmError,
  emailError,
  generateUserId,
  nameError,
  normalizeBirthDate,
  normalizeEmail,
  normalizeName,
  normalizePhone,
  normalizeStreet,
  normalizeUserId,
  PASSWORD_SYMBOLS,
  passwordConfirmError,
  passwordError,
  phoneError,
  sexError,
  streetError,
  todayInJapan,
  toFullWidth,
  toHalfWidth,
  userIdError,
} from '../../../src/domain/rules.ts';

describe('width conversion', () => {
  it('turns half-width ASCII, spaces and katakana into full-width', () => {
    expect(toFullWidth('1-1-1 Abc')).toBe('１－１－１\u3000Ａｂｃ');
    expect(toFullWidth('ｶｽﾐｶﾞｾｷﾊｲﾂ')).toBe('カスミガセキハイツ');
    expect(toFullWidth('ﾊﾟﾝ')).toBe('パン');
    expect(toFullWidth('霞ケ関')).toBe('霞ケ関');
    expect(toFullWidth('Aﾞ')).toBe('Ａ゛');
    // a combining mark the user typed stays as typed
    expect(toFullWidth('か\u3099')).toBe('か\u3099');
  });

  it('turns full-width ASCII and the ideographic space into half-width', () => {
    expect(toHalfWidth('ＡＢＣ１２３＠ｘ．ｊｐ\u3000')).toBe('ABC123@x.jp ');
  });

  it('counts characters by code point', () => {
    expect(charLength('𠮷野家')).toBe(3);
  });
});

describe('street and house number: 2-byte characters, up to 80', () => {
  it.each([
    [79, null],
    [80, null],
    [81, 'WZBAM050E'],
  ])('%i full-width characters → %s', (length, code) => {
    expect(streetError('あ'.repeat(length))).toBe(code);
  });

  it('converts half-width input instead of refusing it, and counts after conversion', () => {
    expect(normalizeStreet(' 1-1-1 霞ケ関ﾊｲﾂ202号 ')).toBe('１－１－１\u3000霞ケ関ハイツ２０２号');
    expect(streetError('1-1-1 霞ケ関ﾊｲﾂ202号')).toBeNull();
    expect(streetError('a'.repeat(80))).toBeNull();
    expect(streetError('a'.repeat(81))).toBe('WZBAM050E');
    // ｶﾞ is two half-width characters and one full-width one
    expect(streetError('ｶﾞ'.repeat(80))).toBeNull();
  });

  it('counts characters outside the BMP as one', () => {
    expect(streetError('𠮷'.repeat(80))).toBeNull();
    expect(streetError('𠮷'.repeat(81))).toBe('WZBAM050E');
  });

  it.each([
    ['é', 'a Latin letter with no full-width form'],
    ['\uFFE8', 'a half-width symbol'],
    ['\uFFA1', 'half-width hangul'],
    ['\u200B', 'an invisible format character'],
    ['\uE000', 'a private-use character'],
  ])('refuses %s (%s)', (char) => {
    expect(streetError(`霞ケ関${char}`)).toBe('WZBAM051E');
  });
});

describe('contact number: 1-byte digits, 10 to 12', () => {
  it.each([
    ['123456789', 'WZBAM041E'],
    ['0312345678', null],
    ['123456789012', null],
    ['1234567890123', 'WZBAM041E'],
    ['03-1234-abcd', 'WZBAM040E'],
    ['+81312345678', 'WZBAM040E'],
  ])('%s → %s', (phone, code) => {
    expect(phoneError(phone)).toBe(code);
  });

  it('drops the separators people type and converts full-width digits', () => {
    expect(normalizePhone('03-1234-5678')).toBe('0312345678');
    expect(normalizePhone('03 (1234) 5678')).toBe('0312345678');
    expect(normalizePhone('０９０ー１２３４ー５６７８')).toBe('09012345678');
    expect(phoneError('０３－１２３４－５６７８')).toBeNull();
  });
});

describe('email address: 1-byte, up to 60', () => {
  const ofLength = (n: number) => `${'a'.repeat(n - '@example.co.jp'.length)}@example.co.jp`;

  it.each([
    [60, null],
    [61, 'WZBAM031E'],
  ])('%i characters → %s', (length, code) => {
    expect(ofLength(length)).toHaveLength(length);
    expect(emailError(ofLength(length))).toBe(code);
  });

  it.each([
    ['abc@xyz.co.jp', null],
    ['user01@ens-test.com', null],
    ['taro..yamada.@docomo.ne.jp', null],
    ['first+tag@sub.example.xn--p1ai', null],
    ['abc', 'WZBAM030E'],
    ['abc@xyz', 'WZBAM030E'],
    ['abc@@xyz.jp', 'WZBAM030E'],
    ['a b@xyz.jp', 'WZBAM030E'],
    ['abc@-xyz.jp', 'WZBAM030E'],
    ['あ@xyz.jp', 'WZBAM030E'],
  ])('%s → %s', (email, code) => {
    expect(emailError(email)).toBe(code);
  });

  it('converts full-width input and lowercases the domain only', () => {
    expect(normalizeEmail(' Ａｂｃ＠ＸＹＺ．ｃｏ．ｊｐ ')).toBe('Abc@xyz.co.jp');
    expect(emailError('Ａｂｃ＠ＸＹＺ．ｃｏ．ｊｐ')).toBeNull();
  });

  it('needs the confirmation to be the same address', () => {
    expect(emailConfirmError('abc@xyz.co.jp', 'ａｂｃ＠ｘｙｚ．ｃｏ．ｊｐ')).toBeNull();
    expect(emailConfirmError('abc@xyz.co.jp', 'abd@xyz.co.jp')).toBe('WZBAM032E');
  });
});

describe('user ID', () => {
  it.each([
    ['madoguchi01', null],
    ['rchut63547', null],
    ['abc123', null],
    ['a'.repeat(20), null],
    ['abc12', 'WZBAM010E'],
    ['a'.repeat(21), 'WZBAM010E'],
    ['mado_guchi', 'WZBAM010E'],
    ['まどぐち01', 'WZBAM010E'],
  ])('%s → %s', (id, code) => {
    expect(userIdError(id)).toBe(code);
  });

  it('is taken in lower case and half-width', () => {
    expect(normalizeUserId(' Ｍadoguchi01 ')).toBe('madoguchi01');
  });

  it('is generated as 5 letters and 5 digits, from a large space', () => {
    const ids = Array.from({ length: 200 }, generateUserId);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z]{5}[0-9]{5}$/);
      expect(userIdError(id)).toBeNull();
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('password (manual 2.4.7)', () => {
  const ofLength = (n: number) => `Ab1!${'x'.repeat(n - 4)}`;

  it.each([
    [7, 'WZBAM020E'],
    [8, null],
    [32, null],
    [33, 'WZBAM020E'],
  ])('%i characters → %s', (length, code) => {
    expect(passwordError(ofLength(length))).toBe(code);
  });

  it.each([...PASSWORD_SYMBOLS])('accepts the symbol %s', (symbol) => {
    expect(passwordError(`Koubou7${symbol}`)).toBeNull();
  });

  it('uses exactly the symbols of the manual', () => {
    expect(PASSWORD_SYMBOLS).toBe('$%&=@_#*+-?!');
  });

  it.each(['^', ' ', '！', '~', '.', '"', 'é', 'あ', '\t'])('refuses the character %j', (char) => {
    expect(passwordError(`Abcdef1!${char}`)).toBe('WZBAM022E');
  });

  it.each([
    ['abcdefgh1', 'no symbol'],
    ['abcdefgh!', 'no digit'],
    ['12345678!', 'no letter'],
  ])('refuses %s (%s)', (password) => {
    expect(passwordError(password)).toBe('WZBAM021E');
  });

  it.each(['Passw0rd!', 'Password1!', 'qwerty123!', '!Qwerty123'])(
    'refuses the common password %s (as typed or without its symbols)',
    (password) => {
      expect(passwordError(password)).toBe('WZBAM027E');
    },
  );

  it('refuses a password that contains the user ID, whatever the case', () => {
    expect(passwordError('xKoubou77!', 'koubou77')).toBe('WZBAM023E');
    expect(passwordError('Koubou#2026', 'koubou77')).toBeNull();
    expect(passwordError('Koubou#2026')).toBeNull();
  });

  describe('common passwords (breach-derived, common-passwords.ts)', () => {
    const list = [...commonPasswords()];
    /** The entry as a password of the rule: capitalised, and with symbols up to 8 characters if it has none. */
    const conforming = (entry: string) => {
      const word = `${entry.charAt(0).toUpperCase()}${entry.slice(1)}`;
      return /[$%&=@_#*+\-?!]/.test(word) ? word : word.padEnd(Math.max(8, word.length + 1), '!');
    };

    it('holds at least 3,000 entries that a password of the rule matches with a single symbol added', () => {
      const oneSymbolAway = list.filter((entry) => conforming(entry).length === entry.length + 1);
      expect(oneSymbolAway.length).toBeGreaterThanOrEqual(3000);
    });

    it('refuses a password of the rule made of each of its entries', () => {
      const accepted = list.filter((entry) => passwordError(conforming(entry)) !== 'WZBAM027E');
      expect(accepted).toEqual([]);
      expect(list.every((entry) => passwordError(conforming(entry).toLowerCase()) === 'WZBAM027E')).toBe(
        true,
      );
    });

    it('keeps only entries that some password of the rule can match', () => {
      const matchable = (entry: string) =>
        /^[a-z0-9$%&=@_#*+\-?!]+$/.test(entry) && /[a-z]/.test(entry) && /[0-9]/.test(entry);
      expect(list.filter((entry) => !matchable(entry))).toEqual([]);
    });
  });

  describe('context-specific words', () => {
    it.each(CONTEXT_WORDS)('refuses a password containing %s, in any case and between symbols', (word) => {
      const cased = `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
      expect(passwordError(`${cased}#4821`)).toBe('WZBAM350E');
      expect(passwordError(`7q${word.toUpperCase()}-9`.padEnd(8, '!'))).toBe('WZBAM350E');
      expect(passwordError(`7q${word.slice(0, 2)}!${word.slice(2)}5x`)).toBe('WZBAM350E');
    });

    it("names the service, the agency and the Change Password page's example", () => {
      expect(CONTEXT_WORDS).toEqual(
        expect.arrayContaining(['zairyu', 'madoguchi', 'nyukan', 'immigration', 'cd67890']),
      );
      expect(passwordError('CD67890!')).toBe('WZBAM350E');
    });

    it('lets a password through that has none of the words', () => {
      expect(passwordError('Koubou#4821')).toBeNull();
    });
  });

  it('is case-sensitive in its confirmation', () => {
    expect(passwordConfirmError('Abcdef1!', 'Abcdef1!')).toBeNull();
    expect(passwordConfirmError('Abcdef1!', 'abcdef1!')).toBe('WZBAM026E');
  });
});

describe('name, as on the residence card', () => {
  it('is saved in half-width capitals with single spaces', () => {
    expect(normalizeName(' test  madoguchi ')).toBe('TEST MADOGUCHI');
    expect(normalizeName('ＴＥＳＴ\u3000ＭＡＤＯＧＵＣＨＩ')).toBe('TEST MADOGUCHI');
  });

  it.each([
    ['TEST MADOGUCHI', null],
    ['A'.repeat(60), null],
    ['A'.repeat(61), 'WZBAM061E'],
    ['テスト', 'WZBAM060E'],
    ["O'BRIEN", 'WZBAM060E'],
    ['TEST2', 'WZBAM060E'],
  ])('%s → %s', (name, code) => {
    expect(nameError(name)).toBe(code);
  });
});

describe('sex', () => {
  it.each([
    ['male', null],
    ['female', null],
    ['other', 'WZBAM070E'],
  ])('%s → %s', (sex, code) => {
    expect(sexError(sex)).toBe(code);
  });
});

describe('date of birth', () => {
  const today = '2024-06-01';

  it.each([
    ['2000-01-01', null],
    ['1900-01-01', null],
    ['1899-12-31', 'WZBAM080E'],
    ['2024-02-29', null],
    ['2023-02-29', 'WZBAM080E'],
    ['2000-13-01', 'WZBAM080E'],
    ['yesterday', 'WZBAM080E'],
    ['2024-06-01', null],
    ['2024-06-02', 'WZBAM081E'],
  ])('%s → %s', (date, code) => {
    expect(birthDateError(date, today)).toBe(code);
  });

  it('accepts slashes, unpadded parts and full-width digits', () => {
    expect(normalizeBirthDate('２０００/1/1')).toBe('2000-01-01');
  });

  it("takes today from Japan's calendar", () => {
    expect(todayInJapan(new Date('2024-05-31T14:59:59Z'))).toBe('2024-05-31');
    expect(todayInJapan(new Date('2024-05-31T15:00:00Z'))).toBe('2024-06-01');
  });
});
