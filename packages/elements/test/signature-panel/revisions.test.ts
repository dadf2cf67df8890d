import { describe, expect, it } from 'vitest';
import { signedLength } from '../../src/signature-panel/revisions.js';

describe('signedLength: the version a signature covers, from its reported /ByteRange', () => {
  it('ends where the second range ends', () => {
    expect(signedLength({ byteRange: [0, 10, 20, 30] }, 50)).toBe(50);
    expect(signedLength({ byteRange: [0, 100, 120, 5] }, 400)).toBe(125);
  });

  it('gives null, not a guess, for a missing, malformed or out-of-file range', () => {
    expect(signedLength({ byteRange: null }, 50)).toBeNull();
    expect(signedLength({ byteRange: [0, 10, 20] }, 50)).toBeNull();
    expect(signedLength({ byteRange: [5, 10, 20, 1] }, 50)).toBeNull();
    expect(signedLength({ byteRange: [0, 10, 20, 9999] }, 50)).toBeNull();
    expect(signedLength({ byteRange: [0, -1, 20, 1] }, 50)).toBeNull();
  });
});
