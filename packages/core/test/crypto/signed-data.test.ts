import { createHash, sign as nodeSign, constants } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HASH_LENGTH, type HashAlgorithm, type SignatureAlgorithm } from '../../src/crypto/algorithms.js';
import { buildSignedAttributes } from '../../src/crypto/signed-attributes.js';
import { assembleSignedData, estimateSignedDataSize } from '../../src/crypto/signed-data.js';
import { ecdsaRawToDer } from '../../src/crypto/ecdsa.js';
import { makeCert, openssl, tempDir, type KeyKind, type TestCert } from './openssl-helpers.js';

const NODE_HASH: Record<HashAlgorithm, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/** Signs like a key source would: PKCS#1, PSS (salt = hash length) or ECDSA raw r‖s. */
function signWithNode(cert: TestCert, alg: SignatureAlgorithm, data: Uint8Array, ecdsaRaw = true): Uint8Array {
  const key =
    alg.scheme === 'RSA-PSS'
      ? { key: cert.keyPem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTH[alg.hash] }
      : alg.scheme === 'ECDSA'
        ? { key: cert.keyPem, dsaEncoding: ecdsaRaw ? ('ieee-p1363' as const) : ('der' as const) }
        : { key: cert.keyPem };
  return new Uint8Array(nodeSign(NODE_HASH[alg.hash], data, key));
}

