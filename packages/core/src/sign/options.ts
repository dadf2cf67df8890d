import type { ProgressListener } from '../progress.js';
import type { SigningAdapter } from '../adapter.js';
import type { FetchLike, HashAlgorithm, NetworkOptions, SignatureScheme, SubFilter } from '../options.js';
import type { AppearanceOptions } from '../pdf/appearance/types.js';

// Shared option types live in the bottom layer (../options.ts), so that crypto/ and verify/ need not import
// signing; re-exported here for the modules that still name this path.
export type { FetchLike, SubFilter } from '../options.js';

/**
 * PAdES baseline levels (ETSI EN 319 142-1 §6): B-LT adds a /DSS with the
 * validation data after a B-T signature, B-LTA then a document timestamp
 * (see `extend`). `prepare`/`finish` produce the signature (B-B or B-T);
 * `sign` and `signFile` complete the long-term levels.
 */
export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

/** What `sign` needs for B-LT and B-LTA: where the validation data comes from. */
export interface LtvSignOptions {
  /** Trust anchors the paths must end at (as for `verify`). */
  readonly trust: readonly (Uint8Array | string)[];
  /**
   * Reaches OCSP, CRL and AIA URLs; default the top-level `fetch`, then the timestamp's (one is required).
   * @deprecated pass the top-level `fetch` option (one fetch for every service).
   */
  readonly fetch?: FetchLike;
  readonly intermediates?: readonly (Uint8Array | string)[];
  /**
   * Milliseconds per exchange; default 10 000.
   * @deprecated pass `timeouts: { ocsp, crl, aia }` at the top level.
   */
  readonly timeoutMs?: number;
  /** The clock validation data is judged against; default now. */
  readonly at?: Date;
  /** The TSA of the document timestamp (B-LTA); default the signature's TSA. */
  readonly archiveTimestamp?: TimestampOptions;
}

/** How to reach an RFC 3161 timestamp authority. */
export interface TimestampOptions {
  readonly url: string;
  /**
   * Defaults to the top-level `fetch`, then `globalThis.fetch`.
   * @deprecated pass the top-level `fetch` option (one fetch for every service).
   */
  readonly fetch?: FetchLike;
  /**
   * Milliseconds before `ERR_TSA_TIMEOUT`; default 15 000.
   * @deprecated pass `timeouts: { tsa }` at the top level.
   */
  readonly timeoutMs?: number;
  /** Hash for the message imprint; default the signature's digest algorithm. */
  readonly hash?: HashAlgorithm;
  /** Optional TSA policy OID to request. */
  readonly policy?: string;
  /** Extra HTTP headers (e.g. authorisation for a commercial TSA). */
  readonly headers?: Record<string, string>;
}

/** Where a new signature goes when no existing field is named. */
export interface Placement {
  /** 1-based page number; default 1. */
  readonly page?: number;
  /**
   * Rectangle in the page's user space, origin bottom-left of the visible
   * (crop) box as the reader sees it after `/Rotate`: `[x, y, width, height]`.
   */
  readonly rect?: readonly [number, number, number, number];
  /** Units of `rect`; default `pt`. */
  readonly unit?: 'pt' | 'mm';
  /** Put the signature next to the first occurrence of this text on the page. */
  readonly anchor?: { readonly text: string; readonly position?: 'above' | 'below' | 'right' | 'over'; readonly width?: number; readonly height?: number };
}

/** Document Modification Detection and Prevention (ISO 32000-2 §12.8.2.2). */
export type DocMdpPermission = 1 | 2 | 3;

/** FieldMDP lock (ISO 32000-2 §12.8.2.4, Table 259). */
export type FieldLock =
  | { readonly action: 'All' }
  | { readonly action: 'Include' | 'Exclude'; readonly fields: readonly string[] };

/**
 * Options shared by {@link prepare} and {@link sign}. `fetch` and `timeouts`
 * ({@link NetworkOptions}) reach the TSA and, for B-LT/B-LTA, OCSP, CRL and AIA.
 */
export interface PrepareOptions extends NetworkOptions {
  /** The signer certificate, DER. */
  readonly certificate: Uint8Array;
  /** Issuer certificates to embed, DER, nearest first. */
  readonly chain?: readonly Uint8Array[];
  readonly level?: PadesLevel;
  readonly subFilter?: SubFilter;
  readonly hash?: HashAlgorithm;
  /** Defaults to what the certificate's key implies (RSA → PKCS#1 v1.5, EC → ECDSA). */
  readonly scheme?: SignatureScheme;
  /** Sign into this existing empty field (its full name); otherwise a new field is made. */
  readonly field?: string;
  /** Name for a new field; default `Signature<n>`. */
  readonly fieldName?: string;
  readonly placement?: Placement;
  /** Visible appearance; without it (and without a field that has a widget rect) the signature is invisible. */
  readonly appearance?: AppearanceOptions;
  readonly reason?: string;
  readonly location?: string;
  readonly contactInfo?: string;
  /** `/Name` of the signer in the signature dictionary; default the certificate's CN. */
  readonly name?: string;
  /** Make a certification signature with this DocMDP permission. */
  readonly certify?: DocMdpPermission;
  /** FieldMDP lock for an approval signature. */
  readonly lock?: FieldLock;
  /** Signing time written to `/M` (and to the appearance); default now. A frozen clock for tests. */
  readonly signingTime?: Date;
  /** Bytes reserved for the CMS in `/Contents`; default sized by a dry run. */
  readonly contentsSize?: number;
  /** Password of an encrypted PDF (user or owner). */
  readonly password?: string;
  /** Timestamp authority; required for B-T, B-LT and B-LTA. */
  readonly timestamp?: TimestampOptions;
  /** Validation data sources for B-LT and B-LTA (used by `sign`, ignored by `prepare`). */
  readonly ltv?: LtvSignOptions;
  /** Progress of hashing the document (phase `hash`, in bytes). */
  readonly onProgress?: ProgressListener;
  readonly signal?: AbortSignal;
}

/** Options of the one-call {@link sign}. */
export interface SignOptions extends Omit<PrepareOptions, 'certificate' | 'chain'> {
  readonly adapter: SigningAdapter;
  /** Which of the adapter's certificates; default its only one (an error if several). */
  readonly certificateId?: string;
}
