// VNPT SmartCA "TH": the variant without a phone, for batch runs and the agency's e-seal. The subscriber's
// password and a one-time password authorize each signing (v2/signatures/sign → sad, v2/signatures/confirm →
// signatures); the integrator's back end holds sp_password and gets the password and OTP from its own store
// (here: the emulator's authenticator, as a TOTP generator would). The service is examples/vnpt-smartca-emulator
// on SoftHSM2; the page is RemoteSigningAdapter talking to RemoteSigningBackend through the node:http handler.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prepare, sign } from '@kyso/core';
import { sealImage } from '@kyso/testkit';
import { RemoteSigningBackend, vnptSmartCaThClient, type SmartCaThAuthorization } from '../src/index.js';
import { TH_MAX_FAILURES, TH_OTP_TTL_MS, startSp769Emulator } from '../../../examples/vnpt-smartca-emulator/server/emulator.mjs';
import { failure } from './helpers/failure.js';
import { expectBatchOfFive, openRemoteFixture, signRequestOf, type Integrator, type RemoteFixture } from './remote-helpers.js';

const SIGNING_TIME = new Date('2026-11-20T03:00:00Z');
const AGENCY = '0100109106'; // MST
const SEAL_SERIAL = '540101010000000000000000000000b2';
const SP = { id: '4184-637127995547330633.apps.signserviceapi.com', password: 'sp-password-test' };
const AGENCY_PASSWORD = 'mat-khau-thue-bao-test';

let fx: RemoteFixture;
let emu: Awaited<ReturnType<typeof startSp769Emulator>>;
let clock = Date.now();
/** What the back end's authorize() answers next (a test may spoil one part). */
let authorize: (user: string) => SmartCaThAuthorization;
const goodAuthorization = (user: string) => ({ password: AGENCY_PASSWORD, otp: emu.control.otp(user) });
let integrator: Integrator;

beforeAll(async () => {
  fx = await openRemoteFixture();
  emu = await startSp769Emulator({
    keyStore: fx.keyStore, sp: SP, now: () => clock,
    users: { [AGENCY]: [{ serial: SEAL_SERIAL, keyId: 'kyso-seal/seal', service: 'ESEAL' }] },
    thPasswords: { [AGENCY]: AGENCY_PASSWORD },
  });
  fx.emulators.push(emu);
  integrator = await fx.integrator(() => new RemoteSigningBackend({
    service: vnptSmartCaThClient({
      baseUrl: emu.baseUrl, spId: SP.id, spPassword: SP.password, requestTimeoutMs: 500,
      authorize: async (user) => authorize(user),
    }),
    delivery: 'poll',
  }));
}, 120_000);

afterEach(() => {
  emu.control.reset();
  clock = Date.now();
  authorize = goodAuthorization;
});

afterAll(() => fx?.close());

