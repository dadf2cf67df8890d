// Remote signing through the `sp769` JSON API shape: VNPT SmartCA and NEAC's eSign gateway (the same bodies under
// other paths, plus ca_name). The page's RemoteSigningAdapter talks to the integrator's back end (RemoteSigningBackend
// + the node:http handler), which holds sp_id / sp_password; the services are examples/vnpt-smartca-emulator and
// examples/neac-emulator signing on SoftHSM2 through PKCS#11. The signer's phone is the emulator's control.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { finish, prepare, sign, type PreparedSignature } from '@kyso/core';
import { sealImage, signatureImage } from '@kyso/testkit';
import {
  RemoteSigningBackend, neacEsignClient, vnptSmartCaClient,
  type RemoteSigningBackendOptions, type RemoteTransaction, type Sp769Client, type Sp769ClientOptions,
} from '../src/index.js';
import { fileTransactionStore } from '../src/remote/node/index.js';
import { startSp769Emulator } from '../../../examples/vnpt-smartca-emulator/server/emulator.mjs';
import { startNeacEmulator } from '../../../examples/neac-emulator/server/emulator.mjs';
import { failure } from './helpers/failure.js';
import { expectBatchOfFive, expectSignFailure, openRemoteFixture, phone as answer, postRaw, preparedOnPage, type RemoteFixture } from './remote-helpers.js';

const SIGNING_TIME = new Date('2026-11-20T03:00:00Z');
const LEADER = '001201000001'; // CCCD
const AGENCY = '0100109106'; // MST
const LEADER_SERIAL = '540101010000000000000000000000a1';
const SEAL_SERIAL = '540101010000000000000000000000b2';
const SP = { id: '4184-637127995547330633.apps.signserviceapi.com', password: 'sp-password-test' };
const CA_NAME = 'VNPT-CA';

let fx: RemoteFixture;
let keyStore: RemoteFixture['keyStore'];
let pdf: Uint8Array;
let workDir: string;

beforeAll(async () => {
  fx = await openRemoteFixture('kyso-remote-sp769-');
  ({ keyStore, pdf, workDir } = fx);
});

afterAll(() => fx?.close());

const users = {
  [LEADER]: [{ serial: LEADER_SERIAL, keyId: 'kyso-leader/leader' }],
  [AGENCY]: [{ serial: SEAL_SERIAL, keyId: 'kyso-seal/seal', service: 'ESEAL' }],
};

