/**
 * The 10,000 most common passwords (the list published by Mark Burnett, as shipped by the ISC
 * licensed npm package `common-password`), kept in the repository so the check needs no network.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let list: Set<string> | undefined;

function commonPasswords(): Set<string> {
  list ??= new Set(
    readFileSync(join(import.meta.dirname, 'common-passwords.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter(Boolean),
  );
  return list;
}

/** Common as typed, or once the symbols the rule forces in are taken out ("Passw0rd!" → "passw0rd"). */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  const bare = lower.replace(/[$%&=@_#*+\-?!]/g, '');
  return commonPasswords().has(lower) || commonPasswords().has(bare);
}
