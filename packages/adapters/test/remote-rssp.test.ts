// Remote signing through an ETSI TS 119 432 (`rssp-119.432-v2.0`) service: the page's RemoteSigningAdapter talks to
// the integrator's back end (RemoteSigningBackend + the node:http handler), which holds the RsspClient and its
// relying-party secrets; the service is examples/rssp-emulator signing on SoftHSM2 through PKCS#11. The signer's
// "phone" is the emulator's control (approve / reject / window closes), driven by the test.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { finish, fromBase64, prepare, sign, verify, type PreparedSignature, type SignRequest } from '@kyso/core';
import '@kyso/core/node';
import { fixturesDir, sealImage, signatureImage } from '@kyso/testkit';
import {
  RemoteSigningAdapter, RemoteSigningBackend, RsspClient, type RemoteSigningBackendOptions, type RemoteTransaction, type RsspClientOptions,
} from '../src/index.js';
import { createRemoteSigningHandler, fileTransactionStore } from '../src/remote/node/index.js';
import { closeFixtureModule, fixtureModule, pdfsig } from '../../../examples/remote-hsm/test/harness.js';
import { fixtureKeyStore } from '../../../examples/remote-hsm/server/setup.mjs';
import { startRsspEmulator } from '../../../examples/rssp-emulator/server/emulator.mjs';
import { failure } from './helpers/failure.js';
import { postRaw } from './remote-helpers.js';

const SIGNING_TIME = new Date('2026-11-20T03:00:00Z');
const LEADER = 'leader-cccd-001201000001';
const AGENCY = 'agency-mst-0100109106';
const RP = { name: 'QLVB_DEMO', user: 'qlvb_rp', password: 'rp-password-test', signature: 'rp-static-signature-test' };

let emu: Awaited<ReturnType<typeof startRsspEmulator>>;
let keyStore: ReturnType<typeof fixtureKeyStore>;
let rpKey: CryptoKey;
let otherKey: CryptoKey;
let pdf: Uint8Array;
let root: Uint8Array;
let nssDir: string;
let workDir: string;
const servers: Server[] = [];

async function importKey(der: Buffer): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', new Uint8Array(der), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
}

beforeAll(async () => {
  const { module, pki, pin } = await fixtureModule();
  root = pki.rootDer;
  nssDir = pki.nssDir;
  pdf = new Uint8Array(readFileSync(join(fixturesDir(), 'samples/simple.pdf')));
  workDir = mkdtempSync(join(tmpdir(), 'kyso-remote-rssp-'));
  keyStore = fixtureKeyStore({ pkcs11: module, pin, caCertificates: [pki.rootDer] });
  const rp = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  rpKey = await importKey(rp.privateKey.export({ type: 'pkcs8', format: 'der' }));
  otherKey = await importKey(other.privateKey.export({ type: 'pkcs8', format: 'der' }));
  emu = await startRsspEmulator({
    keyStore,
    relyingParty: { ...RP, publicKeyPem: rp.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    agreements: {
      [LEADER]: [{ credentialID: 'leader-rsa', keyId: 'kyso-leader/leader' }, { credentialID: 'leader-p256', keyId: 'kyso-leader/p256' }],
      [AGENCY]: [{ credentialID: 'agency-seal', keyId: 'kyso-seal/seal' }],
    },
  });
});

afterEach(() => emu.control.reset());

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(() => r(undefined)));
  }
  await emu?.close();
  keyStore?.close();
  closeFixtureModule();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const client = (extra: Partial<RsspClientOptions> = {}) => new RsspClient({
  baseUrl: emu.baseUrl, relyingParty: RP.name, relyingPartyUser: RP.user, relyingPartyPassword: RP.password,
  relyingPartySignature: RP.signature, relyingPartyKey: rpKey, ...extra,
});

/**
 * The integrator's server: the handler under /api/kyso-remote, the logged-in user from its "session" header.
 * `port` restarts a server on the same address (the service keeps calling back there).
 */
async function integrator(options: (origin: string) => Partial<RemoteSigningBackendOptions> & { service?: RsspClient }, port = 0) {
  let handler: ReturnType<typeof createRemoteSigningHandler> | undefined;
  const server = createServer((req, res) => void handler!(req, res));
  servers.push(server);
  await new Promise((r) => server.listen(port, '127.0.0.1', () => r(undefined)));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const o = options(origin);
  const backend = new RemoteSigningBackend({ service: o.service ?? client(), ...o });
  handler = createRemoteSigningHandler({ backend, user: (req) => req.headers['x-session-user'] as string | undefined });
  return {
    origin, endpoint: `${origin}/api/kyso-remote`, backend,
    page: (user: string) => new RemoteSigningAdapter({
      endpoint: `${origin}/api/kyso-remote`, headers: { 'x-session-user': user }, poll: { intervalMs: 10, maxIntervalMs: 40 },
    }),
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(() => r(undefined)));
    },
  };
}

