// @ts-check
// An EMULATOR of VNPT SmartCA's `sp769` API (and, with `flavour: 'neac'`, of NEAC's eSign gateway, which uses the
// same bodies under `sign_v2/`), for kyso's tests and demos. Not the provider's software: see README.md for which
// parts follow "Tài liệu tích hợp VNPT SmartCA" and which are the emulator's own.
// Keys stay on a PKCS#11 token (SoftHSM2 in tests) behind examples/remote-hsm's key store.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { postCallback, startJsonEmulator, waitForPending } from '../../remote-emulators-common/server/http.mjs';
import { startCscGateway } from './csc-routes.mjs';

export const SP769_PATHS = {
  smartca: {
    prefix: '/sca/sp769', certificate: '/v1/credentials/get_certificate', sign: '/v1/signatures/sign', status: /^\/v1\/signatures\/sign\/([^/]+)\/status$/,
    // SmartCA TH (password + OTP, no phone): paths as integrators configure them (see README).
    thSign: '/v2/signatures/sign', thConfirm: '/v2/signatures/confirm',
  },
  neac: { prefix: '', certificate: '/sign_v2/get_certificate', sign: '/sign_v2/sign', status: /^\/sign_v2\/sign\/([^/]+)\/status$/, thSign: null, thConfirm: null },
};

/** The emulator's answers for SmartCA TH failures (VNPT publishes none: see README). */
export const TH_MESSAGES = {
  passwordInvalid: 'PASSWORD_INVALID', otpInvalid: 'OTP_INVALID', otpExpired: 'OTP_EXPIRED', locked: 'USER_LOCKED', sadInvalid: 'SAD_INVALID',
};
/** Wrong passwords or OTPs in a row before the account locks (the emulator's choice). */
export const TH_MAX_FAILURES = 5;
/** How long an OTP the emulator issues is valid (a TOTP step). */
export const TH_OTP_TTL_MS = 30_000;

/**
 * @typedef {object} Sp769EmulatorOptions
 * @property {'smartca' | 'neac'} [flavour]  default `smartca`
 * @property {import('../../remote-hsm/server/keystore.mjs').KeyStore} keyStore
 * @property {{ id: string, password: string }} sp  the integrator's sp_id / sp_password
 * @property {string} [caName]  NEAC: the `ca_name` the gateway routes to
 * @property {Record<string, { serial: string, keyId: string, service?: string }[]>} users  user_id (CCCD / MST) → certificates
 * @property {Record<string, string>} [thPasswords]  SmartCA TH: user_id → the subscriber's password (users without one cannot use TH)
 * @property {() => number} [now]  the clock (OTP expiry)
 * @property {{ clientId: string, clientSecret: string, passwords: Record<string, string> }} [csc]
 *   SmartCA's CSC-style API (`auth/token`, `csc/...`; see README): the integrator's OAuth client and each user_id's
 *   SmartCA account password. Served at `cscBaseUrl` (the gateway's origin).
 */

