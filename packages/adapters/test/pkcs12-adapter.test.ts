import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KeyError, KysoError, type SignatureAlgorithm } from '@kyso/core';
import { Pkcs12Adapter } from '../src/index.js';
import { OpenSslWorkspace, verifiesWithNode } from './helpers/openssl.js';
import { splicePkcs12 } from './helpers/pfx.js';
import { failure } from './helpers/failure.js';

const PASSWORD = 'correct horse battery staple';
const DATA = new TextEncoder().encode('signed attributes stand-in: Cộng hòa xã hội chủ nghĩa Việt Nam');

/** Resolves to the KysoError `promise` rejects with, so a test can look at code and detail. */
async function signAndVerify(file: Uint8Array, password: string, algorithm: SignatureAlgorithm) {
  const adapter = await Pkcs12Adapter.open(file, password);
  const [entry] = await adapter.listCertificates();
  const signature = await adapter.sign({ certificateId: entry.id, algorithm, data: DATA, digest: new Uint8Array(0) });
  return { signature, ok: verifiesWithNode(entry.certificate, algorithm, DATA, signature) };
}

const ws = new OpenSslWorkspace();
const files: Record<string, Uint8Array> = {};

beforeAll(() => {
  ws.certificate('rsa', 'rsa:2048');
  ws.certificate('p256', 'P-256');
  ws.certificate('p384', 'P-384');
  ws.certificate('p521', 'P-521');
  ws.certificate('root', 'P-256', { ca: true });
  ws.certificate('inter', 'P-256', { ca: true, issuer: 'root' });
  ws.certificate('leaf', 'P-256', { issuer: 'inter' });
  ws.run(['req', '-x509', '-newkey', 'ed25519', '-nodes', '-keyout', 'ed.key', '-out', 'ed.pem', '-days', '3650', '-subj', '/CN=ed']);
  ws.write('root-then-inter.pem', ws.text('root.pem') + ws.text('inter.pem'));

  files.rsa = ws.pkcs12('rsa', 'rsa.p12', PASSWORD, ['-name', 'Nguyễn Văn A']);
  files.p256 = ws.pkcs12('p256', 'p256.p12', PASSWORD);
  files.p384 = ws.pkcs12('p384', 'p384.p12', PASSWORD);
  files.p521 = ws.pkcs12('p521', 'p521.p12', PASSWORD);
  files.chain = ws.pkcs12('leaf', 'chain.p12', PASSWORD, ['-certfile', 'root-then-inter.pem']);
  files.legacy = ws.pkcs12('rsa', 'legacy.p12', PASSWORD, ['-legacy']);
  files.empty = ws.pkcs12('p256', 'empty.p12', '');
  files.unicode = ws.pkcs12('p256', 'unicode.p12', 'mật khẩu 123');
  files.noMac = ws.pkcs12('p256', 'nomac.p12', PASSWORD, ['-nomac']);
  files.plainKey = ws.pkcs12('p256', 'plainkey.p12', PASSWORD, ['-keypbe', 'NONE', '-certpbe', 'NONE']);
  files.aes128Sha1 = ws.pkcs12('p256', 'aes128.p12', PASSWORD, ['-keypbe', 'AES-128-CBC', '-certpbe', 'AES-128-CBC', '-macalg', 'SHA1']);
  files.sha512Mac = ws.pkcs12('p384', 'sha512mac.p12', PASSWORD, ['-macalg', 'SHA512', '-iter', '10000']);
  files.certOnly = ws.pkcs12('p256', 'certonly.p12', PASSWORD, ['-nokeys']);
  files.ed25519 = ws.pkcs12('ed', 'ed.p12', PASSWORD);
  // Keys OpenSSL reads and would sign with, but which kyso does not take: P-256 written with explicit curve
  // parameters (RFC 5480 §2.1.1 allows only named curves), and an id-RSASSA-PSS key (RFC 4055 §1.2).
  ws.run(['ecparam', '-name', 'prime256v1', '-param_enc', 'explicit', '-genkey', '-noout', '-out', 'explicit.sec1']);
  ws.run(['pkcs8', '-topk8', '-nocrypt', '-in', 'explicit.sec1', '-out', 'explicit.key']);
  ws.run(['req', '-x509', '-key', 'explicit.key', '-out', 'explicit.pem', '-days', '3650', '-subj', '/CN=explicit']);
  files.explicitCurve = ws.pkcs12('explicit', 'explicit.p12', PASSWORD);
  ws.run(['genpkey', '-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'pss.key']);
  ws.run(['req', '-x509', '-key', 'pss.key', '-out', 'pss.pem', '-days', '3650', '-subj', '/CN=pss']);
  files.rsaPss = ws.pkcs12('pss', 'pss.p12', PASSWORD);
  files.withEd25519Ca = ws.pkcs12('p256', 'with-ed.p12', PASSWORD, ['-certfile', 'ed.pem']);
  // A certificate whose TBSCertificate is tagged SET instead of SEQUENCE, in a bag neither encrypted nor MACed.
  const clear = ws.pkcs12('p256', 'clear.p12', PASSWORD, ['-certpbe', 'NONE', '-nomac', '-certfile', 'root.pem']);
  const root = ws.der('root');
  const at = Buffer.from(clear).indexOf(Buffer.from(root));
  if (at < 0 || clear[at + 4] !== 0x30) throw new Error('root certificate not found in clear.p12');
  files.brokenCertificate = clear.slice();
  files.brokenCertificate[at + 4] = 0x31;
});

afterAll(() => ws.dispose());

/**
 * Each specification below runs twice: in Node the adapter reads keys with node:crypto (decision 0037), and
 * where node:crypto is out of reach (a page, a worker) with WebCrypto; the second run takes node:crypto away,
 * as a browser has none, so both paths meet the same files and the same refusals.
 */
const PATHS = [
  { name: 'node:crypto (Node)', hideNodeCrypto: false },
  { name: 'WebCrypto (node:crypto out of reach, as in a browser)', hideNodeCrypto: true },
] as const;

function hideNodeCrypto(): () => void {
  const real = process.getBuiltinModule.bind(process);
  const spy = vi.spyOn(process, 'getBuiltinModule').mockImplementation(((id: string) =>
    (id === 'node:crypto' || id === 'crypto' ? undefined : real(id))) as typeof process.getBuiltinModule);
  return () => spy.mockRestore();
}

/** Calls to WebCrypto's key operations while `work` runs. */
async function subtleCalls(work: () => Promise<unknown>): Promise<number> {
  const subtle = globalThis.crypto.subtle;
  const spies = (['importKey', 'deriveKey', 'decrypt', 'sign', 'verify', 'digest'] as const).map((m) => vi.spyOn(subtle, m));
  try {
    await work();
    return spies.reduce((n, spy) => n + spy.mock.calls.length, 0);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

describe.each(PATHS)('Pkcs12Adapter through $name', ({ hideNodeCrypto: hide }) => {
  let restore: (() => void) | undefined;
  beforeAll(() => {
    if (hide) restore = hideNodeCrypto();
  });
  afterAll(() => restore?.());

  it(hide ? 'opens and signs with WebCrypto' : 'opens and signs without WebCrypto (no cold WebCrypto set-up in Node)', async () => {
    const calls = await subtleCalls(async () => {
      const adapter = await Pkcs12Adapter.open(files.chain, PASSWORD);
      const [entry] = await adapter.listCertificates();
      await adapter.sign({ certificateId: entry.id, algorithm: { scheme: 'ECDSA', hash: 'SHA-256' }, data: DATA, digest: new Uint8Array(0) });
    });
    if (hide) expect(calls).toBeGreaterThan(0);
    else expect(calls).toBe(0);
  });

  describe('Pkcs12Adapter.open on files OpenSSL 3 writes', () => {
    it('opens the default format (PBES2 AES-256-CBC, HMAC-SHA-256 MAC) and lists its one certificate', async () => {
      const adapter = await Pkcs12Adapter.open(files.rsa, PASSWORD);
      const entries = await adapter.listCertificates();
      expect(adapter.name).toBe('pkcs12');
      expect(entries).toHaveLength(1);
      expect(entries[0].certificate).toEqual(ws.der('rsa'));
      expect(entries[0].id).toBe(createHash('sha256').update(ws.der('rsa')).digest('hex'));
      expect(entries[0].chain).toEqual([]);
    });

    it('labels the certificate with the friendly name in the file, Vietnamese included', async () => {
      const [entry] = await (await Pkcs12Adapter.open(files.rsa, PASSWORD)).listCertificates();
      expect(entry.label).toBe('Nguyễn Văn A');
    });

    it('labels the certificate with its common name when the file has no friendly name', async () => {
      const [entry] = await (await Pkcs12Adapter.open(files.p256, PASSWORD)).listCertificates();
      expect(entry.label).toBe('p256');
    });

    it('keeps a certificate whose key kyso cannot sign with (an Ed25519 CA) among the others', async () => {
      const [entry] = await (await Pkcs12Adapter.open(files.withEd25519Ca, PASSWORD)).listCertificates();
      expect(entry.certificate).toEqual(ws.der('p256'));
      expect(entry.chain).toEqual([ws.der('ed')]);
    });

    it('orders the other certificates from the signer up, whatever their order in the file', async () => {
      const [entry] = await (await Pkcs12Adapter.open(files.chain, PASSWORD)).listCertificates();
      expect(entry.certificate).toEqual(ws.der('leaf'));
      expect(entry.chain).toEqual([ws.der('inter'), ws.der('root')]);
    });

    it('opens a file with an empty password', async () => {
      expect((await signAndVerify(files.empty, '', { scheme: 'ECDSA', hash: 'SHA-256' })).ok).toBe(true);
    });

    it('opens a file whose password has Vietnamese letters (BMPString for the MAC, UTF-8 for PBKDF2)', async () => {
      expect((await signAndVerify(files.unicode, 'mật khẩu 123', { scheme: 'ECDSA', hash: 'SHA-256' })).ok).toBe(true);
    });

    it('opens a file without a MAC (-nomac)', async () => {
      expect((await signAndVerify(files.noMac, PASSWORD, { scheme: 'ECDSA', hash: 'SHA-256' })).ok).toBe(true);
    });

    it('opens a file whose key and certificates are not encrypted (-keypbe NONE -certpbe NONE)', async () => {
      expect((await signAndVerify(files.plainKey, PASSWORD, { scheme: 'ECDSA', hash: 'SHA-256' })).ok).toBe(true);
    });

    it('opens AES-128-CBC with a SHA-1 MAC, and a SHA-512 MAC with 10 000 rounds', async () => {
      expect((await signAndVerify(files.aes128Sha1, PASSWORD, { scheme: 'ECDSA', hash: 'SHA-256' })).ok).toBe(true);
      expect((await signAndVerify(files.sha512Mac, PASSWORD, { scheme: 'ECDSA', hash: 'SHA-384' })).ok).toBe(true);
    });

    it('checks the MAC as computed by a second implementation (pkijs)', async () => {
      const respliced = await splicePkcs12([{ file: files.p256, take: [0, 1] }], PASSWORD);
      expect((await signAndVerify(respliced, PASSWORD, { scheme: 'ECDSA', hash: 'SHA-256' })).ok).toBe(true);
    });
  });

  describe('Pkcs12Adapter signatures verify with node:crypto', () => {
    it.each([
      { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' },
      { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' },
      { scheme: 'RSA-PSS', hash: 'SHA-256' },
      { scheme: 'RSA-PSS', hash: 'SHA-512' },
    ] as const)('RSA-2048 with $scheme and $hash', async (algorithm) => {
      const { ok, signature } = await signAndVerify(files.rsa, PASSWORD, algorithm);
      expect(signature).toHaveLength(256);
      expect(ok).toBe(true);
    });

    it.each([
      ['p256', 'SHA-256', 64],
      ['p384', 'SHA-384', 96],
      ['p521', 'SHA-512', 132],
    ] as const)('ECDSA %s with %s, returned as raw r‖s of %i bytes', async (name, hash, length) => {
      const { ok, signature } = await signAndVerify(files[name], PASSWORD, { scheme: 'ECDSA', hash });
      expect(signature).toHaveLength(length);
      expect(ok).toBe(true);
    });
  });

  describe('Pkcs12Adapter capabilities', () => {
    it('offers PKCS#1 v1.5 and PSS with SHA-256/384/512 for an RSA key', async () => {
      const adapter = await Pkcs12Adapter.open(files.rsa, PASSWORD);
      expect(adapter.capabilities()).toEqual({ schemes: ['RSASSA-PKCS1-v1_5', 'RSA-PSS'], hashes: ['SHA-256', 'SHA-384', 'SHA-512'] });
    });

    it('offers ECDSA with SHA-256/384/512 for an EC key', async () => {
      const adapter = await Pkcs12Adapter.open(files.p384, PASSWORD);
      expect(adapter.capabilities()).toEqual({ schemes: ['ECDSA'], hashes: ['SHA-256', 'SHA-384', 'SHA-512'] });
    });
  });

  describe('Pkcs12Adapter.open refuses what it cannot use', () => {
    it('reports a wrong password as ERR_KEY_PASSWORD (the MAC fails before any decryption)', async () => {
      const error = await failure(Pkcs12Adapter.open(files.rsa, 'wrong'));
      expect(error.code).toBe('ERR_KEY_PASSWORD');
      expect(error.detail).toMatch(/MAC/);
      expect(error).toBeInstanceOf(KeyError);
    });

    it('reports a file altered after export as ERR_KEY_PASSWORD (its MAC no longer matches)', async () => {
      const altered = files.p256.slice();
      altered[altered.length - 200] ^= 0x01;
      const error = await failure(Pkcs12Adapter.open(altered, PASSWORD));
      expect(error.code).toBe('ERR_KEY_PASSWORD');
      expect(error.detail).toMatch(/altered/);
    });

    it('reports a wrong password as ERR_KEY_PASSWORD on a file without a MAC too', async () => {
      expect((await failure(Pkcs12Adapter.open(files.noMac, 'wrong'))).code).toBe('ERR_KEY_PASSWORD');
    });

    it('reports a missing password on a protected file as ERR_KEY_PASSWORD', async () => {
      expect((await failure(Pkcs12Adapter.open(files.p256, ''))).code).toBe('ERR_KEY_PASSWORD');
    });

    it('refuses a legacy RC2/3DES file (-legacy) with ERR_KEY_FORMAT and advice to re-export with AES', async () => {
      const error = await failure(Pkcs12Adapter.open(files.legacy, PASSWORD));
      expect(error.code).toBe('ERR_KEY_FORMAT');
      expect(error.detail).toMatch(/legacy/);
      expect(error.detail).toContain('-keypbe AES-256-CBC -certpbe AES-256-CBC');
    });

    it('still reports a wrong password on a legacy file as ERR_KEY_PASSWORD', async () => {
      expect((await failure(Pkcs12Adapter.open(files.legacy, 'wrong'))).code).toBe('ERR_KEY_PASSWORD');
    });

    it('refuses random bytes with ERR_KEY_FORMAT', async () => {
      const garbage = Uint8Array.from({ length: 512 }, (_, i) => (i * 7919 + 13) & 0xff);
      expect((await failure(Pkcs12Adapter.open(garbage, PASSWORD))).code).toBe('ERR_KEY_FORMAT');
    });

    it('refuses an empty input with ERR_KEY_FORMAT', async () => {
      expect((await failure(Pkcs12Adapter.open(new Uint8Array(0), PASSWORD))).code).toBe('ERR_KEY_FORMAT');
    });

    it('refuses a PEM text given instead of the DER file with ERR_KEY_FORMAT', async () => {
      const pem = new TextEncoder().encode(ws.text('p256.pem'));
      expect((await failure(Pkcs12Adapter.open(pem, PASSWORD))).code).toBe('ERR_KEY_FORMAT');
    });

    it.each([
      ['half the file', (b: Uint8Array) => b.slice(0, b.length >> 1)],
      ['all but the last byte', (b: Uint8Array) => b.slice(0, b.length - 1)],
      ['the first 4 bytes', (b: Uint8Array) => b.slice(0, 4)],
    ])('refuses a truncated file (%s) with ERR_KEY_FORMAT', async (_, cut) => {
      expect((await failure(Pkcs12Adapter.open(cut(files.rsa), PASSWORD))).code).toBe('ERR_KEY_FORMAT');
    });

    it('refuses a file with trailing bytes with ERR_KEY_FORMAT', async () => {
      const padded = new Uint8Array(files.p256.length + 3);
      padded.set(files.p256);
      expect((await failure(Pkcs12Adapter.open(padded, PASSWORD))).code).toBe('ERR_KEY_FORMAT');
    });

    it('refuses a file one of whose certificates is not X.509 with ERR_CERT_MALFORMED', async () => {
      const error = await failure(Pkcs12Adapter.open(files.brokenCertificate, PASSWORD));
      expect(error.code).toBe('ERR_CERT_MALFORMED');
      expect(error.detail).toMatch(/in the PKCS#12 file/);
    });

    it('refuses a key that comes with somebody else\'s certificate with ERR_KEY_CERT_MISMATCH', async () => {
      // Certificates of rsa.p12, key of p256.p12: openssl will not write such a file.
      const mismatched = await splicePkcs12([{ file: files.rsa, take: [0] }, { file: files.p256, take: [1] }], PASSWORD);
      expect((await failure(Pkcs12Adapter.open(mismatched, PASSWORD))).code).toBe('ERR_KEY_CERT_MISMATCH');
    });

    it('refuses a key without any certificate with ERR_KEY_CERT_MISMATCH', async () => {
      const keyOnly = await splicePkcs12([{ file: files.p256, take: [1] }], PASSWORD);
      expect((await failure(Pkcs12Adapter.open(keyOnly, PASSWORD))).code).toBe('ERR_KEY_CERT_MISMATCH');
    });

    it('refuses a file that holds certificates but no key with ERR_KEY_NOT_FOUND', async () => {
      expect((await failure(Pkcs12Adapter.open(files.certOnly, PASSWORD))).code).toBe('ERR_KEY_NOT_FOUND');
    });

    it('refuses an Ed25519 key with ERR_SIG_ALGORITHM_UNSUPPORTED', async () => {
      expect((await failure(Pkcs12Adapter.open(files.ed25519, PASSWORD))).code).toBe('ERR_SIG_ALGORITHM_UNSUPPORTED');
    });

    it('refuses a P-256 key written with explicit curve parameters with ERR_SIG_ALGORITHM_UNSUPPORTED, though OpenSSL reads it', async () => {
      const error = await failure(Pkcs12Adapter.open(files.explicitCurve, PASSWORD));
      expect(error.code).toBe('ERR_SIG_ALGORITHM_UNSUPPORTED');
      expect(error.detail).toMatch(/explicit parameters/);
    });

    it('refuses an id-RSASSA-PSS key with ERR_SIG_ALGORITHM_UNSUPPORTED', async () => {
      expect((await failure(Pkcs12Adapter.open(files.rsaPss, PASSWORD))).code).toBe('ERR_SIG_ALGORITHM_UNSUPPORTED');
    });

    it('refuses arguments of the wrong type with ERR_INVALID_ARGUMENT', async () => {
      expect((await failure(Pkcs12Adapter.open('file.p12' as unknown as Uint8Array, PASSWORD))).code).toBe('ERR_INVALID_ARGUMENT');
      expect((await failure(Pkcs12Adapter.open(files.p256, undefined as unknown as string))).code).toBe('ERR_INVALID_ARGUMENT');
    });
  });

  describe('Pkcs12Adapter.sign checks each request', () => {
    const request = (id: string, algorithm: SignatureAlgorithm, signal?: AbortSignal) =>
      ({ certificateId: id, algorithm, data: DATA, digest: new Uint8Array(32), ...(signal ? { signal } : {}) });

    it('refuses an unknown certificateId with ERR_KEY_NOT_FOUND', async () => {
      const adapter = await Pkcs12Adapter.open(files.p256, PASSWORD);
      const error = await failure(adapter.sign(request('not-mine', { scheme: 'ECDSA', hash: 'SHA-256' })));
      expect(error.code).toBe('ERR_KEY_NOT_FOUND');
    });

    it('refuses a scheme the key cannot do with ERR_SIG_ALGORITHM_UNSUPPORTED', async () => {
      const adapter = await Pkcs12Adapter.open(files.rsa, PASSWORD);
      const [entry] = await adapter.listCertificates();
      expect((await failure(adapter.sign(request(entry.id, { scheme: 'ECDSA', hash: 'SHA-256' })))).code).toBe('ERR_SIG_ALGORITHM_UNSUPPORTED');
      const sha1 = { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' } as unknown as SignatureAlgorithm;
      expect((await failure(adapter.sign(request(entry.id, sha1)))).code).toBe('ERR_SIG_ALGORITHM_UNSUPPORTED');
    });

    it('does not sign when the signal is already aborted (ERR_ABORTED)', async () => {
      const adapter = await Pkcs12Adapter.open(files.p256, PASSWORD);
      const [entry] = await adapter.listCertificates();
      const error = await failure(adapter.sign(request(entry.id, { scheme: 'ECDSA', hash: 'SHA-256' }, AbortSignal.abort())));
      expect(error.code).toBe('ERR_ABORTED');
    });

    it('gives up with ERR_ABORTED when the signal fires while signing', async () => {
      const adapter = await Pkcs12Adapter.open(files.rsa, PASSWORD);
      const [entry] = await adapter.listCertificates();
      const controller = new AbortController();
      const pending = adapter.sign(request(entry.id, { scheme: 'RSA-PSS', hash: 'SHA-256' }, controller.signal));
      controller.abort();
      expect((await failure(pending)).code).toBe('ERR_ABORTED');
    });

    it('does not list certificates for an aborted signal (ERR_ABORTED)', async () => {
      const adapter = await Pkcs12Adapter.open(files.p256, PASSWORD);
      expect((await failure(adapter.listCertificates(AbortSignal.abort()))).code).toBe('ERR_ABORTED');
    });

    it('hands out copies, so a caller changing an entry does not change the adapter', async () => {
      const adapter = await Pkcs12Adapter.open(files.chain, PASSWORD);
      const [first] = await adapter.listCertificates();
      first.certificate.fill(0);
      first.chain[0].fill(0);
      const [second] = await adapter.listCertificates();
      expect(second.certificate).toEqual(ws.der('leaf'));
      expect(second.chain[0]).toEqual(ws.der('inter'));
    });
  });
});
