import { HASH_LENGTH, kysoError, toBase64, type CertificateEntry, type HashAlgorithm, type SignatureScheme } from '@kyso/core';
import { decodeSignature, replyOfOutcome } from './wait.js';
import type {
  RemoteDelivery, RemoteOutcome, RemoteSigningService, RemoteState, RemoteStatusReply, RemoteTransaction,
} from './types.js';
import { checkHttpUrl } from '../internal/options.js';

/**
 * What the back end keeps per transaction: plain JSON, so that a store can
 * write it to disk and a restarted server picks it up. It holds the SHA-256 of
 * the callback secret, never the secret.
 */
export interface RemoteTransactionRecord {
  readonly kind: 'kyso.remote-transaction-record';
  readonly version: 1;
  readonly id: string;
  readonly service: string;
  readonly user: string;
  readonly serviceId: string;
  readonly credentialId: string;
  readonly hash: HashAlgorithm;
  readonly scheme: SignatureScheme;
  readonly count: number;
  readonly delivery: RemoteDelivery;
  /** Base64 SHA-256 of the per-transaction callback secret (webhook delivery). */
  readonly callbackSecretSha256?: string;
  readonly startedAt: string;
  readonly expiresAt: string;
  readonly state: RemoteState;
  /** Base64 signature values, when confirmed. */
  readonly signatures?: readonly string[];
  readonly detail?: string;
  readonly settledAt?: string;
}

/** Where the back end keeps transactions. {@link memoryTransactionStore}; in Node `fileTransactionStore` (survives a restart). */
export interface RemoteTransactionStore {
  get(id: string): Promise<RemoteTransactionRecord | undefined>;
  put(record: RemoteTransactionRecord): Promise<void>;
}

/** A store in this process's memory (lost on restart). */
export function memoryTransactionStore(): RemoteTransactionStore {
  const map = new Map<string, string>();
  return {
    async get(id) {
      const s = map.get(id);
      return s === undefined ? undefined : (JSON.parse(s) as RemoteTransactionRecord);
    },
    async put(record) {
      map.set(record.id, JSON.stringify(record));
    },
  };
}

/** Options of {@link RemoteSigningBackend}. */
export interface RemoteSigningBackendOptions {
  readonly service: RemoteSigningService;
  readonly store?: RemoteTransactionStore;
  /**
   * Absolute URL under which the integrator's server receives callbacks
   * (e.g. `https://qlvb.example/api/kyso-remote/callback`); the back end adds
   * `/<transaction id>/<secret>`. Needed for `webhook` delivery.
   */
  readonly callbackBaseUrl?: string;
  /** How results come back when a start request does not say; default `webhook` when possible, else `poll`. */
  readonly delivery?: RemoteDelivery;
  /** Extra time after the service's window before a webhook that never came counts as expired; default 5000 ms. */
  readonly graceMs?: number;
  /**
   * For `service-token` webhooks (Viettel MySign): the client id and secret the
   * integrator issued TO the provider, which it presents to
   * {@link RemoteSigningBackend.issueServiceToken} before each callback.
   */
  readonly serviceCallbackClient?: { readonly id: string; readonly secret: string };
  /** Lifetime of the tokens {@link RemoteSigningBackend.issueServiceToken} issues; default 3600 s. */
  readonly serviceTokenTtlMs?: number;
  /** Called once when a transaction settles (e.g. to finish prepared signatures on the server). Its errors are not the caller's. */
  readonly onSettled?: (record: RemoteTransactionRecord) => void | Promise<void>;
  /** The clock (tests). */
  readonly now?: () => number;
}

/** What the page asks the back end to start. */
export interface RemoteStartInput {
  readonly credentialId: string;
  /** Base64 digests (core's `toBeSignedDigest`), one per document. */
  readonly digests: readonly string[];
  readonly hash: HashAlgorithm;
  readonly scheme: SignatureScheme;
  readonly delivery?: RemoteDelivery;
  readonly description?: string;
}

const ID_BYTES = 16;
const SECRET_BYTES = 32;
const MAX_DIGESTS = 100;

