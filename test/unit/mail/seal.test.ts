import { describe, expect, it } from 'vitest';
import { jobSeal, SealError } from '../../../src/mail/seal.ts';

const seal = jobSeal('one session secret of at least 32 chars');
const value = { to: 'taro@example.com', link: 'https://portal.example.jp/password/register?token=abc' };

describe('jobSeal', () => {
  it('opens what it sealed, and shows none of it in the sealed text', () => {
    const sealed = seal.seal('notifications', value);
    expect(seal.open('notifications', sealed)).toEqual(value);
    expect(sealed).not.toContain('taro');
    expect(sealed).not.toContain('token=abc');
  });

  it('seals the same value differently every time (a fresh IV)', () => {
    expect(seal.seal('notifications', value)).not.toBe(seal.seal('notifications', value));
  });

  it('refuses another key, another queue, a changed byte, a cut tag, and what is not sealed', () => {
    const sealed = seal.seal('notifications', value);
    const [version, iv, body, tag] = sealed.split('.') as [string, string, string, string];
    const flipped = `${body.slice(0, 5)}${body[5] === 'A' ? 'B' : 'A'}${body.slice(6)}`;
    for (const [what, open] of [
      ['another key', () => jobSeal('another session secret of 32 chars!').open('notifications', sealed)],
      ['another queue', () => seal.open('account-requests', sealed)],
      ['a changed byte', () => seal.open('notifications', [version, iv, flipped, tag].join('.'))],
      ['a cut tag', () => seal.open('notifications', [version, iv, body, tag.slice(0, 16)].join('.'))],
      ['a plain job', () => seal.open('notifications', JSON.stringify(value))],
      ['no job', () => seal.open('notifications', undefined)],
    ] as const) {
      expect(open, what).toThrow(SealError);
    }
  });
});
