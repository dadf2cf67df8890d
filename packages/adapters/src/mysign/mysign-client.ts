import { HASH_OID, OID, fromBase64, kysoError, toBase64, type AdapterCapabilities, type CertificateEntry } from '@kyso/core';
import { REMOTE_TRANSPORT_CODES, clean, defaultFetch, isObject, postText, type RemoteFetch, badResponse } from '../remote/http.js';
import { decodeSignature } from '../remote/wait.js';
import type { RemoteOutcome, RemoteSigningService, RemoteStartRequest, RemoteStarted } from '../remote/types.js';
import { checkAbsoluteUrl } from '../internal/options.js';

/** Viettel MySign's production service. */
export const MYSIGN_URL = 'https://remotesigning.viettel.vn';

/** Options of {@link MySignClient}. Server-side only: it holds `client_secret` and the users' tokens. */
export interface MySignClientOptions {
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Default `adss:ras:profile:001`. */
  readonly profileId?: string;
  /** `poll` (`async` 1, default) or `sync` (`async` 0: `signHash` answers when the user has confirmed). */
  readonly mode?: 'poll' | 'sync';
  /** Shown on the phone (sent base64, as the service requires). */
  readonly description?: string;
  /** How long the service waits for the user; default 120 s (integrators' reading of the document: poll every 2 s, 60 times). */
  readonly windowMs?: number;
  readonly requestTimeoutMs?: number;
  readonly fetch?: RemoteFetch;
}

/**
 * A client of Viettel MySign (`/vtss/service/...`, an Ascertia ADSS RAS back
 * end with CSC v1 field names): a bearer token **per user**
 * (`ras/v1/login`, 3600 s, no refresh: logged in again when it runs out or the
 * service answers 401), `certificates/info`, `signHash` with `async` 0 or 1,
 * and `requests/status` with its codes 1 (done), 4000 / 6000 (waiting,
 * signing), 4001 (time-out), 4002 (rejected), 13004 (certificate revoked or
 * expired); with webhook delivery `async` 3, the result posted to the
 * integrator after Viettel obtained a token from it. Implements {@link RemoteSigningService}.
 */
export class MySignClient implements RemoteSigningService {
  readonly name = 'mysign';
  readonly webhook = 'service-token' as const;
  private readonly baseUrl: string;
  private readonly fetchFn: RemoteFetch;
  private readonly tokens = new Map<string, { value: string; expiresAt: number }>();

  /** @throws `ERR_INVALID_ARGUMENT` a missing option. */
  constructor(private readonly options: MySignClientOptions) {
    if (!isObject(options)) throw kysoError('ERR_INVALID_ARGUMENT', 'MySignClient needs an options object');
    checkAbsoluteUrl(options.baseUrl, 'baseUrl');
    if (!options.clientId || !options.clientSecret) throw kysoError('ERR_INVALID_ARGUMENT', 'options.clientId and options.clientSecret are required');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchFn = defaultFetch(options.fetch);
  }

  capabilities(): AdapterCapabilities {
    return { schemes: ['RSASSA-PKCS1-v1_5'], hashes: ['SHA-256'] };
  }

  async certificates(user: string, signal?: AbortSignal): Promise<readonly CertificateEntry[]> {
    const { body } = await this.call(user, 'certificates/info', {
      client_id: this.options.clientId, client_secret: this.options.clientSecret, profile_id: this.profile(), user_id: user,
      certificates: 'chain', certInfo: true, authInfo: true,
    }, signal);
    if (!Array.isArray(body)) throw badResponse('certificates/info', 'not a list');
    const out: CertificateEntry[] = [];
    for (const [i, c] of body.entries()) {
      if (!isObject(c) || typeof c.credential_id !== 'string' || !isObject(c.cert) || !Array.isArray(c.cert.certificates)) {
        throw badResponse('certificates/info', `[${i}] is malformed`);
      }
      if (c.cert.status !== undefined && c.cert.status !== 'valid') continue;
      const ders = c.cert.certificates.map((x: unknown, k) => {
        const d = typeof x === 'string' ? fromBase64(x) : null;
        if (!d || d.length === 0) throw badResponse('certificates/info', `[${i}].cert.certificates[${k}] is not base64`);
        return d;
      });
      if (ders.length === 0) throw badResponse('certificates/info', `[${i}] has no certificate`);
      const [certificate, ...chain] = ders;
      out.push({ id: c.credential_id, certificate: certificate!, chain, ...(typeof c.cert.subjectDN === 'string' ? { label: c.cert.subjectDN } : {}) });
    }
    return out;
  }

