import { describe, expect, it } from 'vitest';
import { bytesToLatin1 } from '../../src/util/bytes.js';

// In Chromium: why core has its own latin1 decoder instead of TextDecoder('latin1').
describe('latin1 in a browser', () => {
  it('TextDecoder("latin1") is windows-1252 here (WHATWG Encoding): 0x80 becomes U+20AC, so it is no byte decoder', () => {
    expect(new TextDecoder('latin1').encoding).toBe('windows-1252');
    expect(new TextDecoder('latin1').decode(Uint8Array.of(0x80, 0x9f)).split('').map((c) => c.charCodeAt(0))).toEqual([0x20ac, 0x178]);
  });

  it('bytesToLatin1 gives the byte as the char code for all 256 values, as in Node', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(Array.from(bytesToLatin1(all), (c) => c.charCodeAt(0))).toEqual(Array.from(all));
  });
});
