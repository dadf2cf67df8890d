import {
  HASH_LENGTH, HASH_OID, fromBase64, kysoError, parseCertificate, toBase64,
  type AdapterCapabilities, type CertificateEntry, type HashAlgorithm, type SignRequest, type SignatureAlgorithm, type SigningAdapter,
} from '@kyso/core';
import { cscSignAlgorithm } from './algorithms.js';
import { sleep } from '../remote/http.js';
import { CscTransport, type CscFetch, type CscReply, type CscRequestAuth } from './http.js';
import type {
  CscAdapterOptions, CscAuthObject, CscAuthorization, CscConfirmationOptions, CscCredential, CscPendingAuthorization,
} from './types.js';
import { checkHttpUrl, uniformBatch } from '../internal/options.js';

/** What {@link CscAdapter.startAuthorization} asks the service to authorise. */
export interface CscAuthorizeRequest {
  readonly credentialId: string;
  /** The digests to be signed (`hash(signedAttrs)`); sent so the SAD binds them (SCAL 2). */
  readonly digests: readonly Uint8Array[];
  readonly hash: HashAlgorithm;
  /** Default `digests.length`. */
  readonly numSignatures?: number;
  /** Overrides the adapter's `description` for this request. */
  readonly description?: string;
  readonly signal?: AbortSignal;
}

/** What {@link CscAdapter.signHash} signs. */
export interface CscSignHashRequest {
  readonly authorization: CscAuthorization;
  readonly digests: readonly Uint8Array[];
  readonly algorithm: SignatureAlgorithm;
  readonly signal?: AbortSignal;
}

/** Short answers from `info` (CSC API v2.0.0.2 §11.1). */
export interface CscServiceInfo {
  readonly specs: string;
  readonly name: string;
  readonly authType: readonly string[];
  readonly methods: readonly string[];
  /** Base URI of the OAuth 2.0 server, if any. */
  readonly oauth2?: string;
}

const DEFAULT_REQUEST_TIMEOUT = 30_000;
const DEFAULT_CONFIRM_TIMEOUT = 180_000;
const DEFAULT_POLL_INTERVAL = 2_000;
const ALL_SCHEMES = ['RSASSA-PKCS1-v1_5', 'RSA-PSS', 'ECDSA'] as const;
const ALL_HASHES = ['SHA-256', 'SHA-384', 'SHA-512'] as const;

/**
 * Signs through a remote signing service that speaks the Cloud Signature
 * Consortium API v2.0.0.2 (a "remote HSM": the key stays at the provider, the
 * user confirms each signing, e.g. on a phone).
 *
 * Flow per signature (hash-then-sign, so the document never leaves the page):
 * `credentials/list` (+ `credentials/info`) → `credentials/authorize` with the
 * digest → either a SAD at once (HTTP 200) or a `handle` while the user
 * confirms (HTTP 202), polled with `credentials/authorizeCheck` → SAD →
 * `signatures/signHash`.
 *
 * As a {@link SigningAdapter} it works with core's `sign`; for long waits use
 * the staged calls ({@link startAuthorization}, {@link awaitAuthorization},
 * {@link signHash}) with core's `prepare` / `finish`: the prepared signature
 * and the pending authorisation are plain JSON and survive a page reload.
 * {@link signBatch} signs several digests after one confirmation
 * (`numSignatures`), each still its own signature.
 *
 * @example
 * ```ts
 * const adapter = new CscAdapter({ baseUrl: 'https://rssp.example/csc/v2', auth: { type: 'token', accessToken } });
 * const signed = await sign(pdf, { adapter, certificateId: 'leader-rsa' });
 * ```
 */
export class CscAdapter implements SigningAdapter {
  readonly name = 'csc';
  private readonly options: CscAdapterOptions;
  private readonly transport: CscTransport;
  private readonly baseUrl: string;
  private token: { value: string; expiresAt: number } | undefined;
  private refreshToken: string | undefined;
  private codeUsed = false;
  private serviceInfo: Promise<CscServiceInfo> | undefined;
  private readonly credentials = new Map<string, CscCredential>();