  async start(request: RemoteStartRequest): Promise<RemoteStarted> {
    const { user, credentialId, digests, hash, scheme, reference, signal, delivery } = request;
    if (hash !== 'SHA-256' || scheme !== 'RSASSA-PKCS1-v1_5') throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', 'MySign signs RSASSA-PKCS1-v1_5 with SHA-256');
    const webhook = delivery === 'webhook';
    const sync = !webhook && this.options.mode === 'sync';
    const description = request.description ?? this.options.description ?? 'kyso';
    const { body } = await this.call(user, 'signHash', {
      client_id: this.options.clientId, client_secret: this.options.clientSecret, credentialID: credentialId,
      numSignatures: digests.length, description: utf8Base64(description).slice(0, 96),
      // document_name must be base64 (raw names allow only [A-Za-z0-9_- ]); under 100 characters.
      documents: digests.map((_, i) => ({ document_id: `${reference.split('.')[0]}-${i + 1}`, document_name: utf8Base64(`document ${i + 1}`) })),
      hash: digests.map((d) => toBase64(d)), hashAlgo: HASH_OID[hash], signAlgo: OID.rsaEncryption, async: webhook ? 3 : sync ? 0 : 1,
    }, signal);
    if (!isObject(body)) throw badResponse('signHash', 'not an object');
    const windowMs = this.options.windowMs ?? 120_000;
    if (sync) {
      const outcome = this.outcome('signHash', { ...body, status: body.status ?? '1' }, digests.length);
      return { id: `sync-${reference.split('.')[0]}`, windowMs, outcome };
    }
    if (typeof body.transactionId !== 'string' || body.transactionId === '') throw badResponse('signHash', 'no transactionId');
    return { id: body.transactionId, windowMs };
  }

  async status(user: string, id: string, signal?: AbortSignal): Promise<RemoteOutcome> {
    const { body } = await this.call(user, 'requests/status', { transactionId: id }, signal);
    if (!isObject(body)) throw badResponse('requests/status', 'not an object');
    return this.outcome('requests/status', body, undefined);
  }

  /**
   * The result Viettel posts after the user answered (`async` 3):
   * `{ meta_data: { transaction_id, status, description }, data: { results: [{ document_id, signature }] } }`.
   */
  readCallback(body: unknown): { id: string; outcome: RemoteOutcome } {
    const meta = isObject(body) && isObject(body.meta_data) ? body.meta_data : undefined;
    if (!meta || typeof meta.transaction_id !== 'string') throw badResponse('callback', 'no meta_data.transaction_id');
    const data = isObject(body) && isObject((body as Record<string, unknown>).data) ? (body as { data: Record<string, unknown> }).data : {};
    const results = Array.isArray(data.results) ? data.results : [];
    // Results come per document_id ("<reference>-<n>", set by start): put them back in digest order.
    const ordered = results.map((r: unknown, i) => {
      if (!isObject(r) || typeof r.document_id !== 'string') throw badResponse('callback', `results[${i}] without document_id`);
      return { n: Number(/-(\d+)$/.exec(r.document_id)?.[1] ?? NaN), signature: r.signature };
    }).sort((a, b) => a.n - b.n);
    if (ordered.some((r, i) => r.n !== i + 1)) throw badResponse('callback', 'document_id values do not match the request');
    return { id: meta.transaction_id, outcome: this.outcome('callback', { status: meta.status, description: meta.description, signatures: ordered.map((r) => r.signature) }, undefined) };
  }

