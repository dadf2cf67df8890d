// @ts-check
// A small but real remote signing service speaking the Cloud Signature Consortium API v2.0.0.2 over node:http,
// signing on PKCS#11 tokens (SoftHSM2) through a KeyStore. What it shows:
//   - OAuth 2.0 client credentials for the relying service (RFC 6749 §4.4, CSC §8.4.4), and auth/login (Basic) for a user;
//   - per-user credentials (a client may act only for the users it is registered for: 403 otherwise);
//   - credentials/authorize → HTTP 202 + handle while the user confirms on a "phone" (a one-time confirmation link,
//     opened on a small page under a strict CSP), credentials/authorizeCheck → SAD (CSC §11.6–11.7);
//   - an OTP variant (explicit mode: credentials/getChallenge sends the code to the phone, CSC §11.8);
//   - SADs bound to the hashes, to a number of signatures and to an expiry; signatures/signHash (CSC §11.10);
//   - an audit log (JSONL) with who, what credential, how many signatures, outcome: no hashes, no document, no secrets;
//   - the defences a copy must keep (README "Security properties"): one-time codes guarded by failure counts per
//     credential and per client across challenges, with lock-out and rate limits; approvals, SADs and tokens that
//     expire and die together; bounded, swept state; a 4xx for every malformed request; CORS for listed origins only.
import { createServer } from 'node:http';
import { randomBytes, randomInt, timingSafeEqual, createHash } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import * as asn1js from 'asn1js';
import { confirmationPage, decidedPage, notFoundPage, CONFIRM_CSS, CSP } from './pages.mjs';
import { Lockout, RateLimit } from './limits.mjs';

/** OIDs (RFC 8017 App. C, RFC 4055, RFC 5758, RFC 5754). */
const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  sha512WithRSA: '1.2.840.113549.1.1.13',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  ecdsaSha384: '1.2.840.10045.4.3.3',
  ecdsaSha512: '1.2.840.10045.4.3.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};
/** @type {Record<string, { name: 'SHA-256' | 'SHA-384' | 'SHA-512', length: number }>} */
const HASHES = {
  [OID.sha256]: { name: 'SHA-256', length: 32 },
  [OID.sha384]: { name: 'SHA-384', length: 48 },
  [OID.sha512]: { name: 'SHA-512', length: 64 },
};
const RSA_WITH = { [OID.sha256WithRSA]: OID.sha256, [OID.sha384WithRSA]: OID.sha384, [OID.sha512WithRSA]: OID.sha512 };
const ECDSA_WITH = { [OID.ecdsaSha256]: OID.sha256, [OID.ecdsaSha384]: OID.sha384, [OID.ecdsaSha512]: OID.sha512 };

const METHODS = [
  'auth/login', 'auth/revoke', 'oauth2/token', 'credentials/list', 'credentials/info', 'credentials/authorize',
  'credentials/authorizeCheck', 'credentials/getChallenge', 'signatures/signHash',
];
const MAX_BODY = 256 * 1024;

/**
 * @typedef {object} UserConfig
 * @property {string} id
 * @property {string} name       display name on the confirmation page
 * @property {string} [password] for auth/login (Basic)
 * @property {string} phoneKey   bearer key of the user's "phone" inbox (GET /phone/<id>)
 *
 * @typedef {object} ClientConfig
 * @property {string} id
 * @property {string} secret
 * @property {string[]} users    users this relying service may act for
 *
 * @typedef {object} CredentialConfig
 * @property {string} id
 * @property {string} owner      user id
 * @property {string} key        KeyStore key id
 * @property {'phone' | 'otp' | 'auto'} confirm  phone: implicit mode, the user approves a one-time link (202 + handle);
 *   otp: explicit mode, the user types a code the phone received; auto: an automated seal (SAD at once, SCAL 1)
 * @property {string} [description]
 * @property {number} [multisign]  signatures per authorisation; default 10
 *
 * @typedef {object} RemoteHsmOptions
 * @property {import('./keystore.mjs').KeyStore} keyStore
 * @property {UserConfig[]} users
 * @property {ClientConfig[]} clients
 * @property {CredentialConfig[]} credentials
 * @property {string} [host]            default 127.0.0.1
 * @property {number} [port]            default 0 (any free port)
 * @property {string[]} [allowedOrigins] origins answered with CORS headers (browser relying pages)
 * @property {number} [tokenTtlMs]      access tokens; default 1 h
 * @property {number} [sadTtlMs]        SADs; default 5 min
 * @property {number} [confirmTtlMs]    how long a confirmation (or OTP) stays open; default 2 min
 * @property {number} [longPollMs]      authorizeCheck holds a pending answer this long; default 0
 * @property {string} [auditLog]        JSONL file to append to
 * @property {(c: { user: string, url: string, credentialID: string, numSignatures: number }) => void} [onConfirmation]
 *   the "push notification" to the user's phone
 * @property {(o: { user: string, credentialID: string, otp: string }) => void} [onOtp]  the "SMS"
 * @property {number} [otpDigits]       length of the one-time codes; default 6
 * @property {number} [maxFailures]     consecutive wrong codes on one credential, across challenges, that lock it;
 *   default 5
 * @property {number} [maxClientFailures]  consecutive wrong codes by one client (or logged-in user) across its
 *   credentials that lock its code attempts; default 50 (a relying service types for many users)
 * @property {number} [lockoutMs]       how long a lock-out lasts, and how long failures are remembered; default 15 min
 * @property {{ max: number, windowMs: number }} [challengeLimit]  getChallenge calls per credential; default 10 per 10 min
 * @property {{ max: number, windowMs: number }} [attemptLimit]    code attempts per credential; default 10 per 10 min
 * @property {{ max: number, windowMs: number }} [clientRateLimit] challenges, and separately code attempts, per client
 *   (or logged-in user); default 100 per 10 min
 * @property {{ max: number, windowMs: number }} [authFailureLimit] wrong passwords (auth/login) per user, wrong secrets
 *   (oauth2/token) per client; past it, every attempt for that name answers 429 until the window moves; default 10
 *   per 10 min
 * @property {number} [maxPendingPerUser]  open phone confirmations per user; past it, 429; default 20
 * @property {number} [maxPending]      open phone confirmations in all; past it, 503; default 10 000
 * @property {number} [maxTokens]       live access tokens; past it, 503; default 10 000
 * @property {number} [maxSads]         live SADs; past it, 503; default 10 000
 * @property {number} [sweepIntervalMs] how often expired state is dropped (also on access); default 30 s
 * @property {() => number} [clock]     milliseconds since the epoch; default Date.now (tests move it)
 */

