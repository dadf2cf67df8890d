/**
 * The signature-verification primitive (crypto/verify-signature.ts) as a
 * specification: every algorithm family verifies its good signature and
 * rejects a changed one; what cannot be checked is "unknown", never valid and
 * never a thrown foreign error. Keys are generated here with WebCrypto.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { OID } from '../../src/crypto/algorithms.js';
import { VERIFY_OID } from '../../src/crypto/algorithm-table.js';
import { ecdsaRawToDer } from '../../src/crypto/ecdsa.js';
import { resolveSignatureAlgorithm, verifySignature, type SignatureContext } from '../../src/crypto/verify-signature.js';

const subtle = globalThis.crypto.subtle;
const DATA = new TextEncoder().encode('tbsCertificate, tbsResponseData or signed attributes');
const OTHER = new TextEncoder().encode('tbsCertificate, tbsResponseData or signed attributeZ');

type Pair = { privateKey: CryptoKey; publicKey: CryptoKey };

async function spkiOf(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await subtle.exportKey('spki', key));
}

function der(id: pkijs.AlgorithmIdentifier): Uint8Array {
  return new Uint8Array(id.toSchema().toBER());
}

const hashId = (oid: string): pkijs.AlgorithmIdentifier => new pkijs.AlgorithmIdentifier({ algorithmId: oid });
const withNull = (oid: string): pkijs.AlgorithmIdentifier => new pkijs.AlgorithmIdentifier({ algorithmId: oid, algorithmParams: new asn1js.Null() });

/** id-RSASSA-PSS with explicit RSASSA-PSS-params (RFC 4055 §3.1). */
function pssId(hashOid: string, saltLength: number, mgfHashOid = hashOid): pkijs.AlgorithmIdentifier {
  const params = new pkijs.RSASSAPSSParams({
    hashAlgorithm: hashId(hashOid),
    maskGenAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.mgf1, algorithmParams: hashId(mgfHashOid).toSchema() }),
    saltLength,
  });
  return new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsassaPss, algorithmParams: params.toSchema() });
}

let rsa: Pair;
let rsaSpki: Uint8Array;
let p256: Pair;
let p256Spki: Uint8Array;
let p384: Pair;
let p384Spki: Uint8Array;
let ed25519: Pair;
let ed25519Spki: Uint8Array;