  /**
   * @throws `ERR_INVALID_ARGUMENT` a missing or malformed option (the detail names it).
   */
  constructor(options: CscAdapterOptions) {
    if (typeof options !== 'object' || options === null) throw kysoError('ERR_INVALID_ARGUMENT', 'CscAdapter needs an options object');
    checkHttpUrl(options.baseUrl, 'baseUrl');
    checkAuth(options.auth);
    for (const [name, v] of [['requestTimeoutMs', options.requestTimeoutMs], ['confirmation.timeoutMs', options.confirmation?.timeoutMs],
      ['confirmation.pollIntervalMs', options.confirmation?.pollIntervalMs]] as const) {
      if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw kysoError('ERR_INVALID_ARGUMENT', `options.${name} must be a positive number`);
    }
    if (options.description !== undefined && options.description.length > 500) {
      throw kysoError('ERR_INVALID_ARGUMENT', 'options.description is longer than 500 characters (CSC §11.6)');
    }
    const fetchFn: CscFetch | undefined = options.fetch ?? (typeof globalThis.fetch === 'function' ? (u, i) => globalThis.fetch(u, i) : undefined);
    if (!fetchFn) throw kysoError('ERR_INVALID_ARGUMENT', 'no fetch: pass options.fetch');
    this.options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.transport = new CscTransport(fetchFn, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT);
  }

  /** The service's `info` (no authentication needed), cached. */
  info(signal?: AbortSignal): Promise<CscServiceInfo> {
    if (!this.serviceInfo) {
      const p = this.transport.post(this.url('info'), 'info', this.options.lang ? { lang: this.options.lang } : {}, { kind: 'none' }, signal)
        .then((r) => parseInfo(r.body));
      this.serviceInfo = p;
      p.catch(() => (this.serviceInfo = undefined));
    }
    return this.serviceInfo;
  }

