// Remote signing through Viettel MySign: the page's RemoteSigningAdapter talks to the integrator's back end
// (RemoteSigningBackend + the node:http handler), which holds the MySignClient (client_secret, one token per user);
// the service is examples/mysign-emulator signing on SoftHSM2 through PKCS#11. The phone is the emulator's control.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { finish, sign } from '@kyso/core';
import { sealImage, signatureImage } from '@kyso/testkit';
import { MySignClient, RemoteSigningBackend, type MySignClientOptions, type RemoteSigningBackendOptions } from '../src/index.js';
import { startMySignEmulator } from '../../../examples/mysign-emulator/server/emulator.mjs';
import { failure } from './helpers/failure.js';
import { expectBatchOfFive, expectSignFailure, openRemoteFixture, phone as answer, postRaw, preparedOnPage, type RemoteFixture } from './remote-helpers.js';

const SIGNING_TIME = new Date('2026-11-20T03:00:00Z');
const LEADER = '001201000001';
const AGENCY = '0100109106';
const CLIENT = { id: 'QLVB_Demo_Mysign', secret: 'mysign-client-secret-test' };
/** What the integrator issued to Viettel for its callbacks (the other direction). */
const HOOK_CLIENT = { id: 'simple_callback_code', secret: 'callback-secret-issued-to-viettel-test' };

let fx: RemoteFixture;
let emu: Awaited<ReturnType<typeof startMySignEmulator>>;
let pdf: Uint8Array;

beforeAll(async () => {
  fx = await openRemoteFixture();
  pdf = fx.pdf;
  emu = await startMySignEmulator({
    keyStore: fx.keyStore, client: CLIENT,
    users: {
      [LEADER]: [{ credentialId: `${LEADER}_2482540_20261017114147`, keyId: 'kyso-leader/leader' }],
      [AGENCY]: [{ credentialId: `${AGENCY}_2482541_20261017114147`, keyId: 'kyso-seal/seal' }],
    },
  });
  fx.emulators.push(emu);
});

afterEach(() => emu.control.reset());

afterAll(() => fx?.close());

const client = (extra: Partial<MySignClientOptions> = {}) => new MySignClient({ baseUrl: emu.baseUrl, clientId: CLIENT.id, clientSecret: CLIENT.secret, ...extra });

/** The integrator's server; Viettel is told where to fetch a token and post results, and with which client. */
async function integrator(o: Partial<RemoteSigningBackendOptions> = {}) {
  const it0 = await fx.integrator(() => new RemoteSigningBackend({ service: client(), serviceCallbackClient: HOOK_CLIENT, ...o }));
  const hooks = { authUrl: `${it0.origin}/api/kyso-remote/callback/auth`, resultUrl: `${it0.origin}/api/kyso-remote/callback/result` };
  emu.control.setWebhook({ ...hooks, clientId: HOOK_CLIENT.id, clientSecret: HOOK_CLIENT.secret });
  return { ...it0, hooks };
}

const phone = (user: string, decision: 'approve' | 'reject' | 'expire') => answer(emu.control, (r) => r.id, user, decision);

const expectValid = (signed: Uint8Array, count: number) => fx.expectValid(signed, count);

