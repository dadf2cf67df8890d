import { kysoError, type AdapterCapabilities, type CertificateEntry } from '@kyso/core';
import { clean, defaultFetch, isObject, postJson, type RemoteFetch, badResponse } from '../remote/http.js';
import { decodeSignature } from '../remote/wait.js';
import type { RemoteOutcome, RemoteSigningService, RemoteStartRequest, RemoteStarted } from '../remote/types.js';
import { Sp769Client, type Sp769ClientOptions } from './sp769-client.js';
import { toHex } from '../internal/bytes.js';

/** What a SmartCA TH failure `message` means (VNPT publishes no table: these are inferred, see decision 0023). */
export type SmartCaThFailure = 'password-invalid' | 'otp-invalid' | 'otp-expired' | 'locked' | 'sad-invalid';

/** Default reading of TH failure messages: the emulator's words. Pass the provider's when known. */
export const SMARTCA_TH_DEFAULT_MESSAGES: Readonly<Record<string, SmartCaThFailure>> = {
  PASSWORD_INVALID: 'password-invalid', OTP_INVALID: 'otp-invalid', OTP_EXPIRED: 'otp-expired', USER_LOCKED: 'locked', SAD_INVALID: 'sad-invalid',
};

/** The subscriber's own secrets for one TH signing: the SmartCA account password and the current OTP. */
export interface SmartCaThAuthorization {
  readonly password: string;
  readonly otp: string;
}

/** Options of {@link SmartCaThClient}. Server-side only: it holds `sp_password` and obtains the subscriber's password and OTP. */
export interface SmartCaThClientOptions extends Sp769ClientOptions {
  /**
   * The subscriber's password and current OTP for `user`, asked once per
   * signing (an OTP is used once). An agency's e-seal or batch account: from
   * the integrator's secret store and the account's TOTP generator. Never
   * logged, never put in an error, never kept by the client.
   */
  readonly authorize: (user: string, signal?: AbortSignal) => Promise<SmartCaThAuthorization>;
  readonly thMessages?: Readonly<Record<string, SmartCaThFailure>>;
}

/**
 * VNPT SmartCA "TH" (tích hợp): the variant for batch runs and e-seals where
 * nobody confirms on a phone. The subscriber's password and a one-time
 * password authorize the signing: `POST v2/signatures/sign` with the `sp769`
 * body plus `password` and `otp` answers a one-use `sad`; `POST
 * v2/signatures/confirm` with `password`, `sad` and `transaction_id` answers
 * the signature values. The transaction is settled when {@link start}
 * returns (no wait, no webhook). Certificates come from the `sp769`
 * `v1/credentials/get_certificate`.
 *
 * Failures: wrong password or OTP, and a locked account → `ERR_REMOTE_UNAUTHORIZED`;
 * an expired OTP → `ERR_REMOTE_EXPIRED`; a refused `sad` → `ERR_REMOTE_REQUEST_REJECTED`;
 * each with a detail naming which (never the secret itself).
 */
export class SmartCaThClient implements RemoteSigningService {
  readonly name = 'vnpt-smartca-th';
  readonly webhook = 'none' as const;
  private readonly certificatesClient: Sp769Client;
  private readonly baseUrl: string;
  private readonly fetchFn: RemoteFetch;
  private readonly thMessages: Readonly<Record<string, SmartCaThFailure>>;

  /** @throws `ERR_INVALID_ARGUMENT` a missing option. */
  constructor(private readonly options: SmartCaThClientOptions) {
    this.certificatesClient = new Sp769Client('vnpt-smartca-th', {
      certificate: 'v1/credentials/get_certificate', sign: 'v1/signatures/sign', status: 'v1/signatures/sign/{id}/status',
    }, options);
    if (typeof options.authorize !== 'function') throw kysoError('ERR_INVALID_ARGUMENT', 'options.authorize is required');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchFn = defaultFetch(options.fetch);
    this.thMessages = options.thMessages ?? SMARTCA_TH_DEFAULT_MESSAGES;
  }

  capabilities(): AdapterCapabilities {
    return { schemes: ['RSASSA-PKCS1-v1_5'], hashes: ['SHA-256'] };
  }

  certificates(user: string, signal?: AbortSignal): Promise<readonly CertificateEntry[]> {
    return this.certificatesClient.certificates(user, signal);
  }

