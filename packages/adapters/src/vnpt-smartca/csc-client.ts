import { KysoError, kysoError, toBase64, fromBase64, type AdapterCapabilities, type CertificateEntry } from '@kyso/core';
import { REMOTE_TRANSPORT_CODES, clean, defaultFetch, isObject, postJson, postText, type RemoteFetch, badResponse } from '../remote/http.js';
import { decodeSignature } from '../remote/wait.js';
import type { RemoteOutcome, RemoteSigningService, RemoteStartRequest, RemoteStarted } from '../remote/types.js';
import { checkAbsoluteUrl } from '../internal/options.js';

/** VNPT SmartCA's production gateway for the CSC-style API (UAT: `https://rmgateway.vnptit.vn`). */
export const VNPT_SMARTCA_CSC_URL = 'https://gwsca.vnpt.vn';

/**
 * How the integrator's server signs a subscriber in at `auth/token` (OAuth 2
 * resource-owner grant): the SmartCA account password, or a refresh token the
 * integrator kept from an earlier sign-in (integrators report about three months).
 */
export type SmartCaCscGrant = { readonly password: string } | { readonly refreshToken: string };

/** Options of {@link SmartCaCscClient}. Server-side only: it holds `client_secret` and the subscribers' tokens. */
export interface SmartCaCscClientOptions {
  /** The gateway's origin, e.g. {@link VNPT_SMARTCA_CSC_URL}. */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /**
   * The grant for `user` (the SmartCA user name: CCCD or MST), asked when the
   * client has no usable token for that user. Never logged, never put in an
   * error, not kept by the client (only the tokens it yields are, in memory).
   */
  readonly signIn: (user: string, signal?: AbortSignal) => Promise<SmartCaCscGrant>;
  /** `true`: the e-seal (organisation) variant, `esca/csc/signature/signhash`. */
  readonly eseal?: boolean;
  /** How long the subscriber has to confirm; default 300 s (integrators: tranStatus 4001 after five minutes). */
  readonly windowMs?: number;
  readonly requestTimeoutMs?: number;
  readonly fetch?: RemoteFetch;
}

/** `tranStatus` of `csc/credentials/gettraninfo`, as integrators quote the document (§5.2.5). */
const TRAN_STATUS = { signed: 1, waiting: 4000, expired: 4001, rejected: 4002, authorizeFailed: 4003, signFailed: 4004 } as const;

interface Token {
  readonly access: string;
  readonly refresh?: string;
  readonly expiresAt: number;
}

/**
 * A client of VNPT SmartCA's CSC-style API ("Tài liệu tích hợp VNPT-SmartCA"
 * v1.1 of 2024-05-15, as integrators quote it): OAuth 2 at `auth/token`
 * (form-encoded, `client_id` + `client_secret` + the subscriber: a bearer
 * token **per user**, kept in memory and renewed by its refresh token), then
 * JSON envelopes `{code: 0, codeDesc, message, content}` from
 * `csc/credentials/list` (credential ids), `csc/credentials/info` (CSC v2
 * `cert.certificates`, leaf first), `csc/signature/signhash` (singular
 * `signature/`; `datas[{name, hash}]`, base64 SHA-256, several under one
 * confirmation) answering `tranId`, and the custom
 * `csc/credentials/gettraninfo` polled until `tranStatus` 1 (signed, each
 * `documents[].sig`), 4001 (expired) or 4002 (rejected). Implements
 * {@link RemoteSigningService}; results come by polling (`webhook: 'none'`).
 *
 * Failures: wrong client or subscriber credentials, and a token still refused
 * after one renewal → `ERR_REMOTE_UNAUTHORIZED`; HTTP 5xx → `ERR_REMOTE_SERVER`;
 * an answer that is not the envelope → `ERR_REMOTE_BAD_RESPONSE`; a non-zero
 * `code` → `ERR_REMOTE_REQUEST_REJECTED`; no answer in time → `ERR_REMOTE_TIMEOUT`.
 */
export class SmartCaCscClient implements RemoteSigningService {
  readonly name: string;
  readonly webhook = 'none' as const;
  private readonly baseUrl: string;
  private readonly fetchFn: RemoteFetch;
  /** Per user; memory only (a restarted server signs its users in again). */
  private readonly tokens = new Map<string, Token>();
  /** Sign-ins under way, per user: concurrent calls share one. */
  private readonly signingIn = new Map<string, Promise<Token>>();

  /** @throws `ERR_INVALID_ARGUMENT` a missing option. */
  constructor(private readonly options: SmartCaCscClientOptions) {
    if (!isObject(options)) throw kysoError('ERR_INVALID_ARGUMENT', 'SmartCaCscClient needs an options object');
    checkAbsoluteUrl(options.baseUrl, 'baseUrl');
    if (typeof options.clientId !== 'string' || options.clientId === '' || typeof options.clientSecret !== 'string' || options.clientSecret === '') {
      throw kysoError('ERR_INVALID_ARGUMENT', 'options.clientId and options.clientSecret are required');
    }
    if (typeof options.signIn !== 'function') throw kysoError('ERR_INVALID_ARGUMENT', 'options.signIn is required');
    this.name = options.eseal ? 'vnpt-smartca-csc-eseal' : 'vnpt-smartca-csc';
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchFn = defaultFetch(options.fetch);
  }