describe('Viettel MySign through the integrator back end', () => {
  it('the leader approves and the clerk issues with the agency seal, each with a token of their own (polling)', async () => {
    const it0 = await integrator({ delivery: 'poll' });
    const leader = it0.page(LEADER);
    const [entry] = await leader.listCertificates();
    const p1 = phone(LEADER, 'approve');
    const approved = await sign(pdf, { adapter: leader, certificateId: entry!.id, appearance: { role: 'approve', image: { bytes: signatureImage() } }, signingTime: SIGNING_TIME });
    await p1;
    const seal = it0.page(AGENCY);
    const [sealEntry] = await seal.listCertificates();
    const p2 = phone(AGENCY, 'approve');
    const issued = await sign(approved, { adapter: seal, certificateId: sealEntry!.id, appearance: { role: 'issue', image: { bytes: sealImage(36) } }, signingTime: SIGNING_TIME });
    await p2;
    await expectValid(issued, 2);
    expect(emu.control.logins()).toBeGreaterThanOrEqual(2); // one login per user
  });

  it('synchronous signHash (async 0), after a token ran out (logged in again once)', async () => {
    const it0 = await integrator({ service: client({ mode: 'sync' }) });
    const page = it0.page(LEADER);
    const [entry] = await page.listCertificates();
    emu.control.expireTokens();
    const before = emu.control.logins();
    const ph = phone(LEADER, 'approve');
    const signed = await sign(pdf, { adapter: page, certificateId: entry!.id, signingTime: SIGNING_TIME });
    await ph;
    expect(emu.control.logins()).toBe(before + 1);
    await expectValid(signed, 1);
  });

  it('webhook (async 3): Viettel takes a token from the integrator, then posts the result; replays and forgeries are refused', async () => {
    const it0 = await integrator({ delivery: 'webhook' });
    const page = it0.page(LEADER);
    const { prepared, begin } = await preparedOnPage(page, pdf, SIGNING_TIME);
    const tx = await begin();
    expect(tx.delivery).toBe('webhook');

    // While the user has not answered: no token, a made-up token, and a token asked with a wrong secret are all refused.
    const pending = await emu.control.next(LEADER);
    const forged = { meta_data: { transaction_id: pending.id, status: '1' }, data: { results: [{ document_id: 'x-1', signature: Buffer.alloc(256, 7).toString('base64') }] } };
    expect((await postRaw(it0.hooks.resultUrl, forged)).status).toBe(403);
    const badAuth = await postRaw(it0.hooks.authUrl, { grant_type: 'client_credentials', client_id: HOOK_CLIENT.id, client_secret: 'guess' });
    expect(badAuth.status).toBe(403);
    expect(badAuth.json.error?.code).toBe('ERR_REMOTE_CALLBACK_REFUSED');
    expect((await it0.backend.status(LEADER, tx.id)).state).toBe('pending');

    await emu.control.decide(pending.id, 'approve');
    const [sent] = emu.control.callbacks().slice(-1);
    expect([sent!.auth, sent!.result]).toEqual([200, 200]);
    const [sig] = await page.awaitTransaction(tx);
    await expectValid(await finish(prepared, sig!, { pdf }), 1);

    // Viettel's own result, sent again with a fresh token: the transaction has settled, so it is refused.
    const token = (await postRaw(it0.hooks.authUrl, { grant_type: 'client_credentials', client_id: HOOK_CLIENT.id, client_secret: HOOK_CLIENT.secret })) as unknown as { json: { data: { access_token: string } } };
    const again = await postRaw(it0.hooks.resultUrl, sent!.body, `Bearer ${token.json.data.access_token}`);
    expect(again.status).toBe(403);
  });

  it('a batch of 5 documents: one confirmation, five signatures, each valid', async () => {
    const it0 = await integrator();
    const page = it0.page(AGENCY);
    await expectBatchOfFive(fx, page, SIGNING_TIME, () => phone(AGENCY, 'approve'));
  });

  describe('failures reach the page as typed errors, without hanging and without output', () => {
    it.each([
      { name: 'wrong client_secret', code: 'ERR_REMOTE_UNAUTHORIZED', extra: { clientSecret: 'wrong' } },
      { name: 'the user rejects (4002)', code: 'ERR_REMOTE_REJECTED', decision: 'reject' as const },
      { name: 'the user does not confirm in time (4001)', code: 'ERR_REMOTE_EXPIRED', decision: 'expire' as const },
      { name: 'HTTP 500', code: 'ERR_REMOTE_SERVER', fault: ['signHash', '500'] as const },
      { name: 'an HTML page instead of JSON', code: 'ERR_REMOTE_BAD_RESPONSE', fault: ['requests/status', 'garbage'] as const },
      { name: 'a service that never answers', code: 'ERR_REMOTE_TIMEOUT', fault: ['signHash', 'hang'] as const },
      { name: 'a revoked certificate (13004)', code: 'ERR_REMOTE_CERT_REVOKED', revoke: true },
    ])('$name → $code', async (c) => {
      const it0 = await integrator({ delivery: 'poll', service: client({ requestTimeoutMs: 300, ...(c.extra ?? {}) }) });
      const page = it0.page(LEADER);
      if (c.extra) {
        expect((await failure(page.listCertificates())).code).toBe(c.code);
        return;
      }
      const { entry, prepared } = await preparedOnPage(page, pdf, SIGNING_TIME);
      if (c.revoke) emu.control.revoke(entry!.id);
      if (c.fault) emu.control.fail(c.fault[0], c.fault[1]);
      await expectSignFailure(page, entry!.id, prepared, c.code, c.decision ? () => phone(LEADER, c.decision!) : undefined);
    });
  });
});
