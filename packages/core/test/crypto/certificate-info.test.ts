import { constants, sign, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultSignatureAlgorithm, importPublicKey, parseCertificate, publicKeyOf, verifySignatureValue,
} from '../../src/crypto/certificate-info.js';
import { makeCert, tempDir, type TestCert } from './openssl-helpers.js';

describe('certificate-info', () => {
  const tmp = tempDir();
  let vn: TestCert;
  let rsa3072: TestCert;
  let p384: TestCert;
  let plain: TestCert;
  beforeAll(() => {
    vn = makeCert(tmp.dir, 'vn', 'rsa2048', {
      subject: '/C=VN/ST=Hà Nội/O=Bộ Tài chính/OU=Cục Tin học, Thống kê/CN=Nguyễn Văn Á/UID=CCCD:001234567890',
      addext: ['keyUsage=critical,digitalSignature,nonRepudiation', 'extendedKeyUsage=emailProtection,1.3.6.1.4.1.311.10.3.12'],
    });
    rsa3072 = makeCert(tmp.dir, 'rsa3072', 'rsa3072');
    p384 = makeCert(tmp.dir, 'p384', 'p384', { subject: '/CN=#hash \\+plus' });
    plain = makeCert(tmp.dir, 'plain', 'p256', { subject: '/O=No CN here' });
  });
  afterAll(() => tmp.cleanup());

  it('decodes a Vietnamese certificate', () => {
    const info = parseCertificate(vn.certDer);
    const x509 = new X509Certificate(vn.certDer);
    expect(info.subjectCN).toBe('Nguyễn Văn Á');
    expect(info.subjectDN).toBe('UID=CCCD:001234567890,CN=Nguyễn Văn Á,OU=Cục Tin học\\, Thống kê,O=Bộ Tài chính,ST=Hà Nội,C=VN');
    expect(info.issuerDN).toBe(info.subjectDN);
    expect(info.uids).toEqual(['CCCD:001234567890']);
    expect(info.organization).toBe('Bộ Tài chính');
    expect(BigInt(`0x${info.serialHex}`)).toBe(BigInt(`0x${x509.serialNumber}`));
    expect(info.notBefore.getTime()).toBe(new Date(x509.validFrom).getTime());
    expect(info.notAfter.getTime()).toBe(new Date(x509.validTo).getTime());
    expect(info).toMatchObject({ keyAlgorithm: 'RSA', keyBits: 2048 });
    expect(info.namedCurve).toBeUndefined();
    expect(info.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(info.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.4', '1.3.6.1.4.1.311.10.3.12']);
  });

  it('reads key sizes and curves, escapes DN values, and says null for absent things', () => {
    expect(parseCertificate(rsa3072.certDer)).toMatchObject({ keyAlgorithm: 'RSA', keyBits: 3072 });
    const ec = parseCertificate(p384.certDer);
    expect(ec).toMatchObject({ keyAlgorithm: 'EC', keyBits: 384, namedCurve: 'P-384', subjectDN: 'CN=\\#hash \\+plus' });
    const none = parseCertificate(plain.certDer);
    expect(none.subjectCN).toBeNull();
    expect(none.keyUsage).toBeNull();
    expect(none.extKeyUsage).toBeNull();
    expect(none.uids).toEqual([]);
    expect(publicKeyOf(plain.certDer)).toMatchObject({ keyAlgorithm: 'EC', namedCurve: 'P-256', curveBytes: 32 });
  });

  it('picks a default algorithm from the key', () => {
    expect(defaultSignatureAlgorithm(parseCertificate(vn.certDer))).toEqual({ scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
    expect(defaultSignatureAlgorithm(parseCertificate(p384.certDer))).toEqual({ scheme: 'ECDSA', hash: 'SHA-384' });
    expect(defaultSignatureAlgorithm(parseCertificate(plain.certDer))).toEqual({ scheme: 'ECDSA', hash: 'SHA-256' });
    expect(defaultSignatureAlgorithm(parseCertificate(vn.certDer), 'SHA-512')).toEqual({ scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' });
  });

  it('verifies signature values with WebCrypto', async () => {
    const data = new TextEncoder().encode('signed attributes');
    const pkcs1 = sign('sha256', data, vn.keyPem);
    expect(await verifySignatureValue(vn.certDer, { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, data, pkcs1)).toBe(true);
    expect(await verifySignatureValue(vn.certDer, { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' }, data, pkcs1)).toBe(false);
    expect(await verifySignatureValue(vn.certDer, { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, data.subarray(1), pkcs1)).toBe(false);
    const pss = sign('sha512', data, { key: rsa3072.keyPem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 });
    expect(await verifySignatureValue(rsa3072.certDer, { scheme: 'RSA-PSS', hash: 'SHA-512' }, data, pss)).toBe(true);
    const pssWrongSalt = sign('sha512', data, { key: rsa3072.keyPem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 20 });
    expect(await verifySignatureValue(rsa3072.certDer, { scheme: 'RSA-PSS', hash: 'SHA-512' }, data, pssWrongSalt)).toBe(false);
    const der = sign('sha384', data, { key: p384.keyPem, dsaEncoding: 'der' });
    const raw = sign('sha384', data, { key: p384.keyPem, dsaEncoding: 'ieee-p1363' });
    const ecdsa = { scheme: 'ECDSA', hash: 'SHA-384' } as const;
    expect(await verifySignatureValue(p384.certDer, ecdsa, data, der)).toBe(true);
    expect(await verifySignatureValue(p384.certDer, ecdsa, data, raw)).toBe(true);
    expect(await verifySignatureValue(p384.certDer, ecdsa, data, raw.subarray(1))).toBe(false);
    await expect(verifySignatureValue(p384.certDer, { scheme: 'RSA-PSS', hash: 'SHA-256' }, data, raw)).rejects.toMatchObject({ code: 'ERR_SIG_ALGORITHM_UNSUPPORTED' });
    const key = await importPublicKey(p384.certDer, ecdsa);
    expect(key.type).toBe('public');
  });

  it('imports an id-RSASSA-PSS public key (RFC 4055 §1.2) for verification', async () => {
    const pssKey = makeCert(tmp.dir, 'pss-key', 'rsapss2048');
    expect(parseCertificate(pssKey.certDer)).toMatchObject({ keyAlgorithm: 'RSA', keyBits: 2048 });
    const data = new TextEncoder().encode('x');
    const sig = sign('sha256', data, { key: pssKey.keyPem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    expect(await verifySignatureValue(pssKey.certDer, { scheme: 'RSA-PSS', hash: 'SHA-256' }, data, sig)).toBe(true);
  });

  it.each([
    ['empty', new Uint8Array(0)],
    ['random bytes', Uint8Array.from({ length: 300 }, (_, i) => (i * 73) & 0xff)],
    ['truncated', () => vn.certDer.subarray(0, vn.certDer.length - 10)],
    ['trailing garbage', () => Uint8Array.from([...vn.certDer, 0])],
    ['indefinite length', Uint8Array.of(0x30, 0x80, 0, 0)],
  ])('refuses a malformed certificate: %s', async (_why, input) => {
    const der = typeof input === 'function' ? input() : input;
    expect(() => parseCertificate(der)).toThrow(expect.objectContaining({ code: 'ERR_CERT_MALFORMED' }));
    await expect(verifySignatureValue(der, { scheme: 'ECDSA', hash: 'SHA-256' }, new Uint8Array(1), new Uint8Array(64))).rejects.toMatchObject({ code: 'ERR_CERT_MALFORMED' });
  });
});
