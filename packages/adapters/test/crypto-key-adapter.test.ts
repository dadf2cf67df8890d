import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignatureAlgorithm } from '@kyso/core';
import { CryptoKeyAdapter, fromPkcs8Pem } from '../src/index.js';
import { OpenSslWorkspace, verifiesWithNode } from './helpers/openssl.js';
import { failure } from './helpers/failure.js';

const DATA = new TextEncoder().encode('signed attributes stand-in');

/** The DER inside a PEM file, decoded here independently of the code under test. */
function pemBody(pem: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
}

async function importPkcs8(name: string, algorithm: RsaHashedImportParams | EcKeyImportParams | Algorithm): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', pemBody(ws.text(`${name}.key`)), algorithm, false, ['sign']);
}

async function signWith(adapter: CryptoKeyAdapter, algorithm: SignatureAlgorithm): Promise<Uint8Array> {
  const [entry] = await adapter.listCertificates();
  return adapter.sign({ certificateId: entry.id, algorithm, data: DATA, digest: new Uint8Array(0) });
}

const ws = new OpenSslWorkspace();

beforeAll(() => {
  ws.certificate('rsa', 'rsa:2048');
  ws.certificate('p256', 'P-256');
  ws.certificate('p384', 'P-384');
  ws.certificate('ca', 'P-256', { ca: true });
  ws.certificate('signer', 'P-256', { issuer: 'ca' });
  ws.run(['genpkey', '-algorithm', 'ed25519', '-out', 'ed.key']);
  ws.run(['ec', '-in', 'p256.key', '-out', 'p256.sec1.pem']);
});

afterAll(() => ws.dispose());

