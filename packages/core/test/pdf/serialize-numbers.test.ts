import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../src/pdf/serialize.js';

describe('numbers in written PDF syntax (ISO 32000-2 §7.3.3)', () => {
  it('writes integers and short reals plainly, never with an exponent', () => {
    expect(formatNumber(612)).toBe('612');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(0.5)).toBe('0.5');
    expect(formatNumber(841.89)).toBe('841.89');
    expect(formatNumber(1e-7)).toBe('0.0000001');
    expect(formatNumber(123456789012)).toBe('123456789012');
  });

  it('keeps every digit of a value read from a file, so rewriting an object does not change it', () => {
    for (const text of ['595.27559055', '841.889763779528', '0.000000123', '-12.3456789012']) {
      const written = formatNumber(Number(text));
      expect(written).not.toMatch(/e/i);
      expect(Number(written)).toBe(Number(text));
    }
  });
});
