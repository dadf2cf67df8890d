import {
  HASH_LENGTH, fromBase64, kysoError, reviveError, toBase64,
  type AdapterCapabilities, type CertificateEntry, type HashAlgorithm, type SignRequest, type SignatureScheme, type SigningAdapter,
} from '@kyso/core';
import { defaultFetch, isObject, postJson, type RemoteFetch } from './http.js';
import { outcomeOfReply, pollUntilSettled } from './wait.js';
import type { RemoteDelivery, RemoteTransaction } from './types.js';
import { checkHttpUrl, uniformBatch } from '../internal/options.js';

/** Options of {@link RemoteSigningAdapter}. */
export interface RemoteSigningAdapterOptions {
  /**
   * The integrator's back end (`@kyso/adapters/remote-handler` mounted there),
   * e.g. `/api/kyso-remote` resolved against the page: `https://qlvb.example/api/kyso-remote`.
   * The back end knows the logged-in user from its own session (cookie), and
   * holds the service's credentials: the page never sees them.
   */
  readonly endpoint: string;
  /** A name for logs and pickers; default `remote`. */
  readonly name?: string;
  /** What the service signs; default RSASSA-PKCS1-v1_5 and RSA-PSS with SHA-256 (what every Vietnamese service offers). */
  readonly capabilities?: AdapterCapabilities;
  /** How results come back; default the back end's choice. */
  readonly delivery?: RemoteDelivery;
  /** Shown on the signer's phone, where the service carries it. */
  readonly description?: string;
  /** Headers for every call to the back end (e.g. a CSRF token). Never the service's credentials. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Time-out of each call to the back end; default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Polling of the back end while the user confirms. */
  readonly poll?: {
    readonly intervalMs?: number;
    readonly maxIntervalMs?: number;
    /** Waiting past the service's window, for clock differences; default 10 s. */
    readonly graceMs?: number;
  };
  /** Told once a transaction is started: store it (with the prepared signatures) to resume after a reload. */
  readonly onPending?: (transaction: RemoteTransaction) => void;
  readonly fetch?: RemoteFetch;
}

const DEFAULT_CAPABILITIES: AdapterCapabilities = { schemes: ['RSASSA-PKCS1-v1_5', 'RSA-PSS'], hashes: ['SHA-256'] };

/**
 * The PAGE side of remote signing (VNPT SmartCA, NEAC eSign, Viettel MySign,
 * RSSP / ETSI TS 119 432 services): a {@link SigningAdapter} that asks the
 * integrator's back end to start a transaction over the digests, then waits
 * (polling the back end, with back-off, up to the service's window) while the
 * signer confirms on the phone. The back end (`RemoteSigningBackend`) talks to
 * the service with the integrator's credentials.
 *
 * For long waits and page reloads use the staged calls with core's
 * `prepare` / `finish`: {@link start} gives a plain-JSON
 * {@link RemoteTransaction} to store with the prepared signatures;
 * {@link awaitTransaction} (on any later page) gives the signature values.
 * {@link signBatch}: several documents, one confirmation, each its own signature.
 */
export class RemoteSigningAdapter implements SigningAdapter {
  readonly name: string;
  private readonly endpoint: string;
  private readonly fetchFn: RemoteFetch;

  /** @throws `ERR_INVALID_ARGUMENT` a missing or malformed option. */
  constructor(private readonly options: RemoteSigningAdapterOptions) {
    if (!isObject(options)) throw kysoError('ERR_INVALID_ARGUMENT', 'RemoteSigningAdapter needs an options object');
    checkHttpUrl(options.endpoint, 'endpoint');
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.name = options.name ?? 'remote';
    this.fetchFn = defaultFetch(options.fetch);
  }

  async listCertificates(signal?: AbortSignal): Promise<readonly CertificateEntry[]> {
    const body = await this.call('certificates', {}, signal);
    const list = body.certificates;
    if (!Array.isArray(list)) throw kysoError('ERR_REMOTE_BAD_RESPONSE', 'certificates: not a list');
    return list.map((c: unknown, i) => {
      if (!isObject(c) || typeof c.id !== 'string' || typeof c.certificate !== 'string' || !Array.isArray(c.chain)) {
        throw kysoError('ERR_REMOTE_BAD_RESPONSE', `certificates[${i}] is malformed`);
      }
      const der = (s: unknown) => {
        const b = typeof s === 'string' ? fromBase64(s) : null;
        if (!b || b.length === 0) throw kysoError('ERR_REMOTE_BAD_RESPONSE', `certificates[${i}]: not base64`);
        return b;
      };
      return { id: c.id, certificate: der(c.certificate), chain: c.chain.map(der), ...(typeof c.label === 'string' ? { label: c.label } : {}) };
    });
  }

  capabilities(): AdapterCapabilities {
    return this.options.capabilities ?? DEFAULT_CAPABILITIES;
  }

  async sign(request: SignRequest): Promise<Uint8Array> {
    const [signature] = await this.signBatch([request]);
    return signature!;
  }

  /**
   * Signs several digests in one transaction (one confirmation on the phone),
   * each its own signature, in order. All requests name the same certificate
   * and algorithm.
   */
  async signBatch(requests: readonly SignRequest[]): Promise<Uint8Array[]> {
    const first = uniformBatch(requests);
    const tx = await this.start({
      certificateId: first.certificateId, digests: requests.map((r) => r.digest), hash: first.algorithm.hash,
      scheme: first.algorithm.scheme, ...(first.signal ? { signal: first.signal } : {}),
    });
    return [...(await this.awaitTransaction(tx, first.signal))];
  }

