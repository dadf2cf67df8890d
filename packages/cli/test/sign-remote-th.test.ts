// kyso sign --remote against a back end whose service settles the transaction when it starts: VNPT SmartCA TH
// (the agency's e-seal, password + OTP supplied by the back end, no phone). The terminal shows no "confirm on your
// phone" and the signed PDF is written. Service: examples/vnpt-smartca-emulator on SoftHSM2.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteSigningBackend, vnptSmartCaThClient } from '@kyso/adapters';
import { startSp769Emulator } from '../../../examples/vnpt-smartca-emulator/server/emulator.mjs';
import { openRemoteFixture, type RemoteFixture } from '../../adapters/test/remote-helpers.js';
import { runMain, tempDir } from './helpers/cli.js';

const AGENCY = '0100109106'; // MST
const SP = { id: '4184-637127995547330633.apps.signserviceapi.com', password: 'sp-password-test' };
const AGENCY_PASSWORD = 'mat-khau-thue-bao-test';

let fx: RemoteFixture;
let endpoint: string;
const tmp = tempDir();
const input = join(tmp.dir, 'in.pdf');

beforeAll(async () => {
  fx = await openRemoteFixture();
  writeFileSync(input, fx.pdf);
  const emu = await startSp769Emulator({
    keyStore: fx.keyStore, sp: SP, users: { [AGENCY]: [{ serial: '540101010000000000000000000000b2', keyId: 'kyso-seal/seal', service: 'ESEAL' }] },
    thPasswords: { [AGENCY]: AGENCY_PASSWORD },
  });
  fx.emulators.push(emu);
  const integrator = await fx.integrator(() => new RemoteSigningBackend({
    delivery: 'poll',
    service: vnptSmartCaThClient({
      baseUrl: emu.baseUrl, spId: SP.id, spPassword: SP.password,
      authorize: async (user) => ({ password: AGENCY_PASSWORD, otp: emu.control.otp(user) }),
    }),
  }));
  endpoint = integrator.endpoint;
});

afterAll(async () => {
  try {
    await fx?.close();
  } finally {
    tmp.remove();
  }
});

describe('kyso sign --remote with VNPT SmartCA TH (settled when started)', () => {
  it('asks nobody to confirm on a phone, and writes a valid signed PDF', async () => {
    const output = join(tmp.dir, 'sealed.pdf');
    const run = await runMain(['sign', input, '-o', output, '--remote', endpoint, '--remote-header', `x-session-user: ${AGENCY}`, '--lang', 'vi']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/Xác nhận trên điện thoại/);
    await fx.expectValid(new Uint8Array(readFileSync(output)), 1);
  });
});