  private outcome(method: string, body: Record<string, unknown>, count: number | undefined): RemoteOutcome {
    const status = String(body.status ?? '');
    const detail = `${method}: ${status}${typeof body.description === 'string' ? ` ${clean(body.description, 150)}` : ''}`;
    switch (status) {
      case '1': {
        const sigs = body.signatures;
        if (!Array.isArray(sigs) || sigs.length === 0 || (count !== undefined && sigs.length !== count)) throw badResponse(method, 'signatures missing or of the wrong number');
        // Integrators report CR LF inside the base64 values.
        return { state: 'confirmed', signatures: sigs.map((s, i) => decodeSignature(typeof s === 'string' ? s.replace(/\s+/g, '') : s, `${method}: signatures[${i}]`)) };
      }
      case '0': case '4000': case '6000': return { state: 'pending' };
      case '4001': return { state: 'expired', detail };
      case '4002': return { state: 'rejected', detail };
      case '13004': throw kysoError('ERR_REMOTE_CERT_REVOKED', detail);
      case '50000': throw kysoError('ERR_REMOTE_SERVER', detail);
      default: throw kysoError('ERR_REMOTE_REQUEST_REJECTED', detail);
    }
  }

  private profile(): string {
    return this.options.profileId ?? 'adss:ras:profile:001';
  }

  /** One call with `user`'s token; a 401 logs in again once. */
  private async call(user: string, method: string, body: Record<string, unknown>, signal: AbortSignal | undefined, retried = false): Promise<{ body: unknown }> {
    const token = await this.login(user, signal);
    const r = await this.post(method, body, { Authorization: `Bearer ${token}` }, signal);
    if (r.status === 401) {
      this.tokens.delete(user);
      if (retried) throw kysoError('ERR_REMOTE_UNAUTHORIZED', `${method}: HTTP 401`);
      return this.call(user, method, body, signal, true);
    }
    if (r.status >= 500) throw kysoError('ERR_REMOTE_SERVER', `${method}: HTTP ${r.status}`);
    if (r.status === 403) throw kysoError('ERR_REMOTE_UNAUTHORIZED', `${method}: HTTP 403`);
    if (r.status !== 200) {
      const b = isObject(r.body) ? r.body : {};
      if (String(b.status ?? '') === '13004') throw kysoError('ERR_REMOTE_CERT_REVOKED', `${method}: 13004`);
      throw kysoError('ERR_REMOTE_REQUEST_REJECTED', `${method}: HTTP ${r.status}${typeof b.description === 'string' ? ` ${clean(b.description, 150)}` : ''}`);
    }
    return { body: r.body };
  }

  private async login(user: string, signal: AbortSignal | undefined): Promise<string> {
    const known = this.tokens.get(user);
    if (known && known.expiresAt > Date.now() + 5000) return known.value;
    const r = await this.post('ras/v1/login', {
      client_id: this.options.clientId, client_secret: this.options.clientSecret, profile_id: this.profile(), user_id: user,
    }, {}, signal);
    if (r.status >= 500) throw kysoError('ERR_REMOTE_SERVER', `ras/v1/login: HTTP ${r.status}`);
    const b = isObject(r.body) ? r.body : undefined;
    if (r.status !== 200 || !b || typeof b.access_token !== 'string' || b.access_token === '') {
      if (r.status === 200) throw badResponse('ras/v1/login', 'no access_token');
      throw kysoError('ERR_REMOTE_UNAUTHORIZED', `ras/v1/login: HTTP ${r.status}`);
    }
    const expiresIn = typeof b.expires_in === 'number' && b.expires_in > 0 ? b.expires_in : 3600;
    this.tokens.set(user, { value: b.access_token, expiresAt: Date.now() + expiresIn * 1000 });
    return b.access_token;
  }

  /** POSTs JSON; answers the status and the parsed body (an object, or an array for `certificates/info`). */
  private async post(method: string, body: unknown, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<{ status: number; body: unknown }> {
    const r = await postText(this.fetchFn, `${this.baseUrl}/vtss/service/${method}`, method,
      { 'Content-Type': 'application/json', Accept: 'application/json', ...headers }, JSON.stringify(body),
      this.options.requestTimeoutMs ?? 30_000, signal, REMOTE_TRANSPORT_CODES);
    let parsed: unknown;
    try {
      parsed = r.text.trim() === '' ? undefined : JSON.parse(r.text);
    } catch {
      parsed = undefined;
    }
    if (r.status === 200 && (typeof parsed !== 'object' || parsed === null)) throw badResponse(method, 'HTTP 200 with a body that is not JSON');
    return { status: r.status, body: parsed };
  }
}


function utf8Base64(s: string): string {
  return toBase64(new TextEncoder().encode(s));
}
