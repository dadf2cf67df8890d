import { describe, expect, it } from 'vitest';
import { bytesToLatin1 } from '../../src/util/bytes.js';

describe('bytesToLatin1, the one latin1 decoder of core', () => {
  it('gives one char per byte whose code is the byte, for all 256 byte values', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = bytesToLatin1(all);
    expect(text.length).toBe(256);
    expect(Array.from(text, (c) => c.charCodeAt(0))).toEqual(Array.from(all));
  });

  it('is exact across its chunk boundaries and on empty input', () => {
    const big = Uint8Array.from({ length: 3 * 8192 + 17 }, (_, i) => (i * 131) & 0xff);
    const text = bytesToLatin1(big);
    expect(text.length).toBe(big.length);
    for (const at of [0, 8191, 8192, 8193, 16384, big.length - 1]) expect(text.charCodeAt(at)).toBe(big[at]);
    expect(bytesToLatin1(new Uint8Array(0))).toBe('');
  });
});
