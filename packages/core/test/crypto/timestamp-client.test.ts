import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../src/sign/options.js';
import { requestTimestamp, type TimestampRequest } from '../../src/crypto/timestamp-client.js';
import { checkTsaCertificate, parseTimestampToken, verifyTimestampToken } from '../../src/crypto/timestamp-token.js';
import { execFileAsync, makeCert, openssl, tempDir, type TestCert } from './openssl-helpers.js';

type Mode = 'ok' | 'slow' | 'http500' | 'garbage' | 'other-imprint' | 'other-nonce';

/** A minimal RFC 3161 responder: `openssl ts -reply` behind node:http, with knobs for failures. */
describe('requestTimestamp against a local openssl TSA', () => {
  const tmp = tempDir('kyso-tsa-');
  let ca: TestCert;
  let tsa: TestCert;
  let server: Server;
  let url = '';
  let mode: Mode = 'ok';
  const data = new TextEncoder().encode('the SignerInfo signature value to be stamped');
  const dataPath = join(tmp.dir, 'data.bin');
  const fetchFn = globalThis.fetch as unknown as FetchLike;
  const request = (extra: Partial<TimestampRequest> = {}): Promise<Uint8Array> =>
    requestTimestamp({ url, fetch: fetchFn, data, hash: 'SHA-256', timeoutMs: 10_000, ...extra });

  beforeAll(async () => {
    ca = makeCert(tmp.dir, 'tsa-ca', 'p256', { subject: '/CN=kyso test TSA CA', addext: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'] });
    tsa = makeCert(tmp.dir, 'tsa', 'rsa2048', {
      subject: '/CN=kyso test TSA',
      signWith: ca,
      addext: ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=critical,timeStamping'],
    });
    writeFileSync(join(tmp.dir, 'tsaserial'), '01\n');
    writeFileSync(dataPath, data);
    writeFileSync(join(tmp.dir, 'tsa.cnf'), [
      '[ tsa ]', 'default_tsa = tsa_config1', '[ tsa_config1 ]',
      `serial = ${join(tmp.dir, 'tsaserial')}`, 'crypto_device = builtin',
      `signer_cert = ${tsa.certPath}`, `signer_key = ${tsa.keyPath}`, 'signer_digest = sha256',
      'default_policy = 1.2.3.4.1', 'other_policies = 1.2.3.4.2', 'digests = sha256, sha384, sha512',
      'accuracy = secs:1', 'ordering = no', 'tsa_name = yes', 'ess_cert_id_chain = no', 'ess_cert_id_alg = sha256', '',
    ].join('\n'));

    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const query = Buffer.concat(chunks);
          if (mode === 'http500') return void res.writeHead(500).end('boom');
          if (mode === 'garbage') return void res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }).end(Buffer.from('<html>not a TimeStampResp</html>'));
          if (mode === 'slow') {
            await new Promise((r) => setTimeout(r, 3000));
            if (res.destroyed) return;
          }
          if (mode === 'other-imprint') {
            const at = query.indexOf(createHash('sha256').update(data).digest());
            query[at] ^= 0xff;
          }
          if (mode === 'other-nonce') query[query.length - 4] ^= 0x5a; // last nonce byte, before BOOLEAN TRUE (01 01 ff)
          const q = join(tmp.dir, `q${Math.random()}.tsq`);
          const r = `${q}.tsr`;
          writeFileSync(q, query);
          await execFileAsync('openssl', ['ts', '-reply', '-config', join(tmp.dir, 'tsa.cnf'), '-queryfile', q, '-out', r]);
          res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }).end(readFileSync(r));
        })().catch((e: unknown) => res.writeHead(599).end(String(e)));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    tmp.cleanup();
  });
  beforeEach(() => {
    mode = 'ok';
  });

  it('returns a token for our imprint that openssl ts -verify accepts', async () => {
    const token = await request();
    const info = parseTimestampToken(token);
    expect(info.imprintAlg).toBe('SHA-256');
    expect(Buffer.from(info.imprint).equals(createHash('sha256').update(data).digest())).toBe(true);
    expect(info.policy).toBe('1.2.3.4.1');
    expect(info.genTime).toBeInstanceOf(Date);
    expect(info.nonce).toMatch(/^[0-9a-f]+$/);
    expect(info.serialHex).toMatch(/^[0-9a-f]+$/);
    expect(Buffer.from(info.tsaCertificate!).equals(Buffer.from(tsa.certDer))).toBe(true);

    const tokenPath = join(tmp.dir, 'token.der');
    writeFileSync(tokenPath, token);
    openssl(['ts', '-verify', '-data', dataPath, '-in', tokenPath, '-token_in', '-CAfile', ca.certPath]);
    const hex = createHash('sha256').update(data).digest('hex');
    openssl(['ts', '-verify', '-digest', hex, '-in', tokenPath, '-token_in', '-CAfile', ca.certPath]);
  });

  it.each(['SHA-384', 'SHA-512'] as const)('stamps with %s and an accepted policy', async (hash) => {
    const token = await request({ hash, policy: '1.2.3.4.2' });
    const info = parseTimestampToken(token);
    expect(info.imprintAlg).toBe(hash);
    expect(info.policy).toBe('1.2.3.4.2');
  });

  it('reports a refusal with the TSA status text (unknown policy)', async () => {
    await expect(request({ policy: '1.2.3.4.99' })).rejects.toMatchObject({
      code: 'ERR_TSA_REJECTED',
      detail: expect.stringMatching(/^rejection;.*unacceptedPolicy/),
    });
  });

  it('times out within the time-out when the TSA is slow', async () => {
    mode = 'slow';
    const started = performance.now();
    await expect(request({ timeoutMs: 300 })).rejects.toMatchObject({ code: 'ERR_TSA_TIMEOUT' });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('times out even with a fetch that ignores its signal', async () => {
    const stuck: FetchLike = () => new Promise(() => undefined);
    await expect(request({ fetch: stuck, timeoutMs: 100 })).rejects.toMatchObject({ code: 'ERR_TSA_TIMEOUT' });
  });

  it("honours the caller's abort signal", async () => {
    mode = 'slow';
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(request({ signal: controller.signal })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    await expect(request({ signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });

  it('refuses a non-2xx answer, naming the status', async () => {
    mode = 'http500';
    await expect(request()).rejects.toMatchObject({ code: 'ERR_TSA_BAD_RESPONSE', detail: expect.stringContaining('500') });
  });

  it('refuses a body that is not a TimeStampResp', async () => {
    mode = 'garbage';
    await expect(request()).rejects.toMatchObject({ code: 'ERR_TSA_BAD_RESPONSE' });
  });

  it('refuses a token for another imprint', async () => {
    mode = 'other-imprint';
    await expect(request()).rejects.toMatchObject({ code: 'ERR_TSA_BAD_RESPONSE', detail: expect.stringContaining('imprint') });
  });

  it('refuses a token with another nonce', async () => {
    mode = 'other-nonce';
    await expect(request()).rejects.toMatchObject({ code: 'ERR_TSA_BAD_RESPONSE', detail: expect.stringContaining('nonce') });
  });

  it('reports a closed port as unreachable', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    await expect(request({ url: `http://127.0.0.1:${port}/tsa` })).rejects.toMatchObject({ code: 'ERR_TSA_UNREACHABLE' });
  });

  it('rejects bad parameters before any request', async () => {
    await expect(request({ data: new Uint8Array(0) })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(request({ timeoutMs: 0 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(request({ policy: 'not-an-oid' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });

  it('detects a tampered token', async () => {
    const token = await request();
    expect((await verifyTimestampToken(token)).ok).toBe(true);
    // Flip a byte inside the TSTInfo's genTime: the message-digest no longer matches.
    const tampered = Uint8Array.from(token);
    const at = Buffer.from(tampered).indexOf(Buffer.from('Z', 'latin1'));
    tampered[at - 1] = tampered[at - 1] === 0x30 ? 0x31 : 0x30;
    const check = await verifyTimestampToken(tampered);
    expect(check).toMatchObject({ ok: false, reason: expect.stringContaining('message-digest') });
    // Flip the last byte of the signature value.
    const badSig = Uint8Array.from(token);
    badSig[badSig.length - 1] ^= 1;
    expect(await verifyTimestampToken(badSig)).toMatchObject({ ok: false, reason: expect.stringContaining('signature') });
    expect(await verifyTimestampToken(Uint8Array.of(0x30, 0x00))).toMatchObject({ ok: false });
  });

  it('requires a critical extended key usage of only id-kp-timeStamping (RFC 3161 §2.3)', () => {
    expect(checkTsaCertificate(tsa.certDer)).toBeNull();
    const nonCritical = makeCert(tmp.dir, 'tsa-nc', 'p256', { addext: ['extendedKeyUsage=timeStamping'] });
    expect(checkTsaCertificate(nonCritical.certDer)).toMatch(/not critical/);
    const extra = makeCert(tmp.dir, 'tsa-extra', 'p256', { addext: ['extendedKeyUsage=critical,timeStamping,codeSigning'] });
    expect(checkTsaCertificate(extra.certDer)).toMatch(/only id-kp-timeStamping/);
    const none = makeCert(tmp.dir, 'tsa-none', 'p256');
    expect(checkTsaCertificate(none.certDer)).toMatch(/no extended key usage/);
  });
});