describe('VNPT SmartCA TH (password + OTP, no phone) through the integrator back end', () => {
  it('the clerk issues with the agency\'s e-seal, no confirmation asked; pdfsig and kyso verify say valid', async () => {
    authorize = goodAuthorization;
    const page = integrator.page(AGENCY);
    expect((await page.listCertificates()).map((c) => c.id)).toEqual([SEAL_SERIAL]);
    const issued = await sign(fx.pdf, { adapter: page, certificateId: SEAL_SERIAL, appearance: { role: 'issue', image: { bytes: sealImage(36) } }, signingTime: SIGNING_TIME });
    await fx.expectValid(issued, 1);
    expect(emu.control.thSigned()).toBe(1);
  });

  it('a batch of 5 documents: one password + OTP, five signatures, each valid', async () => {
    let asked = 0;
    authorize = (user) => {
      asked++;
      return goodAuthorization(user);
    };
    await expectBatchOfFive(fx, integrator.page(AGENCY), SIGNING_TIME, async () => ({ count: 5 }));
    expect(asked).toBe(1);
  });

  describe('failure table: a typed error in two languages, no signature made, no secret in the error', () => {
    const expectFailure = async (code: string, detail: RegExp, auth: () => SmartCaThAuthorization) => {
      const page = integrator.page(AGENCY);
      const [entry] = await page.listCertificates();
      const prepared = await prepare(fx.pdf, { certificate: entry!.certificate, chain: entry!.chain, signingTime: SIGNING_TIME });
      const used = auth();
      authorize = () => used;
      const before = emu.control.thSigned();
      const err = await failure(page.sign(signRequestOf(prepared, entry!.id)));
      expect(err.code).toBe(code);
      expect(err.detail ?? '').toMatch(detail);
      expect(err.text.vi).not.toBe(err.text.en);
      const told = `${err.message} ${err.detail ?? ''} ${JSON.stringify(err.text)}`;
      for (const secret of [used.password, used.otp, SP.password]) expect(told).not.toContain(secret);
      expect(emu.control.thSigned()).toBe(before);
    };

    it('a wrong password → ERR_REMOTE_UNAUTHORIZED', () =>
      expectFailure('ERR_REMOTE_UNAUTHORIZED', /PASSWORD_INVALID.*password/, () => ({ password: 'sai-mat-khau', otp: emu.control.otp(AGENCY) })));

    it('a wrong OTP → ERR_REMOTE_UNAUTHORIZED', () =>
      expectFailure('ERR_REMOTE_UNAUTHORIZED', /OTP_INVALID.*one-time password/, () => ({ password: AGENCY_PASSWORD, otp: '000000x' })));

    it('an OTP used after its step → ERR_REMOTE_EXPIRED', () =>
      expectFailure('ERR_REMOTE_EXPIRED', /OTP_EXPIRED/, () => {
        const otp = emu.control.otp(AGENCY);
        clock += TH_OTP_TTL_MS + 1;
        return { password: AGENCY_PASSWORD, otp };
      }));

    it('an OTP used twice → refused the second time (ERR_REMOTE_UNAUTHORIZED)', async () => {
      const otp = emu.control.otp(AGENCY);
      authorize = () => ({ password: AGENCY_PASSWORD, otp });
      const page = integrator.page(AGENCY);
      const [entry] = await page.listCertificates();
      const p = await prepare(fx.pdf, { certificate: entry!.certificate, chain: entry!.chain, signingTime: SIGNING_TIME });
      await page.sign(signRequestOf(p, entry!.id));
      expect((await failure(page.sign(signRequestOf(p, entry!.id)))).code).toBe('ERR_REMOTE_UNAUTHORIZED');
    });

    it(`${TH_MAX_FAILURES} wrong OTPs lock the account: then even the right OTP → ERR_REMOTE_UNAUTHORIZED (locked)`, async () => {
      for (let i = 1; i < TH_MAX_FAILURES; i++) {
        await expectFailure('ERR_REMOTE_UNAUTHORIZED', /OTP_INVALID/, () => ({ password: AGENCY_PASSWORD, otp: `00000${i}x` }));
      }
      await expectFailure('ERR_REMOTE_UNAUTHORIZED', /USER_LOCKED.*locked/, () => ({ password: AGENCY_PASSWORD, otp: '999999x' }));
      await expectFailure('ERR_REMOTE_UNAUTHORIZED', /USER_LOCKED.*locked/, () => goodAuthorization(AGENCY));
    });

    it('a revoked certificate → ERR_REMOTE_CERT_REVOKED', async () => {
      emu.control.revoke(SEAL_SERIAL);
      try {
        await expectFailure('ERR_REMOTE_CERT_REVOKED', /403/, () => goodAuthorization(AGENCY));
      } finally {
        emu.control.unrevoke(SEAL_SERIAL);
      }
    });

    it.each([
      ['th_sign', '500', 'ERR_REMOTE_SERVER'],
      ['th_confirm', '500', 'ERR_REMOTE_SERVER'],
      ['th_sign', 'garbage', 'ERR_REMOTE_BAD_RESPONSE'],
      ['th_confirm', 'hang', 'ERR_REMOTE_TIMEOUT'],
    ] as const)('the service\'s %s answers %s → %s', async (method, fault, code) => {
      emu.control.fail(method, fault);
      await expectFailure(code, /./, () => goodAuthorization(AGENCY));
    });
  });
});
