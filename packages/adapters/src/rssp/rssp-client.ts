import {
  HASH_OID, fromBase64, kysoError, parseCertificate, toBase64,
  type AdapterCapabilities, type CertificateEntry, type ErrorCode,
} from '@kyso/core';
import { cscSignAlgorithm } from '../csc/algorithms.js';
import type { WebCryptoKey } from '../internal/web-crypto.js';
import { clean, defaultFetch, isObject, postJson, type RemoteFetch, badResponse } from '../remote/http.js';
import { decodeSignature } from '../remote/wait.js';
import type { RemoteOutcome, RemoteSigningService, RemoteStartRequest, RemoteStarted } from '../remote/types.js';
import { checkAbsoluteUrl } from '../internal/options.js';

/** What a numeric `error` of the service means. */
export type RsspStatusKind = 'ok' | 'pending' | 'rejected' | 'expired' | 'cancelled' | 'token' | 'login' | 'revoked';

/**
 * Default meaning of the `error` numbers. 0 and 3005/3006 (token expired /
 * invalid, log in again) are what integrators' clients of `rssp-119.432-v2.0`
 * services handle; the others are not in a public document, and follow
 * Viettel's published numbers for the same states (4000 waiting, 4001 time-out,
 * 4002 rejected) and the example emulator. Pass `statusCodes` with the
 * provider's table.
 */
export const RSSP_DEFAULT_STATUS_CODES: Readonly<Record<number, RsspStatusKind>> = {
  0: 'ok', 3000: 'login', 3005: 'token', 3006: 'token', 4000: 'pending', 4001: 'expired', 4002: 'rejected', 4003: 'cancelled', 5001: 'revoked',
};

/** Options of {@link RsspClient}. Server-side only: it holds the relying party's secrets and key. */
export interface RsspClientOptions {
  /** The service's REST root, e.g. `https://rssp.example/rssp/v2` (methods are appended: `auth/login`...). */
  readonly baseUrl: string;
  readonly relyingParty: string;
  readonly relyingPartyUser: string;
  readonly relyingPartyPassword: string;
  /** The static `relyingPartySignature` string the provider issued. */
  readonly relyingPartySignature: string;
  /**
   * The relying party's private key (RSASSA-PKCS1-v1_5, SHA-256, WebCrypto),
   * from the `.p12` the provider issued: signs user ‖ password ‖ signature ‖ time at each login.
   */
  readonly relyingPartyKey: WebCryptoKey;
  /** The signer's agreement at the service (`agreementUUID`); default the user id itself. */
  readonly agreementOf?: (user: string) => string;
  /** `S` waits in `signatures/signHash` for the confirmation; `A` (default) answers a `responseID` to poll or call back. */
  readonly operationMode?: 'S' | 'A';
  /** How long the service waits for the user (`validityPeriod`), seconds; default 300. */
  readonly validityPeriodSeconds?: number;
  readonly profile?: string;
  readonly lang?: string;
  readonly statusCodes?: Readonly<Record<number, RsspStatusKind>>;
  /** Default 30 s; in `S` mode this bounds the user's confirmation too. */
  readonly requestTimeoutMs?: number;
  readonly fetch?: RemoteFetch;
}

interface Credential { keyAlgos: readonly string[] }

/**
 * A client of an ETSI TS 119 432 remote signing service profiled as
 * `rssp-119.432-v2.0` (FPT eSignCloud, Mobile-ID; Ban Cơ yếu's mPKI by an
 * integrator's configuration): `auth/login` with the relying party's SSL2
 * header, `credentials/list` / `credentials/info`, `credentials/authorize`
 * (SAD) and `signatures/signHash` with `operationMode` S or A and
 * `responseURI`, then `signatures/signPolling`. Implements
 * {@link RemoteSigningService} for {@link RemoteSigningBackend}.
 */
export class RsspClient implements RemoteSigningService {
  readonly name = 'rssp';
  readonly webhook = 'per-transaction' as const;
  private readonly baseUrl: string;
  private readonly fetchFn: RemoteFetch;
  private readonly codes: Readonly<Record<number, RsspStatusKind>>;
  private token: { value: string; expiresAt: number } | undefined;
  private readonly credentials = new Map<string, Credential>();

