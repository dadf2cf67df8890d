import type { PreparedSignature } from '@kyso/core';
import type { PendingConfirmation } from './confirmation.js';

/**
 * What `<sign-document resume-key="…">` keeps while the signer confirms on the
 * phone, so that a reloaded page resumes the same transaction and completes
 * the same signature:
 *
 * - `prepared`: core's `PreparedSignature` (the incremental update with an
 *   empty `/Contents`, the signed attributes, the certificate): made from the
 *   document and the certificate the page already had;
 * - `transaction`: the confirming adapter's pending transaction (for
 *   `RemoteSigningAdapter`, the integrator back end's transaction id and the
 *   window's end; it answers only to the signed-in user's session);
 * - `documentSha256`: which document it belongs to, so another document loaded
 *   under the same key is never finished with it.
 *
 * Nothing secret: no service credential, token, PIN, OTP or callback secret
 * ever reaches the page (the back end holds them).
 */
export interface PendingSigning {
  readonly kind: 'kyso.sign-document.pending';
  readonly version: 1;
  readonly documentSha256: string;
  /** The certificate entry id the adapter signs with. */
  readonly certificateId: string;
  readonly prepared: PreparedSignature;
  readonly transaction: PendingConfirmation;
}

/**
 * Where it is kept: `sessionStorage`, under `kyso.sign-document:<resume-key>`.
 * Session storage, not local storage: it belongs to the one tab (a second tab
 * signing the same document does not pick up this tab's transaction), it
 * survives a reload, and it is gone when the tab closes — after which the
 * service's window (minutes) has passed anyway.
 */
const PREFIX = 'kyso.sign-document:';

function storage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined; // storage disabled (a sandboxed frame, a privacy setting): signing works, resuming does not
  }
}

/** Keeps `pending` under `key`. Answers whether it could (storage may be disabled or full). */
export function savePending(key: string, pending: PendingSigning): boolean {
  try {
    storage()?.setItem(PREFIX + key, JSON.stringify(pending));
    return storage() !== undefined;
  } catch {
    return false;
  }
}

/** The pending signing kept under `key`, or undefined (none, or not one this element wrote). */
export function loadPending(key: string): PendingSigning | undefined {
  let text: string | null | undefined;
  try {
    text = storage()?.getItem(PREFIX + key);
  } catch {
    return undefined;
  }
  if (!text) return undefined;
  try {
    const p = JSON.parse(text) as Partial<PendingSigning> | null;
    const ok = p !== null && typeof p === 'object' && p.kind === 'kyso.sign-document.pending' && p.version === 1
      && typeof p.documentSha256 === 'string' && typeof p.certificateId === 'string'
      && typeof p.prepared === 'object' && p.prepared !== null && p.prepared.kind === 'kyso.prepared-signature'
      && typeof p.transaction === 'object' && p.transaction !== null && typeof p.transaction.expiresAt === 'string'
      && !Number.isNaN(Date.parse(p.transaction.expiresAt));
    return ok ? (p as PendingSigning) : undefined;
  } catch {
    return undefined;
  }
}

export function clearPending(key: string): void {
  try {
    storage()?.removeItem(PREFIX + key);
  } catch {
    // nothing kept, nothing to remove
  }
}

/** Hex SHA-256 of the document: identifies it without keeping it. */
export async function documentDigest(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}
