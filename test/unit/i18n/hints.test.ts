/**
 * Every hint states the rules its field is judged by (issue: "hints that state the rules"): the
 * length limits of src/domain/rules.ts and what the field's normalisation converts, in Japanese
 * and in English.
 */
import { describe, expect, it } from 'vitest';
import {
  EMAIL_MAX,
  NAME_MAX,
  normalizeBirthDate,
  normalizeEmail,
  normalizeName,
  normalizePhone,
  normalizeStreet,
  normalizeUserId,
  PHONE_MAX,
  PHONE_MIN,
  STREET_MAX,
} from '../../../src/domain/rules.ts';
import { messages } from '../../../src/i18n/messages.ts';

interface HintRule {
  hint: keyof typeof messages;
  /** The limits the hint must state. */
  limits: number[];
  /** What the field's normalisation converts: an input and what is saved, and the words saying so. */
  converts?: { from: string; to: string; normalize: (value: string) => string; ja: RegExp; en: RegExp };
}

const converted = { ja: /変換/, en: /convert/ };

const rules: HintRule[] = [
  {
    hint: 'hint.name',
    limits: [NAME_MAX],
    converts: { from: 'ｔｅｓｔ madoguchi', to: 'TEST MADOGUCHI', normalize: normalizeName, ...converted },
  },
  {
    hint: 'hint.birthDate',
    limits: [10],
    converts: { from: '２０００/1/1', to: '2000-01-01', normalize: normalizeBirthDate, ...converted },
  },
  {
    hint: 'hint.street',
    limits: [STREET_MAX],
    converts: { from: '1-1 ﾊｲﾂ', to: '１－１　ハイツ', normalize: normalizeStreet, ...converted },
  },
  {
    hint: 'hint.phone',
    limits: [PHONE_MIN, PHONE_MAX],
    converts: {
      from: '03-1234-５６７８',
      to: '0312345678',
      normalize: normalizePhone,
      ja: /ハイフン.*除き.*変換/,
      en: /hyphens.*removed.*converted/,
    },
  },
  {
    hint: 'hint.email',
    limits: [EMAIL_MAX],
    converts: { from: 'ａｂｃ@XYZ.co.jp', to: 'abc@xyz.co.jp', normalize: normalizeEmail, ...converted },
  },
  { hint: 'hint.emailConfirm', limits: [EMAIL_MAX] },
  {
    hint: 'login.userIdHint',
    limits: [6, 20],
    converts: { from: 'ＭＡＤＯguchi01', to: 'madoguchi01', normalize: normalizeUserId, ...converted },
  },
  { hint: 'hint.password', limits: [8, 32] },
  { hint: 'hint.newPassword', limits: [8, 32] },
];

describe('field hints', () => {
  for (const { hint, limits, converts } of rules) {
    it(`${hint} states ${limits.join(' and ')}${converts ? ' and what is converted' : ''}, in Japanese and English`, () => {
      for (const lang of ['ja', 'en'] as const) {
        const text = messages[hint][lang];
        for (const limit of limits)
          expect(text, `${hint} (${lang})`).toMatch(new RegExp(`(?<!\\d)${limit}(?!\\d)`));
        if (converts) expect(text, `${hint} (${lang})`).toMatch(converts[lang]);
      }
      // the conversion the hint speaks of is the one the field makes
      if (converts) expect(converts.normalize(converts.from)).toBe(converts.to);
    });
  }

  it('state the contact number in digits, not letters (the English said "up to 12 letters")', () => {
    expect(messages['hint.phone'].en).toMatch(/digits/);
    expect(messages['hint.phone'].en).not.toMatch(/letters/);
    expect(messages['hint.phone'].ja).toMatch(/桁/);
  });
});
