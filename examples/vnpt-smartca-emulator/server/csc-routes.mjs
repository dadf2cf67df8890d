// @ts-check
// The EMULATED CSC-style surface of VNPT SmartCA (`https://gwsca.vnpt.vn`: `auth/token`, `csc/credentials/list`,
// `csc/credentials/info`, `csc/signature/signhash`, `esca/csc/signature/signhash`, `csc/credentials/gettraninfo`).
// Not VNPT's software: see README.md for what follows integrators' quotes of "Tài liệu tích hợp VNPT-SmartCA" v1.1
// and what is inferred. Its transactions live in the sp769 emulator's map, so the same phone (`control.next`,
// `control.decide`) confirms them and the same PKCS#11 key store signs. Its own HTTP server because `auth/token`
// is form-encoded (OAuth 2), which the shared JSON server does not read.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

/** `tranStatus` values (integrators' quotes of the document, §5.2.5). */
export const CSC_TRAN_STATUS = { signed: 1, waiting: 4000, expired: 4001, rejected: 4002 };
/** Hashes in one signhash (integrators: "tối đa 50"). */
export const CSC_MAX_HASHES = 50;

/**
 * @param {{ clientId: string, clientSecret: string, passwords: Record<string, string>,
 *   users: Record<string, { serial: string, keyId: string, service?: string }[]>,
 *   keys: Map<string, { certificate: Uint8Array, chain: Uint8Array[] }>, trans: Map<string, any>, revoked: Set<string> }} o
 */