describe('assembleSignedData, cross-checked with openssl cms -verify', () => {
  const tmp = tempDir();
  const certs = {} as Record<KeyKind, TestCert>;
  const chainCa = {} as { ca: TestCert; leaf: TestCert };
  const content = new TextEncoder().encode('%PDF-1.7 the byte ranges a PDF signature covers\n'.repeat(50));
  const contentPath = join(tmp.dir, 'content.bin');

  beforeAll(() => {
    for (const kind of ['rsa2048', 'rsa3072', 'p256', 'p384'] as const) certs[kind] = makeCert(tmp.dir, kind, kind);
    chainCa.ca = makeCert(tmp.dir, 'ca', 'p256', { addext: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'] });
    chainCa.leaf = makeCert(tmp.dir, 'leaf', 'rsa2048', {
      signWith: chainCa.ca,
      addext: ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,nonRepudiation'],
    });
    writeFileSync(contentPath, content);
  });
  afterAll(() => tmp.cleanup());

  const cases: Array<[KeyKind, SignatureAlgorithm]> = [
    ['rsa2048', { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }],
    ['rsa2048', { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' }],
    ['rsa2048', { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' }],
    ['rsa2048', { scheme: 'RSA-PSS', hash: 'SHA-256' }],
    ['rsa2048', { scheme: 'RSA-PSS', hash: 'SHA-384' }],
    ['rsa2048', { scheme: 'RSA-PSS', hash: 'SHA-512' }],
    ['rsa3072', { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }],
    ['rsa3072', { scheme: 'RSA-PSS', hash: 'SHA-512' }],
    ['p256', { scheme: 'ECDSA', hash: 'SHA-256' }],
    ['p256', { scheme: 'ECDSA', hash: 'SHA-384' }],
    ['p256', { scheme: 'ECDSA', hash: 'SHA-512' }],
    ['p384', { scheme: 'ECDSA', hash: 'SHA-256' }],
    ['p384', { scheme: 'ECDSA', hash: 'SHA-384' }],
    ['p384', { scheme: 'ECDSA', hash: 'SHA-512' }],
  ];

  function signAndVerify(cert: TestCert, alg: SignatureAlgorithm, extra: { chain?: Uint8Array[]; caFile?: string; subFilter?: 'adbe.pkcs7.detached' } = {}): Uint8Array {
    const contentDigest = new Uint8Array(createHash(NODE_HASH[alg.hash]).update(content).digest());
    const signedAttributes = buildSignedAttributes({
      digestAlgorithm: alg.hash,
      contentDigest,
      signerCertificate: cert.certDer,
      subFilter: extra.subFilter ?? 'ETSI.CAdES.detached',
      signingTime: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
    });
    const signatureValue = signWithNode(cert, alg, signedAttributes);
    const cms = assembleSignedData({
      signedAttributes,
      signatureValue,
      algorithm: alg,
      signerCertificate: cert.certDer,
      certificates: [cert.certDer, ...(extra.chain ?? []), cert.certDer],
    });
    const cmsPath = join(tmp.dir, 'sig.der');
    writeFileSync(cmsPath, cms);
    // Throws (non-zero exit) when the signature does not verify.
    openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', cmsPath, '-content', contentPath,
      '-CAfile', extra.caFile ?? cert.certPath, '-purpose', 'any', '-out', join(tmp.dir, 'out.bin')]);
    return cms;
  }

  it.each(cases)('%s with %o verifies', (kind, alg) => {
    const cms = signAndVerify(certs[kind], alg);
    expect(cms.length).toBeLessThanOrEqual(estimateSignedDataSize({ signerCertificate: certs[kind].certDer, algorithm: alg }));
  });

  it('verifies a leaf under a CA with the chain embedded once', () => {
    const alg: SignatureAlgorithm = { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const cms = signAndVerify(chainCa.leaf, alg, { chain: [chainCa.ca.certDer], caFile: chainCa.ca.certPath });
    const certs = openssl(['pkcs7', '-print_certs', '-inform', 'DER'], cms).toString();
    expect(certs.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
  });

  it('verifies an adbe.pkcs7.detached signature with a signing time', () => {
    const cms = signAndVerify(certs.rsa2048, { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, { subFilter: 'adbe.pkcs7.detached' });
    const dump = openssl(['cms', '-cmsout', '-print', '-inform', 'DER'], cms).toString();
    expect(dump).toContain('signingTime');
  });

  it('describes the SignerInfo as RFC 5652 / RFC 4055 ask', () => {
    const pss = signAndVerify(certs.rsa2048, { scheme: 'RSA-PSS', hash: 'SHA-384' });
    const dump = openssl(['cms', '-cmsout', '-print', '-inform', 'DER'], pss).toString();
    expect(dump).toMatch(/version: 1/);
    expect(dump).toContain('issuerAndSerialNumber');
    expect(dump).toContain('rsassaPss');
    // RSASSA-PSS-params: [0] sha384, [1] mgf1(sha384), [2] salt 0x30 = 48, trailer left at its default
    expect(dump).toMatch(/cont \[ 0 \][^]*OBJECT\s+:sha384[^]*cont \[ 1 \][^]*:mgf1[^]*OBJECT\s+:sha384[^]*cont \[ 2 \][^]*INTEGER\s+:30\n/);
    expect(dump).not.toContain('cont [ 3 ]');
    expect(dump).toMatch(/eContent: <ABSENT>/);
    const ec = signAndVerify(certs.p256, { scheme: 'ECDSA', hash: 'SHA-256' });
    expect(openssl(['cms', '-cmsout', '-print', '-inform', 'DER'], ec).toString()).toContain('ecdsa-with-SHA256');
    const rsa = signAndVerify(certs.rsa2048, { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' });
    expect(openssl(['cms', '-cmsout', '-print', '-inform', 'DER'], rsa).toString()).toContain('sha512WithRSAEncryption');
  });

  it('embeds the signed attributes byte for byte as [0] IMPLICIT', () => {
    const alg: SignatureAlgorithm = { scheme: 'ECDSA', hash: 'SHA-256' };
    const signedAttributes = buildSignedAttributes({
      digestAlgorithm: 'SHA-256', contentDigest: new Uint8Array(32).fill(7), signerCertificate: certs.p256.certDer, subFilter: 'ETSI.CAdES.detached',
    });
    const raw = signWithNode(certs.p256, alg, signedAttributes);
    const cms = assembleSignedData({ signedAttributes, signatureValue: raw, algorithm: alg, signerCertificate: certs.p256.certDer, certificates: [] });
    const implicit = Uint8Array.from(signedAttributes);
    implicit[0] = 0xa0;
    expect(Buffer.from(cms).indexOf(Buffer.from(implicit))).toBeGreaterThan(0);
    // the raw r‖s went in as DER
    expect(Buffer.from(cms).indexOf(Buffer.from(ecdsaRawToDer(raw)))).toBeGreaterThan(0);
  });

  it('carries a timestamp token as id-aa-signatureTimeStampToken', () => {
    const alg: SignatureAlgorithm = { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const signedAttributes = buildSignedAttributes({
      digestAlgorithm: 'SHA-256', contentDigest: new Uint8Array(32), signerCertificate: certs.rsa2048.certDer, subFilter: 'ETSI.CAdES.detached',
    });
    const fakeToken = Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x05]);
    const cms = assembleSignedData({
      signedAttributes, signatureValue: signWithNode(certs.rsa2048, alg, signedAttributes), algorithm: alg,
      signerCertificate: certs.rsa2048.certDer, certificates: [], unsignedAttributes: { timestampToken: fakeToken },
    });
    const tail = Buffer.from(cms).subarray(-40).toString('hex');
    // [1] { SEQ { OID 1.2.840.113549.1.9.16.2.14, SET { token } } }
    expect(tail.endsWith('a1163014060b2a864886f70d010910020e3105' + '3003020105')).toBe(true);
  });

  it('rejects inputs it cannot use', () => {
    const alg: SignatureAlgorithm = { scheme: 'ECDSA', hash: 'SHA-256' };
    const base = { signatureValue: new Uint8Array(64).fill(1), algorithm: alg, signerCertificate: certs.p256.certDer, certificates: [] };
    expect(() => assembleSignedData({ ...base, signedAttributes: Uint8Array.of(0x30, 0) })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    const attrs = Uint8Array.of(0x31, 0);
    expect(() => assembleSignedData({ ...base, signedAttributes: attrs, signatureValue: new Uint8Array(63) })).toThrow(expect.objectContaining({ code: 'ERR_SIG_VALUE_INVALID' }));
    expect(() => assembleSignedData({ ...base, signedAttributes: attrs, algorithm: { scheme: 'RSA-PSS', hash: 'SHA-256' } })).toThrow(expect.objectContaining({ code: 'ERR_SIG_ALGORITHM_UNSUPPORTED' }));
    expect(() => assembleSignedData({ ...base, signedAttributes: attrs, signerCertificate: Uint8Array.of(1, 2, 3) })).toThrow(expect.objectContaining({ code: 'ERR_CERT_MALFORMED' }));
    expect(() => assembleSignedData({ ...base, signedAttributes: attrs, unsignedAttributes: { timestampToken: Uint8Array.of(4, 0) } })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('sizes a placeholder that fits the CMS with a timestamp allowance', () => {
    const alg: SignatureAlgorithm = { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const plain = estimateSignedDataSize({ signerCertificate: chainCa.leaf.certDer, certificates: [chainCa.ca.certDer], algorithm: alg });
    const withTs = estimateSignedDataSize({ signerCertificate: chainCa.leaf.certDer, certificates: [chainCa.ca.certDer], algorithm: alg, timestamp: true });
    expect(withTs - plain).toBeGreaterThanOrEqual(10_000);
    expect(plain).toBeGreaterThan(chainCa.leaf.certDer.length + chainCa.ca.certDer.length + 256);
    expect(plain).toBeLessThan(chainCa.leaf.certDer.length + chainCa.ca.certDer.length + 1000);
  });
});
