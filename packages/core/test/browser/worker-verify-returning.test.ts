import { afterAll, describe, expect, it } from 'vitest';
import { PdfError, sign } from '@kyso/core';
import { createKyso } from '@kyso/core/worker';
import { Pkcs12Adapter } from '@kyso/adapters';
import { fixture } from './fixtures.js';

/**
 * `verifyReturning`: the document moves to the worker and back without a copy
 * (a page that keeps the bytes it fetched, e.g. to show them), and the report is
 * the one `verify` gives for the same bytes and options.
 */
describe('worker client: verifyReturning', () => {
  const kyso = createKyso();
  afterAll(() => kyso.terminate());

  const signed = async () => sign(await fixture('samples/simple.pdf'), {
    adapter: await Pkcs12Adapter.open(await fixture('pki/leader.p12'), 'kyso-test'),
    signingTime: new Date('2026-03-05T07:30:12Z'),
  });
  const at = new Date('2026-06-01T00:00:00Z');

  it('detaches the input, gives the same bytes back, and reports what verify reports', async () => {
    const pdf = await signed();
    const copy = pdf.slice();
    const root = await fixture('pki/root.cert.der');
    const options = { trust: [root], revocation: 'off' as const, at };
    const done = kyso.verifyReturning!(pdf, options);
    expect(pdf.byteLength).toBe(0); // moved, not cloned
    const { report, pdf: back } = await done;
    expect(back.length === copy.length && back.every((b, i) => b === copy[i])).toBe(true);
    expect(report).toEqual(await kyso.verify(copy.slice(), options));
    expect(report.signatures[0]).toMatchObject({ integrity: 'intact', subIndication: 'TRY_LATER' });
  });

  it('rejects a document that is not a PDF with its typed error, like verify', async () => {
    const garbage = new TextEncoder().encode('%PDF-1.7\nnot really a PDF\n');
    const error = await kyso.verifyReturning!(garbage).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PdfError);
    expect((error as PdfError).code).toMatch(/^ERR_PDF_/);
  });
});