/** The signer's phone: waits for the next request of `agreement` and answers it. */
async function phone(agreement: string, decision: 'approve' | 'reject' | 'expire') {
  const r = await emu.control.next(agreement);
  await emu.control.decide(r.responseID, decision);
  return r;
}

const signRequestOf = (p: PreparedSignature, certificateId: string): SignRequest => ({
  certificateId, algorithm: { scheme: p.scheme, hash: p.hash }, data: fromBase64(p.toBeSigned)!, digest: fromBase64(p.toBeSignedDigest)!,
});

async function expectValid(signed: Uint8Array, count: number) {
  const p = pdfsig(signed, nssDir);
  expect(p.total, p.output).toBe(count);
  expect(p.valid, p.output).toBe(count);
  const report = await verify(signed, { trust: [root], revocation: 'off' });
  expect(report.signatures.length).toBe(count);
  for (const s of report.signatures) {
    expect(s).toMatchObject({ integrity: 'intact', cryptoValid: true, chain: { status: 'trusted' } });
    expect(s.indication).not.toBe('TOTAL_FAILED');
  }
}

describe('RSSP (ETSI TS 119 432) through the integrator back end', () => {
  it('the leader approves and the clerk issues with the agency seal, each confirmed on the phone (polling)', async () => {
    const it0 = await integrator(() => ({ delivery: 'poll' }));
    const leader = it0.page(LEADER);
    expect((await leader.listCertificates()).map((c) => c.id)).toEqual(['leader-rsa', 'leader-p256']);
    const p1 = phone(LEADER, 'approve');
    const approved = await sign(pdf, { adapter: leader, certificateId: 'leader-rsa', appearance: { role: 'approve', image: { bytes: signatureImage() } }, signingTime: SIGNING_TIME });
    expect((await p1).count).toBe(1);
    const p2 = phone(AGENCY, 'approve');
    const issued = await sign(approved, {
      adapter: it0.page(AGENCY), certificateId: 'agency-seal', appearance: { role: 'issue', image: { bytes: sealImage(36) } },
      signingTime: SIGNING_TIME,
    });
    await p2;
    await expectValid(issued, 2);
    await it0.close();
  });

  it('webhook: the prepared signature and the transaction survive a page reload and a server restart', async () => {
    const dir = join(workDir, 'store-webhook');
    const opts = (origin: string) => ({ store: fileTransactionStore(dir), callbackBaseUrl: `${origin}/api/kyso-remote/callback` });
    const first = await integrator(opts);
    const page = first.page(LEADER);
    const [entry] = await page.listCertificates();
    const prepared = await prepare(pdf, { certificate: entry!.certificate, chain: entry!.chain, signingTime: SIGNING_TIME });
    const tx = await page.start({ certificateId: entry!.id, digests: [fromBase64(prepared.toBeSignedDigest)!], hash: prepared.hash, scheme: prepared.scheme });
    expect(tx.delivery).toBe('webhook');
    const saved = JSON.stringify({ prepared, tx }); // what the page keeps (localStorage)
    const port = Number(new URL(first.origin).port);
    await first.close();

    const second = await integrator(opts, port); // the restarted server, same store and address
    await phone(LEADER, 'approve');
    const [sent] = emu.control.callbacks().slice(-1);
    expect(sent!.status).toBe(200);
    expect(sent!.url.startsWith(`${second.origin}/api/kyso-remote/callback/${tx.id}/`)).toBe(true);

    const restored = JSON.parse(saved) as { prepared: PreparedSignature; tx: RemoteTransaction };
    const [signature] = await second.page(LEADER).awaitTransaction(restored.tx);
    const signed = await finish(restored.prepared, signature!, { pdf });
    await expectValid(signed, 1);

    // The same callback again (a replay) and one with a guessed secret are refused; the result stands.
    const replay = await postRaw(sent!.url, sent!.body);
    expect(replay.status).toBe(403);
    expect(replay.json.error?.code).toBe('ERR_REMOTE_CALLBACK_REFUSED');
    await second.close();
  });

  it('a batch of 5 documents: one confirmation, five signatures, each valid', async () => {
    const it0 = await integrator((origin) => ({ callbackBaseUrl: `${origin}/api/kyso-remote/callback` }));
    const page = it0.page(AGENCY);
    const [entry] = await page.listCertificates();
    const prepared = await Promise.all([0, 1, 2, 3, 4].map((i) => prepare(pdf, {
      certificate: entry!.certificate, chain: entry!.chain, signingTime: new Date(SIGNING_TIME.getTime() + i * 60_000), reason: `Văn bản ${i + 1}`,
    })));
    const ph = phone(AGENCY, 'approve');
    const signatures = await page.signBatch(prepared.map((p) => signRequestOf(p, entry!.id)));
    expect((await ph).count).toBe(5);
    expect(signatures.length).toBe(5);
    for (const [i, p] of prepared.entries()) await expectValid(await finish(p, signatures[i]!, { pdf }), 1);
    await it0.close();
  });

  it('operationMode S (the service answers when the user has confirmed), RSA-PSS', async () => {
    const it0 = await integrator(() => ({ service: client({ operationMode: 'S' }), delivery: 'poll' }));
    const ph = phone(LEADER, 'approve');
    const signed = await sign(pdf, { adapter: it0.page(LEADER), certificateId: 'leader-rsa', scheme: 'RSA-PSS', signingTime: SIGNING_TIME });
    await ph;
    await expectValid(signed, 1);
    await it0.close();
  });

  it('an expired access token is renewed by one fresh login', async () => {
    const it0 = await integrator(() => ({ delivery: 'poll' }));
    const page = it0.page(LEADER);
    await page.listCertificates();
    const before = emu.control.logins();
    emu.control.expireTokens();
    const ph = phone(LEADER, 'approve');
    const signed = await sign(pdf, { adapter: page, certificateId: 'leader-rsa', signingTime: SIGNING_TIME });
    await ph;
    expect(emu.control.logins()).toBe(before + 1);
    await expectValid(signed, 1);
    await it0.close();
  });

  it('a webhook that never comes: once the window has passed the back end asks the service (signed → used; nothing → expired)', async () => {
    let skew = 0;
    const it0 = await integrator((origin) => ({ callbackBaseUrl: `${origin}/api/kyso-remote/callback`, now: () => Date.now() + skew, graceMs: 1000 }));
    emu.control.dropCallbacks(true);
    try {
      const page = it0.page(LEADER);
      const [entry] = await page.listCertificates();
      const prepared = await prepare(pdf, { certificate: entry!.certificate, chain: entry!.chain, signingTime: SIGNING_TIME });
      const start = () => page.start({ certificateId: entry!.id, digests: [fromBase64(prepared.toBeSignedDigest)!], hash: prepared.hash, scheme: prepared.scheme });

      const lost = await start();
      await phone(LEADER, 'approve'); // signed, but the callback is lost
      skew = 0;
      const early = await it0.backend.status(LEADER, lost.id);
      expect(early.state).toBe('pending'); // inside the window the back end waits for the webhook
      skew = 301_000 + 1000;
      const [sig] = await page.awaitTransaction(lost);
      await expectValid(await finish(prepared, sig!, { pdf }), 1);

      skew = 0;
      const never = await start();
      await emu.control.next(LEADER); // the user never answers
      skew = 301_000 + 1000;
      expect((await failure(page.awaitTransaction(never))).code).toBe('ERR_REMOTE_EXPIRED');
    } finally {
      emu.control.dropCallbacks(false);
      await it0.close();
    }
  });

  it('forged callbacks (wrong secret, unknown transaction, another transaction\'s body) are refused and change nothing', async () => {
    const it0 = await integrator((origin) => ({ callbackBaseUrl: `${origin}/api/kyso-remote/callback` }));
    const page = it0.page(LEADER);
    const [entry] = await page.listCertificates();
    const prepared = await prepare(pdf, { certificate: entry!.certificate, chain: entry!.chain, signingTime: SIGNING_TIME });
    const tx = await page.start({ certificateId: entry!.id, digests: [fromBase64(prepared.toBeSignedDigest)!], hash: prepared.hash, scheme: prepared.scheme });
    const pending = await emu.control.next(LEADER);
    const forgedBody = { error: 0, responseID: pending.responseID, signatures: [Buffer.alloc(256, 7).toString('base64')] };
    for (const [path, body] of [
      [`${tx.id}/${'A'.repeat(43)}`, forgedBody],
      [`no-such-transaction/${'A'.repeat(43)}`, forgedBody],
    ] as const) {
      const r = await postRaw(`${it0.endpoint}/callback/${path}`, body);
      expect(r.status).toBe(403);
      expect(r.json.error?.code).toBe('ERR_REMOTE_CALLBACK_REFUSED');
    }
    expect((await it0.backend.status(LEADER, tx.id)).state).toBe('pending');
    // Another user cannot read the transaction either.
    expect((await failure(it0.page(AGENCY).awaitTransaction(tx))).code).toBe('ERR_REMOTE_TRANSACTION_UNKNOWN');
    await emu.control.decide(pending.responseID, 'approve');
    const [sig] = await page.awaitTransaction(tx);
    await expectValid(await finish(prepared, sig!, { pdf }), 1);
    await it0.close();
  });

  it('the page can cancel a pending transaction, and stop waiting at once with an AbortSignal', async () => {
    const it0 = await integrator(() => ({ delivery: 'poll' }));
    try {
      const page = it0.page(LEADER);
      const [entry] = await page.listCertificates();
      const prepared = await prepare(pdf, { certificate: entry!.certificate, chain: entry!.chain, signingTime: SIGNING_TIME });
      const begin = () => page.start({ certificateId: entry!.id, digests: [fromBase64(prepared.toBeSignedDigest)!], hash: prepared.hash, scheme: prepared.scheme });
      const tx = await begin();
      const waiting = failure(page.awaitTransaction(tx));
      await page.cancel(tx);
      expect((await waiting).code).toBe('ERR_REMOTE_CANCELLED');
      // The user approving afterwards changes nothing.
      await phone(LEADER, 'approve');
      expect((await it0.backend.status(LEADER, tx.id)).state).toBe('cancelled');

      const second = await begin();
      const controller = new AbortController();
      const aborted = failure(page.awaitTransaction(second, controller.signal));
      controller.abort();
      expect((await aborted).code).toBe('ERR_ABORTED');
    } finally {
      await it0.close();
    }
  });

  describe('failures reach the page as typed errors, without hanging and without output', () => {
    it.each([
      { name: 'wrong relying-party password', code: 'ERR_REMOTE_UNAUTHORIZED', service: () => client({ relyingPartyPassword: 'wrong' }) },
      { name: 'relying-party key the service does not know', code: 'ERR_REMOTE_UNAUTHORIZED', service: () => client({ relyingPartyKey: otherKey }) },
      { name: 'the user rejects', code: 'ERR_REMOTE_REJECTED', decision: 'reject' as const },
      { name: 'the service\'s window closes', code: 'ERR_REMOTE_EXPIRED', decision: 'expire' as const },
      { name: 'HTTP 500', code: 'ERR_REMOTE_SERVER', fault: ['signatures/signHash', '500'] as const },
      { name: 'a login page instead of JSON', code: 'ERR_REMOTE_BAD_RESPONSE', fault: ['credentials/authorize', 'garbage'] as const },
      { name: 'a service that never answers', code: 'ERR_REMOTE_TIMEOUT', fault: ['signatures/signHash', 'hang'] as const },
      { name: 'a revoked certificate', code: 'ERR_REMOTE_CERT_REVOKED', revoke: 'leader-p256', credential: 'leader-p256' },
    ])('$name → $code', async (c) => {
      const it0 = await integrator(() => ({ delivery: 'poll', service: c.service?.() ?? client({ requestTimeoutMs: 300 }) }));
      try {
        const page = it0.page(LEADER);
        if (c.service) {
          const err = await failure(page.listCertificates());
          expect(err.code).toBe(c.code);
          return;
        }
        const entry = (await page.listCertificates()).find((e) => e.id === (c.credential ?? 'leader-rsa'))!;
        const prepared = await prepare(pdf, { certificate: entry.certificate, chain: entry.chain, signingTime: SIGNING_TIME });
        if (c.revoke) emu.control.revoke(c.revoke);
        if (c.fault) emu.control.fail(c.fault[0], c.fault[1]);
        const ph = c.decision ? phone(LEADER, c.decision) : undefined;
        const err = await failure(page.sign(signRequestOf(prepared, entry.id)));
        await ph;
        expect(err.code).toBe(c.code);
        expect(err.text.vi).not.toBe(err.text.en);
      } finally {
        await it0.close();
      }
    });
  });
});
