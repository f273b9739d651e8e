/**
 * Field rules of the account portal, as the manual states them. Pure functions: each `normalize*`
 * turns what the user typed into what will be saved (the page shows it back), each `*Error` answers
 * the first rule the normalized value breaks, or null. An empty value is "not given": presence is
 * the form's business (WZBAM001E), so the rules here only judge a value that is there.
 */

import { randomInt } from 'node:crypto';
import type { ErrorCode } from '../i18n/errors.ts';
import { isCommonPassword, withoutSymbols } from './common-passwords.ts';

type Check = readonly [broken: (value: string) => boolean, code: ErrorCode];

/** The first check the value breaks, in the order given; checks are ordered from coarse to fine. */
function firstBroken(value: string, checks: readonly Check[]): ErrorCode | null {
  for (const [broken, code] of checks) if (broken(value)) return code;
  return null;
}

/** Length in characters as a person counts them (code points, so 𠮷 is one). */
export function charLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

const tooLong = (max: number) => (value: string) => charLength(value) > max;

// ---------------------------------------------------------------------------------------------
// Width conversion

const HALF_KATAKANA = /[\uFF61-\uFF9F]+/g;

/** ｶﾞ → ガ by NFKC; a voiced mark with nothing to join becomes the spacing ゛ or ゜, not a combining one. */
function katakanaToFullWidth(run: string): string {
  return run
    .normalize('NFKC')
    .replace(/\u3099/g, '\u309B')
    .replace(/\u309A/g, '\u309C');
}

/**
 * Half-width to full-width ("1-byte" to "2-byte"): printable ASCII (digits, letters, hyphen,
 * punctuation), spaces and half-width katakana (with their voiced marks combined: ｶﾞ → ガ).
 * Characters that have no full-width form are left as they are, for the rule to refuse.
 */
export function toFullWidth(value: string): string {
  return value
    .replace(HALF_KATAKANA, katakanaToFullWidth)
    .replace(/[\u0021-\u007E]/g, (c) => String.fromCodePoint((c.codePointAt(0) ?? 0) + 0xfee0))
    .replace(/[ \u00A0]/g, '\u3000');
}