/** @param {Sp769EmulatorOptions} options */
export async function startSp769Emulator(options) {
  const flavour = options.flavour ?? 'smartca';
  const paths = SP769_PATHS[flavour];
  const keys = new Map((await options.keyStore.keys()).map((k) => [k.keyId, k]));
  /** @type {Map<string, { tranCode: string, transactionId: string, user: string, keyId: string, files: { doc_id: string, hash: string }[], state: 'pending' | 'signed' | 'rejected' | 'expired', signatures?: { doc_id: string, signature_value: string, timestamp_signature: null }[], csc?: { credentialId: string, eseal: boolean, reqTime: string } }>} */
  const trans = new Map();
  const seenIds = new Set();
  const revoked = new Set();
  /** @type {{ url: string, body: any, status: number }[]} */
  const callbacks = [];
  /** @type {string | undefined} */
  let webhookUrl;
  let dropCallbacks = false;
  let thSigned = 0;
  const now = options.now ?? Date.now;
  /** SmartCA TH state per user: OTPs issued (value → expiry), failures in a row, SADs issued (sad → pending signing). */
  /** @type {Map<string, { otps: Map<string, number>, failures: number, sads: Map<string, { transactionId: string, keyId: string, files: { doc_id: string, hash: string }[] }> }>} */
  const th = new Map();
  const thOf = (/** @type {string} */ user) => {
    let t = th.get(user);
    if (!t) th.set(user, (t = { otps: new Map(), failures: 0, sads: new Map() }));
    return t;
  };
  const thFail = (/** @type {string} */ message) => answer(200, { status_code: 400, message });

  const answer = (/** @type {number} */ http, /** @type {any} */ body) => ({ http, body });
  /** The path below the flavour's prefix. */
  const pathOf = (/** @type {string} */ url) => (url.startsWith(paths.prefix) ? url.slice(paths.prefix.length) : url);
  /** @returns {any} */
  function statusBody(/** @type {any} */ t) {
    if (t.state === 'signed') return { status_code: 200, message: 'SUCCESS', data: { transaction_id: t.transactionId, signatures: t.signatures } };
    if (t.state === 'rejected') return { status_code: 400, message: 'USER_REJECTED', data: { transaction_id: t.transactionId } };
    if (t.state === 'expired') return { status_code: 400, message: 'EXPIRED', data: { transaction_id: t.transactionId } };
    return { status_code: 202, message: 'WAITING_FOR_USER_CONFIRM', data: { transaction_id: t.transactionId } };
  }

  async function handle(/** @type {string} */ path, /** @type {any} */ body) {
    if (!body || body.sp_id !== options.sp.id || body.sp_password !== options.sp.password) {
      return answer(401, { status_code: 401, message: 'SP_CREDENTIAL_INVALID' });
    }
    if (flavour === 'neac' && body.ca_name !== options.caName) return answer(400, { status_code: 400, message: 'CA_NOT_FOUND' });
    const user = typeof body.user_id === 'string' ? body.user_id : '';
    const certs = options.users[user];
    if (path === paths.certificate) {
      if (!certs) return answer(401, { status_code: 401, message: 'USER_NOT_FOUND' });
      return answer(200, {
        status_code: 200, message: 'Success', data: {
          user_certificates: certs.map((c) => {
            const k = keys.get(c.keyId);
            if (!k) throw new Error(`no key ${c.keyId}`);
            return {
              service_type: 'SMARTCA', service_name: c.service ?? 'SMARTCA PERSONAL PRO', cert_id: randomUUID(),
              cert_status: revoked.has(c.serial) ? 'Đã thu hồi' : 'Đang hoạt động', serial_number: c.serial,
              cert_data: Buffer.from(k.certificate).toString('base64'),
              chain_data: { ca_cert: k.chain[0] ? Buffer.from(k.chain[0]).toString('base64') : null, root_cert: k.chain[1] ? Buffer.from(k.chain[1]).toString('base64') : null },
              transaction_id: body.transaction_id,
            };
          }),
        },
      });
    }
    if (path === paths.sign) {
      const cert = certs?.find((c) => c.serial === body.serial_number);
      if (!cert) return answer(400, { status_code: 400, message: 'CERTIFICATE_NOT_FOUND' });
      if (revoked.has(cert.serial)) return answer(403, { status_code: 403, message: 'CREDENTIAL_STATUS_INVALID' });
      if (typeof body.transaction_id !== 'string' || body.transaction_id === '' || seenIds.has(body.transaction_id)) {
        return answer(400, { status_code: 400, message: 'TRANSACTION_ID_INVALID' });
      }
      const files = Array.isArray(body.sign_files) ? body.sign_files : [];
      if (files.length === 0 || files.some((/** @type {any} */ f) => f?.sign_type !== 'hash' || typeof f.doc_id !== 'string' || !/^[0-9a-f]{64}$/i.test(f.data_to_be_signed ?? ''))) {
        return answer(400, { status_code: 400, message: 'BAD_REQUEST' });
      }
      seenIds.add(body.transaction_id);
      const tranCode = randomUUID();
      trans.set(tranCode, {
        tranCode, transactionId: body.transaction_id, user, keyId: cert.keyId, state: 'pending',
        files: files.map((/** @type {any} */ f) => ({ doc_id: f.doc_id, hash: f.data_to_be_signed })),
      });
      return answer(200, { status_code: 200, message: 'sig_wait_for_user_confirm', data: { transaction_id: body.transaction_id, tran_code: tranCode } });
    }
    if (paths.thSign && path === paths.thSign) {
      const password = options.thPasswords?.[user];
      const cert = certs?.find((c) => c.serial === body.serial_number);
      if (password === undefined || !cert) return answer(400, { status_code: 400, message: 'CERTIFICATE_NOT_FOUND' });
      const t = thOf(user);
      if (t.failures >= TH_MAX_FAILURES) return thFail(TH_MESSAGES.locked);
      if (body.password !== password) {
        t.failures++;
        return thFail(t.failures >= TH_MAX_FAILURES ? TH_MESSAGES.locked : TH_MESSAGES.passwordInvalid);
      }
      const expiry = typeof body.otp === 'string' ? t.otps.get(body.otp) : undefined;
      if (expiry === undefined) {
        t.failures++;
        return thFail(t.failures >= TH_MAX_FAILURES ? TH_MESSAGES.locked : TH_MESSAGES.otpInvalid);
      }
      t.otps.delete(body.otp); // one use
      if (expiry <= now()) return thFail(TH_MESSAGES.otpExpired);
      if (revoked.has(cert.serial)) return answer(403, { status_code: 403, message: 'CREDENTIAL_STATUS_INVALID' });
      const files = Array.isArray(body.sign_files) ? body.sign_files : [];
      if (typeof body.transaction_id !== 'string' || body.transaction_id === '' || seenIds.has(body.transaction_id)
        || files.length === 0 || files.some((/** @type {any} */ f) => f?.sign_type !== 'hash' || typeof f.doc_id !== 'string' || !/^[0-9a-f]{64}$/i.test(f.data_to_be_signed ?? ''))) {
        return answer(400, { status_code: 400, message: 'BAD_REQUEST' });
      }
      seenIds.add(body.transaction_id);
      t.failures = 0;
      const sad = randomBytes(24).toString('base64url');
      t.sads.set(sad, { transactionId: body.transaction_id, keyId: cert.keyId, files: files.map((/** @type {any} */ f) => ({ doc_id: f.doc_id, hash: f.data_to_be_signed })) });
      return answer(200, { status_code: 200, message: 'SUCCESS', data: { transaction_id: body.transaction_id, sad } });
    }
    if (paths.thConfirm && path === paths.thConfirm) {
      const t = thOf(user);
      if (body.password !== options.thPasswords?.[user]) return thFail(TH_MESSAGES.passwordInvalid);
      const pending = typeof body.sad === 'string' ? t.sads.get(body.sad) : undefined;
      if (!pending || pending.transactionId !== body.transaction_id) return thFail(TH_MESSAGES.sadInvalid);
      t.sads.delete(body.sad); // one use
      const sigs = await options.keyStore.signDigests(pending.keyId, { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', digests: pending.files.map((f) => new Uint8Array(Buffer.from(f.hash, 'hex'))) });
      thSigned += pending.files.length;
      return answer(200, {
        status_code: 200, message: 'SUCCESS', data: {
          transaction_id: pending.transactionId,
          signatures: pending.files.map((f, i) => ({ doc_id: f.doc_id, signature_value: Buffer.from(sigs[i]).toString('base64'), timestamp_signature: null })),
        },
      });
    }
    const m = paths.status.exec(path);
    if (m) {
      const t = trans.get(decodeURIComponent(m[1]));
      if (!t || t.user !== user) return answer(400, { status_code: 400, message: 'TRANSACTION_NOT_FOUND' });
      return answer(200, statusBody(t));
    }
    return answer(404, { status_code: 404, message: 'NOT_FOUND' });
  }

  const http = await startJsonEmulator({
    methodOf(url) {
      const path = pathOf(url);
      return path === paths.certificate ? 'get_certificate' : path === paths.sign ? 'sign' : paths.status.test(path) ? 'status'
        : path === paths.thSign ? 'th_sign' : path === paths.thConfirm ? 'th_confirm' : path;
    },
    handle: (req, _method, body) => handle(pathOf((req.url ?? '').replace(/\?.*$/, '')), body),
    notPost: answer(405, { status_code: 405, message: 'POST only' }),
    internalError: { status: 500, contentType: 'application/json', text: '{"status_code":500,"message":"SERVAR_INTERNAL_ERROR"}' },
    garbage: '<html>maintenance</html>',
  });
  const { origin } = http;
  const csc = options.csc && flavour === 'smartca' ? await startCscGateway({ ...options.csc, users: options.users, keys, trans, revoked }) : undefined;
  const cscFaults = new Set(['token', 'credentials/list', 'credentials/info', 'signature/signhash', 'credentials/gettraninfo']);

  async function decide(/** @type {string} */ tranCode, /** @type {'approve' | 'reject' | 'expire'} */ decision) {
    const t = trans.get(tranCode);
    if (!t || t.state !== 'pending') throw new Error(`transaction ${tranCode} is not pending`);
    if (decision === 'approve') {
      const sigs = await options.keyStore.signDigests(t.keyId, { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', digests: t.files.map((f) => new Uint8Array(Buffer.from(f.hash, 'hex'))) });
      t.signatures = t.files.map((f, i) => ({ doc_id: f.doc_id, signature_value: Buffer.from(sigs[i]).toString('base64'), timestamp_signature: null }));
      t.state = 'signed';
    } else {
      t.state = decision === 'reject' ? 'rejected' : 'expired';
    }
    // CSC transactions are polled (gettraninfo); the sp769 webhook is not theirs.
    if (webhookUrl && !dropCallbacks && !t.csc) {
      const s = statusBody(t);
      const body = { sp_id: options.sp.id, status_code: s.status_code, message: s.message, transaction_id: t.transactionId, ...(t.signatures ? { signed_files: t.signatures } : {}) };
      callbacks.push({ url: webhookUrl, body, status: await postCallback(webhookUrl, body) });
    }
  }

  return {
    origin,
    baseUrl: `${origin}${paths.prefix}`,
    control: {
      /** Waits (≤ 20 s) for the oldest pending transaction of `user`. */
      async next(/** @type {string} */ user) {
        const t = await waitForPending(() => [...trans.values()].find((x) => x.user === user && x.state === 'pending'), `no pending transaction for ${user}`);
        return { id: t.tranCode, count: t.files.length, transactionId: t.transactionId };
      },
      decide,
      /** The webhook URL the integrator registered with the provider. */
      setWebhook(/** @type {string | undefined} */ url) {
        webhookUrl = url;
      },
      /**
       * SmartCA TH: the OTP the subscriber's authenticator shows now for `user` (valid {@link TH_OTP_TTL_MS}, one use).
       * @param {string} user
       */
      otp(user) {
        const value = String(randomInt(0, 1_000_000)).padStart(6, '0');
        thOf(user).otps.set(value, now() + TH_OTP_TTL_MS);
        return value;
      },
      /** SmartCA TH: digests signed so far (each confirm adds its files). */
      thSigned: () => thSigned,
      reset() {
        th.clear();
        for (const t of trans.values()) if (t.state === 'pending') t.state = 'expired';
        http.clearFaults();
        csc?.reset();
        dropCallbacks = false;
      },
      revoke(/** @type {string} */ serial) {
        revoked.add(serial);
      },
      unrevoke(/** @type {string} */ serial) {
        revoked.delete(serial);
      },
      /** The next call of `method` answers HTTP 500, a non-JSON page, or never (CSC methods: `token`, `credentials/list`, `credentials/info`, `signature/signhash`, `credentials/gettraninfo`). */
      fail(/** @type {string} */ method, /** @type {'500' | 'garbage' | 'hang'} */ kind) {
        if (csc && cscFaults.has(method)) csc.fail(method, kind);
        else http.fail(method, kind);
      },
      /** CSC: the access tokens issued so far to `user` are refused from now on (they "expired"); refresh tokens stay good. */
      expireTokens(/** @type {string} */ user) {
        csc?.expireTokens(user);
      },
      /** CSC: every access token is refused (`true`), as a gateway whose token store broke; sign-in still answers. */
      refuseTokens(/** @type {boolean} */ on) {
        csc?.refuseTokens(on);
      },
      /** CSC: sign-ins seen, by grant type. */
      grants: () => csc?.grants() ?? {},
      dropCallbacks(/** @type {boolean} */ drop) {
        dropCallbacks = drop;
      },
      callbacks: () => callbacks.slice(),
    },
    /** The CSC-style API's base URL (the gateway's origin), when `options.csc` was given. */
    cscBaseUrl: csc?.origin,
    async close() {
      await csc?.close();
      await http.close();
    },
  };
}
