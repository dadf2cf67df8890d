import type { LocalizedText } from '../errors/messages.js';
import type { ModificationChange } from './facts.js';

/** ETSI EN 319 102-1 §5.1.3 main indications. */
export type Indication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';

/** ETSI EN 319 102-1 Table 5 sub-indications kyso reports. */
export type SubIndication =
  | 'FORMAT_FAILURE' | 'HASH_FAILURE' | 'SIG_CRYPTO_FAILURE' | 'REVOKED' | 'EXPIRED' | 'NOT_YET_VALID'
  | 'SIG_CONSTRAINTS_FAILURE' | 'CHAIN_CONSTRAINTS_FAILURE' | 'CERTIFICATE_CHAIN_GENERAL_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE' | 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' | 'OUT_OF_BOUNDS_NO_POE' | 'OUT_OF_BOUNDS_NOT_REVOKED'
  | 'REVOKED_NO_POE' | 'REVOKED_CA_NO_POE' | 'NO_SIGNING_CERTIFICATE_FOUND' | 'NO_CERTIFICATE_CHAIN_FOUND' | 'TRY_LATER'
  | 'TIMESTAMP_ORDER_FAILURE' | 'NO_POE';

export type PadesLevelReached = 'PAdES-B-B' | 'PAdES-B-T' | 'PAdES-B-LT' | 'PAdES-B-LTA' | 'PKCS7' | 'RFC3161';

/** One signature or document timestamp, judged. Field names are stable (docs/report.schema.json). */
export interface SignatureReport {
  readonly kind: 'signature' | 'document-timestamp';
  readonly field: string | null;
  readonly subFilter: string | null;
  readonly level: PadesLevelReached;
  readonly signer: {
    readonly commonName: string | null;
    readonly organization: string | null;
    readonly uid: readonly string[];
    readonly serialNumber: string | null;
    readonly issuer: string | null;
  };
  readonly signingTime: { readonly claimed: string | null; readonly timestamp: string | null };
  readonly coverage: 'whole-revision' | 'partial' | 'broken';
  /**
   * The signature's /ByteRange as found (offset, length pairs; ISO 32000-2
   * §12.8.1), or null when absent. Its end is the length of the signed version.
   */
  readonly byteRange: readonly number[] | null;
  /** True when the covered revision is the whole file. */
  readonly coversWholeFile: boolean;
  readonly integrity: 'intact' | 'broken' | 'unknown';
  readonly cryptoValid: boolean | null;
  readonly chain: { readonly status: 'trusted' | 'untrusted' | 'unknown'; readonly path: readonly string[]; readonly anchor: string | null };
  readonly revocation: { readonly status: 'good' | 'revoked' | 'unknown' | 'not-checked'; readonly source: readonly string[] };
  readonly modifications: { readonly verdict: 'none' | 'allowed' | 'disallowed'; readonly changes: readonly ModificationChange[] };
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
  /** Why, in both languages: the decisive reason first, then notes. */
  readonly messages: readonly LocalizedText[];
}

/** The verification report of a document: frozen plain data. */
export interface VerificationReport {
  readonly file: string | null;
  readonly revisions: number;
  readonly signatures: readonly SignatureReport[];
  /** Bytes appended after the last signed revision. */
  readonly unsignedTrailing: number;
  readonly lastRevisionSigned: boolean;
  readonly validationTime: string;
  readonly policy: string;
  /** Long-term validation status of the file (ETSI EN 319 142-1 §5.4). */
  readonly ltv: LtvStatus;
}

/** Whether a file can be validated offline, and when its last timestamp needs renewing. */
export interface LtvStatus {
  /** Every signature's chain and revocation data (and its timestamp's) are in the file. */
  readonly enabled: boolean;
  /** What is not in the file, e.g. "Signature1: revocation data of CN=…". */
  readonly missing: readonly string[];
  /** The latest valid timestamp (signature or document timestamp) and its TSA certificate's notAfter. */
  readonly lastTimestamp: {
    readonly kind: 'signature-timestamp' | 'document-timestamp';
    readonly genTime: string;
    readonly tsaExpires: string | null;
  } | null;
}