/** A CSC error answer (CSC §10.2, shaped as RFC 6749 §5.2). */
class CscHttpError extends Error {
  /** @param {number} status @param {string} error @param {string} description */
  constructor(status, error, description, retryAfterMs = 0) {
    super(description);
    this.status = status;
    this.error = error;
    this.retryAfterMs = retryAfterMs;
  }
}
const invalid = (/** @type {string} */ d) => new CscHttpError(400, 'invalid_request', d);
/** A credential (or a client's code attempts) locked after too many wrong codes: it neither checks codes nor signs. */
const lockedOut = () => new CscHttpError(403, 'access_denied', 'Too many failed authentications: locked, try again later');
/** RFC 6585 §4. @param {number} ms */
const tooMany = (ms) => new CscHttpError(429, 'too_many_requests', 'Too many requests: try again later', ms);
/** A hard cap on the server's state was reached: refuse new work rather than grow (RFC 6749 §4.1.2.1's name). */
const full = () => new CscHttpError(503, 'temporarily_unavailable', 'Too much pending work: try again later', 60_000);

/**
 * Starts the service. Resolves when it listens.
 * @param {RemoteHsmOptions} options
 */
export async function startRemoteHsm(options) {
  const tokenTtl = options.tokenTtlMs ?? 3_600_000;
  const sadTtl = options.sadTtlMs ?? 300_000;
  const confirmTtl = options.confirmTtlMs ?? 120_000;
  const longPoll = options.longPollMs ?? 0;
  const allowedOrigins = new Set(options.allowedOrigins ?? []);
  const otpDigits = options.otpDigits ?? 6;
  if (!Number.isInteger(otpDigits) || otpDigits < 1 || otpDigits > 12) throw new RangeError('otpDigits must be 1–12');
  const maxPendingPerUser = options.maxPendingPerUser ?? 20;
  const maxPending = options.maxPending ?? 10_000;
  const maxTokens = options.maxTokens ?? 10_000;
  const maxSads = options.maxSads ?? 10_000;
  const sweepEvery = options.sweepIntervalMs ?? 30_000;
  const now = options.clock ?? Date.now;
  const lockoutMs = options.lockoutMs ?? 900_000;
  // Guards of the one-time codes: one per credential, one per client (or logged-in user). Both must allow.
  const perCredential = {
    failures: new Lockout({ maxFailures: options.maxFailures ?? 5, lockoutMs }, now),
    challenges: new RateLimit(options.challengeLimit ?? { max: 10, windowMs: 600_000 }, now),
    attempts: new RateLimit(options.attemptLimit ?? { max: 10, windowMs: 600_000 }, now),
  };
  const perClient = {
    failures: new Lockout({ maxFailures: options.maxClientFailures ?? 50, lockoutMs }, now),
    challenges: new RateLimit(options.clientRateLimit ?? { max: 100, windowMs: 600_000 }, now),
    attempts: new RateLimit(options.clientRateLimit ?? { max: 100, windowMs: 600_000 }, now),
  };
  const guardSets = [perCredential, perClient];
  /** Failed password / client-secret attempts per name: guessing them is as slow as guessing codes. */
  const authFailures = new RateLimit(options.authFailureLimit ?? { max: 10, windowMs: 600_000 }, now);
  /** Refuses (429) while `key` has used up its failed attempts; the right secret included, so guessing gains nothing. @param {string} key */
  const authAllowed = (key) => {
    const wait = authFailures.wait(key);
    if (wait) throw tooMany(wait);
  };
  const users = new Map(options.users.map((u) => [u.id, u]));
  const clients = new Map(options.clients.map((c) => [c.id, c]));

  // Credentials joined with their keys (certificates come from the tokens).
  const keys = new Map((await options.keyStore.keys()).map((k) => [k.keyId, k]));
  /** @type {Map<string, CredentialConfig & { entry: import('./keystore.mjs').KeyEntry }>} */
  const credentials = new Map();
  for (const c of options.credentials) {
    const entry = keys.get(c.key);
    if (!entry) throw new Error(`credential ${c.id}: no key ${c.key} in the key store (have: ${[...keys.keys()].join(', ')})`);
    if (!users.has(c.owner)) throw new Error(`credential ${c.id}: unknown owner ${c.owner}`);
    credentials.set(c.id, { ...c, entry });
  }

  /** @typedef {{ kind: 'user', user: string } | { kind: 'client', client: string }} Principal */
  /** @type {Map<string, { principal: Principal, expiresAt: number }>} */
  const tokens = new Map();
  /** SADs, each bound to the access token it was issued under (`token`): it dies with that token. */
  /** @type {Map<string, { credentialID: string, principal: Principal, token: string, hashes: Set<string> | null, hashOid: string, remaining: number, expiresAt: number }>} */
  const sads = new Map();
  /**
   * Pending phone confirmations, by handle; `code` is the one-time secret in the confirmation link. The approval,
   * like the confirmation, is good until `expiresAt`; `token` is the access token that asked for it.
   * @type {Map<string, { handle: string, code: string, credentialID: string, principal: Principal, token: string, user: string, hashes: string[], hashOid: string, numSignatures: number, description: string, expiresAt: number, state: 'pending' | 'approved' | 'rejected', waiters: Set<() => void> }>}
   */
  const pendings = new Map();
  /** @type {Map<string, { credentialID: string, otp: string, expiresAt: number, tries: number }>} */
  const otps = new Map();
  /** The phone inboxes: what each user's phone shows. */
  /** @type {Map<string, { confirmations: { url: string, expiresAt: string, [k: string]: unknown }[], otps: { expiresAt: string, [k: string]: unknown }[] }>} */
  const phones = new Map();

  let origin = '';
  const secret = () => randomBytes(32).toString('base64url');

  /** @param {Record<string, unknown>} record */
  const audit = async (record) => {
    if (!options.auditLog) return;
    await appendFile(options.auditLog, `${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
  };

  /** The caller's principal and access token. @param {import('node:http').IncomingMessage} req */
  function sessionOf(req) {
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!m) throw new CscHttpError(401, 'invalid_token', 'Missing or malformed access token');
    const t = tokens.get(m[1]);
    if (!t || t.expiresAt <= now()) {
      if (t) tokens.delete(m[1]);
      throw new CscHttpError(401, 'invalid_token', 'The access token is invalid or expired');
    }
    return { principal: t.principal, token: m[1] };
  }
  /** @param {import('node:http').IncomingMessage} req */
  const principalOf = (req) => sessionOf(req).principal;
  /** Whether an access token is still live (a SAD or an approval lives no longer than the token it was issued under). */
  const liveToken = (/** @type {string} */ t) => (tokens.get(t)?.expiresAt ?? 0) > now();
  /** The guards of credential `id` used by `p`, each with its key. @param {string} id @param {Principal} p */
  const guardsOf = (id, p) => /** @type {const} */ ([
    [perCredential, id], [perClient, p.kind === 'user' ? `user:${p.user}` : `client:${p.client}`],
  ]);
  /** @param {ReturnType<typeof guardsOf>} guards */
  const lockedBy = (guards) => guards.some(([g, k]) => g.failures.locked(k));
  /** Takes one event of kind `what` from every guard's rate; a CSC 429 when one refuses. @param {ReturnType<typeof guardsOf>} guards @param {'challenges' | 'attempts'} what */
  const rate = (guards, what) => {
    for (const [g, k] of guards) {
      const wait = g[what].take(k);
      if (wait) throw tooMany(wait);
    }
  };
  /** A new access token, within the cap. @param {Principal} principal */
  function issueToken(principal) {
    if (tokens.size >= maxTokens) sweep();
    if (tokens.size >= maxTokens) throw full();
    const token = secret();
    tokens.set(token, { principal, expiresAt: now() + tokenTtl });
    return token;
  }

  /** @param {Principal} p */
  const who = (p) => (p.kind === 'user' ? { user: p.user } : { client: p.client });

  /** Whether `p` may use credentials of `owner`: the owner itself, or a client registered for the owner. */
  const mayActFor = (/** @type {Principal} */ p, /** @type {string} */ owner) =>
    p.kind === 'user' ? p.user === owner : (clients.get(p.client)?.users ?? []).includes(owner);

  /** @param {Principal} p @param {unknown} id */
  function credentialFor(p, id) {
    if (typeof id !== 'string' || id === '') throw invalid('Missing (or invalid type) string parameter credentialID');
    const c = credentials.get(id);
    if (!c) throw invalid('Invalid parameter credentialID');
    if (!mayActFor(p, c.owner)) throw new CscHttpError(403, 'forbidden', 'This credential belongs to another user');
    return c;
  }

  /** CredentialInfo (CSC §11.5). @param {CredentialConfig & { entry: import('./keystore.mjs').KeyEntry }} c @param {Record<string, unknown>} body */
  function credentialInfo(c, body) {
    const e = c.entry;
    const algo = e.keyType === 'RSA'
      ? [OID.rsaEncryption, OID.sha256WithRSA, OID.sha384WithRSA, OID.sha512WithRSA, OID.rsassaPss]
      : [OID.ecPublicKey, OID.ecdsaSha256, OID.ecdsaSha384, OID.ecdsaSha512];
    const which = body.certificates ?? 'single';
    if (which !== 'none' && which !== 'single' && which !== 'chain') throw invalid('Invalid parameter certificates');
    const certs = which === 'none' ? [] : which === 'single' ? [e.certificate] : [e.certificate, ...e.chain];
    /** @type {Record<string, unknown>} */
    const auth = c.confirm === 'otp'
      ? {
        mode: 'explicit', expression: 'OTP',
        objects: [{ type: 'Password', id: 'OTP', format: 'N', generator: 'totp', label: 'OTP', description: 'Mã xác thực gửi tới điện thoại / the code sent to your phone' }],
      }
      : { mode: 'implicit' };
    return {
      description: c.description ?? c.id,
      key: { status: 'enabled', algo, len: e.keyBits, ...(e.curve ? { curve: e.curve } : {}) },
      cert: { status: 'valid', certificates: certs.map((d) => Buffer.from(d).toString('base64')) },
      ...(body.authInfo === false ? {} : { auth }),
      // SCAL 2 (CEN EN 419 241-1): the SAD binds the hashes; the seal is an automated SCAL 1 credential.
      SCAL: c.confirm === 'auto' ? '1' : '2',
      multisign: c.multisign ?? 10,
      lang: 'vi-VN',
    };
  }

  /** Checks `hashes` (base64 digests of `hashOid`). @param {unknown} hashes @param {unknown} hashOid @param {boolean} required */
  function readHashes(hashes, hashOid, required) {
    if (hashes === undefined && !required) return null;
    if (!Array.isArray(hashes) || hashes.length === 0) throw invalid('Missing (or invalid type) array parameter hashes');
    if (typeof hashOid !== 'string' || !HASHES[hashOid]) throw invalid('Invalid parameter hashAlgorithmOID');
    for (const h of hashes) {
      if (typeof h !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(h)) throw invalid('Invalid Base64 hash string parameter');
      if (Buffer.from(h, 'base64').length !== HASHES[hashOid].length) throw invalid('Invalid digest value length');
    }
    return /** @type {string[]} */ (hashes);
  }

  /** Grants a SAD, bound to the access token `token`. @returns {{ SAD: string, expiresIn: number }} */
  function grant(/** @type {string} */ credentialID, /** @type {{ principal: Principal, token: string }} */ session, /** @type {string[] | null} */ hashes, /** @type {string} */ hashOid, /** @type {number} */ n) {
    if (sads.size >= maxSads) sweep();
    if (sads.size >= maxSads) throw full();
    const sad = secret();
    sads.set(sad, { credentialID, principal: session.principal, token: session.token, hashes: hashes ? new Set(hashes) : null, hashOid, remaining: n, expiresAt: now() + sadTtl });
    return { SAD: sad, expiresIn: Math.max(1, Math.ceil(sadTtl / 1000)) };
  }

  /** @param {string} user */
  const phone = (user) => {
    let p = phones.get(user);
    if (!p) phones.set(user, (p = { confirmations: [], otps: [] }));
    return p;
  };

  /** Removes a pending confirmation and its link on the phone, and wakes its long polls. @param {string} handle */
  function dropPending(handle) {
    const p = pendings.get(handle);
    if (!p) return;
    pendings.delete(handle);
    const box = phones.get(p.user);
    if (box) box.confirmations = box.confirmations.filter((c) => !c.url.endsWith(`/confirm/${p.code}`));
    for (const w of [...p.waiters]) w();
  }

  let lastSweep = now();
  /**
   * Drops everything expired: tokens, SADs (expired, or whose token is gone), confirmations (kept `confirmTtl`
   * past their end so that a late authorizeCheck still learns "expired"), codes, phone items, failure counts.
   */
  function sweep() {
    const t = now();
    lastSweep = t;
    for (const [k, v] of tokens) if (v.expiresAt <= t) tokens.delete(k);
    for (const [k, v] of sads) if (v.expiresAt <= t || !tokens.has(v.token)) sads.delete(k);
    for (const [k, v] of pendings) if (v.expiresAt + confirmTtl <= t) dropPending(k);
    for (const [k, v] of otps) if (v.expiresAt <= t) otps.delete(k);
    for (const [user, box] of phones) {
      box.confirmations = box.confirmations.filter((c) => Date.parse(c.expiresAt) > t);
      box.otps = box.otps.filter((o) => Date.parse(o.expiresAt) > t);
      if (box.confirmations.length === 0 && box.otps.length === 0) phones.delete(user);
    }
    for (const g of guardSets) for (const part of Object.values(g)) part.sweep();
    authFailures.sweep();
  }
  const sweeper = setInterval(sweep, sweepEvery);
  sweeper.unref();

  // ----------------------------------------------------------------------------------------------
  // CSC methods (CSC API v2.0.0.2 §11). Each takes the JSON body and the request, returns [status, body].

  /** @type {Record<string, (body: Record<string, any>, req: import('node:http').IncomingMessage) => Promise<[number, unknown]>>} */
  const csc = {
    // §11.1
    async info() {
      return [200, {
        specs: '2.0.0.2', name: 'kyso remote-hsm example', logo: '', region: 'VN', lang: 'vi-VN',
        description: 'Example CSC v2 service signing on SoftHSM2 through PKCS#11',
        authType: ['basic', 'oauth2client'], oauth2: origin, methods: METHODS,
      }];
    },

    // §11.2 auth/login with HTTP Basic (RFC 7617)
    async 'auth/login'(_body, req) {
      const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '');
      const [id, ...rest] = m ? Buffer.from(m[1], 'base64').toString('utf8').split(':') : [];
      const user = id !== undefined ? users.get(id) : undefined;
      if (user) authAllowed(`user:${user.id}`);
      if (!user || !user.password || !same(user.password, rest.join(':'))) {
        if (user) authFailures.take(`user:${user.id}`);
        await audit({ event: 'auth/login', outcome: 'refused' });
        throw new CscHttpError(401, 'invalid_grant', 'Wrong user name or password');
      }
      const token = issueToken({ kind: 'user', user: user.id });
      await audit({ event: 'auth/login', user: user.id, outcome: 'ok' });
      return [200, { access_token: token, expires_in: Math.ceil(tokenTtl / 1000) }];
    },

    // §11.3
    // What was issued under the token dies with it: its SADs and its open confirmations.
    async 'auth/revoke'(_body, req) {
      const { token } = sessionOf(req);
      tokens.delete(token);
      for (const [k, v] of sads) if (v.token === token) sads.delete(k);
      for (const [k, v] of pendings) if (v.token === token) dropPending(k);
      return [204, undefined];
    },

    // §11.4
    async 'credentials/list'(body, req) {
      const p = principalOf(req);
      let user;
      if (p.kind === 'user') {
        if (body.userID !== undefined && body.userID !== p.user) throw new CscHttpError(403, 'forbidden', 'userID is not the logged-in user');
        user = p.user;
      } else {
        if (typeof body.userID !== 'string' || !users.has(body.userID)) throw invalid('Missing (or invalid) parameter userID');
        if (!mayActFor(p, body.userID)) throw new CscHttpError(403, 'forbidden', 'This client may not act for this user');
        user = body.userID;
      }
      const mine = [...credentials.values()].filter((c) => c.owner === user);
      return [200, {
        credentialIDs: mine.map((c) => c.id),
        ...(body.credentialInfo === true ? { credentialInfos: mine.map((c) => ({ credentialID: c.id, ...credentialInfo(c, body) })) } : {}),
      }];
    },

    // §11.5
    async 'credentials/info'(body, req) {
      const c = credentialFor(principalOf(req), body.credentialID);
      return [200, credentialInfo(c, body)];
    },

    // §11.6
    async 'credentials/authorize'(body, req) {
      const session = sessionOf(req);
      const p = session.principal;
      const c = credentialFor(p, body.credentialID);
      const n = body.numSignatures;
      if (!Number.isInteger(n)) throw invalid('Missing (or invalid type) integer parameter numSignatures');
      if (n < 1) throw invalid('Invalid value for parameter numSignatures');
      if (n > (c.multisign ?? 10)) throw invalid('Numbers of signatures is too high');
      const scal2 = c.confirm !== 'auto';
      const hashes = readHashes(body.hashes, body.hashAlgorithmOID, scal2);
      if (hashes && hashes.length > n) throw invalid('More hashes than numSignatures');
      const hashOid = hashes ? body.hashAlgorithmOID : OID.sha256;
      if (body.description !== undefined && (typeof body.description !== 'string' || body.description.length > 500)) throw invalid('Invalid parameter description');
      const base = { ...who(p), credentialID: c.id, numSignatures: n };

      if (c.confirm === 'auto') {
        await audit({ event: 'credentials/authorize', ...base, outcome: 'granted' });
        return [200, grant(c.id, session, hashes, hashOid, n)];
      }
      if (c.confirm === 'otp') {
        const data = Array.isArray(body.authData) ? body.authData : [];
        const given = data.find((d) => d && typeof d === 'object' && d.id === 'OTP')?.value;
        if (typeof given !== 'string') throw invalid('Missing authData OTP');
        // Failures count per credential and per client across challenges: a new code does not buy new guesses.
        const guards = guardsOf(c.id, p);
        if (lockedBy(guards)) {
          await audit({ event: 'credentials/authorize', ...base, outcome: 'locked' });
          throw lockedOut();
        }
        rate(guards, 'attempts');
        const o = otps.get(c.id);
        if (!o || o.expiresAt <= now() || o.tries >= 3 || !same(o.otp, given)) {
          if (o) o.tries++;
          if (o && (o.tries >= 3 || o.expiresAt <= now())) otps.delete(c.id);
          const locked = guards.map(([g, k]) => g.failures.fail(k)).some(Boolean);
          if (locked) otps.delete(c.id);
          await audit({ event: 'credentials/authorize', ...base, outcome: locked ? 'otp-refused-locked' : 'otp-refused' });
          throw new CscHttpError(400, 'invalid_otp', 'The OTP is invalid');
        }
        otps.delete(c.id);
        for (const [g, k] of guards) g.failures.succeed(k);
        await audit({ event: 'credentials/authorize', ...base, outcome: 'granted-otp' });
        return [200, grant(c.id, session, hashes, hashOid, n)];
      }
      // Bounded: a relying service cannot fill a user's phone, nor the server's memory.
      const open = [...pendings.values()].filter((x) => x.user === c.owner && x.state === 'pending' && x.expiresAt > now()).length;
      if (open >= maxPendingPerUser) throw tooMany(confirmTtl);
      if (pendings.size >= maxPending) sweep();
      if (pendings.size >= maxPending) throw full();
      // Phone confirmation: HTTP 202 with a handle; the user's phone gets a one-time link.
      const handle = secret();
      const code = secret();
      const pending = {
        handle, code, credentialID: c.id, principal: p, token: session.token, user: c.owner, hashes: hashes ?? [], hashOid, numSignatures: n,
        description: typeof body.description === 'string' ? body.description : '', expiresAt: now() + confirmTtl,
        state: /** @type {'pending' | 'approved' | 'rejected'} */ ('pending'), waiters: new Set(),
      };
      pendings.set(handle, pending);
      const url = `${origin}/confirm/${code}`;
      phone(c.owner).confirmations.push({ url, credentialID: c.id, numSignatures: n, description: pending.description, expiresAt: new Date(pending.expiresAt).toISOString() });
      await audit({ event: 'credentials/authorize', ...base, outcome: 'pending' });
      options.onConfirmation?.({ user: c.owner, url, credentialID: c.id, numSignatures: n });
      return [202, { handle }];
    },

    // §11.7
    async 'credentials/authorizeCheck'(body, req) {
      const session = sessionOf(req);
      const p = session.principal;
      if (typeof body.handle !== 'string') throw invalid('Missing (or invalid type) string parameter handle');
      const pending = pendings.get(body.handle);
      if (!pending || JSON.stringify(pending.principal) !== JSON.stringify(p)) throw invalid('Invalid parameter handle');
      if (pending.state === 'pending' && pending.expiresAt > now() && longPoll > 0) {
        // Long poll: answer as soon as the user decides, or after `longPoll` ms.
        await new Promise((resolve) => {
          const done = () => { clearTimeout(timer); pending.waiters.delete(done); resolve(undefined); };
          const timer = setTimeout(done, Math.min(longPoll, pending.expiresAt - now()));
          pending.waiters.add(done);
          req.once('close', done);
        });
      }
      const base = { ...who(p), credentialID: pending.credentialID, numSignatures: pending.numSignatures };
      if (pending.state === 'pending' && pending.expiresAt > now()) return [202, { handle: pending.handle }];
      dropPending(pending.handle);
      if (pending.expiresAt <= now()) {
        // An approval is good for the confirmation's lifetime only: collected later, it is as expired as no answer.
        await audit({ event: 'credentials/authorizeCheck', ...base, outcome: 'expired' });
        // RFC 8628 §3.5's name for an authorisation the user did not complete in time.
        throw new CscHttpError(400, 'expired_token', 'The user did not confirm in time');
      }
      if (pending.state === 'rejected') {
        await audit({ event: 'credentials/authorizeCheck', ...base, outcome: 'rejected' });
        throw new CscHttpError(400, 'access_denied', 'The user rejected the signing request');
      }
      await audit({ event: 'credentials/authorizeCheck', ...base, outcome: 'granted' });
      return [200, grant(pending.credentialID, session, pending.hashes.length ? pending.hashes : null, pending.hashOid, pending.numSignatures)];
    },

    // §11.8: the OTP goes to the phone out of band (HTTP 204).
    async 'credentials/getChallenge'(body, req) {
      const p = principalOf(req);
      const c = credentialFor(p, body.credentialID);
      if (c.confirm !== 'otp' || body.authObjectID !== 'OTP') throw invalid('Invalid parameter authObjectID');
      const guards = guardsOf(c.id, p);
      if (lockedBy(guards)) {
        await audit({ event: 'credentials/getChallenge', ...who(p), credentialID: c.id, outcome: 'locked' });
        throw lockedOut();
      }
      rate(guards, 'challenges');
      const otp = String(randomInt(0, 10 ** otpDigits)).padStart(otpDigits, '0');
      otps.set(c.id, { credentialID: c.id, otp, expiresAt: now() + confirmTtl, tries: 0 });
      const box = phone(c.owner);
      box.otps = box.otps.slice(-9);
      box.otps.push({ credentialID: c.id, otp, expiresAt: new Date(now() + confirmTtl).toISOString() });
      options.onOtp?.({ user: c.owner, credentialID: c.id, otp });
      await audit({ event: 'credentials/getChallenge', ...who(p), credentialID: c.id, outcome: 'sent' });
      return [204, undefined];
    },

    // §11.10
    async 'signatures/signHash'(body, req) {
      const p = principalOf(req);
      const c = credentialFor(p, body.credentialID);
      if (typeof body.SAD !== 'string') throw invalid('Missing (or invalid type) string parameter SAD');
      if (perCredential.failures.locked(c.id)) throw lockedOut();
      const sad = sads.get(body.SAD);
      // A SAD dies with the access token it was issued under (auth/revoke, expiry).
      if (sad && !liveToken(sad.token)) sads.delete(body.SAD);
      if (!sad || !liveToken(sad.token) || sad.credentialID !== c.id || JSON.stringify(sad.principal) !== JSON.stringify(p)) throw invalid('Invalid parameter SAD');
      if (sad.expiresAt <= now()) {
        sads.delete(body.SAD);
        await audit({ event: 'signatures/signHash', ...who(p), credentialID: c.id, outcome: 'sad-expired' });
        throw invalid('SAD expired');
      }
      if (body.operationMode !== undefined && body.operationMode !== 'S') throw invalid('Invalid parameter operationMode');
      const { scheme, hashOid } = signAlgorithm(body, c.entry.keyType);
      const hashes = readHashes(body.hashes, hashOid, true) ?? [];
      if (sad.hashOid !== hashOid && sad.hashes) throw invalid('Invalid parameter hashAlgorithmOID');
      if (sad.hashes && !hashes.every((h) => sad.hashes?.has(h))) throw invalid('Hash is not authorized by the SAD');
      if (hashes.length > sad.remaining) throw invalid('Numbers of signatures is too high for this SAD');
      sad.remaining -= hashes.length;
      if (sad.remaining === 0) sads.delete(body.SAD);
      let raw;
      try {
        raw = await options.keyStore.signDigests(c.key, { scheme, hash: HASHES[hashOid].name, digests: hashes.map((h) => new Uint8Array(Buffer.from(h, 'base64'))) });
      } catch (err) {
        await audit({ event: 'signatures/signHash', ...who(p), credentialID: c.id, count: hashes.length, outcome: 'hsm-error', code: /** @type {any} */ (err)?.code ?? 'unknown' });
        throw new CscHttpError(500, 'server_error', 'The HSM could not sign');
      }
      await audit({ event: 'signatures/signHash', ...who(p), credentialID: c.id, count: hashes.length, scheme, outcome: 'signed' });
      const signatures = raw.map((s) => Buffer.from(scheme === 'ECDSA' ? ecdsaRawToDer(s) : s).toString('base64'));
      return [200, { signatures }];
    },
  };

  // OAuth 2.0 token endpoint (RFC 6749 §4.4 client credentials; CSC §8.4.4): form-encoded.
  /** @param {URLSearchParams} form @param {import('node:http').IncomingMessage} req */
  async function oauthToken(form, req) {
    let id = form.get('client_id');
    let sec = form.get('client_secret');
    const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '');
    if (basic) {
      // RFC 6749 §2.3.1: client id and secret are form-urlencoded inside the Basic credentials.
      const [a = '', ...b] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      try {
        [id, sec] = [decodeURIComponent(a), decodeURIComponent(b.join(':'))];
      } catch {
        throw new CscHttpError(401, 'invalid_client', 'Client authentication failed');
      }
    }
    if (form.get('grant_type') !== 'client_credentials') throw new CscHttpError(400, 'unsupported_grant_type', 'Only client_credentials is offered here');
    const client = id ? clients.get(id) : undefined;
    if (client) authAllowed(`client:${client.id}`);
    if (!client || !sec || !same(client.secret, sec)) {
      if (client) authFailures.take(`client:${client.id}`);
      await audit({ event: 'oauth2/token', outcome: 'refused' });
      throw new CscHttpError(401, 'invalid_client', 'Client authentication failed');
    }
    const token = issueToken({ kind: 'client', client: client.id });
    await audit({ event: 'oauth2/token', client: client.id, outcome: 'ok' });
    return { access_token: token, token_type: 'Bearer', expires_in: Math.ceil(tokenTtl / 1000) };
  }

  // The confirmation page: what the user's phone opens. `code` is the one-time secret of the link.
  /** @param {string} code */
  const pendingByCode = (code) => [...pendings.values()].find((p) => p.code === code && p.state === 'pending' && p.expiresAt > now());

  /** @param {string} code @param {'approve' | 'reject'} decision */
  async function decide(code, decision) {
    const p = pendingByCode(code);
    if (!p) return undefined;
    p.state = decision === 'approve' ? 'approved' : 'rejected';
    const box = phone(p.user);
    box.confirmations = box.confirmations.filter((c) => !(/** @type {any} */ (c).url.endsWith(`/confirm/${code}`)));
    await audit({ event: 'confirmation', user: p.user, credentialID: p.credentialID, numSignatures: p.numSignatures, outcome: p.state });
    for (const w of [...p.waiters]) w();
    return p;
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      // Input never gets here (every malformed request is a CscHttpError, a 4xx); this is the HSM or a bug.
      if (err instanceof CscHttpError) return void fail(res, err, req);
      if (!res.headersSent) send(res, 500, { error: 'server_error', error_description: 'Internal error' }, req);
      else res.destroy();
    });
  });

  /** A CSC error answer. @param {import('node:http').ServerResponse} res @param {CscHttpError} e @param {import('node:http').IncomingMessage} req */
  function fail(res, e, req) {
    if (res.headersSent) return void res.destroy();
    if (e.retryAfterMs) res.setHeader('Retry-After', String(Math.ceil(e.retryAfterMs / 1000)));
    send(res, e.status, { error: e.error, error_description: e.message }, req);
  }

  /**
   * The confirmation form is posted by the page the server itself served, whatever CORS allows elsewhere. A browser
   * says where a request comes from with `Sec-Fetch-Site` (Fetch Metadata): only `same-origin` passes. Without it
   * (a non-browser client), an `Origin` must be this server's. `Origin: null` is what Chromium sends for a form
   * posted from a `no-referrer` page, so it passes only with `Sec-Fetch-Site: same-origin`.
   * @param {import('node:http').IncomingMessage} req
   */
  function sameOrigin(req) {
    const o = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined) return site === 'same-origin' && (o === undefined || o === origin || o === 'null');
    return o === undefined || o === origin;
  }

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  async function handle(req, res) {
    if (now() - lastSweep >= sweepEvery) sweep();
    let url;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      throw invalid('Malformed request target');
    }
    const path = url.pathname;
    const isApi = path.startsWith('/csc/v2/') || path === '/oauth2/token';
    if (req.method === 'OPTIONS') return preflight(req, res, isApi);

    if (req.method === 'GET' && path === '/static/confirm.css') {
      res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      return res.end(CONFIRM_CSS);
    }
    const confirm = /^\/confirm\/([A-Za-z0-9_-]{20,100})$/.exec(path);
    if (confirm) {
      if (req.method === 'GET') {
        const p = pendingByCode(confirm[1]);
        if (!p) return html(res, 404, notFoundPage());
        const c = /** @type {CredentialConfig & { entry: import('./keystore.mjs').KeyEntry }} */ (credentials.get(p.credentialID));
        return html(res, 200, confirmationPage({
          code: confirm[1], userName: users.get(p.user)?.name ?? p.user, credential: c.description ?? c.id,
          numSignatures: p.numSignatures, description: p.description,
          fingerprints: p.hashes.map((h) => createHash('sha256').update(h).digest('hex').slice(0, 8)),
          expiresAt: new Date(p.expiresAt),
        }));
      }
      if (req.method === 'POST') {
        if (!sameOrigin(req)) return html(res, 403, notFoundPage());
        let form;
        try {
          form = new URLSearchParams(await readBody(req));
        } catch (e) {
          return html(res, e instanceof CscHttpError ? e.status : 400, notFoundPage());
        }
        const decision = form.get('decision');
        if (decision !== 'approve' && decision !== 'reject') return html(res, 400, notFoundPage());
        const p = await decide(confirm[1], decision);
        if ((req.headers.accept ?? '').includes('application/json')) {
          return p ? send(res, 200, { state: p.state }, req, false) : send(res, 404, { error: 'not_found' }, req, false);
        }
        return p ? html(res, 200, decidedPage(p.state === 'approved')) : html(res, 404, notFoundPage());
      }
    }
    const inbox = /^\/phone\/([A-Za-z0-9_.-]{1,64})$/.exec(path);
    if (inbox && req.method === 'GET') {
      const u = users.get(inbox[1]);
      const key = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!u || !key || !same(u.phoneKey, key)) return send(res, 401, { error: 'invalid_token' }, req, false);
      const box = phone(u.id);
      box.confirmations = box.confirmations.filter((c) => Date.parse(c.expiresAt) > now());
      box.otps = box.otps.filter((o) => Date.parse(o.expiresAt) > now());
      return send(res, 200, box, req, false);
    }

    if (req.method !== 'POST' || !isApi) return send(res, 404, { error: 'not_found' }, req, isApi);
    if (path === '/oauth2/token' || path === '/csc/v2/oauth2/token') return send(res, 200, await oauthToken(new URLSearchParams(await readBody(req)), req), req);
    const name = path.slice('/csc/v2/'.length);
    const method = Object.hasOwn(csc, name) ? csc[name] : undefined;
    if (!method) return send(res, 404, { error: 'invalid_request', error_description: 'Unknown method' }, req);
    const text = await readBody(req);
    let body = {};
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        throw invalid('The request body is not JSON');
      }
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('The request body is not a JSON object');
    const [status, out] = await method(/** @type {Record<string, any>} */ (body), req);
    return send(res, status, out, req);
  }

  /** CORS (Fetch standard §3.2) for configured origins only; credentials are bearer tokens, not cookies. */
  function cors(/** @type {import('node:http').IncomingMessage} */ req) {
    const o = req.headers.origin;
    return o && allowedOrigins.has(o) ? { 'Access-Control-Allow-Origin': o, Vary: 'Origin' } : {};
  }

  /** Preflights for the API only, and for configured origins only. @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res @param {boolean} isApi */
  function preflight(req, res, isApi) {
    const o = req.headers.origin;
    if (!isApi || !o || !allowedOrigins.has(o)) {
      res.writeHead(403);
      return res.end();
    }
    res.writeHead(204, {
      ...cors(req),
      'Access-Control-Allow-Methods': 'POST',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept',
      'Access-Control-Max-Age': '600',
    });
    res.end();
  }

  /**
   * @param {import('node:http').ServerResponse} res @param {number} status @param {unknown} body
   * @param {import('node:http').IncomingMessage} req @param {boolean} [withCors] API answers only; never the phone's pages
   */
  function send(res, status, body, req, withCors = true) {
    const headers = { ...(withCors ? cors(req) : {}), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
    if (body === undefined) {
      res.writeHead(status, headers);
      return res.end();
    }
    res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  /** The confirmation pages: no script, strict CSP, never framed, never cached. @param {import('node:http').ServerResponse} res @param {number} status @param {string} text */
  function html(res, status, text) {
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': CSP, 'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff',
    });
    res.end(text);
  }

  /**
   * The body as text, at most MAX_BODY bytes: a larger declared or streamed body is refused with 413 (RFC 9110
   * §15.5.14); the rest is read and dropped (never kept), so the answer reaches the client before the socket closes.
   * @param {import('node:http').IncomingMessage} req
   * @returns {Promise<string>}
   */
  function readBody(req) {
    const tooLarge = () => new CscHttpError(413, 'invalid_request', 'Request body too large');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY) {
      req.resume();
      return Promise.reject(tooLarge());
    }
    return new Promise((resolve, reject) => {
      let size = 0;
      /** @type {Buffer[]} */
      const chunks = [];
      const onData = (/** @type {Buffer} */ c) => {
        size += c.length;
        if (size > MAX_BODY) {
          req.off('data', onData);
          req.resume();
          reject(tooLarge());
        } else chunks.push(c);
      };
      req.on('data', onData);
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', () => reject(invalid('The request body was cut short')));
    });
  }

  await new Promise((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(undefined)));
  const addr = /** @type {import('node:net').AddressInfo} */ (server.address());
  origin = `http://${options.host ?? '127.0.0.1'}:${addr.port}`;

  return {
    /** e.g. http://127.0.0.1:40123 */
    origin,
    /** CSC base URI: `${origin}/csc/v2` */
    baseUrl: `${origin}/csc/v2`,
    /** OAuth 2.0 token endpoint */
    tokenUrl: `${origin}/oauth2/token`,
    /** Approve or reject a pending confirmation by its one-time link (what the phone page's buttons do). */
    decide: async (/** @type {string} */ url, /** @type {'approve' | 'reject'} */ d) => Boolean(await decide(url.split('/confirm/')[1] ?? '', d)),
    /**
     * How much state the server holds (entries per map), to watch that it stays bounded. Sweeps first when
     * `sweepFirst` (what the timer and each request do every `sweepIntervalMs`).
     */
    stats(sweepFirst = false) {
      if (sweepFirst) sweep();
      let phoneItems = 0;
      for (const box of phones.values()) phoneItems += box.confirmations.length + box.otps.length;
      return {
        tokens: tokens.size, sads: sads.size, pendings: pendings.size, otps: otps.size, phones: phones.size, phoneItems,
        failures: perCredential.failures.size + perClient.failures.size,
        rateKeys: guardSets.reduce((n, g) => n + g.challenges.size + g.attempts.size, 0) + authFailures.size,
      };
    },
    /** Stops listening and closes open connections. */
    async close() {
      clearInterval(sweeper);
      for (const p of pendings.values()) for (const w of [...p.waiters]) w();
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

/**
 * `signAlgo` (+ `hashAlgorithmOID`, `signAlgoParams`) of signatures/signHash (CSC §11.10) → scheme and hash.
 * PSS is accepted with the RFC 4055 §3.1 profile only: MGF1 with the same hash, salt = hash length, trailer 1.
 * @param {Record<string, any>} body @param {'RSA' | 'EC'} keyType
 */
function signAlgorithm(body, keyType) {
  const { signAlgo, hashAlgorithmOID, signAlgoParams } = body;
  if (typeof signAlgo !== 'string') throw invalid('Missing (or invalid type) string parameter signAlgo');
  /** @type {'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA'} */
  let scheme;
  let hashOid = hashAlgorithmOID;
  if (signAlgo === OID.rsaEncryption) scheme = 'RSASSA-PKCS1-v1_5';
  else if (RSA_WITH[signAlgo]) [scheme, hashOid] = ['RSASSA-PKCS1-v1_5', RSA_WITH[signAlgo]];
  else if (ECDSA_WITH[signAlgo]) [scheme, hashOid] = ['ECDSA', ECDSA_WITH[signAlgo]];
  else if (signAlgo === OID.ecPublicKey) scheme = 'ECDSA';
  else if (signAlgo === OID.rsassaPss) {
    scheme = 'RSA-PSS';
    if (typeof signAlgoParams !== 'string') throw invalid('Missing (or invalid type) string parameter signAlgoParams');
    const pssHash = readPss(signAlgoParams);
    if (hashOid !== undefined && hashOid !== pssHash) throw invalid('String parameter hashAlgorithmOID contradicts with signAlgo parameter');
    hashOid = pssHash;
  } else throw invalid('Invalid parameter signAlgo');
  if ((scheme === 'ECDSA') !== (keyType === 'EC')) throw invalid('Invalid parameter signAlgo');
  if (typeof hashOid !== 'string') throw invalid('Missing (or invalid type) string parameter hashAlgorithmOID');
  if (!HASHES[hashOid]) throw invalid('Invalid parameter hashAlgorithmOID');
  if (hashAlgorithmOID !== undefined && hashAlgorithmOID !== hashOid) throw invalid('String parameter hashAlgorithmOID contradicts with signAlgo parameter');
  return { scheme, hashOid };
}

/**
 * RSASSA-PSS-params (RFC 4055 §3.1) → the hash OID, if it is the profile kyso uses. Anything else, well-formed or
 * not (a truncated or mistyped field, a non-base64 string), is `invalid_request`: parameters come from the caller.
 * @param {string} b64
 */
function readPss(b64) {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length > 1024) throw invalid('Invalid parameter signAlgoParams');
  let hash;
  try {
    hash = pssHash(new Uint8Array(Buffer.from(b64, 'base64')));
  } catch {
    hash = undefined;
  }
  if (!hash) throw invalid('Invalid parameter signAlgoParams');
  return hash;
}

/** @param {Uint8Array} der @returns {string | undefined} */
function pssHash(der) {
  const parsed = asn1js.fromBER(der);
  const seq = parsed.result;
  if (parsed.offset !== der.length || !(seq instanceof asn1js.Sequence)) return undefined;
  /** The OID of an AlgorithmIdentifier (RFC 5280 §4.1.1.2). @param {any} ai */
  const algorithm = (ai) => (ai instanceof asn1js.Sequence && ai.valueBlock.value[0] instanceof asn1js.ObjectIdentifier
    ? ai.valueBlock.value[0].valueBlock.toString() : undefined);
  /** @param {any} n */
  const integer = (n) => (n instanceof asn1js.Integer ? n.valueBlock.valueDec : undefined);
  /** @type {string | undefined} */
  let hash = '1.3.14.3.2.26'; // DEFAULT sha1
  /** @type {string | undefined} */
  let mgfHash = '1.3.14.3.2.26';
  /** @type {number | undefined} */
  let salt = 20;
  /** @type {number | undefined} */
  let trailer = 1;
  for (const item of seq.valueBlock.value) {
    // Each field is [n] EXPLICIT: a constructed context tag holding exactly one value.
    if (item.idBlock.tagClass !== 3 || !(/** @type {any} */ (item).valueBlock.value?.length === 1)) return undefined;
    const inner = /** @type {any} */ (item).valueBlock.value[0];
    const tag = item.idBlock.tagNumber;
    if (tag === 0) hash = algorithm(inner);
    else if (tag === 1) {
      if (algorithm(inner) !== OID.mgf1) return undefined;
      mgfHash = algorithm(inner.valueBlock.value[1]);
    } else if (tag === 2) salt = integer(inner);
    else if (tag === 3) trailer = integer(inner);
    else return undefined;
  }
  if (!hash || !HASHES[hash] || mgfHash !== hash || salt !== HASHES[hash].length || trailer !== 1) return undefined;
  return hash;
}

/** Raw r‖s (what PKCS#11 CKM_ECDSA returns, v2.40 curr. mech. §2.3.1) → DER Ecdsa-Sig-Value (RFC 5480 §2.2, X9.62). @param {Uint8Array} raw */
function ecdsaRawToDer(raw) {
  const half = raw.length / 2;
  /** @param {Uint8Array} b */
  const int = (b) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    const body = v[0] & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : Buffer.from(v);
    return Buffer.concat([Buffer.from([0x02, body.length]), body]);
  };
  const seq = Buffer.concat([int(raw.subarray(0, half)), int(raw.subarray(half))]);
  const len = seq.length < 128 ? Buffer.from([seq.length]) : Buffer.from([0x81, seq.length]);
  return new Uint8Array(Buffer.concat([Buffer.from([0x30]), len, seq]));
}

/** Constant-time string comparison (lengths may differ). @param {string} a @param {string} b */
function same(a, b) {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}
