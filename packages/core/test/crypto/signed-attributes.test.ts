import { createHash, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OID } from '../../src/crypto/algorithms.js';
import * as asn1js from 'asn1js';
import { buildSignedAttributes } from '../../src/crypto/signed-attributes.js';
import { makeCert, openssl, tempDir, type TestCert } from './openssl-helpers.js';

/** One decoded element, seen as its tag, value octets and whole encoding (views into the input). */
interface Tlv {
  readonly tag: number;
  readonly contents: Uint8Array;
  readonly encoded: Uint8Array;
  readonly element: asn1js.AsnType;
}

function tlvOf(element: asn1js.AsnType): Tlv {
  const encoded = element.valueBeforeDecodeView;
  return { tag: encoded[0]!, contents: encoded.subarray(element.idBlock.blockLength + element.lenBlock.blockLength), encoded, element };
}

/** Decodes with asn1js; the whole input must be one element with the given tag. */
function readWhole(bytes: Uint8Array, tag: number): Tlv {
  const { offset, result } = asn1js.fromBER(new Uint8Array(bytes));
  expect(offset).toBe(bytes.length);
  const t = tlvOf(result);
  expect(t.tag).toBe(tag);
  return t;
}

function children(t: Tlv): Tlv[] {
  expect(t.element).toBeInstanceOf(asn1js.Constructed);
  return (t.element as asn1js.Constructed).valueBlock.value.map(tlvOf);
}

function readOid(t: Tlv): string {
  expect(t.element).toBeInstanceOf(asn1js.ObjectIdentifier);
  return (t.element as asn1js.ObjectIdentifier).valueBlock.toString();
}

