// @ts-check
// An EMULATOR of VNPT SmartCA's `sp769` API (and, with `flavour: 'neac'`, of NEAC's eSign gateway, which uses the
// same bodies under `sign_v2/`), for kyso's tests and demos. Not the provider's software: see README.md for which
// parts follow "Tài liệu tích hợp VNPT SmartCA" and which are the emulator's own.
// Keys stay on a PKCS#11 token (SoftHSM2 in tests) behind examples/remote-hsm's key store.
import { randomUUID } from 'node:crypto';
import { postCallback, startJsonEmulator, waitForPending } from '../../remote-emulators-common/server/http.mjs';

export const SP769_PATHS = {
  smartca: { prefix: '/sca/sp769', certificate: '/v1/credentials/get_certificate', sign: '/v1/signatures/sign', status: /^\/v1\/signatures\/sign\/([^/]+)\/status$/ },
  neac: { prefix: '', certificate: '/sign_v2/get_certificate', sign: '/sign_v2/sign', status: /^\/sign_v2\/sign\/([^/]+)\/status$/ },
};

/**
 * @typedef {object} Sp769EmulatorOptions
 * @property {'smartca' | 'neac'} [flavour]  default `smartca`
 * @property {import('../../remote-hsm/server/keystore.mjs').KeyStore} keyStore
 * @property {{ id: string, password: string }} sp  the integrator's sp_id / sp_password
 * @property {string} [caName]  NEAC: the `ca_name` the gateway routes to
 * @property {Record<string, { serial: string, keyId: string, service?: string }[]>} users  user_id (CCCD / MST) → certificates
 */

/** @param {Sp769EmulatorOptions} options */
export async function startSp769Emulator(options) {
  const flavour = options.flavour ?? 'smartca';
  const paths = SP769_PATHS[flavour];
  const keys = new Map((await options.keyStore.keys()).map((k) => [k.keyId, k]));
  /** @type {Map<string, { tranCode: string, transactionId: string, user: string, keyId: string, files: { doc_id: string, hash: string }[], state: 'pending' | 'signed' | 'rejected' | 'expired', signatures?: { doc_id: string, signature_value: string, timestamp_signature: null }[] }>} */
  const trans = new Map();
  const seenIds = new Set();
  const revoked = new Set();
  /** @type {{ url: string, body: any, status: number }[]} */
  const callbacks = [];
  /** @type {string | undefined} */
  let webhookUrl;
  let dropCallbacks = false;

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
      return path === paths.certificate ? 'get_certificate' : path === paths.sign ? 'sign' : paths.status.test(path) ? 'status' : path;
    },
    handle: (req, _method, body) => handle(pathOf((req.url ?? '').replace(/\?.*$/, '')), body),
    notPost: answer(405, { status_code: 405, message: 'POST only' }),
    internalError: { status: 500, contentType: 'application/json', text: '{"status_code":500,"message":"SERVAR_INTERNAL_ERROR"}' },
    garbage: '<html>maintenance</html>',
  });
  const { origin } = http;

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
    if (webhookUrl && !dropCallbacks) {
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
      reset() {
        for (const t of trans.values()) if (t.state === 'pending') t.state = 'expired';
        http.clearFaults();
        dropCallbacks = false;
      },
      revoke(/** @type {string} */ serial) {
        revoked.add(serial);
      },
      fail: http.fail,
      dropCallbacks(/** @type {boolean} */ drop) {
        dropCallbacks = drop;
      },
      callbacks: () => callbacks.slice(),
    },
    close: http.close,
  };
}
