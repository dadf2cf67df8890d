// @ts-check
// An EMULATOR of NEAC's eSign gateway ("Cổng eSign", esign.neac.gov.vn): the `sp769` bodies under `sign_v2/`, with
// `ca_name`. It is the VNPT SmartCA emulator in its `neac` flavour; see README.md.
import { startSp769Emulator } from '../../vnpt-smartca-emulator/server/emulator.mjs';

/** @param {Omit<import('../../vnpt-smartca-emulator/server/emulator.mjs').Sp769EmulatorOptions, 'flavour'> & { caName: string }} options */
export function startNeacEmulator(options) {
  return startSp769Emulator({ ...options, flavour: 'neac' });
}
