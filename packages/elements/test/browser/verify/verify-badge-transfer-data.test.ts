import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKyso } from '@kyso/core/worker';
import type { KysoClient } from '@kyso/core/worker';
import type { VerificationReport } from '@kyso/core';
import '../../../src/verify-badge/define.js';
import type { VerifyBadge } from '../../../src/verify-badge/define.js';
import { inPageClient, signedSample, VALIDATED_AT } from './documents.js';
import { fixture, mount, nextEvent } from './helpers.js';

/**
 * `transfer-data`: the page lets the badge take the bytes it sets as `data`, which then move to kyso's worker and
 * back instead of being copied (docs/decisions/0035). The verdict is the copying badge's; the page's array is left
 * empty; the badge keeps the document, for verifying again, whatever happens in between.
 */
let root: Uint8Array;
let signed: Uint8Array;
beforeAll(async () => {
  root = await fixture('pki/root.cert.der');
  signed = await signedSample('leader');
});
afterEach(() => document.body.replaceChildren());

function badge(client: KysoClient, transferData: boolean): VerifyBadge {
  const el = document.createElement('verify-badge');
  el.trustProfile = 'none';
  el.trust = [root];
  el.at = VALIDATED_AT;
  el.client = client;
  el.transferData = transferData;
  return mount(el);
}

/** Whether two arrays hold the same bytes. */
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

async function verdict(el: VerifyBadge, set: () => void): Promise<VerificationReport> {
  const done = nextEvent<VerificationReport>(el, 'kyso-verified');
  set();
  return (await done).detail;
}

describe('<verify-badge transfer-data> with kyso\'s worker', { timeout: 120_000 }, () => {
  const kyso = createKyso();
  afterAll(() => kyso.terminate());

  it('takes the array (left empty), gives the copying badge\'s verdict, and verifies the same bytes again', async () => {
    const copying = badge(kyso, false);
    const given = signed.slice();
    const expected = await verdict(copying, () => (copying.data = given));
    expect(same(given, signed)).toBe(true); // without the option the page's array stays as it was

    const taking = badge(kyso, true);
    const handed = signed.slice();
    const report = await verdict(taking, () => (taking.data = handed));
    expect(handed.byteLength).toBe(0); // moved to the worker, not copied
    expect(report).toEqual(expected);
    expect(report.signatures[0]).toMatchObject({ integrity: 'intact' });
    // The badge kept the document: verifying again needs no bytes from the page.
    expect(await verdict(taking, () => void taking.refresh())).toEqual(expected);
  });

  it('an input changed while the taken document is in the worker: the newer verification waits for the bytes and moves them again', async () => {
    const el = badge(kyso, true);
    const handed = signed.slice();
    const done = new Promise<VerificationReport[]>((resolve) => {
      const seen: VerificationReport[] = [];
      el.addEventListener('kyso-verified', (e) => {
        seen.push((e as CustomEvent<VerificationReport>).detail);
        resolve(seen);
      });
    });
    const errors: unknown[] = [];
    el.addEventListener('kyso-error', (e) => errors.push((e as CustomEvent).detail));
    el.data = handed;
    await new Promise((r) => setTimeout(r, 0)); // the first verification has started and moved the bytes
    expect(handed.byteLength).toBe(0);
    el.trust = []; // a new input: the first verification is dropped, a second one starts
    const [report] = await done;
    expect(errors).toEqual([]);
    // The second verification's verdict: the same signature, now without the test root as a trust anchor.
    expect(report!.signatures[0]).toMatchObject({ integrity: 'intact' });
    expect(report!.signatures[0]!.chain.status).not.toBe('trusted');
  });

  it('copies an array that views only part of its buffer: the page\'s buffer is untouched', async () => {
    const whole = new Uint8Array(signed.length + 16);
    whole.set(signed, 8);
    const view = whole.subarray(8, 8 + signed.length);
    const el = badge(kyso, true);
    const report = await verdict(el, () => (el.data = view));
    expect(whole.byteLength).toBe(signed.length + 16);
    expect(same(view, signed)).toBe(true);
    expect(report.signatures[0]).toMatchObject({ integrity: 'intact' });
  });

  it('a taken document that cannot be read: the error, then a clear one on verifying again (the bytes are gone)', async () => {
    const el = badge(kyso, true);
    const garbage = new TextEncoder().encode('%PDF-1.7\nnot really a PDF\n');
    const first = nextEvent<{ code: string }>(el, 'kyso-error');
    el.data = garbage;
    expect((await first).detail.code).toMatch(/^ERR_PDF_/);
    expect(garbage.byteLength).toBe(0);
    const again = nextEvent<{ code: string }>(el, 'kyso-error');
    void el.refresh();
    expect((await again).detail.code).toBe('ERR_INVALID_ARGUMENT');
  });
});

describe('<verify-badge transfer-data> with a client that cannot hand documents back', () => {
  it('copies: the page\'s array stays as it was, and the verdict is the same', async () => {
    const client = inPageClient(); // no verifyReturning
    const el = badge(client, true);
    const given = signed.slice();
    const report = await verdict(el, () => (el.data = given));
    expect(same(given, signed)).toBe(true);
    expect(report.signatures[0]).toMatchObject({ integrity: 'intact' });
    expect(client.calls).toBe(1);
  });
});
