/**
 * SignerInfo algorithms as other writers put them, checked end to end by
 * examineCms (which calls the one signature primitive): an EC key under an
 * rsaEncryption OID (an encoder bug met in the corpus, dss-03), RSASSA-PSS
 * with a salt other than the hash length, and an algorithm WebCrypto lacks.
 * The CMS is built here around the test PKI's keys (RFC 5652 §5).
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, type TestPki } from '@kyso/testkit';
import { OID } from '../../../src/crypto/algorithms.js';
import { ecdsaRawToDer } from '../../../src/crypto/ecdsa.js';
import { examineCms } from '../../../src/verify/cms/index.js';

const subtle = globalThis.crypto.subtle;
const CONTENT = new TextEncoder().encode('the bytes a ByteRange covers');
const sha256 = (bytes: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(bytes).digest());

let pki: TestPki;
beforeAll(async () => {
  pki = await ensurePki();
});

/** A detached SignedData over CONTENT, SHA-256, signed attributes, with `signatureAlgorithm` and a value `sign` makes. */
async function signedData(
  entity: 'p256' | 'rsa3072',
  signatureAlgorithm: pkijs.AlgorithmIdentifier,
  sign: (key: Uint8Array, toSign: Uint8Array) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const e = pki.entity(entity);
  const cert = pkijs.Certificate.fromBER(e.certDer);
  const attributes = [
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: sha256(CONTENT) })] }),
  ];
  // RFC 5652 §5.4: the value signs the DER SET OF Attribute; the [0] IMPLICIT carries the same content.
  const toSign = new Uint8Array(new asn1js.Set({ value: attributes.map((a) => a.toSchema()) }).toBER());
  const signature = await sign(e.keyDer, toSign);
  const signer = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
    signatureAlgorithm,
    signature: new asn1js.OctetString({ valueHex: signature }),
  });
  const sd = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: [cert],
    signerInfos: [signer],
  });
  const ci = new pkijs.ContentInfo({ contentType: OID.signedData, content: sd.toSchema() });
  return new Uint8Array(ci.toSchema().toBER());
}

async function examine(der: Uint8Array) {
  return (await examineCms(der, () => sha256(CONTENT), { documentTimestamp: false })).cms;
}

const ecdsaP256 = async (pkcs8: Uint8Array, toSign: Uint8Array): Promise<Uint8Array> => {
  const key = await subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  return ecdsaRawToDer(new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, toSign)));
};

const pss = (saltLength: number) => async (pkcs8: Uint8Array, toSign: Uint8Array): Promise<Uint8Array> => {
  const key = await subtle.importKey('pkcs8', pkcs8, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle.sign({ name: 'RSA-PSS', saltLength }, key, toSign));
};

function pssId(saltLength: number): pkijs.AlgorithmIdentifier {
  const hash = new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 });
  const params = new pkijs.RSASSAPSSParams({
    hashAlgorithm: hash,
    maskGenAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.mgf1, algorithmParams: hash.toSchema() }),
    saltLength,
  });
  return new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsassaPss, algorithmParams: params.toSchema() });
}

describe('SignerInfo algorithms written by other signers', () => {
  it('an EC key whose SignerInfo says rsaEncryption is verified as ECDSA with SHA-256', async () => {
    const der = await signedData('p256', new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaEncryption, algorithmParams: new asn1js.Null() }), ecdsaP256);
    const cms = await examine(der);
    expect(cms).toMatchObject({ parsed: true, error: null, digestMatches: true, signatureValid: true, signatureAlgorithm: { scheme: 'ECDSA', hash: 'SHA-256' } });
  });

  it('the same mislabelled value over other attributes does not verify', async () => {
    const der = await signedData('p256', new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaEncryption, algorithmParams: new asn1js.Null() }), async (k, toSign) => {
      const other = toSign.slice();
      other[other.length - 1] ^= 1;
      return ecdsaP256(k, other);
    });
    expect((await examine(der)).signatureValid).toBe(false);
  });

  it('RSASSA-PSS with salt 0 verifies under parameters that say 0, and not under parameters that say 32', async () => {
    expect((await examine(await signedData('rsa3072', pssId(0), pss(0)))).signatureValid).toBe(true);
    expect((await examine(await signedData('rsa3072', pssId(32), pss(0)))).signatureValid).toBe(false);
  });

  it('RSA with SHA3-256 is named, and its value stays unknown: never valid', async () => {
    const sha3Rsa = new pkijs.AlgorithmIdentifier({ algorithmId: '2.16.840.1.101.3.4.3.14', algorithmParams: new asn1js.Null() });
    const cms = await examine(await signedData('rsa3072', sha3Rsa, pss(32)));
    expect(cms.signatureValid).toBeNull();
    expect(cms.signatureAlgorithm).toEqual({ scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA3-256' });
    expect(cms.error).toBe('SHA3-256 signatures cannot be verified with WebCrypto');
  });
});