export async function startCscGateway(o) {
  /** access token → { user, valid } */
  const access = new Map();
  /** refresh token → user */
  const refresh = new Map();
  /** @type {Record<string, number>} */
  let grants = {};
  let refuseAll = false;
  /** @type {{ method: string, kind: '500' | 'garbage' | 'hang' }[]} */
  const faults = [];
  /** @type {Set<import('node:http').ServerResponse>} */
  const hung = new Set();
  // A stable credentialId per certificate, as CSC ids are opaque (not the serial).
  /** @type {Map<string, { user: string, serial: string, keyId: string, service?: string }>} */
  const credentials = new Map();
  for (const [user, certs] of Object.entries(o.users)) for (const c of certs) credentials.set(randomUUID(), { user, ...c });

  const envelope = (/** @type {number} */ http, /** @type {number} */ code, /** @type {string} */ codeDesc, /** @type {unknown} */ content = null) =>
    ({ http, body: { code, codeDesc, message: codeDesc, content } });

  /** @returns {Promise<{ http: number, body: unknown }>} */
  async function token(/** @type {URLSearchParams} */ form) {
    if (form.get('client_id') !== o.clientId || form.get('client_secret') !== o.clientSecret) return { http: 400, body: { error: 'invalid_client' } };
    const type = form.get('grant_type') ?? '';
    grants[type] = (grants[type] ?? 0) + 1;
    let user;
    if (type === 'password') {
      const u = form.get('username') ?? '';
      if (o.passwords[u] === undefined || o.passwords[u] !== form.get('password')) return { http: 400, body: { error: 'invalid_grant' } };
      user = u;
    } else if (type === 'refresh_token') {
      user = refresh.get(form.get('refresh_token') ?? '');
      if (!user) return { http: 400, body: { error: 'invalid_grant' } };
    } else {
      return { http: 400, body: { error: 'unsupported_grant_type' } };
    }
    const a = randomBytes(24).toString('base64url');
    const r = randomBytes(24).toString('base64url');
    access.set(a, { user, valid: true });
    refresh.set(r, user);
    return { http: 200, body: { access_token: a, refresh_token: r, token_type: 'Bearer', expires_in: 3600, scope: 'sign offline_access' } };
  }

  /** @returns {Promise<{ http: number, body: unknown }>} */
  async function api(/** @type {string} */ method, /** @type {string | undefined} */ bearer, /** @type {any} */ body, /** @type {boolean} */ eseal) {
    const t = bearer ? access.get(bearer) : undefined;
    if (!t || !t.valid || refuseAll) return envelope(401, 401, 'UNAUTHORIZED');
    const user = t.user;
    if (!body || typeof body !== 'object') return envelope(400, 400, 'BAD_REQUEST');
    if (method === 'credentials/list') return envelope(200, 0, 'SUCCESS', [...credentials].filter(([, c]) => c.user === user).map(([id]) => id));
    const cred = credentials.get(body.credentialId);
    if (method === 'credentials/info') {
      if (!cred || cred.user !== user) return envelope(200, 40001, 'CREDENTIAL_NOT_FOUND');
      const k = o.keys.get(cred.keyId);
      if (!k) throw new Error(`no key ${cred.keyId}`);
      return envelope(200, 0, 'SUCCESS', {
        credentialId: body.credentialId,
        key: { status: 'enabled', alg: ['1.2.840.113549.1.1.11'], len: 2048 },
        cert: {
          status: o.revoked.has(cred.serial) ? 'revoked' : 'valid', serialNumber: cred.serial, subjectDN: `SERIALNUMBER=${cred.serial}, CN=${cred.service ?? 'SMARTCA'}`,
          certificates: [k.certificate, ...k.chain].map((d) => Buffer.from(d).toString('base64')),
        },
        authMode: 'oauth2code', multisign: CSC_MAX_HASHES,
      });
    }
    if (method === 'signature/signhash') {
      if (!cred || cred.user !== user) return envelope(200, 40001, 'CREDENTIAL_NOT_FOUND');
      if (o.revoked.has(cred.serial)) return envelope(200, 40003, 'CREDENTIAL_STATUS_INVALID');
      // The emulator's rule: an organisation's seal signs only through esca/, a person's only through csc/.
      if ((cred.service === 'ESEAL') !== eseal) return envelope(200, 40005, 'CREDENTIAL_TYPE_MISMATCH');
      const datas = Array.isArray(body.datas) ? body.datas : [];
      const ok = (/** @type {any} */ d) => typeof d?.name === 'string' && typeof d.hash === 'string' && Buffer.from(d.hash, 'base64').length === 32;
      if (datas.length === 0 || datas.length > CSC_MAX_HASHES || !datas.every(ok)) return envelope(200, 400, 'BAD_REQUEST');
      const tranId = randomUUID();
      o.trans.set(tranId, {
        tranCode: tranId, transactionId: typeof body.refTranId === 'string' ? body.refTranId : '', user, keyId: cred.keyId, state: 'pending',
        files: datas.map((/** @type {any} */ d) => ({ doc_id: d.name, hash: Buffer.from(d.hash, 'base64').toString('hex') })),
        csc: { credentialId: body.credentialId, eseal, reqTime: new Date().toISOString() },
      });
      return envelope(200, 0, 'SUCCESS', { tranId, refTranId: body.refTranId ?? null });
    }
    if (method === 'credentials/gettraninfo') {
      const x = o.trans.get(body.tranId);
      if (!x || !x.csc || x.user !== user) return envelope(200, 40004, 'TRANSACTION_NOT_FOUND');
      const [tranStatus, tranStatusDesc] = x.state === 'signed' ? [CSC_TRAN_STATUS.signed, 'SUCCESS'] : x.state === 'rejected' ? [CSC_TRAN_STATUS.rejected, 'SIGNER_REJECTED']
        : x.state === 'expired' ? [CSC_TRAN_STATUS.expired, 'EXPIRED'] : [CSC_TRAN_STATUS.waiting, 'WAITING_FOR_SIGNER_CONFIRM'];
      return envelope(200, 0, 'SUCCESS', {
        refTranId: x.transactionId, tranId: x.tranCode, sub: user, credentialId: x.csc.credentialId, tranType: 1, tranTypeDesc: x.csc.eseal ? 'ESealSignHash' : 'SignHash',
        tranStatus, tranStatusDesc, reqTime: x.csc.reqTime,
        documents: x.files.map((/** @type {{ doc_id: string, hash: string }} */ f, /** @type {number} */ i) => ({
          name: f.doc_id, hash: Buffer.from(f.hash, 'hex').toString('base64'), sig: x.signatures ? x.signatures[i].signature_value : null,
        })),
      });
    }
    return envelope(404, 404, 'NOT_FOUND');
  }

  const methodOf = (/** @type {string} */ path) => (path === '/auth/token' ? 'token' : path.replace(/^\/(esca\/)?csc\//, ''));

  const server = createServer((req, res) => {
    const chunks = /** @type {Buffer[]} */ ([]);
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const path = (req.url ?? '').replace(/\?.*$/, '');
      const method = methodOf(path);
      const fi = faults.findIndex((f) => f.method === method);
      if (fi >= 0) {
        const [f] = faults.splice(fi, 1);
        if (f.kind === 'hang') { hung.add(res); return; }
        res.writeHead(f.kind === '500' ? 500 : 200, { 'Content-Type': f.kind === '500' ? 'application/json' : 'text/html' });
        res.end(f.kind === '500' ? '{"code":500,"codeDesc":"INTERNAL_ERROR"}' : '<html>maintenance</html>');
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      /** @type {{ http: number, body: unknown }} */
      let a;
      try {
        if (req.method !== 'POST') a = envelope(405, 405, 'POST only');
        else if (method === 'token') a = await token(new URLSearchParams(text));
        else {
          let body;
          try {
            body = JSON.parse(text || '{}');
          } catch {
            body = undefined;
          }
          const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
          a = await api(method, bearer, body, path.startsWith('/esca/'));
        }
      } catch {
        a = envelope(500, 500, 'INTERNAL_ERROR');
      }
      const out = JSON.stringify(a.body);
      res.writeHead(a.http, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(out) });
      res.end(out);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const origin = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;

  return {
    origin,
    fail(/** @type {string} */ method, /** @type {'500' | 'garbage' | 'hang'} */ kind) {
      faults.push({ method, kind });
    },
    expireTokens(/** @type {string} */ user) {
      for (const t of access.values()) if (t.user === user) t.valid = false;
    },
    refuseTokens(/** @type {boolean} */ on) {
      refuseAll = on;
    },
    grants: () => ({ ...grants }),
    reset() {
      faults.length = 0;
      refuseAll = false;
      grants = {};
    },
    async close() {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(() => r(undefined)));
    },
  };
}
