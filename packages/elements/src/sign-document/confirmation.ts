import type { HashAlgorithm, SignatureScheme, SigningAdapter } from '@kyso/core';

/** A transaction a confirming adapter started: at least when the signer's window ends. */
export interface PendingConfirmation {
  /** ISO 8601: the end of the service's window (after it the transaction counts as expired). */
  readonly expiresAt: string;
  /**
   * ISO 8601, by the same clock as `expiresAt`: when the service took the
   * request. A transaction whose window ends when it starts was settled at
   * once (no one to confirm: VNPT SmartCA TH, a synchronous signHash); the
   * element shows no wait for it.
   */
  readonly startedAt?: string;
}

/**
 * An adapter whose signature waits for the signer to confirm elsewhere (a
 * phone app: VNPT SmartCA, NEAC eSign, Viettel MySign, RSSP services). It
 * signs in two steps the element can show: {@link start} sends the digest and
 * answers at once with the pending transaction; {@link awaitTransaction}
 * settles when the signer confirms (or rejects, or the window ends).
 * `RemoteSigningAdapter` of `@kyso/adapters` is one; any adapter with these
 * methods gets the same wait UI.
 */
export interface ConfirmingAdapter<T extends PendingConfirmation = PendingConfirmation> extends SigningAdapter {
  start(request: {
    readonly certificateId: string; readonly digests: readonly Uint8Array[]; readonly hash: HashAlgorithm;
    readonly scheme: SignatureScheme; readonly signal?: AbortSignal;
  }): Promise<T>;
  /** The signature values, one per digest; throws the settled state's error (`ERR_REMOTE_REJECTED`, `_EXPIRED`, `_CANCELLED`). */
  awaitTransaction(transaction: T, signal?: AbortSignal): Promise<readonly Uint8Array[]>;
  /** Asks the service to drop a pending transaction (when the signer cancels in the page). */
  cancel?(transaction: T, signal?: AbortSignal): Promise<void>;
}

/** Whether `adapter` signs through a confirmation elsewhere (capability check, not a class check: works across bundles). */
export function isConfirmingAdapter(adapter: SigningAdapter): adapter is ConfirmingAdapter {
  const a = adapter as Partial<ConfirmingAdapter>;
  return typeof a.start === 'function' && typeof a.awaitTransaction === 'function';
}