  /**
   * Starts a transaction over `digests` (core's `toBeSignedDigest`, decoded)
   * and answers it as plain JSON; `options.onPending` is told too.
   */
  async start(request: {
    readonly certificateId: string; readonly digests: readonly Uint8Array[]; readonly hash: HashAlgorithm;
    readonly scheme: SignatureScheme; readonly signal?: AbortSignal;
  }): Promise<RemoteTransaction> {
    const { certificateId, digests, hash, scheme, signal } = request;
    if (!Array.isArray(digests) || digests.length === 0) throw kysoError('ERR_INVALID_ARGUMENT', 'digests must be a non-empty array');
    for (const [i, d] of digests.entries()) {
      if (!(d instanceof Uint8Array) || d.length !== HASH_LENGTH[hash]) throw kysoError('ERR_INVALID_ARGUMENT', `digests[${i}] is not a ${hash} digest`);
    }
    const body = await this.call('start', {
      credentialId: certificateId, digests: digests.map((d) => toBase64(d)), hash, scheme,
      ...(this.options.delivery ? { delivery: this.options.delivery } : {}),
      ...(this.options.description ? { description: this.options.description } : {}),
    }, signal);
    const tx = body.transaction;
    if (!isTransaction(tx) || tx.count !== digests.length) throw kysoError('ERR_REMOTE_BAD_RESPONSE', 'start: no transaction');
    this.options.onPending?.(tx);
    return tx;
  }

  /**
   * Waits until the transaction settles and answers its signature values, in
   * the order of the digests. Works on a transaction from an earlier page.
   * While the back end itself cannot be reached (restarting: connection
   * refused, or its proxy's 5xx without a kyso error) it keeps asking until
   * the window ends; errors the back end answers end the wait at once.
   *
   * @throws `ERR_REMOTE_REJECTED`, `ERR_REMOTE_EXPIRED`, `ERR_REMOTE_CANCELLED`; `ERR_ABORTED` through `signal`.
   */
  async awaitTransaction(transaction: RemoteTransaction, signal?: AbortSignal): Promise<readonly Uint8Array[]> {
    if (!isTransaction(transaction)) throw kysoError('ERR_INVALID_ARGUMENT', 'not a remote transaction');
    const p = this.options.poll ?? {};
    const deadline = Date.parse(transaction.expiresAt) + (p.graceMs ?? 10_000);
    return pollUntilSettled(async () => {
      let reply: Record<string, unknown>;
      try {
        reply = await this.call('status', { id: transaction.id }, signal);
      } catch (error) {
        // The integrator's back end restarting (a redeploy, a crash) is not the end of the transaction: it lives
        // in the back end's store and at the service. Ask again, with the same back-off, until the window ends.
        if (backEndDown.has(error as object) && Date.now() < deadline) return { state: 'pending' };
        throw error;
      }
      return outcomeOfReply(reply, transaction.count);
    }, {
      deadline,
      ...(p.intervalMs !== undefined ? { intervalMs: p.intervalMs } : {}),
      ...(p.maxIntervalMs !== undefined ? { maxIntervalMs: p.maxIntervalMs } : {}),
      ...(signal ? { signal } : {}),
    });
  }

  /** Asks the back end to cancel a pending transaction. */
  async cancel(transaction: RemoteTransaction, signal?: AbortSignal): Promise<void> {
    if (!isTransaction(transaction)) throw kysoError('ERR_INVALID_ARGUMENT', 'not a remote transaction');
    await this.call('cancel', { id: transaction.id }, signal);
  }

  private async call(method: string, body: Record<string, unknown>, signal: AbortSignal | undefined): Promise<Record<string, unknown>> {
    let r: Awaited<ReturnType<typeof postJson>>;
    try {
      r = await postJson(this.fetchFn, `${this.endpoint}/${method}`, method, body, { ...(this.options.headers ?? {}) },
        this.options.requestTimeoutMs ?? 30_000, signal);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_REMOTE_UNREACHABLE') backEndDown.add(error as object);
      throw error;
    }
    if (r.status >= 200 && r.status < 300) return r.body!;
    if (r.body && isObject(r.body.error) && r.body.error.kyso === 1) throw reviveError(r.body.error);
    if (r.status >= 500) {
      // 5xx without a kyso error body: not the back end's answer but its proxy's (502/503 while it restarts).
      const error = kysoError('ERR_REMOTE_SERVER', `${method}: HTTP ${r.status}`);
      backEndDown.add(error);
      throw error;
    }
    throw kysoError('ERR_REMOTE_REQUEST_REJECTED', `${method}: HTTP ${r.status}`);
  }
}

/**
 * Errors meaning the page could not reach the integrator's back end itself
 * (connection refused, a proxy's 5xx), as opposed to errors the back end
 * answered (its service unreachable, a rejection): only these are waited out.
 */
const backEndDown = new WeakSet<object>();

function isTransaction(x: unknown): x is RemoteTransaction {
  return isObject(x) && x.kind === 'kyso.remote-transaction' && x.version === 1 && typeof x.id === 'string'
    && typeof x.count === 'number' && typeof x.expiresAt === 'string' && !Number.isNaN(Date.parse(x.expiresAt));
}
