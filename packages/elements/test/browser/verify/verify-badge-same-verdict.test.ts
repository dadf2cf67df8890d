import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sign, verify, type SignOptions, type VerificationReport, type VerifyOptions } from '@kyso/core';
import { createKyso } from '@kyso/core/worker';
import { Pkcs12Adapter } from '@kyso/adapters';
import type { ByteSource } from '../../../../core/src/pdf/byte-source.js';
import { largeFixture } from '../../../../core/test/browser/node-side.js';
import '../../../src/verify-badge/define.js';
import type { VerifyBadge } from '../../../src/verify-badge/define.js';
import { signedSample, SIGNED_AT, tampered, VALIDATED_AT, withAnnotation } from './documents.js';
import { fixture, mount, nextEvent, until } from './helpers.js';

/**
 * Issue 16 §5: the badge's fast path (kyso's worker, the document moved to it,
 * each signature's byte ranges hashed by one WebCrypto digest) reaches the same
 * report as core's `verify` on the plain path (in the page, the ranges streamed
 * through the pure-JS hash), for the same files and options: nothing is bought
 * with a weaker check.
 */
let root: Uint8Array;
let crls: Uint8Array[];

beforeAll(async () => {
  root = await fixture('pki/root.cert.der');
  crls = [await fixture('pki/intermediate.crl.der'), await fixture('pki/root.crl.der')];
});
afterEach(() => document.body.replaceChildren());

/** The source core sees when the document is not an in-memory array: hashing streams it, as before the fast path. */
function streamed(bytes: Uint8Array): ByteSource {
  return { length: bytes.length, read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)) };
}

/** `pdf` signed once more, by `leaf`, in the page. */
async function signedAgain(pdf: Uint8Array, leaf: 'seal' | 'p256', options: Partial<SignOptions> = {}): Promise<Uint8Array> {
  const adapter = await Pkcs12Adapter.open(await fixture(`pki/${leaf}.p12`), 'kyso-test');
  return sign(pdf, { adapter, signingTime: SIGNED_AT, ...options } as SignOptions);
}

describe('<verify-badge> (worker, WebCrypto over the byte ranges) and core verify (page, streamed hash) agree', { timeout: 120_000 }, () => {
  const kyso = createKyso();
  afterAll(() => kyso.terminate());

  /** The badge's options below as core takes them: the test root, the supplied CRLs, a fixed validation time. */
  const options = (trusted: boolean): VerifyOptions => ({ trust: trusted ? [root] : [], revocation: 'embedded', revocationData: { crls }, at: VALIDATED_AT });

  async function badgeReport(data: Uint8Array, trusted: boolean): Promise<VerificationReport> {
    const el = document.createElement('verify-badge');
    el.trustProfile = 'none';
    el.trust = trusted ? [root] : [];
    el.revocationData = { crls };
    el.at = VALIDATED_AT;
    el.client = kyso;
    mount(el);
    const done = nextEvent<VerificationReport>(el, 'kyso-verified');
    el.data = data;
    return (await done).detail;
  }

  /** Each document, the indications its signatures must get (so that agreeing cannot mean failing alike), and whether the test root is trusted. */
  const documents: Record<string, [() => Promise<Uint8Array>, string[], trusted?: boolean]> = {
    'valid (RSA leaf under the test root)': [() => signedSample('leader'), ['TOTAL_PASSED']],
    'tampered (one byte changed in the first range)': [async () => tampered(await signedSample('leader')), ['TOTAL_FAILED']],
    'unknown signer (nobody trusts the test root here)': [() => signedSample('leader'), ['INDETERMINATE'], false],
    'two signatures, SHA-384 then ECDSA with SHA-512 (the first signature\'s second range is the longer one)': [
      async () => signedAgain(await signedSample('leader', 'samples/simple.pdf', { hash: 'SHA-384' }), 'p256', { hash: 'SHA-512' }),
      ['TOTAL_PASSED', 'TOTAL_PASSED'],
    ],
    'modified after signing (an annotation appended)': [async () => withAnnotation(await signedSample('leader'), [100, 500, 250, 560]), ['TOTAL_FAILED']],
    'a large document (about 20 MB)': [async () => signedAgain(await largeFixture(20_000_000), 'seal'), ['TOTAL_PASSED']],
  };

  for (const [name, [make, indications, trusted = true]] of Object.entries(documents)) {
    it(name, async () => {
      const pdf = await make();
      const kept = pdf.slice();
      const plain = await verify(streamed(pdf), options(trusted));
      const fast = await badgeReport(pdf, trusted);
      expect(fast).toEqual(plain);
      expect(fast.signatures.map((s) => s.indication)).toEqual(indications);
      expect(pdf.length === kept.length && pdf.every((b, i) => b === kept[i])).toBe(true); // the page's bytes stay the page's
    });
  }

  it('gives the worker the file it fetched itself and shows that same file in the details panel', async () => {
    const el = mount(document.createElement('verify-badge'), 'en');
    el.trustProfile = 'none';
    el.revocation = 'off';
    el.client = kyso;
    const signed = await signedSample('leader');
    const url = URL.createObjectURL(new Blob([signed.slice()], { type: 'application/pdf' }));
    try {
      const done = nextEvent<VerificationReport>(el, 'kyso-verified');
      el.src = url;
      expect((await done).detail.signatures).toHaveLength(1);
      await el.updateComplete;
      el.openDetails();
      await el.updateComplete;
      (el.shadowRoot!.querySelector('[part="panel-button"]') as HTMLButtonElement).click();
      const panel = await until(() => el.shadowRoot!.querySelector('signature-panel'), 'the signature panel');
      await panel.updateComplete;
      const shown = panel.data!;
      expect(shown.length === signed.length && shown.every((b, i) => b === signed[i])).toBe(true);
    } finally {
      URL.revokeObjectURL(url);
    }
  });
});