/**
 * The integrator's server side of remote signing: it holds the service client
 * (and so the credentials), starts transactions for its logged-in users,
 * answers the page's status questions from its store, polls the service or
 * receives its webhook, and checks every callback against a per-transaction
 * secret in the callback URL (none of the services signs its callbacks).
 * Framework-neutral: `@kyso/adapters/remote-handler` wraps it for Node's
 * `http` (request, response) handlers.
 */
export class RemoteSigningBackend {
  private readonly service: RemoteSigningService;
  private readonly store: RemoteTransactionStore;
  private readonly now: () => number;
  private readonly graceMs: number;
  /** SHA-256 (base64) of each token issued to the provider → its expiry. Memory only: after a restart the provider asks again. */
  private readonly serviceTokens = new Map<string, number>();
  /** Settlements under way in this process, by transaction id: two pages polling at once settle it once. */
  private readonly settling = new Map<string, Promise<RemoteTransactionRecord>>();

  /** @throws `ERR_INVALID_ARGUMENT` no service, or a callback URL that is not absolute http(s). */
  constructor(private readonly options: RemoteSigningBackendOptions) {
    if (!options?.service) throw kysoError('ERR_INVALID_ARGUMENT', 'options.service is required');
    if (options.callbackBaseUrl !== undefined) {
      checkHttpUrl(options.callbackBaseUrl, 'callbackBaseUrl');
    }
    this.service = options.service;
    this.store = options.store ?? memoryTransactionStore();
    this.now = options.now ?? Date.now;
    this.graceMs = options.graceMs ?? 5000;
  }

  /** The user's certificates at the service, and what the service can sign. */
  async certificates(user: string, signal?: AbortSignal): Promise<{ certificates: readonly CertificateEntry[] }> {
    checkUser(user);
    return { certificates: await this.service.certificates(user, signal) };
  }

  /**
   * Starts one transaction for `user` over every digest in `input` (one
   * confirmation, one signature each).
   *
   * @throws `ERR_INVALID_ARGUMENT` malformed input; the service client's errors.
   */
  async start(user: string, input: RemoteStartInput, signal?: AbortSignal): Promise<RemoteTransaction> {
    checkUser(user);
    const { credentialId, hash, scheme } = input ?? ({} as RemoteStartInput);
    if (typeof credentialId !== 'string' || credentialId === '') throw kysoError('ERR_INVALID_ARGUMENT', 'credentialId must be a non-empty string');
    if (!(hash in HASH_LENGTH)) throw kysoError('ERR_INVALID_ARGUMENT', 'hash must be SHA-256, SHA-384 or SHA-512');
    if (scheme !== 'RSASSA-PKCS1-v1_5' && scheme !== 'RSA-PSS' && scheme !== 'ECDSA') throw kysoError('ERR_INVALID_ARGUMENT', 'unknown scheme');
    if (!Array.isArray(input.digests) || input.digests.length === 0 || input.digests.length > MAX_DIGESTS) {
      throw kysoError('ERR_INVALID_ARGUMENT', `digests must hold 1 to ${MAX_DIGESTS} entries`);
    }
    const digests = input.digests.map((d, i) => {
      let bytes: Uint8Array | undefined;
      try {
        bytes = decodeSignature(d, `digests[${i}]`);
      } catch {
        bytes = undefined;
      }
      if (!bytes || bytes.length !== HASH_LENGTH[hash]) throw kysoError('ERR_INVALID_ARGUMENT', `digests[${i}] is not a base64 ${hash} digest`);
      return bytes;
    });
    const hook = this.service.webhook;
    const canHook = hook === 'registered' || (hook === 'per-transaction' && this.options.callbackBaseUrl !== undefined)
      || (hook === 'service-token' && this.options.serviceCallbackClient !== undefined);
    const wanted = input.delivery ?? this.options.delivery ?? (canHook ? 'webhook' : 'poll');
    if (wanted !== 'poll' && wanted !== 'webhook') throw kysoError('ERR_INVALID_ARGUMENT', 'delivery must be poll or webhook');
    if (wanted === 'webhook' && !canHook) {
      throw kysoError('ERR_INVALID_ARGUMENT', `webhook delivery needs a service that calls back (${this.service.name}: ${hook}) and, for per-transaction callbacks, options.callbackBaseUrl`);
    }
    let id = randomToken(ID_BYTES);
    let callbackUrl: string | undefined;
    let callbackSecretSha256: string | undefined;
    let reference = id;
    if (wanted === 'webhook' && hook !== 'service-token') {
      const secret = randomToken(SECRET_BYTES);
      if (hook === 'per-transaction') callbackUrl = `${this.options.callbackBaseUrl!.replace(/\/+$/, '')}/${id}/${secret}`;
      else reference = `${id}.${secret}`;
      callbackSecretSha256 = await sha256b64(secret);
    }
    const started = await this.service.start({
      user, credentialId, digests, hash, scheme, reference, delivery: wanted, ...(input.description ? { description: input.description } : {}),
      ...(callbackUrl ? { callbackUrl } : {}), ...(signal ? { signal } : {}),
    });
    // The provider's callback names only its own transaction id: key the record by it.
    if (wanted === 'webhook' && hook === 'service-token') id = await serviceKey(this.service.name, started.id);
    const startedAt = this.now();
    let record: RemoteTransactionRecord = {
      kind: 'kyso.remote-transaction-record', version: 1, id, service: this.service.name, user, serviceId: started.id,
      credentialId, hash, scheme, count: digests.length, delivery: wanted,
      ...(callbackSecretSha256 ? { callbackSecretSha256 } : {}),
      startedAt: new Date(startedAt).toISOString(), expiresAt: new Date(startedAt + started.windowMs).toISOString(), state: 'pending',
    };
    await this.store.put(record);
    if (started.outcome && started.outcome.state !== 'pending') record = await this.settle(record, started.outcome);
    return publicView(record);
  }

