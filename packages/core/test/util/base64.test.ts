import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64, portableFromBase64, portableToBase64, toBase64 } from '../../src/util/base64.js';

describe('base64', () => {
  it('the native (Node) and portable codecs agree on every length, and both refuse the same malformed text', () => {
    for (let n = 0; n < 70; n++) {
      const data = new Uint8Array(randomBytes(n));
      const text = toBase64(data);
      expect(text).toBe(Buffer.from(data).toString('base64'));
      expect(portableToBase64(data)).toBe(text);
      expect(fromBase64(text)).toEqual(data);
      expect(portableFromBase64(text)).toEqual(data);
    }
    for (const bad of ['A', 'AB$C', 'AB C', 'AB=C', 'ABCDE', '====A', 'Zm9v\n']) {
      expect([bad, fromBase64(bad)]).toEqual([bad, null]);
      expect([bad, portableFromBase64(bad)]).toEqual([bad, null]);
    }
  });
});
