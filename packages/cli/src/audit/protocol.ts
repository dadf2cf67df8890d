import type { AuditRow } from './model.js';

/** What every audit worker is started with (structured-cloneable: no functions). */
export interface WorkerConfig {
  /** Profile names, PEM texts or DER certificates, as `verify` takes them. */
  readonly trust: readonly (string | Uint8Array)[];
  readonly revocation: 'embedded' | 'online' | 'off';
  /** Certificates (PEM text or DER) or SHA-256 fingerprints removed from `trust`. */
  readonly distrust?: readonly (string | Uint8Array)[];
  /** CRLs and OCSP responses supplied by the caller (DER or PEM). */
  readonly revocationData?: { readonly crls?: readonly Uint8Array[]; readonly ocspResponses?: readonly Uint8Array[] };
  /** The verification policy: kyso's default, or the legacy one. */
  readonly policy?: 'default' | 'legacy';
  /** ISO 8601 validation time, the same for every file of the audit. */
  readonly at: string;
  readonly timeoutMs?: number;
  /**
   * Rewrites of OCSP/CRL/AIA URLs for online revocation (e.g. to an internal mirror); workers cannot be
   * handed a fetch function, so this is how tests route them to local servers.
   */
  readonly urlMap?: Readonly<Record<string, string>>;
}

/** Main thread → worker: verify this file. */
export interface AuditJob {
  readonly id: number;
  /** Absolute path to open. */
  readonly file: string;
  /** Path shown in the row. */
  readonly path: string;
}

/** Worker → main thread: the row of job `id`. */
export interface AuditReply {
  readonly id: number;
  readonly row: AuditRow;
}
