/**
 * Step tokens and session ids: 256 random bits each. A token compares equal only to the same
 * non-empty token, in constant time: an empty or absent token never matches anything, not even a
 * claimed step (which holds none).
 */
import { randomFillSync, timingSafeEqual } from 'node:crypto';

// Cut from a buffer the CSPRNG refills 256 tokens at a time, as Node does for randomUUID: one call
// into OpenSSL per token was 3 % of a POST's CPU.
const tokenBytes = 32;
const tokenPool = Buffer.alloc(tokenBytes * 256);
let tokenOffset = tokenPool.length;

export function newToken(): string {
  if (tokenOffset === tokenPool.length) {
    randomFillSync(tokenPool);
    tokenOffset = 0;
  }
  const token = tokenPool.toString('base64url', tokenOffset, tokenOffset + tokenBytes);
  tokenPool.fill(0, tokenOffset, tokenOffset + tokenBytes); // handed out: no copy stays behind
  tokenOffset += tokenBytes;
  return token;
}

/** Whether a posted token is the expected one: both present, not empty, equal (constant time). */
export function sameToken(posted: string | null | undefined, expected: string | null | undefined): boolean {
  if (!posted || !expected) return false;
  const a = Buffer.from(posted);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
