/**
 * Common passwords a new password must not be (ASVS v5.0.0-6.2.4, 6.2.12), kept in the repository
 * so the check needs no network and no third party sees a password.
 *
 * `common-passwords.txt` is the union, in frequency order, of two breach-derived lists: the 30,000
 * most common passwords of Xato's 10-million-password corpus as zxcvbn 4.4.2 ships them
 * (`frequency_lists.passwords`, MIT licence, Dan Wheeler and Dropbox; see
 * `common-passwords.LICENSE`), then the 10,000 of Mark Burnett's list (as the ISC-licensed npm
 * package `common-password` ships it). Only the entries a password of the manual's rule can match
 * are kept (9,410): lower case, 1-byte letters, digits and the rule's symbols, at least one letter
 * and one digit, and 8–32 characters with a symbol or up to 31 without (the rule adds the symbol).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let list: Set<string> | undefined;

export function commonPasswords(): ReadonlySet<string> {
  list ??= new Set(
    readFileSync(join(import.meta.dirname, 'common-passwords.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter(Boolean),
  );
  return list;
}

/** Lower case, without the symbols the rule forces in: `Passw0rd!` → `passw0rd`. */
export function withoutSymbols(password: string): string {
  return password.toLowerCase().replace(/[$%&=@_#*+\-?!]/g, '');
}

/** Common as typed, or once the symbols the rule forces in are taken out ("Passw0rd!" → "passw0rd"). */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase()) || commonPasswords().has(withoutSymbols(password));
}
