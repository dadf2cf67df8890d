import type { HashAlgorithm, SignatureAlgorithm, SignatureScheme } from './options.js';

/**
 * A certificate a key source can sign with. Only public material: the key
 * itself stays in the source (software keystore, token, HSM).
 */
export interface CertificateEntry {
  /** Stable identifier within the adapter, passed back to {@link SigningAdapter.sign}. */
  readonly id: string;
  /** The signer certificate, DER. */
  readonly certificate: Uint8Array;
  /** Issuing CA certificates the source knows, DER, nearest first. */
  readonly chain: readonly Uint8Array[];
  /** A label for pickers (token label, alias, friendly name). */
  readonly label?: string;
}

/** What one signing call asks of the key source. */
export interface SignRequest {
  readonly certificateId: string;
  readonly algorithm: SignatureAlgorithm;
  /**
   * The bytes to be signed (DER of the CMS signed attributes, RFC 5652 §5.4).
   * Adapters that hash themselves use this.
   */
  readonly data: Uint8Array;
  /** `hash(data)` with `algorithm.hash`, for adapters that sign digests (tokens, CSC, HSMs). */
  readonly digest: Uint8Array;
  readonly signal?: AbortSignal;
}

/** What an adapter can do; core picks an algorithm within it. */
export interface AdapterCapabilities {
  readonly schemes: readonly SignatureScheme[];
  readonly hashes: readonly HashAlgorithm[];
}

/**
 * One interface for every key source (software key, local token agent, CSC v2
 * remote HSM, VGCA Sign Service). Declared in core so that core depends on no
 * adapter; adapters implement it.
 */
export interface SigningAdapter {
  /** A short name for logs and pickers, e.g. `pkcs12`, `token-agent`, `csc`. */
  readonly name: string;
  listCertificates(signal?: AbortSignal): Promise<readonly CertificateEntry[]>;
  capabilities(): AdapterCapabilities;
  /**
   * Returns the signature value. RSA: the PKCS#1 / PSS signature. ECDSA: either
   * DER `Ecdsa-Sig-Value` or raw `r‖s` (IEEE P1363, what tokens and WebCrypto
   * give); core converts raw to DER (RFC 5753 §2.1.1).
   */
  sign(request: SignRequest): Promise<Uint8Array>;
}