  /** @throws `ERR_INVALID_ARGUMENT` a missing option. */
  constructor(private readonly options: RsspClientOptions) {
    if (!isObject(options)) throw kysoError('ERR_INVALID_ARGUMENT', 'RsspClient needs an options object');
    checkAbsoluteUrl(options.baseUrl, 'baseUrl');
    for (const k of ['relyingParty', 'relyingPartyUser', 'relyingPartyPassword', 'relyingPartySignature'] as const) {
      if (typeof options[k] !== 'string' || options[k] === '') throw kysoError('ERR_INVALID_ARGUMENT', `options.${k} is required`);
    }
    if (!options.relyingPartyKey) throw kysoError('ERR_INVALID_ARGUMENT', 'options.relyingPartyKey is required');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchFn = defaultFetch(options.fetch);
    this.codes = options.statusCodes ?? RSSP_DEFAULT_STATUS_CODES;
  }

  capabilities(): AdapterCapabilities {
    return { schemes: ['RSASSA-PKCS1-v1_5', 'RSA-PSS', 'ECDSA'], hashes: ['SHA-256', 'SHA-384', 'SHA-512'] };
  }

  async certificates(user: string, signal?: AbortSignal): Promise<readonly CertificateEntry[]> {
    const body = await this.call('credentials/list', {
      agreementUUID: this.agreement(user), certificates: 'chain', certInfoEnabled: false, authInfoEnabled: true,
    }, signal);
    const certs = body.certs;
    if (!Array.isArray(certs)) throw badResponse('credentials/list', 'certs is not a list');
    const out: CertificateEntry[] = [];
    for (const [i, c] of certs.entries()) {
      const parsed = parseCredential(c, `credentials/list certs[${i}]`);
      if (!parsed.enabled) continue;
      this.credentials.set(`${user}\u0000${parsed.id}`, { keyAlgos: parsed.keyAlgos });
      const [certificate, ...chain] = parsed.certificates;
      out.push({ id: parsed.id, certificate: certificate!, chain, label: labelOf(certificate!) ?? parsed.id });
    }
    return out;
  }

  async start(request: RemoteStartRequest): Promise<RemoteStarted> {
    const { user, credentialId, digests, hash, scheme, signal } = request;
    const cred = await this.credential(user, credentialId, signal);
    const algo = cscSignAlgorithm({ scheme, hash }, cred.keyAlgos);
    const documentDigests = { hashes: digests.map((d) => toBase64(d)), hashAlgorithmOID: HASH_OID[hash] };
    const agreementUUID = this.agreement(user);
    const validityPeriod = this.options.validityPeriodSeconds ?? 300;
    const authorized = await this.call('credentials/authorize', {
      agreementUUID, credentialID: credentialId, numSignatures: digests.length, documentDigests, signAlgo: algo.signAlgo,
      validityPeriod, operationMode: 'S',
    }, signal);
    const sad = authorized.SAD;
    if (typeof sad !== 'string' || sad === '') throw badResponse('credentials/authorize', 'no SAD');
    const mode = this.options.operationMode ?? 'A';
    const body = await this.call('signatures/signHash', {
      agreementUUID, credentialID: credentialId, SAD: sad, documentDigests, signAlgo: algo.signAlgo,
      ...(algo.signAlgoParams ? { signAlgoParams: algo.signAlgoParams } : {}),
      operationMode: mode, validityPeriod,
      ...(mode === 'A' && request.callbackUrl ? { responseURI: request.callbackUrl } : {}),
    }, signal, true);
    const windowMs = validityPeriod * 1000;
    const kind = this.kindOf(body);
    if (mode === 'S') {
      const id = typeof body.responseID === 'string' && body.responseID !== '' ? body.responseID : `sync-${Date.now()}`;
      return { id, windowMs, outcome: this.outcome('signatures/signHash', body, kind, digests.length) };
    }
    if (typeof body.responseID !== 'string' || body.responseID === '') throw badResponse('signatures/signHash', 'operationMode A without responseID');
    return { id: body.responseID, windowMs, outcome: this.outcome('signatures/signHash', body, kind, digests.length) };
  }

