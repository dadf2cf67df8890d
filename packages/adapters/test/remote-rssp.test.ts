// Remote signing through an ETSI TS 119 432 (`rssp-119.432-v2.0`) service: the page's RemoteSigningAdapter talks to
// the integrator's back end (RemoteSigningBackend + the node:http handler), which holds the RsspClient and its
// relying-party secrets; the service is examples/rssp-emulator signing on SoftHSM2 through PKCS#11. The signer's
// "phone" is the emulator's control (approve / reject / window closes), driven by the test.
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { finish, prepare, sign, type PreparedSignature } from '@kyso/core';
import { sealImage, signatureImage } from '@kyso/testkit';
import {
  RemoteSigningBackend, RsspClient, type RemoteSigningBackendOptions, type RemoteTransaction, type RsspClientOptions,
} from '../src/index.js';
import { fileTransactionStore } from '../src/remote/node/index.js';
import { startRsspEmulator } from '../../../examples/rssp-emulator/server/emulator.mjs';
import { failure } from './helpers/failure.js';
import { expectBatchOfFive, expectSignFailure, openRemoteFixture, phone as answer, postRaw, preparedOnPage, type RemoteFixture } from './remote-helpers.js';

const SIGNING_TIME = new Date('2026-11-20T03:00:00Z');
const LEADER = 'leader-cccd-001201000001';
const AGENCY = 'agency-mst-0100109106';
const RP = { name: 'QLVB_DEMO', user: 'qlvb_rp', password: 'rp-password-test', signature: 'rp-static-signature-test' };

let fx: RemoteFixture;
let emu: Awaited<ReturnType<typeof startRsspEmulator>>;
let rpKey: CryptoKey;
let otherKey: CryptoKey;
let pdf: Uint8Array;
let workDir: string;

async function importKey(der: Buffer): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', new Uint8Array(der), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
}

beforeAll(async () => {
  fx = await openRemoteFixture('kyso-remote-rssp-');
  ({ pdf, workDir } = fx);
  const rp = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  rpKey = await importKey(rp.privateKey.export({ type: 'pkcs8', format: 'der' }));
  otherKey = await importKey(other.privateKey.export({ type: 'pkcs8', format: 'der' }));
  emu = await startRsspEmulator({
    keyStore: fx.keyStore,
    relyingParty: { ...RP, publicKeyPem: rp.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    agreements: {
      [LEADER]: [{ credentialID: 'leader-rsa', keyId: 'kyso-leader/leader' }, { credentialID: 'leader-p256', keyId: 'kyso-leader/p256' }],
      [AGENCY]: [{ credentialID: 'agency-seal', keyId: 'kyso-seal/seal' }],
    },
  });
  fx.emulators.push(emu);
});

afterEach(() => emu.control.reset());

afterAll(() => fx?.close());

const client = (extra: Partial<RsspClientOptions> = {}) => new RsspClient({
  baseUrl: emu.baseUrl, relyingParty: RP.name, relyingPartyUser: RP.user, relyingPartyPassword: RP.password,
  relyingPartySignature: RP.signature, relyingPartyKey: rpKey, ...extra,
});

/** The integrator's server with an RsspClient unless `options` names another service (see RemoteFixture.integrator). */
const integrator = (options: (origin: string) => Partial<RemoteSigningBackendOptions> & { service?: RsspClient }, port = 0) =>
  fx.integrator((origin) => {
    const o = options(origin);
    return new RemoteSigningBackend({ service: o.service ?? client(), ...o });
  }, port);

/** The signer's phone: waits for the next request of `agreement` and answers it. */
const phone = (agreement: string, decision: 'approve' | 'reject' | 'expire') => answer(emu.control, (r) => r.responseID, agreement, decision);

const expectValid = (signed: Uint8Array, count: number) => fx.expectValid(signed, count);

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
    const { prepared, begin } = await preparedOnPage(page, pdf, SIGNING_TIME);
    const tx = await begin();
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
    await expectBatchOfFive(fx, page, SIGNING_TIME, () => phone(AGENCY, 'approve'));
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
      const { prepared, begin: start } = await preparedOnPage(page, pdf, SIGNING_TIME);

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
    const { prepared, begin } = await preparedOnPage(page, pdf, SIGNING_TIME);
    const tx = await begin();
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
      const { prepared, begin } = await preparedOnPage(page, pdf, SIGNING_TIME);
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
        await expectSignFailure(page, entry.id, prepared, c.code, c.decision ? () => phone(LEADER, c.decision!) : undefined);
      } finally {
        await it0.close();
      }
    });
  });
});
