/** The operator token's comparison (src/ops/operator.ts): digests of one length, compared in constant time. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sameOperatorToken } from '../../src/ops/operator.ts';

describe('the operator token', () => {
  const token = randomBytes(24).toString('base64url');

  it('is refused when longer or shorter than the right one, or differing in its last byte, and accepted when right', () => {
    expect(sameOperatorToken(`${token}x`, token)).toBe(false);
    expect(sameOperatorToken(token.slice(0, -1), token)).toBe(false);
    expect(sameOperatorToken('', token)).toBe(false);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect(sameOperatorToken(`${token.slice(0, -1)}${last}`, token)).toBe(false);
    expect(sameOperatorToken(token, token)).toBe(true);
  });
});