beforeAll(async () => {
  const rsaParams = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  rsa = (await subtle.generateKey(rsaParams, true, ['sign', 'verify'])) as Pair;
  rsaSpki = await spkiOf(rsa.publicKey);
  p256 = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as Pair;
  p256Spki = await spkiOf(p256.publicKey);
  p384 = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify'])) as Pair;
  p384Spki = await spkiOf(p384.publicKey);
  ed25519 = (await subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as Pair;
  ed25519Spki = await spkiOf(ed25519.publicKey);
});

/** Signs DATA with the RSA key under another algorithm name: the private key is re-imported for it. */
async function rsaSign(params: { name: string; hash: string; saltLength?: number }): Promise<Uint8Array> {
  const pkcs8 = await subtle.exportKey('pkcs8', rsa.privateKey);
  const key = await subtle.importKey('pkcs8', pkcs8, { name: params.name, hash: params.hash }, false, ['sign']);
  const sign = params.name === 'RSA-PSS' ? { name: 'RSA-PSS', saltLength: params.saltLength! } : { name: params.name };
  return new Uint8Array(await subtle.sign(sign, key, DATA));
}

async function ecdsaSign(pair: Pair, hash: string): Promise<Uint8Array> {
  return new Uint8Array(await subtle.sign({ name: 'ECDSA', hash }, pair.privateKey, DATA));
}

/** Checks a good value, then the same value over changed data. */
async function goodAndBad(input: {
  spki: Uint8Array;
  algorithm: pkijs.AlgorithmIdentifier | Uint8Array;
  signature: Uint8Array;
  context: SignatureContext;
  digestAlgorithm?: string;
}): Promise<[string, string]> {
  const good = await verifySignature({ ...input, data: DATA });
  const bad = await verifySignature({ ...input, data: OTHER });
  return [good.status, bad.status];
}

describe('verifySignature: RSA PKCS#1 v1.5 (RFC 8017 §8.2)', () => {
  it('verifies sha256WithRSAEncryption and rejects it over other bytes', async () => {
    const signature = await rsaSign({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
    expect(await goodAndBad({ spki: rsaSpki, algorithm: withNull(OID.sha256WithRSAEncryption), signature, context: 'x509' })).toEqual(['valid', 'invalid']);
  });

  it('verifies sha1WithRSAEncryption, which CAs and OCSP responders still use (RFC 3279 §2.2.1)', async () => {
    const signature = await rsaSign({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' });
    expect(await goodAndBad({ spki: rsaSpki, algorithm: der(withNull(VERIFY_OID.sha1WithRSAEncryption)), signature, context: 'x509' })).toEqual(['valid', 'invalid']);
  });

  it('takes the hash of rsaEncryption from the SignerInfo digestAlgorithm in CMS (RFC 3370 §3.2), and refuses rsaEncryption in X.509', async () => {
    const signature = await rsaSign({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' });
    const input = { spki: rsaSpki, algorithm: withNull(OID.rsaEncryption), signature, digestAlgorithm: OID.sha384 };
    expect(await goodAndBad({ ...input, context: 'cms' })).toEqual(['valid', 'invalid']);
    const x509 = await verifySignature({ ...input, data: DATA, context: 'x509' });
    expect(x509.status).toBe('unknown');
  });
});

describe('verifySignature: RSASSA-PSS with its parameters (RFC 4055 §3.1)', () => {
  it('verifies salt = hash length (the profile kyso writes)', async () => {
    const signature = await rsaSign({ name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 });
    for (const context of ['x509', 'cms'] as const) {
      expect(await goodAndBad({ spki: rsaSpki, algorithm: pssId(OID.sha256, 32), signature, context, digestAlgorithm: OID.sha256 })).toEqual(['valid', 'invalid']);
    }
  });

  it('verifies a non-default salt length as the parameters state it, and no other', async () => {
    const signature = await rsaSign({ name: 'RSA-PSS', hash: 'SHA-384', saltLength: 0 });
    expect(await goodAndBad({ spki: rsaSpki, algorithm: pssId(OID.sha384, 0), signature, context: 'x509' })).toEqual(['valid', 'invalid']);
    const wrongSalt = await verifySignature({ spki: rsaSpki, algorithm: pssId(OID.sha384, 48), data: DATA, signature, context: 'x509' });
    expect(wrongSalt.status).toBe('invalid');
    expect(wrongSalt.algorithm).toMatchObject({ scheme: 'RSA-PSS', hash: 'SHA-384', saltLength: 48 });
  });

  it('reads absent parameters as their DEFAULTs: SHA-1, MGF1-SHA-1, salt 20', async () => {
    const signature = await rsaSign({ name: 'RSA-PSS', hash: 'SHA-1', saltLength: 20 });
    const algorithm = new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsassaPss });
    expect(await goodAndBad({ spki: rsaSpki, algorithm, signature, context: 'x509' })).toEqual(['valid', 'invalid']);
  });

  it('gives unknown for an MGF1 hash that differs from the signature hash (WebCrypto ties them)', async () => {
    const signature = await rsaSign({ name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 });
    const result = await verifySignature({ spki: rsaSpki, algorithm: pssId(OID.sha256, 32, VERIFY_OID.sha1), data: DATA, signature, context: 'x509' });
    expect(result.status).toBe('unknown');
    expect(result.reason).toBe('RSASSA-PSS with MGF1-SHA-1 and SHA-256 is not supported');
  });
});

describe('verifySignature: ECDSA with its curve (RFC 5758 §3.2, RFC 5480)', () => {
  it('verifies DER values on P-256 and P-384 and rejects them over other bytes', async () => {
    const v256 = ecdsaRawToDer(await ecdsaSign(p256, 'SHA-256'));
    expect(await goodAndBad({ spki: p256Spki, algorithm: hashId(OID.ecdsaWithSHA256), signature: v256, context: 'x509' })).toEqual(['valid', 'invalid']);
    const v384 = ecdsaRawToDer(await ecdsaSign(p384, 'SHA-384'));
    expect(await goodAndBad({ spki: p384Spki, algorithm: hashId(OID.ecdsaWithSHA384), signature: v384, context: 'cms', digestAlgorithm: OID.sha384 })).toEqual(['valid', 'invalid']);
  });

  it('verifies ecdsa-with-SHA1 (RFC 3279 §2.2.3)', async () => {
    const value = ecdsaRawToDer(await ecdsaSign(p256, 'SHA-1'));
    expect(await goodAndBad({ spki: p256Spki, algorithm: hashId(VERIFY_OID.ecdsaWithSHA1), signature: value, context: 'x509' })).toEqual(['valid', 'invalid']);
  });

  it('takes raw r‖s only where the context allows it: a fresh value yes, X.509 no', async () => {
    const raw = await ecdsaSign(p256, 'SHA-256');
    const input = { spki: p256Spki, algorithm: hashId(OID.ecdsaWithSHA256), data: DATA, signature: raw };
    expect((await verifySignature({ ...input, context: 'value' })).status).toBe('valid');
    expect((await verifySignature({ ...input, context: 'x509' })).status).toBe('invalid');
  });

  it('verifies BSI TR-03111 plain r‖s in CMS (ecdsa-plain-SHA256)', async () => {
    const raw = await ecdsaSign(p256, 'SHA-256');
    const algorithm = hashId('0.4.0.127.0.7.1.1.4.1.3');
    expect(await goodAndBad({ spki: p256Spki, algorithm, signature: raw, context: 'cms', digestAlgorithm: OID.sha256 })).toEqual(['valid', 'invalid']);
  });

  it('verifies an EC key whose SignerInfo says rsaEncryption as ECDSA in CMS, with a note, and not in X.509', async () => {
    const value = ecdsaRawToDer(await ecdsaSign(p256, 'SHA-256'));
    const input = { spki: p256Spki, algorithm: withNull(OID.rsaEncryption), signature: value, digestAlgorithm: OID.sha256 };
    expect(await goodAndBad({ ...input, context: 'cms' })).toEqual(['valid', 'invalid']);
    const cms = await verifySignature({ ...input, data: DATA, context: 'cms' });
    expect(cms.algorithm).toMatchObject({ scheme: 'ECDSA', hash: 'SHA-256' });
    expect(cms.algorithm?.note).toBe('the signature algorithm 1.2.840.113549.1.1.1 names RSA but the signer key is EC: verified as ECDSA');
    const x509 = await verifySignature({ ...input, algorithm: withNull(OID.sha256WithRSAEncryption), data: DATA, context: 'x509' });
    expect(x509.status).toBe('unknown');
  });

  it('gives unknown for an ECDSA OID over an RSA key, in every context', async () => {
    const value = ecdsaRawToDer(await ecdsaSign(p256, 'SHA-256'));
    for (const context of ['x509', 'cms', 'value'] as const) {
      const result = await verifySignature({ spki: rsaSpki, algorithm: hashId(OID.ecdsaWithSHA256), data: DATA, signature: value, context, digestAlgorithm: OID.sha256 });
      expect({ context, status: result.status }).toEqual({ context, status: 'unknown' });
    }
  });
});

describe('verifySignature: EdDSA (RFC 8410)', () => {
  it('verifies Ed25519 in X.509, and leaves it unknown in CMS, outside kyso\'s CMS set', async () => {
    const signature = new Uint8Array(await subtle.sign({ name: 'Ed25519' }, ed25519.privateKey, DATA));
    const algorithm = hashId(VERIFY_OID.ed25519);
    expect(await goodAndBad({ spki: ed25519Spki, algorithm, signature, context: 'x509' })).toEqual(['valid', 'invalid']);
    const cms = await verifySignature({ spki: ed25519Spki, algorithm, data: DATA, signature, context: 'cms', digestAlgorithm: OID.sha512 });
    expect(cms).toMatchObject({ status: 'unknown', reason: 'signature algorithm Ed25519 is not supported' });
  });
});

describe('verifySignature: what cannot be checked is unknown, never valid, never a throw', () => {
  const cases: [string, () => Parameters<typeof verifySignature>[0]][] = [
    ['DSA with SHA-256', () => ({ spki: rsaSpki, algorithm: hashId('2.16.840.1.101.3.4.3.2'), data: DATA, signature: new Uint8Array(64), context: 'x509' })],
    ['an OID nobody assigned', () => ({ spki: rsaSpki, algorithm: hashId('1.2.3.4.5.6.7'), data: DATA, signature: new Uint8Array(256), context: 'cms', digestAlgorithm: OID.sha256 })],
    ['RSA with SHA3-256 (no SHA3 in WebCrypto)', () => ({ spki: rsaSpki, algorithm: withNull('2.16.840.1.101.3.4.3.14'), data: DATA, signature: new Uint8Array(256), context: 'x509' })],
    ['MD5 with RSA', () => ({ spki: rsaSpki, algorithm: withNull('1.2.840.113549.1.1.4'), data: DATA, signature: new Uint8Array(256), context: 'cms', digestAlgorithm: VERIFY_OID.md5 })],
    ['an AlgorithmIdentifier that is not DER', () => ({ spki: rsaSpki, algorithm: new Uint8Array([0x30, 0x05, 0x06]), data: DATA, signature: new Uint8Array(256), context: 'x509' })],
    ['a SubjectPublicKeyInfo that is not DER', () => ({ spki: new Uint8Array([0x30, 0x80, 0x01]), algorithm: withNull(OID.sha256WithRSAEncryption), data: DATA, signature: new Uint8Array(256), context: 'x509' })],
    ['malformed RSASSA-PSS parameters', () => ({
      spki: rsaSpki,
      algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsassaPss, algorithmParams: new asn1js.Sequence({ value: [new asn1js.Integer({ value: 5 })] }) }),
      data: DATA, signature: new Uint8Array(256), context: 'x509',
    })],
  ];
  for (const [name, input] of cases) {
    it(`${name}: unknown`, async () => {
      const result = await verifySignature(input());
      expect(result.status).toBe('unknown');
      expect(result.reason).toEqual(expect.any(String));
    });
  }

  it('a malformed ECDSA value under a known algorithm is invalid, not unknown', async () => {
    const result = await verifySignature({ spki: p256Spki, algorithm: hashId(OID.ecdsaWithSHA256), data: DATA, signature: new Uint8Array([0x30, 0x02, 0x02]), context: 'cms', digestAlgorithm: OID.sha256 });
    expect(result.status).toBe('invalid');
  });
});

describe('resolveSignatureAlgorithm', () => {
  it('names what the identifiers say, with the reason when WebCrypto cannot check it', () => {
    expect(resolveSignatureAlgorithm(withNull(OID.sha512WithRSAEncryption), { context: 'x509' })).toEqual({ scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512', unsupported: null, note: null });
    expect(resolveSignatureAlgorithm(hashId('1.2.840.10045.4.3.1'), { context: 'x509' })).toEqual({ scheme: 'ECDSA', hash: 'SHA-224', unsupported: 'SHA-224 signatures cannot be verified with WebCrypto', note: null });
    expect(resolveSignatureAlgorithm(pssId(OID.sha256, 17), { context: 'cms', digestAlgorithm: OID.sha256 })).toEqual({ scheme: 'RSA-PSS', hash: 'SHA-256', saltLength: 17, unsupported: null, note: null });
  });
});
