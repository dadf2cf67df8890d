import type { HashAlgorithm, SignatureScheme } from '../crypto/algorithms.js';
import type { PadesLevel, SubFilter } from './options.js';

/**
 * Everything needed to finish a signature later, as plain JSON-safe data:
 * it can be stored while a remote HSM or a phone confirmation is pending, sent
 * to another process, or kept across a page reload. It holds the appended
 * update (small), not the document: `finish` takes the same input again.
 */
export interface PreparedSignature {
  readonly kind: 'kyso.prepared-signature';
  readonly version: 1;
  /** Identifies the input so `finish` refuses a different file. */
  readonly input: { readonly length: number; readonly headSha256: string; readonly tailSha256: string };
  /** The incremental update, base64, with a zero-filled `/Contents`. */
  readonly increment: string;
  /** Absolute offset in the output of the first hex digit of `/Contents`. */
  readonly contentsOffset: number;
  /** Bytes of CMS that fit into `/Contents`. */
  readonly contentsCapacity: number;
  readonly byteRange: readonly [number, number, number, number];
  readonly level: PadesLevel;
  readonly subFilter: SubFilter;
  readonly hash: HashAlgorithm;
  readonly scheme: SignatureScheme;
  /** Base64 digest of the ByteRange bytes. */
  readonly documentDigest: string;
  /** Base64 DER of the signed attributes: what the key signs (RFC 5652 §5.4). */
  readonly toBeSigned: string;
  /** Base64 hash of `toBeSigned`, for keys that sign digests. */
  readonly toBeSignedDigest: string;
  /** Base64 DER signer certificate and chain. */
  readonly certificate: string;
  readonly chain: readonly string[];
  /** ISO 8601 time written to `/M`. */
  readonly signingTime: string;
  readonly fieldName: string;
  /** For B-T: the TSA URL to use when `finish` is given no token. */
  readonly tsaUrl?: string;
}
