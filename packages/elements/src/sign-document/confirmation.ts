import { kysoError, type HashAlgorithm, type SignatureScheme, type SignRequest, type SigningAdapter } from '@kyso/core';

/** A transaction a confirming adapter started: at least when the signer's window ends. */
export interface PendingConfirmation {
  /** ISO 8601: the end of the service's window (after it the transaction counts as expired). */
  readonly expiresAt: string;
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

/**
 * The adapter the element hands to the worker for a confirming adapter: its
 * `sign` runs the two steps and tells `onWait` when the signer has to act
 * (`expiresAt` in ms since the epoch) and when that is over (`null`).
 *
 * When the signing is aborted (the page's cancel button, the element taken
 * off the page) while the service waits, the transaction is cancelled at the
 * service too, so the phone stops asking; the abort itself is what the caller
 * sees.
 */
export function withConfirmation(adapter: ConfirmingAdapter, onWait: (expiresAt: number | null) => void): SigningAdapter {
  return {
    name: adapter.name,
    listCertificates: (signal) => adapter.listCertificates(signal),
    capabilities: () => adapter.capabilities(),
    async sign(request: SignRequest): Promise<Uint8Array> {
      const { signal } = request;
      // Not aborted half-way: once the service has the digest the phone may be asked, so an abort during the
      // start waits for the transaction (one request, with its time-out) and cancels it.
      const transaction = await adapter.start({
        certificateId: request.certificateId, digests: [request.digest], hash: request.algorithm.hash,
        scheme: request.algorithm.scheme,
      });
      if (signal?.aborted) {
        adapter.cancel?.(transaction).catch(() => undefined);
        throw kysoError('ERR_ABORTED', 'aborted while the transaction was started');
      }
      const expiresAt = Date.parse(transaction.expiresAt);
      if (Number.isNaN(expiresAt)) throw kysoError('ERR_REMOTE_BAD_RESPONSE', 'start: expiresAt is not a date');
      onWait(expiresAt);
      try {
        const [signature, ...rest] = await adapter.awaitTransaction(transaction, signal);
        if (!signature || rest.length) throw kysoError('ERR_REMOTE_BAD_RESPONSE', 'expected one signature value');
        return signature;
      } catch (error) {
        // Not awaited and its failure not reported: the signer already sees "cancelled", and a transaction
        // the service did not drop still ends at its window without a signature the page would take.
        if (signal?.aborted) adapter.cancel?.(transaction).catch(() => undefined);
        throw error;
      } finally {
        onWait(null);
      }
    },
  };
}
