import { describe, expect, it } from 'vitest';
import { sign, verify } from '@kyso/core';
import { Pkcs12Adapter } from '@kyso/adapters';
import { fixture } from './fixtures.js';

const P12_PASSWORD = 'kyso-test'; // the test PKI's (packages/testkit/src/pki/profile.ts)

describe('core in Chromium (portable hash engine, WebCrypto)', () => {
  it('signs a sample with the leader PKCS#12 and verifies it: intact and chained to the test root, revocation unknown without data', async () => {
    const pdf = await fixture('samples/simple.pdf');
    const adapter = await Pkcs12Adapter.open(await fixture('pki/leader.p12'), P12_PASSWORD);
    const signed = await sign(pdf, { adapter });
    expect(signed.subarray(0, pdf.length)).toEqual(pdf);
    const root = await fixture('pki/root.cert.der');
    const report = await verify(signed, { trust: [root] });
    // Strict: no revocation data is embedded and none may be fetched, so the verdict stays open.
    expect(report.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(report.signatures[0].signer.commonName).toMatch(/Nguyễn/);
  });
});
