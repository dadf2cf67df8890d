// @ts-check
// The example's users, relying-service clients and credentials, over the SoftHSM2 fixture tokens of the test PKI
// (packages/testkit ensureSoftHsm: token `kyso-leader` holds leader RSA-2048 + p256; `kyso-seal` holds seal RSA-2048
// + rsa3072). Shared by `npm run remote-hsm` and the tests.
import { randomBytes } from 'node:crypto';
import { pkcs11KeyStore } from './keystore.mjs';

/**
 * Users: a leader who confirms on a phone, and the agency whose seal signs automatically.
 * @param {{ leaderPassword?: string, phoneKeys?: Record<string, string> }} [secrets]
 * @returns {import('./app.mjs').UserConfig[]}
 */
export function demoUsers(secrets = {}) {
  const key = (/** @type {string} */ id) => secrets.phoneKeys?.[id] ?? randomBytes(18).toString('base64url');
  return [
    { id: 'leader', name: 'Nguyễn Văn An — Giám đốc Sở', password: secrets.leaderPassword ?? randomBytes(12).toString('base64url'), phoneKey: key('leader') },
    { id: 'agency', name: 'Văn thư Sở Thông tin và Truyền thông', phoneKey: key('agency') },
  ];
}

/**
 * Credentials, each bound to a key on a token (`<token label>/<key label>`).
 * @returns {import('./app.mjs').CredentialConfig[]}
 */
export function demoCredentials() {
  return [
    { id: 'leader-rsa', owner: 'leader', key: 'kyso-leader/leader', confirm: 'phone', description: 'Nguyễn Văn An (RSA-2048)' },
    { id: 'leader-p256', owner: 'leader', key: 'kyso-leader/p256', confirm: 'phone', description: 'Nguyễn Văn An (ECDSA P-256)' },
    { id: 'leader-rsa3072', owner: 'leader', key: 'kyso-seal/rsa3072', confirm: 'phone', description: 'Nguyễn Văn An (RSA-3072, PSS)' },
    { id: 'leader-otp', owner: 'leader', key: 'kyso-leader/leader', confirm: 'otp', description: 'Nguyễn Văn An (RSA-2048, OTP)' },
    { id: 'agency-seal', owner: 'agency', key: 'kyso-seal/seal', confirm: 'auto', description: 'Con dấu Sở (RSA-2048)', multisign: 100 },
  ];
}

/**
 * A key store on the fixture tokens. SOFTHSM2_CONF must point at the tokens' configuration before the module
 * is opened (SoftHSM reads it in C_Initialize).
 * @param {{ pkcs11?: import('@kyso/agent').Pkcs11Module, module?: string, pin: string, caCertificates?: Uint8Array[] }} o
 */
export function fixtureKeyStore(o) {
  return pkcs11KeyStore({
    ...(o.pkcs11 ? { pkcs11: o.pkcs11 } : { module: o.module }),
    tokens: [{ label: 'kyso-leader', pin: o.pin }, { label: 'kyso-seal', pin: o.pin }],
    caCertificates: o.caCertificates ?? [],
  });
}
