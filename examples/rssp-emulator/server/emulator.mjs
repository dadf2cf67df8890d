// @ts-check
// An EMULATOR of an ETSI TS 119 432 remote signing service in the `rssp-119.432-v2.0` profile (the shape FPT
// eSignCloud / Mobile-ID integrators call), for kyso's tests and demos. It is not the provider's software and
// not a conformance reference: see README.md for which parts follow which document.
// Keys stay on a PKCS#11 token (SoftHSM2 in tests) behind examples/remote-hsm's key store.
import { randomBytes, verify as verifySignature } from 'node:crypto';
import { postCallback, startJsonEmulator, waitForPending } from '../../remote-emulators-common/server/http.mjs';

const OID = {
  sha256: '2.16.840.1.101.3.4.2.1', sha384: '2.16.840.1.101.3.4.2.2', sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1', rsassaPss: '1.2.840.113549.1.1.10',
  sha256WithRSA: '1.2.840.113549.1.1.11', sha384WithRSA: '1.2.840.113549.1.1.12', sha512WithRSA: '1.2.840.113549.1.1.13',
  ecPublicKey: '1.2.840.10045.2.1', ecdsaSha256: '1.2.840.10045.4.3.2', ecdsaSha384: '1.2.840.10045.4.3.3', ecdsaSha512: '1.2.840.10045.4.3.4',
};
/** @type {Record<string, 'SHA-256' | 'SHA-384' | 'SHA-512'>} */
const HASH_OF = { [OID.sha256]: 'SHA-256', [OID.sha384]: 'SHA-384', [OID.sha512]: 'SHA-512' };
const HASH_LEN = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

/** The emulator's `error` numbers (0 and 3005/3006 as integrators' clients handle them; the rest are the emulator's). */
export const RSSP_ERRORS = {
  OK: 0, LOGIN_FAILED: 3000, TOKEN_EXPIRED: 3005, TOKEN_INVALID: 3006, PENDING: 4000, EXPIRED: 4001, REJECTED: 4002,
  CANCELLED: 4003, CERT_REVOKED: 5001, INVALID_REQUEST: 1001, INVALID_SAD: 1002, UNKNOWN_CREDENTIAL: 1003,
};

/**
 * @typedef {object} RsspEmulatorOptions
 * @property {import('../../remote-hsm/server/keystore.mjs').KeyStore} keyStore
 * @property {{ name: string, user: string, password: string, signature: string, publicKeyPem: string }} relyingParty
 * @property {Record<string, { credentialID: string, keyId: string }[]>} agreements  agreementUUID → credentials
 * @property {number} [tokenTtlSeconds]  default 3600
 * @property {number} [loginSkewMs]  accepted clock difference of the login timestamp; default 300000
 */

/**
 * @typedef {object} SignRequest
 * @property {string} responseID
 * @property {string} agreementUUID
 * @property {string} credentialID
 * @property {number} count
 * @property {'pending' | 'signed' | 'rejected' | 'expired'} state
 * @property {string[]} [signatures]
 * @property {string} [responseURI]
 */