  capabilities(): AdapterCapabilities {
    return { schemes: ['RSASSA-PKCS1-v1_5'], hashes: ['SHA-256'] };
  }

  async certificates(user: string, signal?: AbortSignal): Promise<readonly CertificateEntry[]> {
    const ids = await this.call(user, 'csc/credentials/list', {}, signal);
    if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) throw badResponse('credentials/list', 'content is not a list of ids');
    const out: CertificateEntry[] = [];
    for (const id of ids as string[]) {
      // CSC API v2 §11.5 credentials/info: certificates "chain" answers the whole chain, the signer's first.
      const info = await this.call(user, 'csc/credentials/info', { credentialId: id, certificates: 'chain', certInfo: true, authInfo: true }, signal);
      const cert = isObject(info) && isObject(info.cert) ? info.cert : undefined;
      if (!cert || !Array.isArray(cert.certificates) || cert.certificates.length === 0) throw badResponse('credentials/info', `${clean(id, 60)}: no cert.certificates`);
      // CSC v2 cert/status: "valid" | "expired" | "revoked" | "suspended"; only a valid one can sign.
      if (typeof cert.status === 'string' && cert.status.toLowerCase() !== 'valid') continue;
      const ders = cert.certificates.map((c: unknown, k) => {
        const d = typeof c === 'string' ? fromBase64(c.replace(/\s+/g, '')) : null;
        if (!d || d.length === 0) throw badResponse('credentials/info', `cert.certificates[${k}] is not base64`);
        return d;
      });
      const [certificate, ...chain] = ders;
      const label = typeof cert.subjectDN === 'string' ? cert.subjectDN : typeof cert.serialNumber === 'string' ? cert.serialNumber : id;
      out.push({ id, certificate: certificate!, chain, label: clean(label, 200) });
    }
    return out;
  }

  async start(request: RemoteStartRequest): Promise<RemoteStarted> {
    const { user, credentialId, digests, hash, scheme, reference, signal } = request;
    if (hash !== 'SHA-256' || scheme !== 'RSASSA-PKCS1-v1_5') throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `${this.name} signs RSASSA-PKCS1-v1_5 with SHA-256`);
    const content = await this.call(user, this.options.eseal ? 'esca/csc/signature/signhash' : 'csc/signature/signhash', {
      credentialId, refTranId: reference, ...(request.description ? { description: request.description } : {}),
      // name i+1 is digest i: gettraninfo's documents[] are put back in order by it.
      datas: digests.map((d, i) => ({ name: `${i + 1}`, hash: toBase64(d) })),
    }, signal);
    if (!isObject(content) || typeof content.tranId !== 'string' || content.tranId === '') throw badResponse('signhash', 'no tranId');
    return { id: content.tranId, windowMs: this.options.windowMs ?? 300_000 };
  }

  async status(user: string, id: string, signal?: AbortSignal): Promise<RemoteOutcome> {
    const content = await this.call(user, 'csc/credentials/gettraninfo', { tranId: id }, signal);
    if (!isObject(content) || typeof content.tranStatus !== 'number') throw badResponse('gettraninfo', 'no tranStatus');
    const desc = content.tranStatusDesc ?? content.transStatusDesc;
    const detail = `gettraninfo: ${content.tranStatus}${typeof desc === 'string' ? ` ${clean(desc, 100)}` : ''}`;
    switch (content.tranStatus) {
      case TRAN_STATUS.waiting: return { state: 'pending' };
      case TRAN_STATUS.expired: return { state: 'expired', detail };
      case TRAN_STATUS.rejected: return { state: 'rejected', detail };
      case TRAN_STATUS.authorizeFailed: throw kysoError('ERR_REMOTE_UNAUTHORIZED', detail);
      case TRAN_STATUS.signed: break;
      default: throw kysoError('ERR_REMOTE_REQUEST_REJECTED', detail);
    }
    const docs = content.documents;
    if (!Array.isArray(docs) || docs.length === 0) throw badResponse('gettraninfo', 'no documents');
    const sorted = docs.map((d: unknown, i) => {
      if (!isObject(d) || typeof d.name !== 'string') throw badResponse('gettraninfo', `documents[${i}] without name`);
      const sig = typeof d.sig === 'string' ? d.sig.replace(/\s+/g, '') : d.sig;
      return { n: Number(d.name), value: decodeSignature(sig, `gettraninfo: documents[${i}].sig`) };
    }).sort((a, b) => a.n - b.n);
    if (sorted.some((s, i) => s.n !== i + 1)) throw badResponse('gettraninfo', 'document names do not match the request');
    return { state: 'confirmed', signatures: sorted.map((s) => s.value) };
  }

  /** One JSON call with `user`'s bearer token; HTTP 401 renews the token once. Answers the envelope's `content`. */
  private async call(user: string, path: string, body: Record<string, unknown>, signal: AbortSignal | undefined): Promise<unknown> {
    const method = path.replace(/^.*\/csc\/|^csc\//, '');
    for (let attempt = 0; ; attempt++) {
      const token = await this.token(user, attempt > 0, signal);
      const r = await postJson(this.fetchFn, `${this.baseUrl}/${path}`, method, body, { Authorization: `Bearer ${token.access}` },
        this.options.requestTimeoutMs ?? 30_000, signal);
      if (r.status === 401) {
        if (attempt === 0) continue;
        this.tokens.delete(user);
        throw kysoError('ERR_REMOTE_UNAUTHORIZED', `${method}: HTTP 401 after renewing the token`);
      }
      if (r.status >= 500) throw kysoError('ERR_REMOTE_SERVER', `${method}: HTTP ${r.status}`);
      if (r.status === 403) throw kysoError('ERR_REMOTE_UNAUTHORIZED', `${method}: HTTP 403`);
      if (!r.body) throw badResponse(method, `HTTP ${r.status} without a JSON body`);
      if (typeof r.body.code !== 'number') throw badResponse(method, 'no envelope code');
      if (r.status !== 200 || r.body.code !== 0) {
        const text = [r.body.codeDesc, r.body.message].filter((x) => typeof x === 'string' && x !== '').map((x) => clean(x as string, 150)).join(' ');
        throw kysoError('ERR_REMOTE_REQUEST_REJECTED', `${method}: ${r.body.code}${text ? ` ${text}` : ''}`);
      }
      return r.body.content;
    }
  }

  /** `user`'s access token: the one in memory unless `renew`; else by its refresh token, else by a new sign-in. */
  private async token(user: string, renew: boolean, signal: AbortSignal | undefined): Promise<Token> {
    const known = this.tokens.get(user);
    if (known && !renew && known.expiresAt > Date.now() + 5000) return known;
    const running = this.signingIn.get(user);
    if (running) return running;
    const next = (async () => {
      if (known?.refresh) {
        try {
          return await this.grant(user, { grant_type: 'refresh_token', refresh_token: known.refresh }, signal);
        } catch (e) {
          // A refused refresh token falls back to a new sign-in; anything else (server down, time-out) is the caller's.
          if (!(e instanceof KysoError && e.code === 'ERR_REMOTE_UNAUTHORIZED')) throw e;
        }
      }
      const g = await this.options.signIn(user, signal);
      const fields: Record<string, string> = 'password' in g ? { grant_type: 'password', username: user, password: g.password } : { grant_type: 'refresh_token', refresh_token: g.refreshToken };
      return this.grant(user, fields, signal);
    })().finally(() => this.signingIn.delete(user));
    this.signingIn.set(user, next);
    return next;
  }

  /** `POST auth/token` (RFC 6749 §4.3 / §6, form-encoded); keeps the answer for `user`. */
  private async grant(user: string, fields: Record<string, string>, signal: AbortSignal | undefined): Promise<Token> {
    const form = new URLSearchParams({ ...fields, client_id: this.options.clientId, client_secret: this.options.clientSecret }).toString();
    const r = await postText(this.fetchFn, `${this.baseUrl}/auth/token`, 'auth/token',
      { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }, form, this.options.requestTimeoutMs ?? 30_000, signal, REMOTE_TRANSPORT_CODES);
    if (r.status >= 500) throw kysoError('ERR_REMOTE_SERVER', `auth/token: HTTP ${r.status}`);
    let b: unknown;
    try {
      b = JSON.parse(r.text);
    } catch {
      b = undefined;
    }
    if (r.status !== 200) {
      this.tokens.delete(user);
      // RFC 6749 §5.2: invalid_client (the integrator's id/secret), invalid_grant (the subscriber's password or refresh token).
      const error = isObject(b) && typeof b.error === 'string' ? ` ${clean(b.error, 40)}` : '';
      throw kysoError('ERR_REMOTE_UNAUTHORIZED', `auth/token ${fields.grant_type}: HTTP ${r.status}${error}`);
    }
    if (!isObject(b) || typeof b.access_token !== 'string' || b.access_token === '') throw badResponse('auth/token', 'no access_token');
    const expiresIn = typeof b.expires_in === 'number' && b.expires_in > 0 ? b.expires_in : 3600;
    const token: Token = {
      access: b.access_token, expiresAt: Date.now() + expiresIn * 1000,
      ...(typeof b.refresh_token === 'string' && b.refresh_token !== '' ? { refresh: b.refresh_token } : {}),
    };
    this.tokens.set(user, token);
    return token;
  }
}

/**
 * VNPT SmartCA through its CSC-style API (`auth/token`, `csc/credentials/*`,
 * `csc/signature/signhash`, `csc/credentials/gettraninfo`): server-side client
 * for {@link RemoteSigningBackend}; `eseal: true` for organisation seals.
 */
export function vnptSmartCaCscClient(options: SmartCaCscClientOptions): SmartCaCscClient {
  return new SmartCaCscClient(options);
}
