import { describe, expect, it } from 'vitest';
import { formatVietnamTime } from '../../src/pdf/appearance/index.js';

describe('formatVietnamTime', () => {
  it('writes dd/MM/yyyy HH:mm:ss in UTC+7 with the ISO 8601 offset', () => {
    expect(formatVietnamTime(new Date('2024-03-05T07:30:12Z'))).toBe('05/03/2024 14:30:12 +07:00');
  });

  it('rolls the date over at 17:00 UTC, whatever the host time zone', () => {
    expect(formatVietnamTime(new Date('2023-12-31T17:00:00Z'))).toBe('01/01/2024 00:00:00 +07:00');
    expect(formatVietnamTime(new Date('2023-12-31T16:59:59.999Z'))).toBe('31/12/2023 23:59:59 +07:00');
  });

  it('handles 29 February', () => {
    expect(formatVietnamTime(new Date('2024-02-28T20:00:00Z'))).toBe('29/02/2024 03:00:00 +07:00');
  });

  it('rejects an invalid date with ERR_INVALID_ARGUMENT', () => {
    expect(() => formatVietnamTime(new Date('nope'))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});