  /**
   * Where `user`'s transaction `id` stands. Settled transactions answer from
   * the store. Pending ones: `poll` delivery asks the service; `webhook`
   * delivery waits for the callback and asks the service once its window and
   * the grace time have passed (the webhook never came), settling as expired
   * if the service has nothing either.
   *
   * @throws `ERR_REMOTE_TRANSACTION_UNKNOWN` no such transaction for this user.
   */
  async status(user: string, id: string, signal?: AbortSignal): Promise<RemoteStatusReply> {
    let record = await this.own(user, id);
    if (record.state !== 'pending') return replyOf(record);
    const now = this.now();
    const windowEnd = Date.parse(record.expiresAt);
    if (record.delivery === 'webhook' && now < windowEnd + this.graceMs) return { state: 'pending' };
    const outcome = await this.service.status(user, record.serviceId, signal);
    checkOutcome(outcome, record.count);
    // Re-read: a callback may have settled it while the service answered.
    record = await this.own(user, id);
    if (record.state !== 'pending') return replyOf(record);
    if (outcome.state !== 'pending') return replyOf(await this.settle(record, outcome));
    if (now >= windowEnd + (record.delivery === 'webhook' ? this.graceMs : 0)) {
      const detail = record.delivery === 'webhook' ? 'no callback came and the service still reports it pending after its window' : 'still pending after the service\'s window';
      return replyOf(await this.settle(record, { state: 'expired', detail }));
    }
    return { state: 'pending' };
  }

  /** Marks a pending transaction cancelled (the service is not told; its own window closes it). */
  async cancel(user: string, id: string): Promise<RemoteStatusReply> {
    const record = await this.own(user, id);
    if (record.state !== 'pending') return replyOf(record);
    return replyOf(await this.settle(record, { state: 'cancelled', detail: 'cancelled by the integrator' }));
  }

  /**
   * A callback the service POSTed to `<callbackBaseUrl>/<id>/<secret>`.
   * Accepted once: the transaction must exist, be pending, expect a webhook,
   * and `secret` must match (compared by SHA-256, in constant time); the body
   * must name the same service transaction and carry one signature per digest.
   *
   * @throws `ERR_REMOTE_CALLBACK_REFUSED` unknown id, wrong secret, not pending (a replay), or another transaction's body.
   */
  async callback(id: string, secret: string, body: unknown): Promise<void> {
    return this.accept(id, secret, body, false);
  }