describe('CryptoKeyAdapter.create', () => {
  it('signs with an RSA PKCS#1 v1.5 CryptoKey and offers only the scheme and hash the key was imported for', async () => {
    const privateKey = await importPkcs8('rsa', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' });
    const adapter = await CryptoKeyAdapter.create({ privateKey, certificate: ws.der('rsa') });
    expect(adapter.name).toBe('crypto-key');
    expect(adapter.capabilities()).toEqual({ schemes: ['RSASSA-PKCS1-v1_5'], hashes: ['SHA-384'] });
    const algorithm = { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' } as const;
    expect(verifiesWithNode(ws.der('rsa'), algorithm, DATA, await signWith(adapter, algorithm))).toBe(true);
  });

  it('signs with an RSA-PSS CryptoKey, salt length = hash length', async () => {
    const privateKey = await importPkcs8('rsa', { name: 'RSA-PSS', hash: 'SHA-256' });
    const adapter = await CryptoKeyAdapter.create({ privateKey, certificate: ws.der('rsa') });
    const algorithm = { scheme: 'RSA-PSS', hash: 'SHA-256' } as const;
    expect(verifiesWithNode(ws.der('rsa'), algorithm, DATA, await signWith(adapter, algorithm))).toBe(true);
  });

  it('signs with an ECDSA CryptoKey with any hash, returning raw r‖s', async () => {
    const privateKey = await importPkcs8('p384', { name: 'ECDSA', namedCurve: 'P-384' });
    const adapter = await CryptoKeyAdapter.create({ privateKey, certificate: ws.der('p384') });
    expect(adapter.capabilities()).toEqual({ schemes: ['ECDSA'], hashes: ['SHA-256', 'SHA-384', 'SHA-512'] });
    for (const hash of ['SHA-256', 'SHA-384', 'SHA-512'] as const) {
      const signature = await signWith(adapter, { scheme: 'ECDSA', hash });
      expect(signature).toHaveLength(96);
      expect(verifiesWithNode(ws.der('p384'), { scheme: 'ECDSA', hash }, DATA, signature)).toBe(true);
    }
  });

  it('lists one certificate, its id the SHA-256 of the DER, label the common name, chain as given', async () => {
    const privateKey = await importPkcs8('signer', { name: 'ECDSA', namedCurve: 'P-256' });
    const adapter = await CryptoKeyAdapter.create({ privateKey, certificate: ws.der('signer'), chain: [ws.der('ca')] });
    const entries = await adapter.listCertificates();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toEqual({
      id: createHash('sha256').update(ws.der('signer')).digest('hex'),
      certificate: ws.der('signer'),
      chain: [ws.der('ca')],
      label: 'signer',
    });
  });

  it('uses the label it is given', async () => {
    const privateKey = await importPkcs8('p256', { name: 'ECDSA', namedCurve: 'P-256' });
    const adapter = await CryptoKeyAdapter.create({ privateKey, certificate: ws.der('p256'), label: 'Chữ ký số cơ quan' });
    expect((await adapter.listCertificates())[0].label).toBe('Chữ ký số cơ quan');
  });

  it('refuses a key that does not belong to the certificate with ERR_KEY_CERT_MISMATCH', async () => {
    const privateKey = await importPkcs8('p256', { name: 'ECDSA', namedCurve: 'P-256' });
    expect((await failure(CryptoKeyAdapter.create({ privateKey, certificate: ws.der('signer') }))).code).toBe('ERR_KEY_CERT_MISMATCH');
    expect((await failure(CryptoKeyAdapter.create({ privateKey, certificate: ws.der('rsa') }))).code).toBe('ERR_KEY_CERT_MISMATCH');
  });

  it('refuses a key of another curve than the certificate with ERR_KEY_CERT_MISMATCH', async () => {
    const privateKey = await importPkcs8('p384', { name: 'ECDSA', namedCurve: 'P-384' });
    expect((await failure(CryptoKeyAdapter.create({ privateKey, certificate: ws.der('p256') }))).code).toBe('ERR_KEY_CERT_MISMATCH');
  });

  it('refuses an Ed25519 key with ERR_SIG_ALGORITHM_UNSUPPORTED', async () => {
    const privateKey = await crypto.subtle.importKey('pkcs8', pemBody(ws.text('ed.key')), { name: 'Ed25519' }, false, ['sign']);
    expect((await failure(CryptoKeyAdapter.create({ privateKey, certificate: ws.der('p256') }))).code).toBe('ERR_SIG_ALGORITHM_UNSUPPORTED');
  });

  it('refuses a public key, or something that is not a CryptoKey, with ERR_INVALID_ARGUMENT', async () => {
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    expect((await failure(CryptoKeyAdapter.create({ privateKey: pair.publicKey, certificate: ws.der('p256') }))).code).toBe('ERR_INVALID_ARGUMENT');
    const notAKey = {} as CryptoKey;
    expect((await failure(CryptoKeyAdapter.create({ privateKey: notAKey, certificate: ws.der('p256') }))).code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('refuses a certificate that is not X.509 DER with ERR_CERT_MALFORMED', async () => {
    const privateKey = await importPkcs8('p256', { name: 'ECDSA', namedCurve: 'P-256' });
    const broken = ws.der('p256').slice(0, 100);
    expect((await failure(CryptoKeyAdapter.create({ privateKey, certificate: broken }))).code).toBe('ERR_CERT_MALFORMED');
  });

  it('refuses to sign with a hash the RSA key was not imported for (ERR_SIG_ALGORITHM_UNSUPPORTED)', async () => {
    const privateKey = await importPkcs8('rsa', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
    const adapter = await CryptoKeyAdapter.create({ privateKey, certificate: ws.der('rsa') });
    const error = await failure(signWith(adapter, { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' }));
    expect(error.code).toBe('ERR_SIG_ALGORITHM_UNSUPPORTED');
  });
});

describe('fromPkcs8Pem', () => {
  it('makes an adapter from PEM key and certificate that signs with every RSA scheme and hash', async () => {
    const adapter = await fromPkcs8Pem(ws.text('rsa.key'), ws.text('rsa.pem'));
    expect(adapter.capabilities()).toEqual({ schemes: ['RSASSA-PKCS1-v1_5', 'RSA-PSS'], hashes: ['SHA-256', 'SHA-384', 'SHA-512'] });
    for (const algorithm of [
      { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, { scheme: 'RSA-PSS', hash: 'SHA-384' },
    ] as const) {
      expect(verifiesWithNode(ws.der('rsa'), algorithm, DATA, await signWith(adapter, algorithm))).toBe(true);
    }
  });

  it('takes DER as well as PEM, and orders the chain', async () => {
    const adapter = await CryptoKeyAdapter.fromPkcs8Pem(pemBody(ws.text('signer.key')), ws.der('signer'), [ws.text('ca.pem')]);
    const [entry] = await adapter.listCertificates();
    expect(entry.chain).toEqual([ws.der('ca')]);
    const algorithm = { scheme: 'ECDSA', hash: 'SHA-256' } as const;
    expect(verifiesWithNode(ws.der('signer'), algorithm, DATA, await signWith(adapter, algorithm))).toBe(true);
  });

  it('refuses a key and certificate that do not belong together with ERR_KEY_CERT_MISMATCH', async () => {
    expect((await failure(fromPkcs8Pem(ws.text('p256.key'), ws.text('signer.pem')))).code).toBe('ERR_KEY_CERT_MISMATCH');
  });

  it('refuses a traditional SEC 1 "EC PRIVATE KEY" with ERR_KEY_FORMAT and says how to convert it', async () => {
    const error = await failure(fromPkcs8Pem(ws.text('p256.sec1.pem'), ws.text('p256.pem')));
    expect(error.code).toBe('ERR_KEY_FORMAT');
    expect(error.detail).toContain('openssl pkcs8 -topk8');
  });

  it('refuses a PEM without a private key block with ERR_INVALID_ARGUMENT', async () => {
    expect((await failure(fromPkcs8Pem(ws.text('p256.pem'), ws.text('p256.pem')))).code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('refuses a PKCS#8 block whose content is not a key with ERR_KEY_FORMAT', async () => {
    const fake = `-----BEGIN PRIVATE KEY-----\n${Buffer.from('not a key at all').toString('base64')}\n-----END PRIVATE KEY-----\n`;
    expect((await failure(fromPkcs8Pem(fake, ws.text('p256.pem')))).code).toBe('ERR_KEY_FORMAT');
  });
});
