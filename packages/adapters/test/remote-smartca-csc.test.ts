// VNPT SmartCA through its CSC-style API (gwsca.vnpt.vn: auth/token, csc/credentials/list|info,
// csc/signature/signhash, polled csc/credentials/gettraninfo; e-seals at esca/csc/signature/signhash). The page's
// RemoteSigningAdapter talks to the integrator's back end (RemoteSigningBackend + the node:http handler), which holds
// the OAuth client secret and one token per user; the service is examples/vnpt-smartca-emulator's CSC routes, signing
// on SoftHSM2 through PKCS#11. The signer's phone is the emulator's control (the same one the sp769 tests use).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { finish, sign } from '@kyso/core';
import { sealImage, signatureImage } from '@kyso/testkit';
import { RemoteSigningBackend, vnptSmartCaCscClient, type SmartCaCscClientOptions, type SmartCaCscGrant } from '../src/index.js';
import { startSp769Emulator } from '../../../examples/vnpt-smartca-emulator/server/emulator.mjs';
import { failure } from './helpers/failure.js';
import { expectBatchOfFive, expectSignFailure, openRemoteFixture, phone as answer, preparedOnPage, type RemoteFixture } from './remote-helpers.js';

const SIGNING_TIME = new Date('2026-11-20T03:00:00Z');
const LEADER = '001201000001'; // CCCD
const AGENCY = '0100109106'; // MST
const LEADER_SERIAL = '540101010000000000000000000000a1';
const SEAL_SERIAL = '540101010000000000000000000000b2';
const SP = { id: 'unused-sp769-id', password: 'unused-sp769-password' };
const CLIENT = { id: '4184-637127995547330633.apps.smartcaapi.com', secret: 'client-secret-test' };
const PASSWORDS = { [LEADER]: 'mat-khau-lanh-dao', [AGENCY]: 'mat-khau-don-vi' };

let fx: RemoteFixture;
let emu: Awaited<ReturnType<typeof startSp769Emulator>>;

beforeAll(async () => {
  fx = await openRemoteFixture();
  emu = await startSp769Emulator({
    keyStore: fx.keyStore, sp: SP,
    users: {
      [LEADER]: [{ serial: LEADER_SERIAL, keyId: 'kyso-leader/leader' }],
      [AGENCY]: [{ serial: SEAL_SERIAL, keyId: 'kyso-seal/seal', service: 'ESEAL' }],
    },
    csc: { clientId: CLIENT.id, clientSecret: CLIENT.secret, passwords: PASSWORDS },
  });
  fx.emulators.push(emu);
}, 120_000);

afterEach(() => emu.control.reset());
afterAll(() => fx?.close());

const signIn = async (user: string): Promise<SmartCaCscGrant> => ({ password: PASSWORDS[user as keyof typeof PASSWORDS] ?? 'unknown' });
const client = (extra: Partial<SmartCaCscClientOptions> = {}) =>
  vnptSmartCaCscClient({ baseUrl: emu.cscBaseUrl!, clientId: CLIENT.id, clientSecret: CLIENT.secret, signIn, ...extra });
const integrator = (extra: Partial<SmartCaCscClientOptions> = {}, backend: Partial<ConstructorParameters<typeof RemoteSigningBackend>[0]> = {}) =>
  fx.integrator(() => new RemoteSigningBackend({ service: client(extra), delivery: 'poll', ...backend }));
const phone = (user: string, decision: 'approve' | 'reject' | 'expire') => answer(emu.control, (t) => t.id, user, decision);