  /**
   * A callback to the one URL registered with the provider (`registered`
   * webhooks: VNPT SmartCA, NEAC): the body's reference names the
   * transaction and carries its secret; checked as {@link callback} does.
   *
   * @throws `ERR_REMOTE_CALLBACK_REFUSED` as {@link callback}; `ERR_REMOTE_BAD_RESPONSE` a body the service client cannot read.
   */
  async registeredCallback(body: unknown): Promise<void> {
    if (this.service.webhook !== 'registered' || !this.service.readCallback) throw kysoError('ERR_REMOTE_CALLBACK_REFUSED', `${this.service.name} has no registered webhook`);
    const { id: reference } = this.service.readCallback(body);
    const dot = reference.indexOf('.');
    if (dot <= 0) throw kysoError('ERR_REMOTE_CALLBACK_REFUSED', 'unknown transaction');
    return this.accept(reference.slice(0, dot), reference.slice(dot + 1), body, true);
  }

  /**
   * The provider asks for a token before calling back (`service-token`
   * webhooks, Viettel MySign: `grant_type` `client_credentials` with the id
   * and secret the integrator issued to it).
   *
   * @throws `ERR_REMOTE_CALLBACK_REFUSED` wrong grant type, id or secret, or no such client configured.
   */
  async issueServiceToken(request: unknown): Promise<{ accessToken: string; expiresInMs: number }> {
    const c = this.options.serviceCallbackClient;
    const r = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>;
    if (!c || r.grant_type !== 'client_credentials' || typeof r.client_id !== 'string' || typeof r.client_secret !== 'string'
      || !sameText(await sha256b64(r.client_id), await sha256b64(c.id)) || !sameText(await sha256b64(r.client_secret), await sha256b64(c.secret))) {
      throw kysoError('ERR_REMOTE_CALLBACK_REFUSED', 'wrong callback client credentials');
    }
    const accessToken = randomToken(SECRET_BYTES);
    const ttl = this.options.serviceTokenTtlMs ?? 3_600_000;
    const now = this.now();
    for (const [k, exp] of this.serviceTokens) if (exp <= now) this.serviceTokens.delete(k);
    this.serviceTokens.set(await sha256b64(accessToken), now + ttl);
    return { accessToken, expiresInMs: ttl };
  }

  /**
   * A `service-token` callback: the bearer token must be one
   * {@link issueServiceToken} issued and still valid; the body names the
   * provider's transaction, which must be pending and expect a webhook.
   *
   * @throws `ERR_REMOTE_CALLBACK_REFUSED` no or unknown token, unknown transaction, not pending (a replay).
   */
  async serviceTokenCallback(bearer: string | undefined, body: unknown): Promise<void> {
    const exp = typeof bearer === 'string' && bearer.length < 200 ? this.serviceTokens.get(await sha256b64(bearer)) : undefined;
    if (exp === undefined || exp <= this.now()) throw kysoError('ERR_REMOTE_CALLBACK_REFUSED', 'no valid callback token');
    if (this.service.webhook !== 'service-token' || !this.service.readCallback) throw kysoError('ERR_REMOTE_CALLBACK_REFUSED', `${this.service.name} sends no such callbacks`);
    const { id: serviceId, outcome } = this.service.readCallback(body);
    const record = await this.store.get(await serviceKey(this.service.name, serviceId));
    if (!record || record.delivery !== 'webhook' || record.serviceId !== serviceId) throw kysoError('ERR_REMOTE_CALLBACK_REFUSED', 'unknown transaction');
    if (record.state !== 'pending') throw kysoError('ERR_REMOTE_CALLBACK_REFUSED', `transaction already ${record.state}`);
    checkOutcome(outcome, record.count);
    if (outcome.state === 'pending') return;
    await this.settle(record, outcome);
  }

