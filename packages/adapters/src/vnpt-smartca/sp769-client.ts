import { fromBase64, kysoError, type AdapterCapabilities, type CertificateEntry } from '@kyso/core';
import { clean, defaultFetch, isObject, postJson, type RemoteFetch, badResponse } from '../remote/http.js';
import { decodeSignature } from '../remote/wait.js';
import type { RemoteOutcome, RemoteSigningService, RemoteStartRequest, RemoteStarted } from '../remote/types.js';
import { checkAbsoluteUrl } from '../internal/options.js';
import { toHex } from '../internal/bytes.js';

/** Paths of one `sp769`-shaped API, relative to its base URL. `{id}` is the service's transaction code. */
export interface Sp769Paths {
  readonly certificate: string;
  readonly sign: string;
  readonly status: string;
}

/** What a non-success `message` of a status or callback answer means (the public document shows only success). */
export type Sp769MessageKind = 'pending' | 'rejected' | 'expired' | 'cancelled';

/** Default reading of `message` for states the public document does not show (the emulator's words; pass the provider's). */
export const SP769_DEFAULT_MESSAGES: Readonly<Record<string, Sp769MessageKind>> = {
  sig_wait_for_user_confirm: 'pending', WAITING_FOR_USER_CONFIRM: 'pending', PENDING: 'pending',
  USER_REJECTED: 'rejected', REJECTED: 'rejected', EXPIRED: 'expired', TRANSACTION_EXPIRED: 'expired', CANCELLED: 'cancelled',
};

/** Options of {@link Sp769Client}. Server-side only: it holds `sp_password`. */
export interface Sp769ClientOptions {
  readonly baseUrl: string;
  readonly spId: string;
  readonly spPassword: string;
  /** Extra fields for every body (NEAC: `ca_name`). */
  readonly extra?: (user: string) => Readonly<Record<string, string>>;
  /** How long the provider waits for the user; default 300 s (not in the public document; the phone app shows about two minutes). */
  readonly windowMs?: number;
  /** `file_type` sent with each hash; default `pdf`. */
  readonly fileType?: string;
  readonly messages?: Readonly<Record<string, Sp769MessageKind>>;
  readonly requestTimeoutMs?: number;
  readonly fetch?: RemoteFetch;
}

/**
 * A client of the `sp769` JSON API shape (VNPT SmartCA; NEAC's eSign gateway
 * uses the same bodies under other paths): every body carries `sp_id` +
 * `sp_password` and the signer's `user_id` (CCCD / MST); `get_certificate`,
 * `sign` with `sign_files[{doc_id, file_type, sign_type: "hash",
 * data_to_be_signed: hex}]` (one confirmation for the whole list), then the
 * transaction's status by `tran_code`, or the provider's webhook with
 * `signed_files[]` to the URL registered with it.
 */
export class Sp769Client implements RemoteSigningService {
  readonly webhook = 'registered' as const;
  private readonly baseUrl: string;
  private readonly fetchFn: RemoteFetch;
  private readonly messages: Readonly<Record<string, Sp769MessageKind>>;

  /** @throws `ERR_INVALID_ARGUMENT` a missing option. */
  constructor(readonly name: string, private readonly paths: Sp769Paths, private readonly options: Sp769ClientOptions) {
    if (!isObject(options)) throw kysoError('ERR_INVALID_ARGUMENT', `${name} client needs an options object`);
    checkAbsoluteUrl(options.baseUrl, 'baseUrl');
    if (typeof options.spId !== 'string' || options.spId === '' || typeof options.spPassword !== 'string' || options.spPassword === '') {
      throw kysoError('ERR_INVALID_ARGUMENT', 'options.spId and options.spPassword are required');
    }
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchFn = defaultFetch(options.fetch);
    this.messages = options.messages ?? SP769_DEFAULT_MESSAGES;
  }

  capabilities(): AdapterCapabilities {
    return { schemes: ['RSASSA-PKCS1-v1_5'], hashes: ['SHA-256'] };
  }

  async certificates(user: string, signal?: AbortSignal): Promise<readonly CertificateEntry[]> {
    const body = await this.call(this.paths.certificate, 'get_certificate', { user_id: user, serial_number: '', transaction_id: randomId() }, user, signal);
    const data = isObject(body.data) ? body.data : {};
    const list = data.user_certificates;
    if (!Array.isArray(list)) throw badResponse('get_certificate', 'user_certificates is not a list');
    return list.map((c: unknown, i) => {
      if (!isObject(c) || typeof c.serial_number !== 'string' || typeof c.cert_data !== 'string') throw badResponse('get_certificate', `user_certificates[${i}] is malformed`);
      const der = (s: unknown, what: string) => {
        const b = typeof s === 'string' ? fromBase64(s) : null;
        if (!b || b.length === 0) throw badResponse('get_certificate', `user_certificates[${i}].${what} is not base64`);
        return b;
      };
      const chainData = isObject(c.chain_data) ? c.chain_data : {};
      const chain = [chainData.ca_cert, chainData.root_cert].filter((x) => typeof x === 'string' && x !== '').map((x, k) => der(x, `chain_data[${k}]`));
      const label = typeof c.service_name === 'string' ? `${c.service_name} ${c.serial_number}` : c.serial_number;
      return { id: c.serial_number, certificate: der(c.cert_data, 'cert_data'), chain, label };
    });
  }

