import { describe, expect, it } from 'vitest';
import { boundedMemo } from '../../src/ops/memo.ts';

describe('boundedMemo', () => {
  it('computes a key once while it is remembered', () => {
    const computed: string[] = [];
    const upper = boundedMemo((key) => {
      computed.push(key);
      return key.toUpperCase();
    }, 2);
    expect([upper('a'), upper('a'), upper('b'), upper('a')]).toEqual(['A', 'A', 'B', 'A']);
    expect(computed).toEqual(['a', 'b']);
  });

  it('forgets the oldest key when full, and keeps no more than its capacity', () => {
    const computed: string[] = [];
    const same = boundedMemo((key) => {
      computed.push(key);
      return key;
    }, 2);
    for (const key of ['a', 'b', 'c', 'b', 'a']) same(key);
    expect(computed).toEqual(['a', 'b', 'c', 'a']);
  });

  it('never remembers an undefined answer, so refusals cannot push out what is known', () => {
    const computed: string[] = [];
    const validOnly = boundedMemo((key) => {
      computed.push(key);
      return key.startsWith('ok') ? key : undefined;
    }, 1);
    validOnly('ok1');
    for (const junk of ['x', 'y', 'x']) expect(validOnly(junk)).toBeUndefined();
    validOnly('ok1');
    expect(computed).toEqual(['ok1', 'x', 'y', 'x']);
  });
});