  private async accept(id: string, secret: string, body: unknown, byReference: boolean): Promise<void> {
    const record = typeof id === 'string' && id.length < 100 ? await this.store.get(id) : undefined;
    if (!record || record.delivery !== 'webhook' || !record.callbackSecretSha256) throw kysoError('ERR_REMOTE_CALLBACK_REFUSED', 'unknown transaction');
    const given = typeof secret === 'string' && secret.length < 200 ? await sha256b64(secret) : '';
    if (!sameText(given, record.callbackSecretSha256)) throw kysoError('ERR_REMOTE_CALLBACK_REFUSED', 'wrong callback secret');
    if (record.state !== 'pending') throw kysoError('ERR_REMOTE_CALLBACK_REFUSED', `transaction already ${record.state}`);
    if (!this.service.readCallback) throw kysoError('ERR_REMOTE_CALLBACK_REFUSED', `${this.service.name} sends no callbacks`);
    const { id: serviceId, outcome } = this.service.readCallback(body);
    if (!byReference && serviceId !== record.serviceId) throw kysoError('ERR_REMOTE_CALLBACK_REFUSED', 'the body names another transaction');
    checkOutcome(outcome, record.count);
    if (outcome.state === 'pending') return;
    await this.settle(record, outcome);
  }

  private async own(user: string, id: string): Promise<RemoteTransactionRecord> {
    checkUser(user);
    const record = typeof id === 'string' && id.length < 100 ? await this.store.get(id) : undefined;
    // Another user's transaction reads as unknown: ids are not to be probed.
    if (!record || record.user !== user) throw kysoError('ERR_REMOTE_TRANSACTION_UNKNOWN');
    return record;
  }

  /**
   * Settles once: concurrent settlements of one transaction in this process
   * share the first, and a record another request settled meanwhile (read
   * again from the store) is answered as it is, so `onSettled` runs once.
   */
  private settle(record: RemoteTransactionRecord, outcome: RemoteOutcome): Promise<RemoteTransactionRecord> {
    const running = this.settling.get(record.id);
    if (running) return running;
    const done = this.settleNow(record, outcome).finally(() => this.settling.delete(record.id));
    this.settling.set(record.id, done);
    return done;
  }

  private async settleNow(record: RemoteTransactionRecord, outcome: RemoteOutcome): Promise<RemoteTransactionRecord> {
    const current = await this.store.get(record.id);
    if (current && current.state !== 'pending') return current;
    const reply = replyOfOutcome(outcome, toBase64);
    const settled: RemoteTransactionRecord = {
      ...record, state: reply.state, settledAt: new Date(this.now()).toISOString(),
      ...(reply.signatures ? { signatures: reply.signatures } : {}), ...(reply.detail ? { detail: reply.detail } : {}),
    };
    await this.store.put(settled);
    try {
      await this.options.onSettled?.(settled);
    } catch {
      // The integrator's hook failing does not change the transaction's state.
    }
    return settled;
  }
}

function publicView(r: RemoteTransactionRecord): RemoteTransaction {
  return {
    kind: 'kyso.remote-transaction', version: 1, id: r.id, service: r.service, credentialId: r.credentialId, count: r.count,
    hash: r.hash, scheme: r.scheme, delivery: r.delivery, startedAt: r.startedAt, expiresAt: r.expiresAt,
  };
}

function replyOf(r: RemoteTransactionRecord): RemoteStatusReply {
  if (r.state === 'confirmed') return { state: 'confirmed', signatures: r.signatures ?? [] };
  return { state: r.state, ...(r.detail ? { detail: r.detail } : {}) };
}

function checkOutcome(outcome: RemoteOutcome, count: number): void {
  if (outcome.state === 'confirmed' && outcome.signatures.length !== count) {
    throw kysoError('ERR_REMOTE_BAD_RESPONSE', `${outcome.signatures.length} signatures for ${count} digests`);
  }
}

function checkUser(user: string): void {
  if (typeof user !== 'string' || user === '' || user.length > 200) throw kysoError('ERR_INVALID_ARGUMENT', 'user must be a non-empty string');
}

function randomToken(bytes: number): string {
  const b = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(b);
  return toBase64(b).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A record id derived from the provider's transaction id (base64url of SHA-256, 22 characters). */
async function serviceKey(service: string, serviceId: string): Promise<string> {
  return (await sha256b64(`${service}\u0000${serviceId}`)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '').slice(0, 22);
}

async function sha256b64(text: string): Promise<string> {
  return toBase64(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))));
}

/** Compares two equal-length strings without an early exit. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