  async start(request: RemoteStartRequest): Promise<RemoteStarted> {
    const { user, credentialId, digests, hash, scheme, reference, signal } = request;
    if (hash !== 'SHA-256' || scheme !== 'RSASSA-PKCS1-v1_5') throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `${this.name} signs RSASSA-PKCS1-v1_5 with SHA-256`);
    const auth = await this.options.authorize(user, signal);
    if (!isObject(auth) || typeof auth.password !== 'string' || auth.password === '' || typeof auth.otp !== 'string' || auth.otp === '') {
      throw kysoError('ERR_INVALID_ARGUMENT', 'authorize() must answer { password, otp }');
    }
    const signed = await this.call('v2/signatures/sign', 'sign', {
      user_id: user, password: auth.password, otp: auth.otp, transaction_id: reference, serial_number: credentialId,
      ...(request.description ? { transaction_desc: request.description } : {}),
      sign_files: digests.map((d, i) => ({ doc_id: `${i + 1}`, file_type: this.options.fileType ?? 'pdf', sign_type: 'hash', data_to_be_signed: toHex(d) })),
    }, user, signal);
    const data = isObject(signed.data) ? signed.data : {};
    if (typeof data.sad !== 'string' || data.sad === '') throw badResponse('sign', 'no sad');
    const id = typeof data.transaction_id === 'string' && data.transaction_id !== '' ? data.transaction_id : reference;
    const confirmed = await this.call('v2/signatures/confirm', 'confirm', {
      user_id: user, password: auth.password, sad: data.sad, transaction_id: id,
    }, user, signal);
    const files = isObject(confirmed.data) ? confirmed.data.signatures : undefined;
    return { id, windowMs: 0, outcome: { state: 'confirmed', signatures: signaturesOf(files, digests.length) } };
  }

  /** TH transactions settle in {@link start}; a later question is answered by the `sp769` status call. */
  status(user: string, id: string, signal?: AbortSignal): Promise<RemoteOutcome> {
    return this.certificatesClient.status(user, id, signal);
  }

  private async call(path: string, method: string, body: Record<string, unknown>, user: string, signal: AbortSignal | undefined): Promise<Record<string, unknown>> {
    const payload = { sp_id: this.options.spId, sp_password: this.options.spPassword, ...(this.options.extra?.(user) ?? {}), ...body };
    const r = await postJson(this.fetchFn, `${this.baseUrl}/${path}`, method, payload, {}, this.options.requestTimeoutMs ?? 30_000, signal);
    if (r.status >= 500) throw kysoError('ERR_REMOTE_SERVER', `${method}: HTTP ${r.status}`);
    if (!r.body) {
      if (r.status === 401) throw kysoError('ERR_REMOTE_UNAUTHORIZED', `${method}: HTTP 401`);
      if (r.status === 403) throw kysoError('ERR_REMOTE_CERT_REVOKED', `${method}: HTTP 403`);
      throw badResponse(method, `HTTP ${r.status} without a JSON body`);
    }
    if (r.status === 200 && r.body.status_code === 200) return r.body;
    const message = typeof r.body.message === 'string' ? r.body.message.trim() : '';
    const code = typeof r.body.status_code === 'number' ? r.body.status_code : r.status;
    // Only the service's code and word go into the detail: the body may echo what was sent.
    const detail = `${method}: ${code} ${clean(message, 100)}`.trim();
    const failure = this.thMessages[message];
    if (failure) throw kysoError(TH_FAILURE_CODES[failure], `${detail} (${TH_FAILURE_TEXT[failure]})`);
    if (code === 401) throw kysoError('ERR_REMOTE_UNAUTHORIZED', detail);
    if (code === 403) throw kysoError('ERR_REMOTE_CERT_REVOKED', detail);
    if (code >= 500) throw kysoError('ERR_REMOTE_SERVER', detail);
    throw kysoError('ERR_REMOTE_REQUEST_REJECTED', detail);
  }
}

const TH_FAILURE_CODES = {
  'password-invalid': 'ERR_REMOTE_UNAUTHORIZED', 'otp-invalid': 'ERR_REMOTE_UNAUTHORIZED', locked: 'ERR_REMOTE_UNAUTHORIZED',
  'otp-expired': 'ERR_REMOTE_EXPIRED', 'sad-invalid': 'ERR_REMOTE_REQUEST_REJECTED',
} as const satisfies Record<SmartCaThFailure, string>;

const TH_FAILURE_TEXT: Record<SmartCaThFailure, string> = {
  'password-invalid': 'the subscriber\'s password', 'otp-invalid': 'the one-time password',
  locked: 'the account is locked after repeated failures', 'otp-expired': 'the one-time password expired: use the current one',
  'sad-invalid': 'the signing authorization was refused',
};

/** One signature per `doc_id` (`i + 1` is digest `i`, as {@link SmartCaThClient.start} numbers them). */
function signaturesOf(files: unknown, count: number): Uint8Array[] {
  if (!Array.isArray(files) || files.length !== count) throw badResponse('confirm', `expected ${count} signatures`);
  const sorted = files.map((f: unknown, i) => {
    if (!isObject(f) || typeof f.doc_id !== 'string') throw badResponse('confirm', `signatures[${i}] without doc_id`);
    return { n: Number(f.doc_id), value: decodeSignature(f.signature_value, `confirm: signatures[${i}].signature_value`) };
  }).sort((a, b) => a.n - b.n);
  if (sorted.some((s, i) => s.n !== i + 1)) throw badResponse('confirm', 'doc_id values do not match the request');
  return sorted.map((s) => s.value);
}


