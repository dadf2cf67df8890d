import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES, ERROR_CLASSES, ERROR_MESSAGES, KysoError, PdfError, TimestampError, kysoError, reviveError, serializeError,
} from '@kyso/core';

describe('error codes', () => {
  it('every code has a Vietnamese and an English message', () => {
    for (const code of ERROR_CODES) {
      expect(ERROR_MESSAGES[code].vi.length, code).toBeGreaterThan(5);
      expect(ERROR_MESSAGES[code].en.length, code).toBeGreaterThan(5);
      expect(ERROR_MESSAGES[code].vi, code).not.toBe(ERROR_MESSAGES[code].en);
    }
  });

  it('every code is documented in docs/errors.md, and the doc names no code that does not exist', () => {
    const doc = readFileSync(join(__dirname, '../../../../docs/errors.md'), 'utf8');
    for (const code of ERROR_CODES) expect(doc, code).toContain(`| \`${code}\` |`);
    const documented = [...doc.matchAll(/^\| `(ERR_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...ERROR_CODES].sort());
  });

  it('kysoError builds the class the code maps to, with the detail in the message', () => {
    const e = kysoError('ERR_PDF_TRUNCATED', 'at offset 12');
    expect(e).toBeInstanceOf(PdfError);
    expect(e).toBeInstanceOf(KysoError);
    expect(e.code).toBe('ERR_PDF_TRUNCATED');
    expect(e.message).toContain('at offset 12');
    expect(e.localized('vi')).toBe(ERROR_MESSAGES.ERR_PDF_TRUNCATED.vi);
    expect(e.name).toBe('PdfError');
    for (const code of ERROR_CODES) expect(kysoError(code)).toBeInstanceOf(ERROR_CLASSES[code]);
  });

  it('errors survive a trip through plain data (worker, socket) with their class and code', () => {
    const original = kysoError('ERR_TSA_TIMEOUT', 'after 1000 ms');
    const wire = JSON.parse(JSON.stringify(serializeError(original)));
    const revived = reviveError(structuredClone(wire));
    expect(revived).toBeInstanceOf(TimestampError);
    expect((revived as KysoError).code).toBe('ERR_TSA_TIMEOUT');
    expect((revived as KysoError).detail).toBe('after 1000 ms');
  });

  it('unknown errors and codes from a newer version are revived as plain errors keeping the code', () => {
    const plain = reviveError(serializeError(new TypeError('boom')));
    expect(plain).not.toBeInstanceOf(KysoError);
    expect(plain.message).toBe('boom');
    const future = reviveError({ kyso: 1, code: 'ERR_FROM_THE_FUTURE', message: 'x' });
    expect((future as Error & { code: string }).code).toBe('ERR_FROM_THE_FUTURE');
  });
});
