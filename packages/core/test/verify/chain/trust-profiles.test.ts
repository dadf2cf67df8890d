import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ensurePki } from '@kyso/testkit';
import { parseCertificate } from '../../../src/crypto/certificate-info.js';
import { buildChain } from '../../../src/verify/chain/index.js';
import { mergeTrust, trustFromCertificates, trustProfile } from '../../../src/verify/trust/index.js';

const sha256 = (der: Uint8Array): string => createHash('sha256').update(der).digest('hex').toUpperCase();
const AT = new Date('2026-06-01T00:00:00Z');

/** Fingerprints from ../shared/domain/trust-anchors/README.md (re-check against ca.gov.vn / rootca.gov.vn before release). */
const VN_GOV = {
  anchors: [
    'F7BC89054CEC7F12730D7B8CD3EB7955B163835087E5EB873EDFB584763B3F90', // VGCA G1 RootCA
    'F04BA4B459A7C9A1B971AD9B1CB833E695A80C79AEA63B174B66A70EDFE2FDB8', // VGCA G2 RootCA
  ],
  intermediates: [
    '75E969C07BA35C29C72BBC1BFB880F20F3891A619B00B77EB02CA6160736A1FE', // G1 cp
    'A262CFA489DBBE666F8B89FAB832547809874D5A06FA9F7A38FC227EBDF40514', // G1 btc
    'ECBF8428266C549EB1BFDC2715270D5B9DFF3BBBE2D3F0C33E0FD91F70B2D943', // G1 bca
    '6E218B3EBC2F31B0D03205C64FD7E8920FB47187D37AFCDB4CB2BB4178BF4635', // G1 dcs
    '3C4281296F92D292CC952295FE41AD7D0B37438FF1D143B56C4642CC1B14BD93', // G1 bng
    'D8CAB7A4AEF92E6BB2509D7C61CEE7B44F3731B2D21074963530277B366FAE4B', // G2 cpcag2
  ],
};
const VN_PUBLIC = {
  anchors: [
    'BAC8BF609AB420A8EE1780D74F4DE5C7F7184959D2A7375B0A75E4C29F0908E7', // Vietnam National Root CA
    'CA918D635BB130BEC97639E6AABF7EDBC4EB1310F8058B9419F467AE0230AD8C', // MIC National Root CA (2008)
  ],
  intermediates: ['7D6BA5245317F9ED5D8BC765A4634D26AC6340D36B9F584DF3B52D9C4A81A306'], // VNPT-CA SHA2
};

describe('trust profiles', () => {
  it('vn-gov ships the VGCA G1 and G2 roots as anchors and their CAs as intermediates, nothing else', () => {
    const store = trustProfile('vn-gov');
    expect(store.name).toBe('vn-gov');
    expect(store.allowSha1CaLinks).toBe(true);
    expect(store.anchors.map(sha256)).toEqual(VN_GOV.anchors);
    expect(store.intermediates.map(sha256)).toEqual(VN_GOV.intermediates);
    // Never the licensing certificate VGCA tools also carry.
    for (const c of [...store.anchors, ...store.intermediates]) expect(parseCertificate(c).subjectDN).not.toMatch(/License/i);
  });

  it('vn-public ships the NEAC roots and VNPT-CA SHA2, without SHA-1 CA links', () => {
    const store = trustProfile('vn-public');
    expect(store.anchors.map(sha256)).toEqual(VN_PUBLIC.anchors);
    expect(store.intermediates.map(sha256)).toEqual(VN_PUBLIC.intermediates);
    expect(store.allowSha1CaLinks).toBe(false);
  });

  it('every bundled intermediate chains to its profile root; G1 links carry the named SHA-1 note', async () => {
    for (const name of ['vn-gov', 'vn-public'] as const) {
      const store = trustProfile(name);
      for (const c of store.intermediates) {
        const { chain } = await buildChain(c, [], store, AT, { purpose: 'document-signing' });
        const g1 = parseCertificate(c).issuerDN.includes('Co quan chung thuc so chuyen dung Chinh phu (RootCA)');
        expect(chain.status).toBe('trusted');
        expect(chain.path).toEqual([0, 1]);
        // CA certificates are not document signers: key-usage:0 is the only possible problem.
        expect(chain.problems.filter((p) => !(p.kind === 'key-usage' && p.cert === 0))).toEqual([]);
        expect(chain.notes).toEqual(g1 ? [{ kind: 'sha1-ca-link-accepted', cert: 0, store: name }] : []);
      }
    }
  });

  it('returns fresh copies and refuses unknown names', () => {
    const a = trustProfile('vn-gov');
    (a.anchors[0] as Uint8Array)[10] ^= 0xff;
    expect(sha256(trustProfile('vn-gov').anchors[0]!)).toBe(VN_GOV.anchors[0]);
    expect(() => trustProfile('vn-secret' as 'vn-gov')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('reads caller anchors from PEM (several blocks) or DER, and refuses what is not a certificate', async () => {
    const pki = await ensurePki();
    const store = trustFromCertificates([pki.rootPem + pki.untrustedRootPem, pki.rootDer]);
    expect(store).toMatchObject({ name: 'custom', allowSha1CaLinks: false, intermediates: [] });
    expect(store.anchors).toEqual([pki.rootDer, pki.entity('untrusted-root').certDer]);
    expect(() => trustFromCertificates(['no certificate here'])).toThrow(expect.objectContaining({ code: 'ERR_CERT_MALFORMED' }));
    expect(() => trustFromCertificates([new Uint8Array([0x30, 0x00])])).toThrow(expect.objectContaining({ code: 'ERR_CERT_MALFORMED' }));
  });

  it('merges stores without duplicates, keeping each anchor source', () => {
    const merged = mergeTrust(trustProfile('vn-gov'), trustProfile('vn-public'), trustProfile('vn-gov'));
    expect(merged.name).toBe('vn-gov+vn-public');
    expect(merged.anchors.map(sha256)).toEqual([...VN_GOV.anchors, ...VN_PUBLIC.anchors]);
    expect(merged.intermediates.map(sha256)).toEqual([...VN_GOV.intermediates, ...VN_PUBLIC.intermediates]);
    expect(merged.anchorSources).toEqual(['vn-gov', 'vn-gov', 'vn-public', 'vn-public']);
    expect(merged.allowSha1CaLinks).toBe(true);
  });
});