describe('VNPT SmartCA (CSC-style API) through the integrator back end', () => {
  it('the leader approves on the phone and the clerk issues with the agency e-seal (esca/); pdfsig and kyso verify say valid', async () => {
    const personal = await integrator();
    const leader = personal.page(LEADER);
    const [entry] = await leader.listCertificates();
    expect(entry!.label).toContain(LEADER_SERIAL);
    expect(entry!.chain.length).toBeGreaterThan(0);
    const p1 = phone(LEADER, 'approve');
    const approved = await sign(fx.pdf, { adapter: leader, certificateId: entry!.id, appearance: { role: 'approve', image: { bytes: signatureImage() } }, signingTime: SIGNING_TIME });
    expect((await p1).count).toBe(1);

    // The seal is not signed through the personal path; the e-seal client's esca/ path signs it.
    const sealEntryOnPersonal = (await personal.page(AGENCY).listCertificates())[0]!;
    const { prepared: p0 } = await preparedOnPage(personal.page(AGENCY), fx.pdf, SIGNING_TIME);
    await expectSignFailure(personal.page(AGENCY), sealEntryOnPersonal.id, p0, 'ERR_REMOTE_REQUEST_REJECTED');
    const seal = await integrator({ eseal: true });
    const agency = seal.page(AGENCY);
    const [sealEntry] = await agency.listCertificates();
    const p2 = phone(AGENCY, 'approve');
    const issued = await sign(approved, { adapter: agency, certificateId: sealEntry!.id, appearance: { role: 'issue', image: { bytes: sealImage(36) } }, signingTime: SIGNING_TIME });
    await p2;
    await fx.expectValid(issued, 2);
    // One password sign-in per user and client; the token is reused for every later call.
    expect(emu.control.grants()).toEqual({ password: 3 });
    await personal.close();
    await seal.close();
  });

  it('a batch of 5 documents sealed: one signhash, one confirmation, five signatures, each valid', async () => {
    const it0 = await integrator({ eseal: true });
    await expectBatchOfFive(fx, it0.page(AGENCY), SIGNING_TIME, () => phone(AGENCY, 'approve'));
    await it0.close();
  });

  it('an expired access token is renewed once with the refresh token, and the signing goes on', async () => {
    const it0 = await integrator();
    const page = it0.page(LEADER);
    const { prepared, begin } = await preparedOnPage(page, fx.pdf, SIGNING_TIME);
    emu.control.expireTokens(LEADER);
    const tx = await begin();
    await phone(LEADER, 'approve');
    const [signature] = await page.awaitTransaction(tx);
    await fx.expectValid(await finish(prepared, signature!, { pdf: fx.pdf }), 1);
    expect(emu.control.grants()).toEqual({ password: 1, refresh_token: 1 });
    await it0.close();
  });

  it('a transaction nobody answers is expired by the back end once the service\'s window has passed', async () => {
    let skew = 0;
    const it0 = await integrator({}, { now: () => Date.now() + skew });
    const page = it0.page(LEADER);
    const { begin } = await preparedOnPage(page, fx.pdf, SIGNING_TIME);
    const tx = await begin();
    await emu.control.next(LEADER);
    expect((await it0.backend.status(LEADER, tx.id)).state).toBe('pending');
    skew = 301_000;
    expect((await failure(page.awaitTransaction(tx))).code).toBe('ERR_REMOTE_EXPIRED');
    await it0.close();
  });

  it('a revoked certificate is not offered (cert.status), and signhash with its credential is refused', async () => {
    const it0 = await integrator();
    const page = it0.page(LEADER);
    const { entry, prepared } = await preparedOnPage(page, fx.pdf, SIGNING_TIME);
    emu.control.revoke(LEADER_SERIAL);
    try {
      expect(await page.listCertificates()).toEqual([]);
      await expectSignFailure(page, entry.id, prepared, 'ERR_REMOTE_REQUEST_REJECTED');
    } finally {
      emu.control.unrevoke(LEADER_SERIAL);
      await it0.close();
    }
  });

  it('calls for one user at the same moment share one sign-in', async () => {
    const it0 = await integrator();
    const lists = await Promise.all([0, 1, 2, 3].map(() => it0.page(LEADER).listCertificates()));
    expect(lists.map((l) => l.length)).toEqual([1, 1, 1, 1]);
    expect(emu.control.grants()).toEqual({ password: 1 });
    await it0.close();
  });

  describe('failures reach the page as typed errors, without hanging and without output', () => {
    it.each([
      { name: 'wrong client secret', code: 'ERR_REMOTE_UNAUTHORIZED', extra: { clientSecret: 'wrong' }, atList: true },
      { name: 'wrong subscriber password', code: 'ERR_REMOTE_UNAUTHORIZED', extra: { signIn: async () => ({ password: 'wrong-password' }) }, atList: true },
      { name: 'a token refused even after renewal', code: 'ERR_REMOTE_UNAUTHORIZED', refuse: true },
      { name: 'the user rejects', code: 'ERR_REMOTE_REJECTED', decision: 'reject' as const },
      { name: 'the window closes (tranStatus 4001)', code: 'ERR_REMOTE_EXPIRED', decision: 'expire' as const },
      { name: 'HTTP 500 on signhash', code: 'ERR_REMOTE_SERVER', fault: ['signature/signhash', '500'] as const },
      { name: 'HTTP 500 on auth/token', code: 'ERR_REMOTE_SERVER', fault: ['token', '500'] as const, atList: true },
      { name: 'a maintenance page instead of gettraninfo', code: 'ERR_REMOTE_BAD_RESPONSE', fault: ['credentials/gettraninfo', 'garbage'] as const },
      { name: 'a service that never answers signhash', code: 'ERR_REMOTE_TIMEOUT', fault: ['signature/signhash', 'hang'] as const },
    ])('$name → $code', async (c) => {
      const out = [vi.spyOn(console, 'log'), vi.spyOn(console, 'warn'), vi.spyOn(console, 'error')];
      const it0 = await integrator({ requestTimeoutMs: 300, ...(c.extra ?? {}) });
      try {
        const page = it0.page(LEADER);
        if (c.atList) {
          if (c.fault) emu.control.fail(c.fault[0], c.fault[1]);
          const err = await failure(page.listCertificates());
          expect(err.code).toBe(c.code);
          // Neither the secret nor the subscriber's password reaches the page.
          expect(`${err.message} ${JSON.stringify(err.text)}`).not.toMatch(/wrong|mat-khau/);
          return;
        }
        const { entry, prepared } = await preparedOnPage(page, fx.pdf, SIGNING_TIME);
        if (c.refuse) emu.control.refuseTokens(true);
        if (c.fault) emu.control.fail(c.fault[0], c.fault[1]);
        await expectSignFailure(page, entry.id, prepared, c.code, c.decision ? () => phone(LEADER, c.decision!) : undefined);
      } finally {
        await it0.close();
        for (const s of out) {
          expect(s).not.toHaveBeenCalled();
          s.mockRestore();
        }
      }
    });
  });
});