/** What `verify` answers: the report, or the error's code. */
async function outcome(run: () => Promise<VerificationReport>): Promise<VerificationReport | { code: unknown }> {
  try {
    return await run();
  } catch (error) {
    return { code: (error as { code?: unknown }).code };
  }
}

/**
 * Rewrites the numbers of the first /ByteRange in place (same length, padded with spaces), so that everything else
 * in the file stays where it was.
 */
function withByteRange(signed: Uint8Array, ranges: (found: number[], length: number) => number[]): Uint8Array {
  const text = new TextDecoder('latin1').decode(signed);
  const match = /\/ByteRange\s*\[([^\]]*)\]/.exec(text)!;
  const found = match[1]!.trim().split(/\s+/).map(Number);
  const replaced = ranges(found, signed.length).join(' ').padEnd(match[1]!.length, ' ');
  if (replaced.length !== match[1]!.length) throw new Error('the new /ByteRange does not fit');
  const out = signed.slice();
  const at = match.index + match[0].indexOf('[') + 1;
  for (let i = 0; i < replaced.length; i++) out[at + i] = replaced.charCodeAt(i);
  return out;
}

describe('core verify hashes hostile byte ranges and the hostile table alike on both paths (in memory: WebCrypto; streamed: pure JS)', { timeout: 120_000 }, () => {
  const options = (): VerifyOptions => ({ trust: [root], revocation: 'embedded', revocationData: { crls }, at: VALIDATED_AT });

  const byteRanges: Record<string, (r: number[], length: number) => number[]> = {
    'the ranges out of order': ([a, b, c, d]) => [c!, d!, a!, b!],
    'overlapping ranges': ([a, b, c, d]) => [a!, b! + 10, c! - 10, d!],
    'a second range past the end of the file': ([a, b, c, d]) => [a!, b!, c!, d! + 1000],
    'one range covering /Contents too': (_, length) => [0, length, 0, 0],
    'touching ranges that leave out the last bytes': ([a, b, , d]) => [a!, b!, b!, d!],
    'a first range not starting at 0': ([a, b, c, d]) => [a! + 1, b! - 1, c!, d!],
  };

  for (const [name, ranges] of Object.entries(byteRanges)) {
    it(`/ByteRange with ${name}`, async () => {
      const pdf = withByteRange(await signedSample('leader'), ranges);
      const fast = await outcome(() => verify(pdf, options()));
      const plain = await outcome(() => verify(streamed(pdf), options()));
      expect(fast).toEqual(plain);
      expect('signatures' in fast ? fast.signatures.map((s) => s.indication) : []).not.toContain('TOTAL_PASSED');
    });
  }

  it('every file of the hostile table', async () => {
    const { HOSTILE_PDF_CASES } = await import('../../../../core/test/pdf/hostile-cases.js');
    for (const [name, make] of HOSTILE_PDF_CASES) {
      const pdf = make();
      const fast = await outcome(() => verify(pdf, options()));
      const plain = await outcome(() => verify(streamed(pdf), options()));
      expect(fast, name).toEqual(plain);
    }
  });
});
