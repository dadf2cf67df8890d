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
