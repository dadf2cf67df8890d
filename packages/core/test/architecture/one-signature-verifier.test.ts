/**
 * Issue 18 / decision 0027: kyso core checks signature values in exactly one
 * module, crypto/verify-signature.ts, so a fix to algorithm handling is made
 * once. Every other module asks it; none calls WebCrypto's or Node's verify.
 */
import { describe, expect, it } from 'vitest';
import { coreSources } from './source-files.js';

const PRIMITIVE = 'crypto/verify-signature.ts';

/** Source without comments: a comment that names `subtle.verify` is no call. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"])\/\/.*$/gm, '$1');
}

/** Ways to reach a signature verification in WebCrypto or node:crypto. */
const VERIFY_CALLS: readonly RegExp[] = [
  /\bsubtle\s*\(\s*\)\s*\.\s*verify\b/, // kyso's subtle() accessor
  /\bsubtle\s*\.\s*verify\b/, // crypto.subtle.verify, globalThis.crypto.subtle.verify
  /[\w)\]]\s*\[\s*['"`]verify['"`]\s*\]/, // subtle()['verify']
  /\bcreateVerify\b/, // node:crypto Verify objects
  /\bcrypto\s*\.\s*verify\s*\(/, // node:crypto one-shot verify
  /import\s*\{[^}]*\bverify\b[^}]*\}\s*from\s*['"](?:node:)?crypto['"]/, // import { verify } from 'node:crypto'
];

function verifyCalls(text: string): number {
  const body = code(text);
  return VERIFY_CALLS.reduce((n, re) => n + [...body.matchAll(new RegExp(re.source, 'g'))].length, 0);
}

const all = coreSources();

describe('one signature-verification call site in core', () => {
  it('finds every form of a verify call it looks for, and not the key usage list', () => {
    expect(verifyCalls('await subtle().verify(p, k, s, d);')).toBe(1);
    expect(verifyCalls('globalThis.crypto.subtle.verify(p, k, s, d)')).toBe(1);
    expect(verifyCalls("subtle()['verify'](p, k, s, d)")).toBe(1);
    expect(verifyCalls("const v = createVerify('sha256');")).toBe(1);
    expect(verifyCalls('crypto.verify(null, data, key, sig)')).toBe(1);
    expect(verifyCalls("import { verify, sign } from 'node:crypto';")).toBe(1);
    expect(verifyCalls("importKey('spki', der, params, false, ['verify'])")).toBe(0);
    expect(verifyCalls('// subtle().verify in a comment\n/* crypto.subtle.verify */')).toBe(0);
  });

  it('calls verify only in crypto/verify-signature.ts, and there once per platform (WebCrypto; node:crypto in Node)', () => {
    const callers = all.filter((f) => verifyCalls(f.text) > 0).map((f) => f.path);
    expect(callers).toEqual([PRIMITIVE]);
    expect(verifyCalls(all.find((f) => f.path === PRIMITIVE)!.text)).toBe(2);
  });

  it('keeps the digest, signature and curve OIDs in one table', () => {
    // The P-256 curve OID is written once among the OIDs kyso writes (algorithms.ts), which the table reads;
    // the SHA-1 signature OIDs, which kyso never writes, once in the verifier's table.
    const holders = (literal: string): string[] => all.filter((f) => code(f.text).includes(`'${literal}'`)).map((f) => f.path);
    expect(holders('1.2.840.10045.3.1.7')).toEqual(['crypto/algorithms.ts']);
    expect(holders('1.2.840.113549.1.1.5')).toEqual(['crypto/algorithm-table.ts']);
    expect(holders('1.2.840.10045.4.1')).toEqual(['crypto/algorithm-table.ts']);
    expect(all.filter((f) => /\bHASH_BY_OID\b/.test(code(f.text))).map((f) => f.path)).toEqual([]);
  });
});