  /**
   * The user's signing credentials as certificates (`credentials/list` with
   * `credentialInfo`, else `credentials/info` per credential). Disabled keys
   * are left out. The certificate id is the CSC `credentialID`.
   */
  async listCertificates(signal?: AbortSignal): Promise<readonly CertificateEntry[]> {
    const reply = await this.call('credentials/list', {
      ...(this.options.userID !== undefined ? { userID: this.options.userID } : {}),
      credentialInfo: true, certificates: 'chain', certInfo: false, authInfo: true,
      ...(this.options.lang ? { lang: this.options.lang } : {}),
    }, signal);
    const ids = reply.body.credentialIDs;
    if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) throw bad('credentials/list', 'credentialIDs is not an array of strings');
    const infos = Array.isArray(reply.body.credentialInfos) ? (reply.body.credentialInfos as unknown[]) : [];
    const wanted = this.options.credentialIDs;
    const entries: CertificateEntry[] = [];
    for (const id of ids as string[]) {
      if (wanted && !wanted.includes(id)) continue;
      const raw = infos.find((x) => isObject(x) && x.credentialID === id);
      const cred = raw ? parseCredential(id, raw, 'credentials/list') : await this.credential(id, signal, true);
      this.credentials.set(id, cred);
      if (cred.keyStatus !== 'enabled') continue;
      const [certificate, ...chain] = cred.certificates;
      entries.push({ id, certificate: certificate!, chain, label: cred.description ?? labelOf(certificate!) ?? id });
    }
    return entries;
  }

  /**
   * Every scheme and hash the CSC API can carry; what one credential's key
   * can do is checked when signing (`ERR_SIG_ALGORITHM_UNSUPPORTED`).
   */
  capabilities(): AdapterCapabilities {
    return { schemes: ALL_SCHEMES, hashes: ALL_HASHES };
  }

  /** One credential's details (`credentials/info`, cached). */
  async credential(credentialId: string, signal?: AbortSignal, fresh = false): Promise<CscCredential> {
    if (typeof credentialId !== 'string' || credentialId === '') throw kysoError('ERR_INVALID_ARGUMENT', 'credentialId must be a non-empty string');
    const known = this.credentials.get(credentialId);
    if (known && !fresh) return known;
    const reply = await this.call('credentials/info', {
      credentialID: credentialId, certificates: 'chain', certInfo: false, authInfo: true,
      ...(this.options.lang ? { lang: this.options.lang } : {}),
    }, signal);
    const cred = parseCredential(credentialId, reply.body, 'credentials/info');
    this.credentials.set(credentialId, cred);
    return cred;
  }

  /** Signs one digest: authorise (waiting for the user's confirmation if needed), then `signatures/signHash`. */
  async sign(request: SignRequest): Promise<Uint8Array> {
    const [signature] = await this.signBatch([request]);
    return signature!;
  }

  /**
   * Signs several digests with one authorisation (`numSignatures` =
   * `requests.length`, CSC §9 use case 2): the user confirms once, every
   * digest still gets its own signature, in order. All requests must name
   * the same credential and algorithm.
   *
   * @throws `ERR_INVALID_ARGUMENT` mixed credentials or algorithms, more than the credential's `multisign`.
   */
  async signBatch(requests: readonly SignRequest[]): Promise<Uint8Array[]> {
    const first = uniformBatch(requests);
    const signal = first.signal;
    const digests = requests.map((r) => r.digest);
    const authorization = await this.authorize({ credentialId: first.certificateId, digests, hash: first.algorithm.hash, signal });
    return this.signHash({ authorization, digests, algorithm: first.algorithm, signal });
  }

  /** {@link startAuthorization} and, if the user has to confirm, {@link awaitAuthorization}. */
  async authorize(request: CscAuthorizeRequest, confirmation?: CscConfirmationOptions): Promise<CscAuthorization> {
    const started = await this.startAuthorization(request, confirmation);
    return started.kind === 'kyso.csc-authorization' ? started : this.awaitAuthorization(started, { ...confirmation, signal: request.signal });
  }

  /**
   * `credentials/authorize` (CSC API v2.0.0.2 §11.6) for `digests`. Returns
   * the authorisation when the service grants it at once (HTTP 200), or a
   * pending authorisation (HTTP 202 `handle`) while the user confirms; the
   * latter is plain data to store and pass to {@link awaitAuthorization}.
   * `explicit` credentials first have the service send the OTP
   * (`credentials/getChallenge`, or v1's `credentials/sendOTP`) and ask
   * `options.authData` for it.
   */
  async startAuthorization(request: CscAuthorizeRequest, confirmation?: CscConfirmationOptions): Promise<CscAuthorization | CscPendingAuthorization> {
    const { credentialId, hash, signal } = request;
    if (!request || !Array.isArray(request.digests) || request.digests.length === 0) {
      throw kysoError('ERR_INVALID_ARGUMENT', 'digests must be a non-empty array');
    }
    if (!(hash in HASH_LENGTH)) throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `hash ${String(hash)}`);
    for (const [i, d] of request.digests.entries()) {
      if (!(d instanceof Uint8Array) || d.length !== HASH_LENGTH[hash]) {
        throw kysoError('ERR_INVALID_ARGUMENT', `digests[${i}] is not a ${hash} digest`);
      }
    }
    const cred = await this.credential(credentialId, signal);
    const numSignatures = request.numSignatures ?? request.digests.length;
    if (!Number.isInteger(numSignatures) || numSignatures < request.digests.length) {
      throw kysoError('ERR_INVALID_ARGUMENT', 'numSignatures must be an integer covering every digest');
    }
    if (numSignatures > cred.multisign) {
      throw kysoError('ERR_INVALID_ARGUMENT', `${numSignatures} signatures requested; the credential allows ${cred.multisign} per authorisation (multisign)`);
    }
    const hashes = request.digests.map((d) => toBase64(d));
    const hashAlgorithmOID = HASH_OID[hash];
    const base = { credentialID: credentialId, numSignatures, hash, hashes } as const;

    if (cred.authMode === 'oauth2code') {
      if (!this.options.credentialToken) throw kysoError('ERR_INVALID_ARGUMENT', `credential ${credentialId} is authorised with OAuth (oauth2code); pass options.credentialToken`);
      const sad = await this.options.credentialToken({ credentialID: credentialId, numSignatures, hashes, hashAlgorithmOID });
      return { kind: 'kyso.csc-authorization', version: 1, ...base, SAD: sad, expiresAt: new Date(Date.now() + 300_000).toISOString() };
    }
    let authData: readonly { id: string; value: string }[] | undefined;
    if (cred.authMode === 'explicit' && cred.authObjects.length > 0) authData = await this.collectAuthData(cred, numSignatures, signal);

    const description = request.description ?? this.options.description;
    const reply = await this.call('credentials/authorize', {
      credentialID: credentialId, numSignatures, hashes, hashAlgorithmOID,
      ...(authData ? { authData } : {}),
      ...(description ? { description } : {}),
    }, signal);
    if (reply.status === 202) {
      const handle = reply.body.handle;
      if (typeof handle !== 'string' || handle === '') throw bad('credentials/authorize', 'HTTP 202 without a handle');
      const pending: CscPendingAuthorization = {
        kind: 'kyso.csc-pending-authorization', version: 1, ...base, handle, startedAt: new Date().toISOString(),
      };
      (confirmation?.onPending ?? this.options.confirmation?.onPending)?.(pending);
      return pending;
    }
    return this.granted('credentials/authorize', reply, base);
  }

  /**
   * Waits for the user to confirm a pending authorisation, polling
   * `credentials/authorizeCheck` (CSC API v2.0.0.2 §11.7). Each poll has the
   * request time-out (`ERR_CSC_TIMEOUT`: the service did not answer); the
   * whole wait has `confirmation.timeoutMs` (`ERR_CSC_AUTH_TIMEOUT`: the user
   * did not finish). `signal` cancels with `ERR_ABORTED`.
   *
   * @throws `ERR_CSC_AUTH_REJECTED` the user rejected; `ERR_CSC_AUTH_TIMEOUT`.
   */
  async awaitAuthorization(
    pending: CscPendingAuthorization,
    options: CscConfirmationOptions & { readonly signal?: AbortSignal } = {},
  ): Promise<CscAuthorization> {
    if (!isObject(pending) || pending.kind !== 'kyso.csc-pending-authorization' || pending.version !== 1 || typeof pending.handle !== 'string') {
      throw kysoError('ERR_INVALID_ARGUMENT', 'not a pending CSC authorisation');
    }
    const timeoutMs = options.timeoutMs ?? this.options.confirmation?.timeoutMs ?? DEFAULT_CONFIRM_TIMEOUT;
    const interval = options.pollIntervalMs ?? this.options.confirmation?.pollIntervalMs ?? DEFAULT_POLL_INTERVAL;
    const deadline = Date.now() + timeoutMs;
    const { signal } = options;
    let handle = pending.handle;
    const base = { credentialID: pending.credentialID, numSignatures: pending.numSignatures, hash: pending.hash, hashes: pending.hashes };
    for (;;) {
      const reply = await this.call('credentials/authorizeCheck', { handle }, signal);
      if (reply.status !== 202) return this.granted('credentials/authorizeCheck', reply, base);
      if (typeof reply.body.handle === 'string' && reply.body.handle !== '') handle = reply.body.handle;
      const left = deadline - Date.now();
      if (left <= 0) throw kysoError('ERR_CSC_AUTH_TIMEOUT', `no confirmation within ${timeoutMs} ms`);
      await sleep(Math.min(interval, left), signal);
    }
  }

  /**
   * `signatures/signHash` (CSC API v2.0.0.2 §11.10) for digests the
   * authorisation covers, synchronously. Returns one signature per digest, in
   * order: PKCS#1 / PSS bytes, or ECDSA as the service gives it (DER or r‖s;
   * core accepts both).
   *
   * @throws `ERR_CSC_SAD_EXPIRED` the authorisation is past its expiry (checked
   *   before calling) or the service refuses the SAD.
   */
  async signHash(request: CscSignHashRequest): Promise<Uint8Array[]> {
    const { authorization, digests, algorithm, signal } = request;
    if (!isObject(authorization) || authorization.kind !== 'kyso.csc-authorization' || typeof authorization.SAD !== 'string') {
      throw kysoError('ERR_INVALID_ARGUMENT', 'not a CSC authorisation');
    }
    if (!Array.isArray(digests) || digests.length === 0) throw kysoError('ERR_INVALID_ARGUMENT', 'digests must be a non-empty array');
    if (!algorithm || algorithm.hash !== authorization.hash) throw kysoError('ERR_INVALID_ARGUMENT', 'algorithm.hash differs from the authorised hash');
    for (const [i, d] of digests.entries()) {
      if (!(d instanceof Uint8Array) || d.length !== HASH_LENGTH[algorithm.hash]) throw kysoError('ERR_INVALID_ARGUMENT', `digests[${i}] is not a ${algorithm.hash} digest`);
    }
    if (Date.parse(authorization.expiresAt) <= Date.now()) throw kysoError('ERR_CSC_SAD_EXPIRED', `expired at ${authorization.expiresAt}`);
    const cred = await this.credential(authorization.credentialID, signal);
    const alg = cscSignAlgorithm(algorithm, cred.keyAlgos);
    const reply = await this.call('signatures/signHash', {
      credentialID: authorization.credentialID,
      SAD: authorization.SAD,
      hashes: digests.map((d) => toBase64(d)),
      ...alg,
      operationMode: 'S',
    }, signal);
    const list = reply.body.signatures;
    if (!Array.isArray(list) || list.length !== digests.length) {
      throw bad('signatures/signHash', `expected ${digests.length} signatures, got ${Array.isArray(list) ? list.length : 'none'}`);
    }
    return list.map((s, i) => {
      const bytes = typeof s === 'string' ? fromBase64(s) : null;
      if (!bytes || bytes.length === 0) throw bad('signatures/signHash', `signatures[${i}] is not base64`);
      return bytes;
    });
  }

  // -------------------------------------------------------------------------------------------

  private url(method: string): string {
    return `${this.baseUrl}/${method}`;
  }

  private granted(method: string, reply: CscReply, base: Omit<CscAuthorization, 'kind' | 'version' | 'SAD' | 'expiresAt'>): CscAuthorization {
    const sad = reply.body.SAD;
    if (typeof sad !== 'string' || sad === '') throw bad(method, `HTTP ${reply.status} without a SAD`);
    const expiresIn = reply.body.expiresIn;
    const seconds = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : 3600; // CSC §11.6 default
    return { kind: 'kyso.csc-authorization', version: 1, ...base, SAD: sad, expiresAt: new Date(Date.now() + seconds * 1000).toISOString() };
  }

  /** Has the service send the one-time codes, then asks the caller for the values. */
  private async collectAuthData(cred: CscCredential, numSignatures: number, signal: AbortSignal | undefined) {
    if (!this.options.authData) throw kysoError('ERR_INVALID_ARGUMENT', `credential ${cred.credentialID} needs authentication data; pass options.authData`);
    const info = await this.info(signal);
    const sent: string[] = [];
    for (const o of cred.authObjects) {
      if (!isOneTime(o)) continue;
      if (info.methods.includes('credentials/getChallenge')) {
        await this.call('credentials/getChallenge', { credentialID: cred.credentialID, authObjectID: o.id }, signal);
        sent.push(o.id);
      } else if (info.methods.includes('credentials/sendOTP')) {
        await this.call('credentials/sendOTP', { credentialID: cred.credentialID }, signal);
        sent.push(o.id);
      }
    }
    const data = await this.options.authData({ credentialID: cred.credentialID, objects: cred.authObjects, sent, numSignatures });
    if (!Array.isArray(data) || !data.every((d) => isObject(d) && typeof d.id === 'string' && typeof d.value === 'string')) {
      throw kysoError('ERR_INVALID_ARGUMENT', 'authData must return [{ id, value }]');
    }
    if (signal?.aborted) throw kysoError('ERR_ABORTED');
    return data.map((d) => ({ id: d.id, value: d.value }));
  }

  /** An authenticated CSC call; a 401 renews the token once when the token source can. */
  private async call(method: string, body: Record<string, unknown>, signal: AbortSignal | undefined): Promise<CscReply> {
    let token = await this.accessToken(signal, false);
    try {
      return await this.transport.post(this.url(method), method, body, { kind: 'bearer', token }, signal);
    } catch (e) {
      if (!(isObject(e) && e.code === 'ERR_CSC_UNAUTHORIZED') || !this.canRenew()) throw e;
      token = await this.accessToken(signal, true);
      return this.transport.post(this.url(method), method, body, { kind: 'bearer', token }, signal);
    }
  }

  private canRenew(): boolean {
    const a = this.options.auth;
    return a.type === 'basic' || a.type === 'client_credentials' || typeof (a as { accessToken?: unknown }).accessToken === 'function'
      || this.refreshToken !== undefined;
  }

  private async accessToken(signal: AbortSignal | undefined, renew: boolean): Promise<string> {
    if (!renew && this.token && this.token.expiresAt > Date.now() + 5_000) return this.token.value;
    const a = this.options.auth;
    if (a.type === 'token') {
      const value = typeof a.accessToken === 'function' ? await a.accessToken(signal) : a.accessToken;
      if (typeof value !== 'string' || value === '') throw kysoError('ERR_INVALID_ARGUMENT', 'auth.accessToken gave no token');
      // Kept until the service answers 401; a token function is then asked again.
      this.token = { value, expiresAt: Infinity };
      return value;
    }
    let reply: CscReply;
    if (a.type === 'basic') {
      // CSC API v2.0.0.2 §11.2 auth/login: HTTP Basic, answers an access token.
      reply = await this.transport.post(this.url('auth/login'), 'auth/login', {}, { kind: 'basic', username: a.username, password: a.password }, signal);
    } else {
      const tokenUrl = a.tokenUrl ?? (await this.defaultTokenUrl(signal));
      const basicNone: CscRequestAuth = { kind: 'none' };
      let form: Record<string, unknown>;
      if (this.refreshToken) {
        form = { grant_type: 'refresh_token', refresh_token: this.refreshToken, client_id: a.clientId, client_secret: a.clientSecret };
      } else if (a.type === 'client_credentials') {
        form = { grant_type: 'client_credentials', client_id: a.clientId, client_secret: a.clientSecret, scope: a.scope };
      } else {
        if (this.codeUsed) throw kysoError('ERR_CSC_UNAUTHORIZED', 'the authorization code was already exchanged and no refresh token was given');
        this.codeUsed = true;
        form = {
          grant_type: 'authorization_code', code: a.code, client_id: a.clientId, client_secret: a.clientSecret,
          redirect_uri: a.redirectUri, code_verifier: a.codeVerifier,
        };
      }
      reply = await this.transport.post(tokenUrl, 'oauth2/token', form, basicNone, signal, true);
      if (typeof reply.body.refresh_token === 'string') this.refreshToken = reply.body.refresh_token;
    }
    const value = reply.body.access_token;
    if (typeof value !== 'string' || value === '') throw bad(a.type === 'basic' ? 'auth/login' : 'oauth2/token', 'no access_token');
    const expiresIn = typeof reply.body.expires_in === 'number' && reply.body.expires_in > 0 ? reply.body.expires_in : 3600;
    this.token = { value, expiresAt: Date.now() + expiresIn * 1000 };
    return value;
  }

  private async defaultTokenUrl(signal: AbortSignal | undefined): Promise<string> {
    const info = await this.info(signal);
    return info.oauth2 ? `${info.oauth2.replace(/\/+$/, '')}/oauth2/token` : this.url('oauth2/token');
  }
}

