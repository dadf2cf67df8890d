import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate, publicKeyOf } from '../../src/crypto/certificate-info.js';
import { buildSignedAttributes } from '../../src/crypto/signed-attributes.js';
import { assembleSignedData } from '../../src/crypto/signed-data.js';
import { makeCert, openssl, tempDir, type TestCert } from './openssl-helpers.js';

/** The certificate with its outer SEQUENCE re-wrapped: tbsCertificate, and so the signature, is untouched. */
function rewrap(der: Uint8Array, header: readonly number[], trailer: readonly number[] = []): Uint8Array {
  const lenOctets = der[1]! & 0x80 ? 1 + (der[1]! & 0x7f) : 1;
  return Uint8Array.from([...header, ...der.subarray(1 + lenOctets), ...trailer]);
}

function longLength(n: number, octets: number): number[] {
  return [0x80 | octets, ...Array.from({ length: octets }, (_, i) => (n >> (8 * (octets - 1 - i))) & 0xff)];
}

describe('certificate encodings read through asn1js/pkijs', () => {
  const tmp = tempDir();
  let vn: TestCert;
  beforeAll(() => {
    vn = makeCert(tmp.dir, 'vn-multi', 'p256', {
      subject: '/C=VN/ST=Thành phố Hồ Chí Minh/O=Công ty Cổ phần Ả Rập Xê Út/CN=Trần Thị Bích Ngọc+UID=CCCD:079123456789',
    });
  });
  afterAll(() => tmp.cleanup());

  it('reads a Vietnamese DN with a multi-valued RDN (RFC 4514 §2.2)', () => {
    const info = parseCertificate(vn.certDer);
    expect(info.subjectCN).toBe('Trần Thị Bích Ngọc');
    expect(info.uids).toEqual(['CCCD:079123456789']);
    expect(info.organization).toBe('Công ty Cổ phần Ả Rập Xê Út');
    // openssl DER-sorts the two values inside the SET; either order is one RDN joined by '+'.
    expect(info.subjectDN).toMatch(
      /^(CN=Trần Thị Bích Ngọc\+UID=CCCD:079123456789|UID=CCCD:079123456789\+CN=Trần Thị Bích Ngọc),O=Công ty Cổ phần Ả Rập Xê Út,ST=Thành phố Hồ Chí Minh,C=VN$/,
    );
    const rdn = openssl(['x509', '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb', '-inform', 'DER'], vn.certDer).toString('utf8');
    expect(rdn).toContain('+');
  });

  it.each([
    ['a non-minimal long-form length (X.690 §8.1.3.5, accepted by BER)', (d: Uint8Array) => rewrap(d, [0x30, ...longLength(d.length - 4, 4)])],
    ['an indefinite length (X.690 §8.1.3.6)', (d: Uint8Array) => rewrap(d, [0x30, 0x80], [0, 0])],
  ])('reads a certificate whose outer SEQUENCE has %s, and embeds it verbatim', (_why, recode) => {
    const ber = recode(vn.certDer);
    expect(ber).not.toEqual(vn.certDer);
    expect(parseCertificate(ber)).toEqual(parseCertificate(vn.certDer));
    expect(publicKeyOf(ber).spki).toEqual(publicKeyOf(vn.certDer).spki);
    const digest = new Uint8Array(32);
    const signedAttributes = buildSignedAttributes({ digestAlgorithm: 'SHA-256', contentDigest: digest, signerCertificate: ber, subFilter: 'ETSI.CAdES.detached' });
    // The ESS certificate hash is over the bytes as given; issuer and serial are the same.
    expect(Buffer.from(signedAttributes).indexOf(createHash('sha256').update(ber).digest())).toBeGreaterThan(0);
    const cms = assembleSignedData({
      signedAttributes,
      signatureValue: new Uint8Array(64).fill(1),
      algorithm: { scheme: 'ECDSA', hash: 'SHA-256' },
      signerCertificate: ber,
      certificates: [],
    });
    expect(Buffer.from(cms).indexOf(Buffer.from(ber))).toBeGreaterThan(0);
    expect(Buffer.from(cms).indexOf(Buffer.from(signedAttributes.subarray(1)))).toBeGreaterThan(0);
  });
});