  async status(user: string, id: string, signal?: AbortSignal): Promise<RemoteOutcome> {
    const body = await this.call('signatures/signPolling', { agreementUUID: this.agreement(user), responseID: id }, signal, true);
    return this.outcome('signatures/signPolling', body, this.kindOf(body), undefined);
  }

  /** What the service POSTs to `responseURI`: `{ responseID, error, errorDescription, signatures }`. */
  readCallback(body: unknown): { id: string; outcome: RemoteOutcome } {
    if (!isObject(body) || typeof body.responseID !== 'string') throw badResponse('callback', 'no responseID');
    return { id: body.responseID, outcome: this.outcome('callback', body, this.kindOf(body), undefined) };
  }

  // -------------------------------------------------------------------------------------------

  private agreement(user: string): string {
    return this.options.agreementOf ? this.options.agreementOf(user) : user;
  }

  private kindOf(body: Record<string, unknown>): RsspStatusKind | undefined {
    return typeof body.error === 'number' ? this.codes[body.error] : undefined;
  }

  private outcome(method: string, body: Record<string, unknown>, kind: RsspStatusKind | undefined, count: number | undefined): RemoteOutcome {
    const detail = describe(method, body);
    switch (kind) {
      case 'ok': {
        const sigs = body.signatures;
        if (!Array.isArray(sigs) || sigs.length === 0 || (count !== undefined && sigs.length !== count)) {
          // operationMode A: accepted, no signatures yet.
          if (sigs === undefined && typeof body.responseID === 'string') return { state: 'pending' };
          throw badResponse(method, 'signatures missing or of the wrong number');
        }
        return { state: 'confirmed', signatures: sigs.map((s, i) => decodeSignature(s, `${method}: signatures[${i}]`)) };
      }
      case 'pending': return { state: 'pending' };
      case 'rejected': case 'expired': case 'cancelled': return { state: kind, detail };
      default: throw this.failure(method, body, kind);
    }
  }

  private failure(method: string, body: Record<string, unknown>, kind: RsspStatusKind | undefined) {
    const code: ErrorCode = kind === 'revoked' ? 'ERR_REMOTE_CERT_REVOKED'
      : kind === 'login' || kind === 'token' ? 'ERR_REMOTE_UNAUTHORIZED' : 'ERR_REMOTE_REQUEST_REJECTED';
    return kysoError(code, describe(method, body));
  }

  private async credential(user: string, credentialId: string, signal: AbortSignal | undefined): Promise<Credential> {
    const key = `${user}\u0000${credentialId}`;
    const known = this.credentials.get(key);
    if (known) return known;
    const body = await this.call('credentials/info', {
      agreementUUID: this.agreement(user), credentialID: credentialId, certificates: 'none', certInfoEnabled: false, authInfoEnabled: true,
    }, signal);
    const parsed = parseCredential({ ...body, credentialID: credentialId }, 'credentials/info');
    if (!parsed.enabled) throw kysoError('ERR_REMOTE_CERT_REVOKED', `credentials/info: ${credentialId} is disabled`);
    const cred = { keyAlgos: parsed.keyAlgos };
    this.credentials.set(key, cred);
    return cred;
  }

  /**
   * One call with the bearer token; logs in first, and once more when the
   * service calls the token expired or invalid (3005/3006). Answers the body
   * when `error` is 0 (or, with `lenient`, any status kind the caller reads).
   */
  private async call(method: string, body: Record<string, unknown>, signal: AbortSignal | undefined, lenient = false, retried = false): Promise<Record<string, unknown>> {
    const token = await this.login(signal);
    const payload = { ...body, profile: this.options.profile ?? 'rssp-119.432-v2.0', lang: this.options.lang ?? 'VN' };
    const reply = await this.post(method, payload, { Authorization: `Bearer ${token}` }, signal);
    const kind = this.kindOf(reply);
    if (kind === 'token') {
      this.token = undefined;
      if (retried) throw kysoError('ERR_REMOTE_UNAUTHORIZED', describe(method, reply));
      return this.call(method, body, signal, lenient, true);
    }
    if (kind === 'ok' || (lenient && (kind === 'pending' || kind === 'rejected' || kind === 'expired' || kind === 'cancelled'))) return reply;
    throw this.failure(method, reply, kind);
  }