/** Full-width ASCII (Ａ, １, ＠, －) and the ideographic space to their half-width forms. */
export function toHalfWidth(value: string): string {
  return value
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCodePoint((c.codePointAt(0) ?? 0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

/**
 * What is not a "2-byte" character: ASCII and Latin letters with their marks, controls and
 * unassigned or private code points, half-width katakana, hangul and symbols (U+FF61–U+FFEE).
 */
const NOT_FULL_WIDTH = /[\u0020-\u036F\uFF61-\uFFDC\uFFE8-\uFFEE]|\p{C}/u;

// ---------------------------------------------------------------------------------------------
// Street and house number (manual 2.4.3): 2-byte characters, up to 80

export const STREET_MAX = 80;

export function normalizeStreet(value: string): string {
  return toFullWidth(value.trim());
}

export function streetError(value: string): ErrorCode | null {
  return firstBroken(normalizeStreet(value), [
    [tooLong(STREET_MAX), 'WZBAM050E'],
    [(v) => NOT_FULL_WIDTH.test(v), 'WZBAM051E'],
  ]);
}

// ---------------------------------------------------------------------------------------------
// Contact number (manual 2.4.3): 1-byte digits, up to 12

export const PHONE_MIN = 10;
export const PHONE_MAX = 12;

/**
 * Separators people type in Japanese numbers (03-1234-5678, 03 1234 5678, 03(1234)5678, and the
 * dashes an IME produces) are dropped; what remains must be digits only. The manual only says "up to
 * 12"; 10 is the shortest Japanese number with its area code (fixed lines are 10 digits, mobile
 * and IP phones 11), so anything shorter cannot be dialled and is refused with the length message.
 */
export function normalizePhone(value: string): string {
  return toHalfWidth(value).replace(/[\s()\-\u2010-\u2015\u2212\u30FC\uFF70]/g, '');
}

export function phoneError(value: string): ErrorCode | null {
  return firstBroken(normalizePhone(value), [
    [(v) => !/^\d*$/.test(v), 'WZBAM040E'],
    [(v) => v.length < PHONE_MIN || v.length > PHONE_MAX, 'WZBAM041E'],
  ]);
}

// ---------------------------------------------------------------------------------------------
// Email address (manual 2.4.3): 1-byte letters and signs, up to 60

export const EMAIL_MAX = 60;

/**
 * local@domain.tld. The local part allows the RFC 5322 atom characters and dots anywhere, since
 * Japanese mobile carriers issued addresses such as `taro..yamada.@docomo.ne.jp`; the domain must
 * have at least one dot and letter-digit-hyphen labels, the last starting with a letter (`jp`,
 * `xn--p1ai`).
 */
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$/;

/** Half-width, trimmed, the domain in lower case (domains are case-insensitive; the local part is kept). */
export function normalizeEmail(value: string): string {
  const email = toHalfWidth(value).trim();
  const at = email.lastIndexOf('@');
  return at < 0 ? email : email.slice(0, at + 1) + email.slice(at + 1).toLowerCase();
}

export function emailError(value: string): ErrorCode | null {
  return firstBroken(normalizeEmail(value), [
    [tooLong(EMAIL_MAX), 'WZBAM031E'],
    [(v) => !EMAIL.test(v), 'WZBAM030E'],
  ]);
}

/** The confirmation must be the same address once both are normalized. */
export function emailConfirmError(email: string, confirmation: string): ErrorCode | null {
  return normalizeEmail(email) === normalizeEmail(confirmation) ? null : 'WZBAM032E';
}

// ---------------------------------------------------------------------------------------------
// User ID: as the system issues it (lowercase letters and digits, 6–20; e.g. madoguchi01)

const USER_ID = /^[a-z0-9]{6,20}$/;

/** Half-width and lower case: phones capitalise the first letter, and issued IDs have no capitals. */
export function normalizeUserId(value: string): string {
  return toHalfWidth(value).trim().toLowerCase();
}

export function userIdError(value: string): ErrorCode | null {
  return firstBroken(normalizeUserId(value), [[(v) => !USER_ID.test(v), 'WZBAM010E']]);
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** A new user ID like the manual's `rchut63547`: 5 lowercase letters and 5 digits, from the CSPRNG. */
export function generateUserId(): string {
  const letters = Array.from({ length: 5 }, () => LETTERS.charAt(randomInt(LETTERS.length)));
  const digits = Array.from({ length: 5 }, () => String(randomInt(10)));
  return [...letters, ...digits].join('');
}

// ---------------------------------------------------------------------------------------------
// Password (manual 2.4.7)

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 32;
export const PASSWORD_SYMBOLS = '$%&=@_#*+-?!';

const PASSWORD_CHARS = /^[A-Za-z0-9$%&=@_#*+\-?!]*$/;
const PASSWORD_CLASSES = [/[A-Za-z]/, /[0-9]/, /[$%&=@_#*+\-?!]/];

/**
 * Words tied to this service that a password must not contain (ASVS v5.0.0-6.1.2, 6.2.11), compared
 * without case and without the rule's symbols: the system's and the agency's names in romaji and
 * English (在留 zairyu, 窓口 madoguchi, 入管 nyukan, 入国 nyukoku, 申請 shinsei, 法務省 homusho),
 * what the system is about (immigration, residence, visa, Japan), and the example password the
 * Change Password page shows. Japanese script cannot occur: the rule allows 1-byte characters only.
 */
export const CONTEXT_WORDS = [
  'zairyu',
  'zairyuu',
  'madoguchi',
  'nyukan',
  'nyuukan',
  'nyukoku',
  'nyuukoku',
  'shinsei',
  'homusho',
  'houmusho',
  'immigration',
  'residence',
  'resident',
  'visa',
  'japan',
  'nippon',
  'nihon',
  'cd67890',
] as const;

const hasContextWord = (password: string) => {
  const bare = withoutSymbols(password);
  return CONTEXT_WORDS.some((word) => bare.includes(word));
};

/**
 * 8–32 characters of 1-byte letters, digits and the symbols `$%&=@_#*+-?!`, at least one of each
 * kind, case-sensitive, and not containing the user ID (compared case-insensitively), not a common
 * password, and no word of `CONTEXT_WORDS`. The password is judged as typed: nothing is converted
 * or trimmed, so a space or a full-width character is refused rather than silently changed.
 * "Different from the current one" needs the stored hash and is checked where it is.
 */
export function passwordError(password: string, userId?: string): ErrorCode | null {
  const id = userId?.trim().toLowerCase() ?? '';
  return firstBroken(password, [
    [(v) => charLength(v) < PASSWORD_MIN || charLength(v) > PASSWORD_MAX, 'WZBAM020E'],
    [(v) => !PASSWORD_CHARS.test(v), 'WZBAM022E'],
    [(v) => PASSWORD_CLASSES.some((kind) => !kind.test(v)), 'WZBAM021E'],
    [(v) => id !== '' && v.toLowerCase().includes(id), 'WZBAM023E'],
    [isCommonPassword, 'WZBAM027E'],
    [hasContextWord, 'WZBAM350E'],
  ]);
}

export function passwordConfirmError(password: string, confirmation: string): ErrorCode | null {
  return password === confirmation ? null : 'WZBAM026E';
}

// ---------------------------------------------------------------------------------------------
// Name (registration): as on the residence card, in Roman letters

export const NAME_MAX = 60;

/** Half-width capitals with single spaces: `test  madoguchi` → `TEST MADOGUCHI`. */
export function normalizeName(value: string): string {
  return toHalfWidth(value).trim().replace(/\s+/g, ' ').toUpperCase();
}

export function nameError(value: string): ErrorCode | null {
  return firstBroken(normalizeName(value), [
    [tooLong(NAME_MAX), 'WZBAM061E'],
    [(v) => !/^[A-Z ]+$/.test(v), 'WZBAM060E'],
  ]);
}

// ---------------------------------------------------------------------------------------------
// Sex and date of birth

export const SEXES = ['male', 'female'] as const;
export type Sex = (typeof SEXES)[number];

export function normalizeSex(value: string): string {
  return value.trim().toLowerCase();
}

export function sexError(value: string): ErrorCode | null {
  return (SEXES as readonly string[]).includes(normalizeSex(value)) ? null : 'WZBAM070E';
}

export const BIRTH_DATE_MIN = '1900-01-01';

/** YYYY-MM-DD; also accepts 1-byte or 2-byte digits, `/` or `.` between parts and unpadded parts. */
export function normalizeBirthDate(value: string): string {
  const v = toHalfWidth(value).trim();
  const parts = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(v);
  return parts ? `${parts[1]}-${parts[2]?.padStart(2, '0')}-${parts[3]?.padStart(2, '0')}` : v;
}

/** Today's date in Japan (the system's calendar), as YYYY-MM-DD. */
export function todayInJapan(now: Date = new Date()): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

/** A real calendar date: 2023-02-29 is refused. */
function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

export function birthDateError(value: string, today: string = todayInJapan()): ErrorCode | null {
  return firstBroken(normalizeBirthDate(value), [
    [(v) => !isRealDate(v) || v < BIRTH_DATE_MIN, 'WZBAM080E'],
    [(v) => v > today, 'WZBAM081E'],
  ]);
}