/** attrType → the single value's TLV, in encoded order. */
function attributes(set: Uint8Array): Array<{ type: string; value: Tlv; encoded: Uint8Array }> {
  return children(readWhole(set, 0x31)).map((a) => {
    const [type, values] = children(a);
    const vs = children(values!);
    expect(vs).toHaveLength(1);
    return { type: readOid(type!), value: vs[0]!, encoded: a.encoded };
  });
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

describe('buildSignedAttributes (RFC 5652 §5.4, ETSI EN 319 142-1 §6.3)', () => {
  const tmp = tempDir();
  let cert: TestCert;
  const digest32 = new Uint8Array(32).map((_, i) => i);
  beforeAll(() => {
    cert = makeCert(tmp.dir, 'signer', 'p256', { subject: '/C=VN/O=Bộ Tài chính/CN=Nguyễn Văn A' });
  });
  afterAll(() => tmp.cleanup());

  it('gives PAdES B-B exactly content-type, message-digest and signing-certificate-v2, DER-sorted, no signing-time', () => {
    const set = buildSignedAttributes({
      digestAlgorithm: 'SHA-256', contentDigest: digest32, signerCertificate: cert.certDer, subFilter: 'ETSI.CAdES.detached',
      signingTime: new Date(Date.UTC(2026, 0, 2)), // ignored for CAdES: the time is the dictionary's /M
    });
    expect(set[0]).toBe(0x31);
    const attrs = attributes(set);
    expect(attrs.map((a) => a.type).sort()).toEqual([OID.contentType, OID.messageDigest, OID.signingCertificateV2].sort());
    for (let i = 1; i < attrs.length; i++) expect(compare(attrs[i - 1]!.encoded, attrs[i]!.encoded)).toBeLessThan(0);
    const byType = new Map(attrs.map((a) => [a.type, a.value]));
    expect(readOid(byType.get(OID.contentType)!)).toBe(OID.data);
    expect(byType.get(OID.messageDigest)!.contents).toEqual(digest32);
    // openssl parses it as well-formed DER
    expect(openssl(['asn1parse', '-inform', 'DER'], set).toString()).toContain('id-smime-aa-signingCertificateV2');
  });

  it('binds the signer certificate: SHA-256 hash without hashAlgorithm, issuer and serial copied', () => {
    const set = buildSignedAttributes({ digestAlgorithm: 'SHA-256', contentDigest: digest32, signerCertificate: cert.certDer, subFilter: 'ETSI.CAdES.detached' });
    const v2 = attributes(set).find((a) => a.type === OID.signingCertificateV2)!.value;
    const [certs] = children(v2);
    const [essCertId] = children(certs!);
    const [certHash, issuerSerial] = children(essCertId!);
    expect(certHash!.tag).toBe(0x04); // no AlgorithmIdentifier: SHA-256 is the DEFAULT (RFC 5035 §4)
    expect(Buffer.from(certHash!.contents).equals(createHash('sha256').update(cert.certDer).digest())).toBe(true);
    const [generalNames, serial] = children(issuerSerial!);
    const [directoryName] = children(generalNames!);
    expect(directoryName!.tag).toBe(0xa4);
    const x509 = new X509Certificate(cert.certDer);
    expect(serial!.tag).toBe(0x02);
    expect(BigInt(`0x${Buffer.from(serial!.contents).toString('hex')}`)).toBe(BigInt(`0x${x509.serialNumber}`));
    // issuer Name bytes appear verbatim in the certificate
    expect(Buffer.from(cert.certDer).indexOf(Buffer.from(children(directoryName!)[0]!.encoded))).toBeGreaterThan(0);
  });

  it('names the hash when it is not SHA-256', () => {
    const set = buildSignedAttributes({ digestAlgorithm: 'SHA-384', contentDigest: new Uint8Array(48), signerCertificate: cert.certDer, subFilter: 'ETSI.CAdES.detached' });
    const v2 = attributes(set).find((a) => a.type === OID.signingCertificateV2)!.value;
    const [hashAlg, certHash] = children(children(children(v2)[0]!)[0]!);
    expect(readOid(children(hashAlg!)[0]!)).toBe(OID.sha384);
    expect(Buffer.from(certHash!.contents).equals(createHash('sha384').update(cert.certDer).digest())).toBe(true);
  });

  it('adds signing-time for adbe.pkcs7.detached only when given', () => {
    const base = { digestAlgorithm: 'SHA-256', contentDigest: digest32, signerCertificate: cert.certDer, subFilter: 'adbe.pkcs7.detached' } as const;
    expect(attributes(buildSignedAttributes(base))).toHaveLength(3);
    const attrs = attributes(buildSignedAttributes({ ...base, signingTime: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) }));
    expect(attrs).toHaveLength(4);
    const time = attrs.find((a) => a.type === OID.signingTime)!.value;
    expect(time.tag).toBe(0x17); // UTCTime until 2049 (RFC 5652 §11.3)
    expect(Buffer.from(time.contents).toString('latin1')).toBe('260102030405Z');
    const late = attributes(buildSignedAttributes({ ...base, signingTime: new Date(Date.UTC(2050, 5, 1)) })).find((a) => a.type === OID.signingTime)!.value;
    expect(late.tag).toBe(0x18);
    expect(Buffer.from(late.contents).toString('latin1')).toBe('20500601000000Z');
  });

  it('is deterministic', () => {
    const input = { digestAlgorithm: 'SHA-256', contentDigest: digest32, signerCertificate: cert.certDer, subFilter: 'ETSI.CAdES.detached' } as const;
    expect(buildSignedAttributes(input)).toEqual(buildSignedAttributes(input));
  });

  it('refuses a digest of the wrong length and a malformed certificate', () => {
    const base = { digestAlgorithm: 'SHA-256', contentDigest: digest32, signerCertificate: cert.certDer, subFilter: 'ETSI.CAdES.detached' } as const;
    expect(() => buildSignedAttributes({ ...base, contentDigest: new Uint8Array(31) })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => buildSignedAttributes({ ...base, digestAlgorithm: 'SHA-512' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => buildSignedAttributes({ ...base, signerCertificate: cert.certDer.subarray(0, 100) })).toThrow(expect.objectContaining({ code: 'ERR_CERT_MALFORMED' }));
    expect(() => buildSignedAttributes({ ...base, signingTime: new Date(NaN), subFilter: 'adbe.pkcs7.detached' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});