  private async login(signal: AbortSignal | undefined): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now() + 5000) return this.token.value;
    const o = this.options;
    const timestamp = String(Date.now());
    const data = `${o.relyingPartyUser}${o.relyingPartyPassword}${o.relyingPartySignature}${timestamp}`;
    let pkcs1: string;
    try {
      pkcs1 = toBase64(new Uint8Array(await globalThis.crypto.subtle.sign('RSASSA-PKCS1-v1_5', o.relyingPartyKey, new TextEncoder().encode(data))));
    } catch (cause) {
      throw kysoError('ERR_INVALID_ARGUMENT', 'options.relyingPartyKey cannot sign RSASSA-PKCS1-v1_5', cause);
    }
    const ssl2 = utf8Base64(`${o.relyingPartyUser}:${o.relyingPartyPassword}:${o.relyingPartySignature}:${timestamp}:${pkcs1}`);
    const reply = await this.post('auth/login', {
      rememberMeEnabled: false, relyingParty: o.relyingParty, profile: o.profile ?? 'rssp-119.432-v2.0', lang: o.lang ?? 'VN',
    }, { Authorization: `SSL2 ${ssl2}` }, signal);
    const kind = this.kindOf(reply);
    if (kind !== 'ok') throw kysoError('ERR_REMOTE_UNAUTHORIZED', describe('auth/login', reply));
    if (typeof reply.accessToken !== 'string' || reply.accessToken === '') throw badResponse('auth/login', 'no accessToken');
    const expiresIn = typeof reply.expiresIn === 'number' && reply.expiresIn > 0 ? reply.expiresIn : 3600;
    this.token = { value: reply.accessToken, expiresAt: Date.now() + expiresIn * 1000 };
    return reply.accessToken;
  }

  private async post(method: string, body: unknown, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<Record<string, unknown>> {
    const r = await postJson(this.fetchFn, `${this.baseUrl}/${method}`, method, body, headers, this.options.requestTimeoutMs ?? 30_000, signal);
    if (r.status >= 500) throw kysoError('ERR_REMOTE_SERVER', `${method}: HTTP ${r.status}`);
    if (r.status === 401 || r.status === 403) throw kysoError('ERR_REMOTE_UNAUTHORIZED', `${method}: HTTP ${r.status}`);
    if (!r.body) throw badResponse(method, `HTTP ${r.status} without a JSON body`);
    if (typeof r.body.error !== 'number') throw badResponse(method, 'no numeric error field');
    return r.body;
  }
}

function parseCredential(raw: unknown, method: string): { id: string; enabled: boolean; keyAlgos: string[]; certificates: Uint8Array[] } {
  if (!isObject(raw) || typeof raw.credentialID !== 'string') throw badResponse(method, 'credential without credentialID');
  const key = isObject(raw.key) ? raw.key : {};
  const keyAlgos = Array.isArray(key.algo) ? key.algo.filter((x): x is string => typeof x === 'string') : [];
  const cert = isObject(raw.cert) ? raw.cert : {};
  const list = Array.isArray(cert.certificates) ? cert.certificates : [];
  const certificates = list.map((c, i) => {
    const der = typeof c === 'string' ? fromBase64(c) : null;
    if (!der || der.length === 0) throw badResponse(method, `cert/certificates[${i}] is not base64`);
    return der;
  });
  if (method.startsWith('credentials/list') && certificates.length === 0) throw badResponse(method, 'no certificate');
  const status = typeof cert.status === 'string' ? cert.status : typeof key.status === 'string' ? key.status : 'enabled';
  return { id: raw.credentialID, enabled: status === 'enabled' || status === 'valid', keyAlgos, certificates };
}

function describe(method: string, body: Record<string, unknown>): string {
  const code = typeof body.error === 'number' ? ` error ${body.error}` : '';
  const text = typeof body.errorDescription === 'string' && body.errorDescription !== '' ? `: ${clean(body.errorDescription, 200)}` : '';
  return `${method}:${code}${text}`;
}


function labelOf(der: Uint8Array): string | undefined {
  try {
    return parseCertificate(der).subjectCN ?? undefined;
  } catch {
    return undefined;
  }
}

function utf8Base64(s: string): string {
  return toBase64(new TextEncoder().encode(s));
}