  async start(request: RemoteStartRequest): Promise<RemoteStarted> {
    const { user, credentialId, digests, hash, scheme, reference, signal } = request;
    if (hash !== 'SHA-256' || scheme !== 'RSASSA-PKCS1-v1_5') throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `${this.name} signs RSASSA-PKCS1-v1_5 with SHA-256`);
    const body = await this.call(this.paths.sign, 'sign', {
      user_id: user, transaction_id: reference, serial_number: credentialId,
      ...(request.description ? { transaction_desc: request.description } : {}),
      time_stamp: timeStamp(new Date()),
      sign_files: digests.map((d, i) => ({ doc_id: `${i + 1}`, file_type: this.options.fileType ?? 'pdf', sign_type: 'hash', data_to_be_signed: toHex(d) })),
    }, user, signal);
    const data = isObject(body.data) ? body.data : {};
    if (typeof data.tran_code !== 'string' || data.tran_code === '') throw badResponse('sign', 'no tran_code');
    return { id: data.tran_code, windowMs: this.options.windowMs ?? 300_000 };
  }

  async status(user: string, id: string, signal?: AbortSignal): Promise<RemoteOutcome> {
    const path = this.paths.status.replace('{id}', encodeURIComponent(id));
    const body = await this.call(path, 'status', { user_id: user }, user, signal, true);
    return this.outcome('status', body, isObject(body.data) ? body.data.signatures : undefined);
  }

  /** The provider's webhook: `{ sp_id, status_code, message, transaction_id, signed_files[] }`. */
  readCallback(body: unknown): { id: string; outcome: RemoteOutcome } {
    if (!isObject(body) || typeof body.transaction_id !== 'string') throw badResponse('callback', 'no transaction_id');
    if (body.sp_id !== this.options.spId) throw kysoError('ERR_REMOTE_CALLBACK_REFUSED', 'callback for another sp_id');
    return { id: body.transaction_id, outcome: this.outcome('callback', body, body.signed_files) };
  }

  private outcome(method: string, body: Record<string, unknown>, files: unknown): RemoteOutcome {
    const message = typeof body.message === 'string' ? body.message.trim() : '';
    const kind = this.messages[message];
    if (kind === 'pending') return { state: 'pending' };
    if (kind) return { state: kind, detail: `${method}: ${clean(message, 100)}` };
    if (body.status_code !== 200) throw failure(method, body);
    if (!Array.isArray(files) || files.length === 0) throw badResponse(method, 'no signatures');
    // One signature per doc_id; doc_id i+1 is digest i (set by start).
    const sorted = files.map((f: unknown, i) => {
      if (!isObject(f) || typeof f.doc_id !== 'string') throw badResponse(method, `signatures[${i}] without doc_id`);
      return { n: Number(f.doc_id), value: decodeSignature(f.signature_value, `${method}: signatures[${i}].signature_value`) };
    }).sort((a, b) => a.n - b.n);
    if (sorted.some((s, i) => s.n !== i + 1)) throw badResponse(method, 'doc_id values do not match the request');
    return { state: 'confirmed', signatures: sorted.map((s) => s.value) };
  }

  private async call(path: string, method: string, body: Record<string, unknown>, user: string, signal: AbortSignal | undefined, lenient = false): Promise<Record<string, unknown>> {
    const payload = { sp_id: this.options.spId, sp_password: this.options.spPassword, ...(this.options.extra?.(user) ?? {}), ...body };
    const r = await postJson(this.fetchFn, `${this.baseUrl}/${path.replace(/^\/+/, '')}`, method, payload, {}, this.options.requestTimeoutMs ?? 30_000, signal);
    if (r.status >= 500) throw kysoError('ERR_REMOTE_SERVER', `${method}: HTTP ${r.status}`);
    if (!r.body) {
      if (r.status === 401) throw kysoError('ERR_REMOTE_UNAUTHORIZED', `${method}: HTTP 401`);
      if (r.status === 403) throw kysoError('ERR_REMOTE_CERT_REVOKED', `${method}: HTTP 403`);
      throw badResponse(method, `HTTP ${r.status} without a JSON body`);
    }
    if (r.status !== 200 || r.body.status_code !== 200) {
      if (lenient && typeof r.body.message === 'string' && this.messages[r.body.message.trim()]) return r.body;
      throw failure(method, r.body, r.status);
    }
    return r.body;
  }
}

/** VNPT SmartCA document's error table: 401 SP_CREDENTIAL_INVALID, 403 CREDENTIAL_STATUS_INVALID, 500. */
function failure(method: string, body: Record<string, unknown>, http?: number) {
  const code = typeof body.status_code === 'number' ? body.status_code : http;
  const detail = `${method}: ${code ?? '?'}${typeof body.message === 'string' ? ` ${clean(body.message, 200)}` : ''}`;
  if (code === 401) return kysoError('ERR_REMOTE_UNAUTHORIZED', detail);
  if (code === 403) return kysoError('ERR_REMOTE_CERT_REVOKED', detail);
  if (typeof code === 'number' && code >= 500) return kysoError('ERR_REMOTE_SERVER', detail);
  return kysoError('ERR_REMOTE_REQUEST_REJECTED', detail);
}



function randomId(): string {
  const b = new Uint8Array(16);
  globalThis.crypto.getRandomValues(b);
  return toHex(b);
}

/** `YYYYMMddHHmmss` + `Z` (the document's sample: `20220316063000Z`), UTC. */
function timeStamp(d: Date): string {
  return `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}
