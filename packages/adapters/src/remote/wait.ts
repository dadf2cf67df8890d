import { fromBase64, kysoError, type KysoError } from '@kyso/core';
import { sleep } from './http.js';
import type { RemoteOutcome, RemoteState, RemoteStatusReply } from './types.js';

/** How to poll while a transaction is pending. */
export interface PollOptions {
  /** First wait between polls; default 1000 ms. */
  readonly intervalMs?: number;
  /** Longest wait between polls (the wait grows by half each time); default 5000 ms. */
  readonly maxIntervalMs?: number;
  /** Time (ms since the epoch) after which a still-pending transaction counts as expired. */
  readonly deadline: number;
  readonly signal?: AbortSignal;
  /** The clock (tests). */
  readonly now?: () => number;
}

/**
 * Calls `check` until the transaction settles: back-off from `intervalMs` by
 * ×1.5 up to `maxIntervalMs`, never waiting past `deadline`. Answers the
 * signatures, or throws the settled state's error
 * ({@link settledError}); a transaction still pending at the deadline is
 * `ERR_REMOTE_EXPIRED`. `signal` cancels with `ERR_ABORTED`.
 */
export async function pollUntilSettled(
  check: () => Promise<RemoteOutcome>, options: PollOptions,
): Promise<readonly Uint8Array[]> {
  const now = options.now ?? Date.now;
  let interval = options.intervalMs ?? 1000;
  const max = Math.max(options.maxIntervalMs ?? 5000, interval);
  for (;;) {
    const outcome = await check();
    if (outcome.state === 'confirmed') return outcome.signatures;
    if (outcome.state !== 'pending') throw settledError(outcome.state, outcome.detail);
    const left = options.deadline - now();
    if (left <= 0) throw kysoError('ERR_REMOTE_EXPIRED', 'still pending when the confirmation window ended');
    await sleep(Math.min(interval, left), options.signal);
    interval = Math.min(max, interval * 1.5);
  }
}

/** The error for a transaction that settled without signatures. */
export function settledError(state: Exclude<RemoteState, 'pending' | 'confirmed'>, detail?: string): KysoError {
  const code = state === 'rejected' ? 'ERR_REMOTE_REJECTED' : state === 'expired' ? 'ERR_REMOTE_EXPIRED' : 'ERR_REMOTE_CANCELLED';
  return kysoError(code, detail);
}

/** Reads a back end's status reply into an outcome (the page side). */
export function outcomeOfReply(reply: Record<string, unknown>, count: number): RemoteOutcome {
  const state = reply.state;
  if (state === 'pending') return { state };
  const detail = typeof reply.detail === 'string' ? reply.detail.slice(0, 200) : undefined;
  if (state === 'rejected' || state === 'expired' || state === 'cancelled') return { state, ...(detail ? { detail } : {}) };
  if (state === 'confirmed') {
    const sigs = reply.signatures;
    if (!Array.isArray(sigs) || sigs.length !== count || !sigs.every((s) => typeof s === 'string')) {
      throw kysoError('ERR_REMOTE_BAD_RESPONSE', `status: expected ${count} signatures`);
    }
    return { state, signatures: sigs.map((s: string, i) => decodeSignature(s, `signatures[${i}]`)) };
  }
  throw kysoError('ERR_REMOTE_BAD_RESPONSE', 'status: unknown state');
}

/** Base64 → bytes, `ERR_REMOTE_BAD_RESPONSE` when it is not base64 or empty. */
export function decodeSignature(b64: unknown, what: string): Uint8Array {
  let bytes: Uint8Array | null = null;
  try {
    bytes = typeof b64 === 'string' ? fromBase64(b64) : null;
  } catch {
    bytes = null;
  }
  if (!bytes || bytes.length === 0) throw kysoError('ERR_REMOTE_BAD_RESPONSE', `${what} is not a base64 signature`);
  return bytes;
}

/** Reply form of an outcome (the back end side). */
export function replyOfOutcome(outcome: RemoteOutcome, toB64: (b: Uint8Array) => string): RemoteStatusReply {
  if (outcome.state === 'confirmed') return { state: 'confirmed', signatures: outcome.signatures.map(toB64) };
  if (outcome.state === 'pending') return { state: 'pending' };
  return { state: outcome.state, ...(outcome.detail ? { detail: outcome.detail } : {}) };
}
