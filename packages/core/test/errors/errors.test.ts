import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES, ERROR_CLASSES, ERROR_MESSAGES, InternalError, KysoError, PdfError, TimestampError, kysoError, reviveError, serializeError,
  toKysoError,
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

  it('an error kyso does not recognise crosses as ERR_INTERNAL with its name, message and stack as the cause', () => {
    const original = new TypeError('x.map is not a function');
    const wire = structuredClone(JSON.parse(JSON.stringify(serializeError(original))));
    const revived = reviveError(wire);
    expect(revived).toBeInstanceOf(InternalError);
    expect(revived.code).toBe('ERR_INTERNAL');
    expect(revived.detail).toBe('TypeError: x.map is not a function');
    const cause = revived.cause as Error;
    expect(cause.name).toBe('TypeError');
    expect(cause.message).toBe('x.map is not a function');
    expect(cause.stack).toBe(original.stack);
  });

  it('a kyso error keeps its cause across the trip; the stack can be kept back', () => {
    const network = new TypeError('Failed to fetch');
    const revived = reviveError(serializeError(kysoError('ERR_TSA_UNREACHABLE', 'http://tsa', network)));
    expect(revived.code).toBe('ERR_TSA_UNREACHABLE');
    expect((revived.cause as Error).message).toBe('Failed to fetch');
    const bare = serializeError(new Error('in /home/user/secret/path'), { stack: false });
    expect(bare.cause?.stack).toBeUndefined();
    expect(bare.cause?.message).toBe('in /home/user/secret/path');
  });

  it('an abort is ERR_ABORTED, and no failure is reported as ERR_IO unless it is one', () => {
    expect(toKysoError(new DOMException('stop', 'AbortError')).code).toBe('ERR_ABORTED');
    expect(toKysoError(new RangeError('bad length')).code).toBe('ERR_INTERNAL');
    expect(toKysoError('a string').code).toBe('ERR_INTERNAL');
    const own = kysoError('ERR_IO', 'disk full');
    expect(toKysoError(own)).toBe(own);
  });

  it('codes from a newer version, and data that is no serialized error, become ERR_INTERNAL keeping what came', () => {
    const future = reviveError({ kyso: 1, code: 'ERR_FROM_THE_FUTURE', message: 'x' });
    expect(future.code).toBe('ERR_INTERNAL');
    expect((future.cause as Error & { code: string }).code).toBe('ERR_FROM_THE_FUTURE');
    expect((future.cause as Error).message).toBe('x');
    const junk = reviveError('boom');
    expect(junk.code).toBe('ERR_INTERNAL');
    expect((junk.cause as Error).message).toBe('boom');
  });

  it('every ERR_ literal in the sources is a code in ERROR_CODES (none is reported under a code nobody documents)', () => {
    const root = join(__dirname, '../../../..');
    const files = sourceFiles(root);
    expect(files.length).toBeGreaterThan(100);
    const strays: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // A quoted code: 'ERR_X', "ERR_X" or `ERR_X` (a prefix such as 'ERR_PDF_' used with startsWith ends in _ and is not a code).
      for (const m of text.matchAll(/['"`](ERR_[A-Z0-9_]*[A-Z0-9])['"`]/g)) {
        if (!(ERROR_CODES as readonly string[]).includes(m[1]!) && !NODE_CODES.includes(m[1]!)) strays.push(`${relative(root, file)}: ${m[1]}`);
      }
    }
    expect(strays).toEqual([]);
  });
});

/**
 * Node's own codes kyso reads and maps to its own (`util.parseArgs` failures, matched by prefix in the CLI; an
 * HTTP server's header time-out in `kyso serve`); kyso never reports them.
 */
const NODE_CODES = ['ERR_PARSE_ARGS', 'ERR_HTTP_REQUEST_TIMEOUT'];

/** The TypeScript and JavaScript sources of every package and example (not tests, builds or dependencies). */
function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'test' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
    }
  };
  for (const top of ['packages', 'examples']) {
    for (const pkg of readdirSync(join(root, top), { withFileTypes: true })) {
      if (!pkg.isDirectory()) continue;
      for (const sub of ['src', 'bin', 'server', 'web', 'flow']) {
        const dir = join(root, top, pkg.name, sub);
        if (existsSync(dir)) walk(dir);
      }
    }
  }
  return out;
}
