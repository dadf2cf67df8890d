import { describe, expect, it } from 'vitest';
import { KysoError } from '@kyso/core';
import { choice, environmentValue, isoTime, isParseArgsError, parseCommandLine, readNamedFile, wholeNumber } from '../src/command-line.js';
import { commonExit } from '../src/exit-codes.js';

/** The code of what `fn` throws, and whether every verb would call it a usage error (exit 64). */
function failure(fn: () => unknown): { code: string; usage: boolean } {
  try {
    fn();
  } catch (error) {
    const code = error instanceof KysoError ? error.code : String((error as { code?: unknown }).code);
    return { code, usage: commonExit(error) === 64 };
  }
  throw new Error('did not throw');
}

describe('the command line every verb reads', () => {
  const options = { output: { type: 'string', short: 'o' }, trust: { type: 'string', multiple: true }, archive: { type: 'boolean' } } as const;

  it('gives the typed values and the operands', () => {
    const { values, positionals } = parseCommandLine(['in.pdf', '-o', 'out.pdf', '--trust', 'a.pem', '--trust=b.pem', '--archive'], options, { count: 1, what: 'PDF' });
    expect(values).toEqual({ output: 'out.pdf', trust: ['a.pem', 'b.pem'], archive: true });
    expect(positionals).toEqual(['in.pdf']);
  });

  it('an unknown option, a missing value or the wrong number of operands is a usage error', () => {
    expect(failure(() => parseCommandLine(['in.pdf', '--frobnicate'], options))).toEqual({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION', usage: true });
    expect(failure(() => parseCommandLine(['in.pdf', '--output'], options))).toMatchObject({ usage: true });
    expect(failure(() => parseCommandLine([], options, { count: 1, what: 'PDF' }))).toEqual({ code: 'ERR_INVALID_ARGUMENT', usage: true });
    expect(failure(() => parseCommandLine(['a.pdf', 'b.pdf'], options, { count: 1, what: 'PDF' }))).toEqual({ code: 'ERR_INVALID_ARGUMENT', usage: true });
    expect(isParseArgsError(new Error('plain'))).toBe(false);
  });

  it('whole numbers are digits within their range, never "1e3", "-1", "2.5" or "many"', () => {
    expect(wholeNumber(undefined, 'jobs', 1, 256)).toBeUndefined();
    expect(wholeNumber('8', 'jobs', 1, 256)).toBe(8);
    expect(wholeNumber('0', 'months', 0, 1200)).toBe(0);
    for (const bad of ['0', '257', '1e3', '-1', '2.5', 'many', '', ' 8']) {
      expect(failure(() => wholeNumber(bad, 'jobs', 1, 256))).toEqual({ code: 'ERR_INVALID_ARGUMENT', usage: true });
    }
    expect(() => wholeNumber('0', 'page', 1, Number.MAX_SAFE_INTEGER)).toThrow('--page must be a whole number of at least 1');
  });

  it('a choice is one of its words (the first when absent), named in the message', () => {
    expect(choice(undefined, 'lang', ['vi', 'en'])).toBe('vi');
    expect(choice('en', 'lang', ['vi', 'en'])).toBe('en');
    expect(() => choice('fr', 'lang', ['vi', 'en'])).toThrow('--lang must be vi or en');
    expect(() => choice('xml', 'format', ['csv', 'json', 'html'])).toThrow('--format must be csv, json or html');
    expect(() => choice('VI', 'lang', ['vi', 'en'])).toThrow(KysoError);
  });

  it('a time is ISO 8601', () => {
    expect(isoTime('2026-11-01T00:00:00Z', 'at')?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(isoTime(undefined, 'at')).toBeUndefined();
    expect(failure(() => isoTime('yesterday', 'at'))).toEqual({ code: 'ERR_INVALID_ARGUMENT', usage: true });
  });

  it('a secret comes from the environment variable the option names, and an unset one is a usage error naming it', () => {
    process.env.KYSO_TEST_SECRET = 's3cret';
    try {
      expect(environmentValue('KYSO_TEST_SECRET', 'pin-env')).toBe('s3cret');
    } finally {
      delete process.env.KYSO_TEST_SECRET;
    }
    expect(() => environmentValue('KYSO_TEST_SECRET', 'pin-env')).toThrow('--pin-env: environment variable KYSO_TEST_SECRET is not set');
  });

  it('a file that cannot be read is ERR_IO naming the path, with the system error as its cause', () => {
    try {
      readNamedFile('/nonexistent/kyso-none.pdf');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(KysoError);
      expect(error).toMatchObject({ code: 'ERR_IO', detail: expect.stringContaining('/nonexistent/kyso-none.pdf') });
      expect((error as KysoError).cause).toMatchObject({ code: 'ENOENT' });
    }
  });
});