describe.each([
  {
    flavour: 'VNPT SmartCA (sp769)',
    start: () => startSp769Emulator({ keyStore, sp: SP, users }),
    client: (baseUrl: string, extra: Partial<Sp769ClientOptions>) => vnptSmartCaClient({ baseUrl, spId: SP.id, spPassword: SP.password, ...extra }),
  },
  {
    flavour: 'NEAC eSign gateway (sign_v2)',
    start: () => startNeacEmulator({ keyStore, sp: SP, users, caName: CA_NAME }),
    client: (baseUrl: string, extra: Partial<Sp769ClientOptions>) => neacEsignClient({ baseUrl, spId: SP.id, spPassword: SP.password, caName: CA_NAME, ...extra }),
  },
])('$flavour through the integrator back end', ({ flavour, start, client }) => {
  let emu: Awaited<ReturnType<typeof startSp769Emulator>>;
  beforeAll(async () => {
    emu = await start();
    fx.emulators.push(emu);
  });
  afterEach(() => emu.control.reset());

  async function integrator(options: (origin: string) => Partial<RemoteSigningBackendOptions> & { service?: Sp769Client }, port = 0) {
    const it0 = await fx.integrator((origin) => {
      const o = options(origin);
      return new RemoteSigningBackend({ service: o.service ?? client(emu.baseUrl, {}), ...o });
    }, port);
    emu.control.setWebhook(`${it0.origin}/api/kyso-remote/callback`); // registered with the provider once
    return it0;
  }

  const phone = (user: string, decision: 'approve' | 'reject' | 'expire') => answer(emu.control, (t) => t.id, user, decision);

  const expectValid = (signed: Uint8Array, count: number) => fx.expectValid(signed, count);

  it('the leader approves and the clerk issues with the agency seal (polling by tran_code)', async () => {
    const it0 = await integrator(() => ({ delivery: 'poll' }));
    const leader = it0.page(LEADER);
    expect((await leader.listCertificates()).map((c) => c.id)).toEqual([LEADER_SERIAL]);
    const p1 = phone(LEADER, 'approve');
    const approved = await sign(pdf, { adapter: leader, certificateId: LEADER_SERIAL, appearance: { role: 'approve', image: { bytes: signatureImage() } }, signingTime: SIGNING_TIME });
    await p1;
    const p2 = phone(AGENCY, 'approve');
    const issued = await sign(approved, { adapter: it0.page(AGENCY), certificateId: SEAL_SERIAL, appearance: { role: 'issue', image: { bytes: sealImage(36) } }, signingTime: SIGNING_TIME });
    await p2;
    await expectValid(issued, 2);
    await it0.close();
  });

  it('webhook to the registered URL: the transaction survives a page reload and a server restart; replays are refused', async () => {
    const dir = join(workDir, `store-${flavour.slice(0, 4)}`);
    const opts = () => ({ store: fileTransactionStore(dir), delivery: 'webhook' as const });
    const first = await integrator(opts);
    const page = first.page(LEADER);
    const { prepared, begin } = await preparedOnPage(page, pdf, SIGNING_TIME);
    const tx = await begin();
    const saved = JSON.stringify({ prepared, tx });
    const port = Number(new URL(first.origin).port);
    await first.close();

    const second = await integrator(opts, port);
    // While the user has not answered, a forged callback (right transaction id, guessed secret, made-up signature) is refused.
    const forgedWhilePending = {
      sp_id: SP.id, status_code: 200, message: 'SUCCESS', transaction_id: `${tx.id}.${'A'.repeat(43)}`,
      signed_files: [{ doc_id: '1', signature_value: Buffer.alloc(256, 7).toString('base64'), timestamp_signature: null }],
    };
    const early = await postRaw(`${second.endpoint}/callback`, forgedWhilePending);
    expect(early.status).toBe(403);
    expect(early.json.error?.code).toBe('ERR_REMOTE_CALLBACK_REFUSED');
    expect((await second.backend.status(LEADER, tx.id)).state).toBe('pending');
    await phone(LEADER, 'approve');
    const [sent] = emu.control.callbacks().slice(-1);
    expect(sent!.status).toBe(200);
    const restored = JSON.parse(saved) as { prepared: PreparedSignature; tx: RemoteTransaction };
    const [signature] = await second.page(LEADER).awaitTransaction(restored.tx);
    await expectValid(await finish(restored.prepared, signature!, { pdf }), 1);

    const replay = await postRaw(sent!.url, sent!.body);
    expect(replay.status).toBe(403);
    // A forged callback: the right transaction id, a guessed secret.
    const forged = { ...sent!.body, transaction_id: `${tx.id}.${'A'.repeat(43)}` };
    const f = await postRaw(sent!.url, forged);
    expect(f.status).toBe(403);
    expect(f.json.error?.code).toBe('ERR_REMOTE_CALLBACK_REFUSED');
    await second.close();
  });

  it('a batch of 5 documents: one confirmation, five signatures, each valid', async () => {
    const it0 = await integrator(() => ({ delivery: 'webhook' }));
    const page = it0.page(AGENCY);
    await expectBatchOfFive(fx, page, SIGNING_TIME, () => phone(AGENCY, 'approve'));
    await it0.close();
  });

  it('a webhook that never comes: after the window the back end asks the service, and expires what is still pending', async () => {
    let skew = 0;
    const it0 = await integrator(() => ({ delivery: 'webhook', now: () => Date.now() + skew, graceMs: 1000 }));
    emu.control.dropCallbacks(true);
    try {
      const page = it0.page(LEADER);
      const { prepared, begin } = await preparedOnPage(page, pdf, SIGNING_TIME);
      const lost = await begin();
      await phone(LEADER, 'approve');
      skew = 0;
      expect((await it0.backend.status(LEADER, lost.id)).state).toBe('pending');
      skew = 302_000;
      const [sig] = await page.awaitTransaction(lost);
      await expectValid(await finish(prepared, sig!, { pdf }), 1);
      skew = 0;
      const never = await begin();
      await emu.control.next(LEADER);
      skew = 302_000;
      expect((await failure(page.awaitTransaction(never))).code).toBe('ERR_REMOTE_EXPIRED');
    } finally {
      await it0.close();
    }
  });

  describe('failures reach the page as typed errors, without hanging and without output', () => {
    it.each([
      { name: 'wrong sp_password', code: 'ERR_REMOTE_UNAUTHORIZED', extra: { spPassword: 'wrong' } },
      { name: 'the user rejects', code: 'ERR_REMOTE_REJECTED', decision: 'reject' as const },
      { name: 'the window closes', code: 'ERR_REMOTE_EXPIRED', decision: 'expire' as const },
      { name: 'HTTP 500', code: 'ERR_REMOTE_SERVER', fault: ['sign', '500'] as const },
      { name: 'a maintenance page instead of JSON', code: 'ERR_REMOTE_BAD_RESPONSE', fault: ['status', 'garbage'] as const },
      { name: 'a service that never answers', code: 'ERR_REMOTE_TIMEOUT', fault: ['sign', 'hang'] as const },
      { name: 'a revoked certificate', code: 'ERR_REMOTE_CERT_REVOKED', revoke: true },
    ])('$name → $code', async (c) => {
      const it0 = await integrator(() => ({ delivery: 'poll', service: client(emu.baseUrl, { requestTimeoutMs: 300, ...(c.extra ?? {}) }) }));
      try {
        const page = it0.page(LEADER);
        if (c.extra) {
          expect((await failure(page.listCertificates())).code).toBe(c.code);
          return;
        }
        const { entry, prepared } = await preparedOnPage(page, pdf, SIGNING_TIME);
        if (c.revoke) emu.control.revoke(LEADER_SERIAL);
        if (c.fault) emu.control.fail(c.fault[0], c.fault[1]);
        await expectSignFailure(page, entry!.id, prepared, c.code, c.decision ? () => phone(LEADER, c.decision!) : undefined);
      } finally {
        await it0.close();
      }
    });
  });
});
