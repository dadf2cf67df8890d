import type { AdapterCapabilities, CertificateEntry, HashAlgorithm, SignatureScheme } from '@kyso/core';

/**
 * Where one remote signing transaction stands. Every Vietnamese service has
 * the user confirm on a phone, so a transaction starts `pending` and settles
 * once: `confirmed` (signatures are there), `rejected` (the user said no),
 * `expired` (the service's window passed) or `cancelled`.
 */
export type RemoteState = 'pending' | 'confirmed' | 'rejected' | 'expired' | 'cancelled';

/** How the result reaches the integrator: it asks the service (`poll`), or the service POSTs it (`webhook`). */
export type RemoteDelivery = 'poll' | 'webhook';

/** What a service client reports for a transaction. */
export type RemoteOutcome =
  | { readonly state: 'pending' }
  | { readonly state: 'confirmed'; readonly signatures: readonly Uint8Array[] }
  | { readonly state: 'rejected' | 'expired' | 'cancelled'; readonly detail?: string };

/** What the integrator's back end asks a service to sign. */
export interface RemoteStartRequest {
  /** The signer at the service (CCCD number, MST, account name: the service's `user_id`). */
  readonly user: string;
  readonly credentialId: string;
  /** One digest per document; the user confirms them together, each gets its own signature. */
  readonly digests: readonly Uint8Array[];
  readonly hash: HashAlgorithm;
  readonly scheme: SignatureScheme;
  /** Shown on the phone, when the service carries a description. */
  readonly description?: string;
  /** Set when the result is to come by webhook: the URL the service POSTs to (holds a per-transaction secret). */
  readonly callbackUrl?: string;
  /**
   * An unguessable, unique reference the back end made for this transaction.
   * Services where the caller names the transaction (SmartCA's and NEAC's
   * `transaction_id`) send it, and their webhook (one URL registered with the
   * provider, no per-transaction URL) echoes it: with webhook delivery it holds
   * the per-transaction secret, so keep it off logs.
   */
  readonly reference: string;
  /** How the back end wants the result. */
  readonly delivery: RemoteDelivery;
  readonly signal?: AbortSignal;
}

/** A started transaction, as the service answered. */
export interface RemoteStarted {
  /** The service's transaction id (`tran_code`, `transactionId`, `responseID`...). */
  readonly id: string;
  /** How long the service waits for the user, in ms. */
  readonly windowMs: number;
  /** Set when the service settled at once (synchronous signing, an automatic seal). */
  readonly outcome?: RemoteOutcome;
}

/**
 * One remote signing service, as the integrator's SERVER talks to it: it holds
 * the integrator's credentials (`sp_password`, client secret, relying-party
 * key) and per-user tokens. Never give one to a page: the page uses
 * {@link RemoteSigningAdapter}, which talks to the integrator's back end.
 */
export interface RemoteSigningService {
  /** Short name, e.g. `rssp`, `vnpt-smartca`, `neac`, `mysign`. */
  readonly name: string;
  /**
   * How the service calls back: `per-transaction` (a callback URL in each
   * request, e.g. RSSP `responseURI`), `registered` (one URL registered with
   * the provider; the body echoes {@link RemoteStartRequest.reference}),
   * `service-token` (one registered URL; the provider first obtains a token
   * from the integrator with credentials the integrator issued to it, as
   * Viettel MySign does, and the body names the service's transaction), or `none`.
   */
  readonly webhook: 'per-transaction' | 'registered' | 'service-token' | 'none';
  capabilities(): AdapterCapabilities;
  /** The user's certificates; the entry id is what {@link start} takes as `credentialId`. */
  certificates(user: string, signal?: AbortSignal): Promise<readonly CertificateEntry[]>;
  start(request: RemoteStartRequest): Promise<RemoteStarted>;
  /** Asks the service where a transaction stands. */
  status(user: string, id: string, signal?: AbortSignal): Promise<RemoteOutcome>;
  /**
   * Reads what the service POSTed to the callback URL: which transaction
   * (the service's id for `per-transaction` webhooks, the reference for
   * `registered` ones) and its outcome. Throws `ERR_REMOTE_BAD_RESPONSE` for a body it cannot read.
   */
  readCallback?(body: unknown): { readonly id: string; readonly outcome: RemoteOutcome };
}

/**
 * A started transaction as the PAGE sees it: plain JSON, no secret, kept
 * (with core's `PreparedSignature`s) across a page reload and passed to
 * {@link RemoteSigningAdapter.awaitTransaction}.
 */
export interface RemoteTransaction {
  readonly kind: 'kyso.remote-transaction';
  readonly version: 1;
  /** The integrator back end's id of the transaction (not the service's). */
  readonly id: string;
  readonly service: string;
  readonly credentialId: string;
  /** Number of digests (documents) in the transaction. */
  readonly count: number;
  readonly hash: HashAlgorithm;
  readonly scheme: SignatureScheme;
  readonly delivery: RemoteDelivery;
  /** ISO 8601. */
  readonly startedAt: string;
  /** ISO 8601: the end of the service's window. */
  readonly expiresAt: string;
}

/** What the back end answers about a transaction (`status`). */
export interface RemoteStatusReply {
  readonly state: RemoteState;
  /** Base64 signature values, one per digest, in order; only when `confirmed`. */
  readonly signatures?: readonly string[];
  readonly detail?: string;
}