// ---------------------------------------------------------------------------------------------

function checkAuth(auth: unknown): void {
  if (!isObject(auth)) throw kysoError('ERR_INVALID_ARGUMENT', 'options.auth is required');
  const need = (k: string) => {
    if (typeof auth[k] !== 'string' || auth[k] === '') throw kysoError('ERR_INVALID_ARGUMENT', `options.auth.${k} is required`);
  };
  switch (auth.type) {
    case 'token':
      if (typeof auth.accessToken !== 'function') need('accessToken');
      break;
    case 'basic':
      need('username');
      need('password');
      break;
    case 'client_credentials':
      need('clientId');
      need('clientSecret');
      break;
    case 'authorization_code':
      need('clientId');
      need('code');
      need('redirectUri');
      break;
    default:
      throw kysoError('ERR_INVALID_ARGUMENT', 'options.auth.type must be token, basic, client_credentials or authorization_code');
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function bad(method: string, what: string) {
  return kysoError('ERR_CSC_BAD_RESPONSE', `${method}: ${what}`);
}

function isOneTime(o: CscAuthObject): boolean {
  return o.type === 'OTP' || o.id === 'OTP' || o.generator !== undefined;
}

function parseInfo(body: Record<string, unknown>): CscServiceInfo {
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    specs: typeof body.specs === 'string' ? body.specs : '',
    name: typeof body.name === 'string' ? body.name : '',
    authType: strings(body.authType),
    methods: strings(body.methods),
    ...(typeof body.oauth2 === 'string' && body.oauth2 !== '' ? { oauth2: body.oauth2 } : {}),
  };
}

/**
 * Reads a CredentialInfo (CSC API v2.0.0.2 §11.4–11.5; v1.0.4's top-level
 * `authMode` is read too). Strict where signing depends on it: key algorithms
 * and at least the signer certificate must be there.
 */
export function parseCredential(credentialID: string, raw: unknown, method: string): CscCredential {
  if (!isObject(raw)) throw bad(method, 'credential info is not an object');
  const key = raw.key;
  if (!isObject(key) || !Array.isArray(key.algo) || !key.algo.every((x) => typeof x === 'string')) throw bad(method, `${credentialID}: key/algo missing`);
  const cert = raw.cert;
  const certs = isObject(cert) && Array.isArray(cert.certificates) ? cert.certificates : undefined;
  if (!certs || certs.length === 0) throw bad(method, `${credentialID}: cert/certificates missing`);
  const certificates = certs.map((c, i) => {
    const der = typeof c === 'string' ? fromBase64(c) : null;
    if (!der || der.length === 0) throw bad(method, `${credentialID}: cert/certificates[${i}] is not base64`);
    return der;
  });
  const auth = isObject(raw.auth) ? raw.auth : {};
  const modeRaw = auth.mode ?? raw.authMode ?? 'implicit';
  if (modeRaw !== 'implicit' && modeRaw !== 'explicit' && modeRaw !== 'oauth2code') throw bad(method, `${credentialID}: unknown auth mode`);
  const objectsRaw = Array.isArray(auth.objects) ? auth.objects : [];
  const authObjects: CscAuthObject[] = objectsRaw.filter(isObject).filter((o) => typeof o.id === 'string').map((o) => ({
    type: typeof o.type === 'string' ? o.type : 'Password',
    id: o.id as string,
    ...(typeof o.format === 'string' ? { format: o.format } : {}),
    ...(typeof o.label === 'string' ? { label: o.label } : {}),
    ...(typeof o.description === 'string' ? { description: o.description } : {}),
    ...(typeof o.generator === 'string' ? { generator: o.generator } : {}),
  }));
  const multisign = typeof raw.multisign === 'number' && Number.isInteger(raw.multisign) && raw.multisign >= 1 ? raw.multisign : 1;
  return {
    credentialID,
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    keyStatus: key.status === 'disabled' ? 'disabled' : 'enabled',
    keyAlgos: key.algo as string[],
    keyLength: typeof key.len === 'number' ? key.len : 0,
    certificates,
    authMode: modeRaw,
    authObjects,
    scal: raw.SCAL === '2' ? '2' : '1',
    multisign,
  };
}

function labelOf(der: Uint8Array): string | undefined {
  try {
    return parseCertificate(der).subjectCN ?? undefined;
  } catch {
    return undefined;
  }
}
