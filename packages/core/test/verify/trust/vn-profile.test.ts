import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateFingerprint, distrust, sign, trustProfile, TRUST_PROFILE_NAMES, verify, type TrustStore } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, startCrlServer, startOcspResponder, pkiRoutes, routeFetch, type CrlServer, type OcspResponder, type TestPki } from '@kyso/testkit';

// Fingerprints (SHA-256 of the DER) published with the anchors (trust-roots notes; re-check against ca.gov.vn / rootca.gov.vn).
const VGCA_G1_ROOT = 'f7bc89054cec7f12730d7b8cd3eb7955b163835087e5eb873edfb584763b3f90';
const VGCA_G2_ROOT = 'f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8';
const NEAC_ROOT = 'bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7';
const VGCA_G1_CP = '75e969c07ba35c29c72bbc1bfb880f20f3891a619b00b77eb02ca6160736a1fe';

const prints = (certs: readonly Uint8Array[]) => certs.map(certificateFingerprint);

describe('trust profile vn: both Vietnamese PKIs', () => {
  it('is a shipped profile name', () => {
    expect(TRUST_PROFILE_NAMES).toContain('vn');
  });

  it('joins the VGCA (vn-gov) and NEAC (vn-public) anchors and intermediates, each anchor named by its own PKI', () => {
    const vn = trustProfile('vn');
    const gov = trustProfile('vn-gov');
    const pub = trustProfile('vn-public');
    expect(vn.name).toBe('vn');
    expect(prints(vn.anchors)).toEqual([...prints(gov.anchors), ...prints(pub.anchors)]);
    expect(prints(vn.intermediates)).toEqual([...prints(gov.intermediates), ...prints(pub.intermediates)]);
    expect(prints(vn.anchors)).toEqual(expect.arrayContaining([VGCA_G1_ROOT, VGCA_G2_ROOT, NEAC_ROOT]));
    expect(vn.anchorSources).toEqual([...gov.anchors.map(() => 'vn-gov'), ...pub.anchors.map(() => 'vn-public')]);
    // The VGCA G1 CA links are SHA-1 signed; accepting them (with a note) is the vn-gov profile's decision.
    expect(vn.allowSha1CaLinks).toBe(true);
  });
});

describe('distrust: removing CAs from a profile', () => {
  it('takes SHA-256 fingerprints (any case, with colons) and removes anchors and intermediates alike', () => {
    const colons = VGCA_G1_ROOT.toUpperCase().match(/../g)!.join(':');
    const store = distrust(trustProfile('vn'), [colons, VGCA_G1_CP]);
    expect(prints(store.anchors)).not.toContain(VGCA_G1_ROOT);
    expect(prints(store.intermediates)).not.toContain(VGCA_G1_CP);
    expect(store.anchors).toHaveLength(trustProfile('vn').anchors.length - 1);
    expect(store.intermediates).toHaveLength(trustProfile('vn').intermediates.length - 1);
    // Each remaining anchor keeps its source name.
    expect(store.anchorSources).toEqual([...Array(1).fill('vn-gov'), ...Array(2).fill('vn-public')]);
  });

  it('takes certificates (PEM or DER); something the store does not hold changes nothing', () => {
    const vn = trustProfile('vn');
    const byDer = distrust(vn, [vn.anchors[vn.anchors.length - 1]!]);
    expect(byDer.anchors).toHaveLength(vn.anchors.length - 1);
    expect(distrust(vn, ['00'.repeat(32)]).anchors).toHaveLength(vn.anchors.length);
  });

  it('refuses what is neither a certificate nor a fingerprint', () => {
    expect(() => distrust(trustProfile('vn'), ['not a fingerprint'])).toThrow(expect.objectContaining({ code: 'ERR_CERT_MALFORMED' }));
    expect(() => distrust(trustProfile('vn'), [42 as unknown as string])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});

describe('verify: trust and distrust options', () => {
  let pki: TestPki;
  let signed: Uint8Array;
  let ocsp: OcspResponder;
  let crl: CrlServer;
  const AT = new Date('2030-01-01T00:00:00Z');
  beforeAll(async () => {
    pki = await ensurePki();
    const samples = await ensureSamples();
    const leader = pki.entity('leader');
    signed = await sign(new Uint8Array(readFileSync(samples.simple)), { adapter: await fromPkcs8Pem(leader.keyPem, leader.certDer, leader.chainDer) });
    ocsp = await startOcspResponder({ pki });
    crl = await startCrlServer({ pki });
  });
  afterAll(async () => {
    await ocsp?.close();
    await crl?.close();
  });

  it("a root added to 'vn' is trusted; distrusting it (by fingerprint) leaves the chain without an anchor", async () => {
    const fetch = routeFetch(pkiRoutes({ ocsp, crl }));
    const trusted = await verify(signed, { trust: ['vn', pki.rootPem], at: AT, revocation: 'online', fetch });
    expect(trusted.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED']);
    const gone = await verify(signed, { trust: ['vn', pki.rootPem], distrust: [certificateFingerprint(pki.rootDer)], at: AT, revocation: 'online', fetch });
    expect(gone.signatures.map((s) => [s.indication, s.subIndication])).toEqual([['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']]);
  });

  it('a store object passes through distrust as well', async () => {
    const store: TrustStore = distrust(trustProfile('vn-public'), [NEAC_ROOT]);
    expect(prints(store.anchors)).not.toContain(NEAC_ROOT);
  });
});