/** @param {RsspEmulatorOptions} options */
export async function startRsspEmulator(options) {
  /** @type {Map<string, { expiresAt: number }>} */
  const tokens = new Map();
  /** @type {Map<string, { credentialID: string, hashes: string[], hashOid: string, left: number, expiresAt: number }>} */
  const sads = new Map();
  /** @type {Map<string, SignRequest & { scheme: string, hash: 'SHA-256' | 'SHA-384' | 'SHA-512', keyId: string, hashes: string[], expiresAt: number, waiters: (() => void)[] }>} */
  const requests = new Map();
  const revoked = new Set();
  /** @type {{ url: string, body: any, status: number }[]} */
  const callbacks = [];
  let dropCallbacks = false;
  let logins = 0;
  const keys = new Map((await options.keyStore.keys()).map((k) => [k.keyId, k]));

  const credentialOf = (/** @type {string} */ agreement, /** @type {string} */ id) => (options.agreements[agreement] ?? []).find((c) => c.credentialID === id);
  const describe = (/** @type {{ credentialID: string, keyId: string }} */ c) => {
    const k = keys.get(c.keyId);
    if (!k) throw new Error(`no key ${c.keyId}`);
    const algo = k.keyType === 'RSA' ? [OID.rsaEncryption, OID.sha256WithRSA, OID.rsassaPss] : [OID.ecPublicKey, OID.ecdsaSha256];
    return {
      credentialID: c.credentialID,
      key: { status: revoked.has(c.credentialID) ? 'disabled' : 'enabled', algo, len: k.keyBits },
      cert: {
        status: revoked.has(c.credentialID) ? 'revoked' : 'valid',
        certificates: [k.certificate, ...k.chain].map((d) => Buffer.from(d).toString('base64')),
      },
      authMode: 'implicit', SCAL: '2', multisign: 100,
    };
  };

  /** @param {ReturnType<typeof requests.get> & {}} r */
  async function complete(r, /** @type {'approve' | 'reject' | 'expire'} */ decision) {
    if (r.state !== 'pending') throw new Error(`request ${r.responseID} is ${r.state}`);
    if (decision === 'approve') {
      const scheme = /** @type {'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA'} */ (r.scheme);
      const sigs = await options.keyStore.signDigests(r.keyId, { scheme, hash: r.hash, digests: r.hashes.map((h) => new Uint8Array(Buffer.from(h, 'base64'))) });
      r.signatures = sigs.map((s) => Buffer.from(s).toString('base64'));
      r.state = 'signed';
    } else {
      r.state = decision === 'reject' ? 'rejected' : 'expired';
    }
    for (const w of r.waiters.splice(0)) w();
    if (r.responseURI && !dropCallbacks) {
      const body = resultBody(r);
      callbacks.push({ url: r.responseURI, body, status: await postCallback(r.responseURI, body) });
    }
  }

  /** @param {SignRequest} r */
  function resultBody(r) {
    if (r.state === 'signed') return { error: 0, errorDescription: 'SUCCESSFULLY', responseID: r.responseID, signatures: r.signatures };
    if (r.state === 'rejected') return { error: RSSP_ERRORS.REJECTED, errorDescription: 'REJECTED BY USER', responseID: r.responseID };
    if (r.state === 'expired') return { error: RSSP_ERRORS.EXPIRED, errorDescription: 'REQUEST EXPIRED', responseID: r.responseID };
    return { error: RSSP_ERRORS.PENDING, errorDescription: 'WAITING FOR USER CONFIRMATION', responseID: r.responseID };
  }

  /** @param {string | undefined} header */
  function checkLogin(header, /** @type {any} */ body) {
    const m = /^SSL2 ([A-Za-z0-9+/=]+)/.exec(header ?? '');
    if (!m) return 'no SSL2 authorization';
    const parts = Buffer.from(m[1], 'base64').toString('utf8').split(':');
    if (parts.length !== 5) return 'malformed SSL2 authorization';
    const [user, password, signature, timestamp, pkcs1] = parts;
    const rp = options.relyingParty;
    if (body?.relyingParty !== rp.name || user !== rp.user || password !== rp.password || signature !== rp.signature) return 'unknown relying party or wrong credentials';
    if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() - Number(timestamp)) > (options.loginSkewMs ?? 300_000)) return 'timestamp out of range';
    const ok = verifySignature('sha256', Buffer.from(`${user}${password}${signature}${timestamp}`, 'utf8'), rp.publicKeyPem, Buffer.from(pkcs1, 'base64'));
    return ok ? undefined : 'relying party signature does not verify';
  }

  /** @returns {Promise<any>} */
  async function handle(/** @type {string} */ method, /** @type {any} */ body, /** @type {string | undefined} */ auth) {
    if (method === 'auth/login') {
      const why = checkLogin(auth, body);
      if (why) return { error: RSSP_ERRORS.LOGIN_FAILED, errorDescription: why };
      logins++;
      const accessToken = randomBytes(24).toString('base64url');
      const ttl = options.tokenTtlSeconds ?? 3600;
      tokens.set(accessToken, { expiresAt: Date.now() + ttl * 1000 });
      return { error: 0, errorDescription: 'SUCCESSFULLY', accessToken, expiresIn: ttl };
    }
    const bearer = /^Bearer (.+)$/.exec(auth ?? '')?.[1];
    const t = bearer ? tokens.get(bearer) : undefined;
    if (!t) return { error: RSSP_ERRORS.TOKEN_INVALID, errorDescription: 'INVALID ACCESS TOKEN' };
    if (t.expiresAt <= Date.now()) return { error: RSSP_ERRORS.TOKEN_EXPIRED, errorDescription: 'ACCESS TOKEN EXPIRED' };
    if (body?.profile !== 'rssp-119.432-v2.0') return { error: RSSP_ERRORS.INVALID_REQUEST, errorDescription: 'unknown profile' };
    const agreement = typeof body.agreementUUID === 'string' ? body.agreementUUID : '';
    switch (method) {
      case 'credentials/list':
        return { error: 0, errorDescription: 'SUCCESSFULLY', certs: (options.agreements[agreement] ?? []).map(describe) };
      case 'credentials/info': {
        const c = credentialOf(agreement, body.credentialID);
        if (!c) return { error: RSSP_ERRORS.UNKNOWN_CREDENTIAL, errorDescription: 'CREDENTIAL NOT FOUND' };
        return { error: 0, errorDescription: 'SUCCESSFULLY', ...describe(c) };
      }
      case 'credentials/authorize': {
        const c = credentialOf(agreement, body.credentialID);
        if (!c) return { error: RSSP_ERRORS.UNKNOWN_CREDENTIAL, errorDescription: 'CREDENTIAL NOT FOUND' };
        if (revoked.has(c.credentialID)) return { error: RSSP_ERRORS.CERT_REVOKED, errorDescription: 'CERTIFICATE REVOKED' };
        const d = body.documentDigests;
        const hashes = Array.isArray(d?.hashes) ? d.hashes : [];
        if (hashes.length === 0 || hashes.length !== body.numSignatures || !HASH_OF[d.hashAlgorithmOID]) return { error: RSSP_ERRORS.INVALID_REQUEST, errorDescription: 'documentDigests' };
        const SAD = randomBytes(24).toString('base64url');
        sads.set(SAD, { credentialID: c.credentialID, hashes, hashOid: d.hashAlgorithmOID, left: hashes.length, expiresAt: Date.now() + 300_000 });
        return { error: 0, errorDescription: 'SUCCESSFULLY', SAD, expiresIn: 300 };
      }
      case 'signatures/signHash': {
        const c = credentialOf(agreement, body.credentialID);
        if (!c) return { error: RSSP_ERRORS.UNKNOWN_CREDENTIAL, errorDescription: 'CREDENTIAL NOT FOUND' };
        if (revoked.has(c.credentialID)) return { error: RSSP_ERRORS.CERT_REVOKED, errorDescription: 'CERTIFICATE REVOKED' };
        const sad = sads.get(body.SAD);
        const d = body.documentDigests;
        const hashes = Array.isArray(d?.hashes) ? d.hashes : [];
        // The SAD binds the credential and the very hashes (SCAL 2, ETSI TS 119 432 §7.x / CSC §11.9).
        if (!sad || sad.expiresAt < Date.now() || sad.credentialID !== c.credentialID || sad.hashOid !== d?.hashAlgorithmOID
          || hashes.length !== sad.hashes.length || hashes.some((/** @type {string} */ h, /** @type {number} */ i) => h !== sad.hashes[i])) {
          return { error: RSSP_ERRORS.INVALID_SAD, errorDescription: 'INVALID SAD' };
        }
        sads.delete(body.SAD);
        const hash = HASH_OF[d.hashAlgorithmOID];
        if (hashes.some((/** @type {string} */ h) => Buffer.from(h, 'base64').length !== HASH_LEN[hash])) return { error: RSSP_ERRORS.INVALID_REQUEST, errorDescription: 'hash length' };
        const scheme = schemeOf(body.signAlgo);
        if (!scheme) return { error: RSSP_ERRORS.INVALID_REQUEST, errorDescription: 'signAlgo' };
        const mode = body.operationMode === 'A' ? 'A' : 'S';
        const responseID = randomBytes(12).toString('hex');
        const validity = Number.isInteger(body.validityPeriod) && body.validityPeriod > 0 ? body.validityPeriod : 300;
        const r = {
          responseID, agreementUUID: agreement, credentialID: c.credentialID, count: hashes.length, state: /** @type {const} */ ('pending'),
          scheme, hash, keyId: c.keyId, hashes, expiresAt: Date.now() + validity * 1000, waiters: /** @type {(() => void)[]} */ ([]),
          ...(mode === 'A' && typeof body.responseURI === 'string' ? { responseURI: body.responseURI } : {}),
        };
        requests.set(responseID, /** @type {any} */ (r));
        if (mode === 'A') return { error: 0, errorDescription: 'SUCCESSFULLY', responseID };
        await new Promise((resolve) => r.waiters.push(() => resolve(undefined)));
        return resultBody(/** @type {any} */ (r));
      }
      case 'signatures/signPolling': {
        const r = requests.get(body.responseID);
        if (!r || r.agreementUUID !== agreement) return { error: RSSP_ERRORS.INVALID_REQUEST, errorDescription: 'UNKNOWN responseID' };
        if (r.state === 'pending' && r.expiresAt <= Date.now()) await complete(r, 'expire');
        return resultBody(r);
      }
      default:
        return { error: RSSP_ERRORS.INVALID_REQUEST, errorDescription: 'unknown method' };
    }
  }

  const http = await startJsonEmulator({
    methodOf: (url) => url.replace(/^\/rssp\/v2\//, ''),
    handle: async (req, method, body) => ({ http: 200, body: await handle(method, body, req.headers.authorization) }),
    notPost: { http: 200, body: { error: RSSP_ERRORS.INVALID_REQUEST, errorDescription: 'POST only' } },
    internalError: { status: 500, contentType: 'text/plain', text: 'internal error' },
    garbage: '<html>login</html>',
  });
  const { origin } = http;

  return {
    origin,
    baseUrl: `${origin}/rssp/v2`,
    /** What the test (the signer's phone) controls. */
    control: {
      /** Waits (≤ 20 s) for the oldest pending request of `agreementUUID` and tells what it asks. */
      async next(/** @type {string} */ agreementUUID) {
        const r = await waitForPending(() => [...requests.values()].find((x) => x.agreementUUID === agreementUUID && x.state === 'pending'), `no pending request for ${agreementUUID}`);
        return { responseID: r.responseID, count: r.count, credentialID: r.credentialID };
      },
      /** The user approves or rejects on the phone, or the service's window closes. */
      async decide(/** @type {string} */ responseID, /** @type {'approve' | 'reject' | 'expire'} */ decision) {
        const r = requests.get(responseID);
        if (!r) throw new Error(`unknown request ${responseID}`);
        await complete(r, decision);
      },
      /** Closes every pending request without telling anyone (between tests). */
      reset() {
        for (const r of requests.values()) {
          if (r.state !== 'pending') continue;
          r.state = 'expired';
          for (const w of r.waiters.splice(0)) w();
        }
        http.clearFaults();
        dropCallbacks = false;
      },
      expireTokens() {
        for (const t of tokens.values()) t.expiresAt = 0;
      },
      revoke(/** @type {string} */ credentialID) {
        revoked.add(credentialID);
      },
      /** The next call of `method` (`*`: any) answers HTTP 500, a non-JSON page, or never. */
      fail: http.fail,
      /** Callbacks are not sent (a webhook URL the service cannot reach). */
      dropCallbacks(/** @type {boolean} */ drop) {
        dropCallbacks = drop;
      },
      callbacks: () => callbacks.slice(),
      logins: () => logins,
    },
    close: http.close,
  };
}

/** @returns {'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA' | undefined} */
function schemeOf(/** @type {unknown} */ oid) {
  if (oid === OID.rsaEncryption || oid === OID.sha256WithRSA || oid === OID.sha384WithRSA || oid === OID.sha512WithRSA) return 'RSASSA-PKCS1-v1_5';
  if (oid === OID.rsassaPss) return 'RSA-PSS';
  if (oid === OID.ecPublicKey || oid === OID.ecdsaSha256 || oid === OID.ecdsaSha384 || oid === OID.ecdsaSha512) return 'ECDSA';
  return undefined;
}
