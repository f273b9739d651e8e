/**
 * Step tokens and session ids: 256 random bits each, never repeated, across refills of the pool;
 * a token matches only itself, never an empty or absent one.
 */
import { describe, expect, it } from 'vitest';
import { newToken, sameToken } from '../../../src/flow/tokens.ts';

describe('newToken', () => {
  it('gives 43-character base64url tokens, all distinct over several refills of its pool', () => {
    const tokens = Array.from({ length: 2_000 }, newToken);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('uses every bit: each of the 256 bit positions is set in about half of the tokens', () => {
    const count = 4_000;
    const ones = new Array<number>(256).fill(0);
    for (let n = 0; n < count; n++) {
      const bytes = Buffer.from(newToken(), 'base64url');
      bytes.forEach((byte, index) => {
        for (let bit = 0; bit < 8; bit++)
          ones[index * 8 + bit] = (ones[index * 8 + bit] ?? 0) + ((byte >> bit) & 1);
      });
    }
    // binomial(4000, ½): the mean ± 6 standard deviations (±190) holds unless the bits are not random
    for (const set of ones) expect(Math.abs(set - count / 2)).toBeLessThan(190);
  });
});

describe('sameToken', () => {
  it('matches a token to itself only, and nothing to an empty or absent token, not even another empty one', () => {
    const token = newToken();
    expect(sameToken(token, token)).toBe(true);
    expect(sameToken(token, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(sameToken(token, token.slice(1))).toBe(false);
    for (const [posted, expected] of [
      ['', ''],
      [null, null],
      [undefined, undefined],
      ['', null],
      [null, ''],
      [token, null],
      [null, token],
      ['', token],
    ] as const)
      expect(sameToken(posted, expected), `${posted} vs ${expected}`).toBe(false);
  });
});
