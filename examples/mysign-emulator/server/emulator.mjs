// @ts-check
// An EMULATOR of Viettel MySign's remote signing API (`/vtss/service/...`), for kyso's tests and demos. Not Viettel's
// software: see README.md for which document it follows. Keys stay on a PKCS#11 token (SoftHSM2 in tests) behind
// examples/remote-hsm's key store.
import { randomBytes, randomUUID } from 'node:crypto';
import { sendJson, startJsonEmulator, waitForPending } from '../../remote-emulators-common/server/http.mjs';

const SHA256 = '2.16.840.1.101.3.4.2.1';
const RSA = '1.2.840.113549.1.1.1';

/**
 * @typedef {object} MySignEmulatorOptions
 * @property {import('../../remote-hsm/server/keystore.mjs').KeyStore} keyStore
 * @property {{ id: string, secret: string }} client  the integrator's client_id / client_secret
 * @property {Record<string, { credentialId: string, keyId: string }[]>} users  user_id → credentials
 */

/** @param {MySignEmulatorOptions} options */
export async function startMySignEmulator(options) {
  const keys = new Map((await options.keyStore.keys()).map((k) => [k.keyId, k]));
  /** @type {Map<string, { user: string, expiresAt: number }>} */
  const tokens = new Map();
  /** @type {Map<string, { id: string, user: string, keyId: string, hashes: string[], docIds: string[], hook: boolean, status: string, signatures?: string[], waiters: (() => void)[] }>} */
  const requests = new Map();
  const revoked = new Set();
  let logins = 0;
  /** @type {{ authUrl: string, resultUrl: string, clientId: string, clientSecret: string } | undefined} */
  let webhook;
  let dropCallbacks = false;
  /** @type {{ auth: number, result: number, body: any }[]} */
  const callbacks = [];

  /** @returns {{ http: number, body: any }} */
  const answer = (/** @type {number} */ http, /** @type {any} */ body) => ({ http, body });

  async function handle(/** @type {string} */ method, /** @type {any} */ body, /** @type {string | undefined} */ auth) {
    if (method === 'ras/v1/login') {
      if (body?.client_id !== options.client.id || body?.client_secret !== options.client.secret || body?.profile_id !== 'adss:ras:profile:001' || !options.users[body?.user_id]) {
        return answer(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
      }
      logins++;
      const access_token = randomBytes(24).toString('base64url');
      tokens.set(access_token, { user: body.user_id, expiresAt: Date.now() + 3600_000 });
      return answer(200, { access_token, token_type: 'Bearer', expires_in: 3600 });
    }
    const bearer = /^Bearer (.+)$/.exec(auth ?? '')?.[1];
    const t = bearer ? tokens.get(bearer) : undefined;
    if (!t || t.expiresAt <= Date.now()) return answer(401, { error: 'invalid_token' });
    const creds = options.users[t.user] ?? [];
    if (method === 'certificates/info') {
      return answer(200, creds.map((c) => {
        const k = keys.get(c.keyId);
        if (!k) throw new Error(`no key ${c.keyId}`);
        return {
          cert: { status: 'valid', certificates: [k.certificate, ...k.chain].map((d) => Buffer.from(d).toString('base64')), subjectDN: `CN=${c.credentialId}` },
          key: { algo: [RSA], len: k.keyBits }, authMode: 'implicit', multisign: '2147483647', credential_id: c.credentialId, scal: '2',
        };
      }));
    }
    if (method === 'signHash') {
      const c = creds.find((x) => x.credentialId === body?.credentialID);
      if (!c || body.client_id !== options.client.id || body.client_secret !== options.client.secret) return answer(400, { status: '4004', description: 'invalid request' });
      if (revoked.has(c.credentialId)) return answer(400, { status: '13004', description: 'Certificate revoked or expired' });
      const hashes = Array.isArray(body.hash) ? body.hash : [];
      const docs = Array.isArray(body.documents) ? body.documents : [];
      if (hashes.length === 0 || hashes.length !== body.numSignatures || docs.length !== hashes.length || body.hashAlgo !== SHA256 || body.signAlgo !== RSA
        || docs.some((/** @type {any} */ d) => !/^[A-Za-z0-9+/=]{1,99}$/.test(d?.document_name ?? ''))) {
        return answer(400, { status: '4004', description: 'invalid request' });
      }
      const r = {
        id: randomUUID(), user: t.user, keyId: c.keyId, hashes, docIds: docs.map((/** @type {any} */ d) => String(d.document_id)), hook: body.async === 3,
        status: '4000', waiters: /** @type {(() => void)[]} */ ([]),
      };
      requests.set(r.id, /** @type {any} */ (r));
      if (body.async === 0) {
        await new Promise((resolve) => r.waiters.push(() => resolve(undefined)));
        const done = /** @type {any} */ (r);
        return done.status === '1' ? answer(200, { signatures: done.signatures }) : answer(200, { status: done.status, description: 'not signed' });
      }
      return answer(200, { transactionId: r.id });
    }
    if (method === 'requests/status') {
      const r = requests.get(body?.transactionId);
      if (!r || r.user !== t.user) return answer(400, { status: '4004', description: 'unknown transaction' });
      // The service wraps long base64 values with CR LF, as integrators report.
      return answer(200, { status: r.status, ...(r.signatures ? { signatures: r.signatures.map((s) => s.replace(/(.{76})/g, '$1\r\n')) } : {}) });
    }
    return answer(404, { error: 'not found' });
  }

  const http = await startJsonEmulator({
    methodOf: (url) => url.replace(/^\/vtss\/service\//, ''),
    handle: (req, method, body) => handle(method, body, req.headers.authorization),
    notPost: answer(405, {}),
    internalError: { status: 500, contentType: 'application/json', text: JSON.stringify({ status: '50000', description: 'internal error' }) },
    fault500: { status: 500, contentType: 'text/plain', text: 'error' },
    garbage: '<html>gateway</html>',
  });
  const { origin } = http;

  /** @returns {Promise<void>} async 3: get a token from the integrator, then send the result with it (GET with a JSON body, as the document shows). */
  async function callBack(/** @type {any} */ r) {
    const w = /** @type {NonNullable<typeof webhook>} */ (webhook);
    const auth = await sendJson(w.authUrl, { grant_type: 'client_credentials', client_id: w.clientId, client_secret: w.clientSecret }, { method: 'GET' });
    const token = auth.json?.data?.access_token;
    const body = {
      meta_data: { request_id: `VIETTEL_${r.id}_${Date.now()}`, transaction_id: r.id, description: r.status === '1' ? 'Ký thành công' : 'Không thành công', status: r.status },
      data: {
        action_timestamp: Math.floor(Date.now() / 1000), signature_timestamp: Math.floor(Date.now() / 1000),
        results: r.status === '1' ? r.docIds.map((/** @type {string} */ d, /** @type {number} */ i) => ({ document_id: d, signature: r.signatures[i] })) : [],
      },
    };
    const result = token ? await sendJson(w.resultUrl, body, { method: 'GET', authorization: `Bearer ${token}` }) : { status: 0 };
    callbacks.push({ auth: auth.status, result: result.status, body });
  }

  return {
    origin,
    baseUrl: origin,
    control: {
      async next(/** @type {string} */ user) {
        const r = await waitForPending(() => [...requests.values()].find((x) => x.user === user && x.status === '4000'), `no pending request for ${user}`);
        return { id: r.id, count: r.hashes.length };
      },
      /** approve → 1 (signed), reject → 4002, expire → 4001. */
      async decide(/** @type {string} */ id, /** @type {'approve' | 'reject' | 'expire'} */ decision) {
        const r = requests.get(id);
        if (!r || r.status !== '4000') throw new Error(`request ${id} is not waiting`);
        if (decision === 'approve') {
          r.status = '6000';
          const sigs = await options.keyStore.signDigests(r.keyId, { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', digests: r.hashes.map((h) => new Uint8Array(Buffer.from(h, 'base64'))) });
          r.signatures = sigs.map((s) => Buffer.from(s).toString('base64'));
          r.status = '1';
        } else {
          r.status = decision === 'reject' ? '4002' : '4001';
        }
        for (const w of r.waiters.splice(0)) w();
        if (r.hook && webhook && !dropCallbacks) await callBack(r);
      },
      /** The integrator's two callback URLs and the client id / secret it issued to Viettel. */
      setWebhook(/** @type {typeof webhook} */ w) {
        webhook = w;
      },
      dropCallbacks(/** @type {boolean} */ drop) {
        dropCallbacks = drop;
      },
      callbacks: () => callbacks.slice(),
      reset() {
        for (const r of requests.values()) {
          if (r.status !== '4000') continue;
          r.status = '4001';
          for (const w of r.waiters.splice(0)) w();
        }
        http.clearFaults();
        dropCallbacks = false;
      },
      expireTokens() {
        for (const t of tokens.values()) t.expiresAt = 0;
      },
      revoke(/** @type {string} */ credentialId) {
        revoked.add(credentialId);
      },
      fail: http.fail,
      logins: () => logins,
    },
    close: http.close,
  };
}
