/**
 * The form of a byte-range signature dictionary (ISO 32000-2 §12.8.1, Table
 * 255): every value direct, /Type /Sig or /DocTimeStamp when present, /Filter
 * and /SubFilter names. Each file is written by hand and signed by openssl
 * over its ranges, so the signature value itself is sound: only the form of
 * the dictionary is wrong, and that alone is a FORMAT_FAILURE.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify, type VerifyOptions } from '@kyso/core';
import '@kyso/core/node';
import { ensurePki, handSignedPdf, run, type SignatureDictionaryForm, type TestPki, startPkiRevocation } from '@kyso/testkit';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const AT = new Date('2030-01-01T00:00:00Z');
let pki: TestPki;
let options: VerifyOptions;
let dir: string;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  pki = await ensurePki();
  const revocation = await startPkiRevocation(pki);
  closers.push(() => revocation.close());
  options = { trust: [pki.rootDer], revocation: 'online', fetch: revocation.fetch, at: AT, timeoutMs: 2000 };
  dir = mkdtempSync(join(tmpdir(), 'kyso-sigdict-'));
});

afterAll(async () => {
  for (const close of closers) await close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a regular hand-written signature dictionary passes', () => {
  it.each<[string, SignatureDictionaryForm]>([
    ['/Type /Sig, direct /ByteRange', {}],
    ['no /Type (it is optional)', { type: null }],
    ['no /SubFilter', { subFilter: null }],
  ])('%s', async (_what, form) => {
    const r = await verify(await handSignedPdf({ pki, ...form }), options);
    expect(r.signatures.map((s) => [s.indication, s.coverage, s.modifications.verdict])).toEqual([['TOTAL_PASSED', 'whole-revision', 'none']]);
  });
});

describe('an irregular signature dictionary is a FORMAT_FAILURE, though its signature value verifies', () => {
  it.each<[string, SignatureDictionaryForm, string]>([
    ['an indirect /ByteRange', { byteRange: 'indirect' }, 'indirect-entry'],
    ['a /ByteRange with an indirect number', { byteRange: 'indirect-element' }, 'indirect-entry'],
    ['/Type /XObject', { type: '/XObject' }, 'malformed-entry'],
    ['/Type as a string', { type: '(Sig)' }, 'malformed-entry'],
    ['no /Filter', { filter: null }, 'malformed-entry'],
    ['/Filter as a string', { filter: '(Adobe.PPKLite)' }, 'malformed-entry'],
    ['/SubFilter as a string', { subFilter: '(adbe.pkcs7.detached)' }, 'malformed-entry'],
  ])('%s', async (what, form, problem) => {
    const pdf = await handSignedPdf({ pki, ...form });
    const r = await verify(pdf, options);
    const s = r.signatures[0]!;
    expect(s.indication, what).toBe('TOTAL_FAILED');
    expect(s.subIndication, what).toBe('FORMAT_FAILURE');
    expect(s.coverage).toBe('broken');
    // The CMS is sound over the ranges: only the dictionary's form is at fault.
    expect(s.cryptoValid).toBe(true);
    expect(s.messages.map((m) => m.en).join(' ')).toContain(problem);
    if (form.byteRange) {
      // poppler resolves the reference and calls the signature valid: the check is kyso's own.
      const file = join(dir, `${form.byteRange}.pdf`);
      writeFileSync(file, pdf);
      const out = await run('pdfsig', [file]).then((x) => x.stdout.toString(), (e: Error) => e.message);
      expect(out).toContain('Signature is Valid');
    }
  });
});
