import type { HashAlgorithm, SignatureScheme } from '../crypto/algorithms.js';

/**
 * Facts gathered by one pass over a signed PDF, before any judgement (the EU DSS
 * split: facts first, a pure policy second). Plain JSON data: a badge can keep
 * it and re-judge under another policy or time without parsing the file again.
 * `null` means "not known" and is never read as success.
 */
export interface VerificationFacts {
  readonly version: 1;
  readonly fileSize: number;
  /** Every revision in file order (the original document first). */
  readonly revisions: readonly RevisionFacts[];
  /** One entry per signature field with a value and per document timestamp, in file order of their revisions. */
  readonly signatures: readonly SignatureFacts[];
  /** Bytes after the end of the last revision that a signature covers (0 when the last revision is signed). */
  readonly unsignedTrailing: number;
  /** True when the cross-reference data could not be read as written and had to be reconstructed. */
  readonly reconstructed: boolean;
  /** The validation time used for the facts that depend on time (ISO 8601). */
  readonly validationTime: string;
  /** Problems that stopped part of the analysis (never a reason to report success). */
  readonly notes: readonly string[];
}

/** One revision: the bytes from 0 to `end` form a complete PDF (ISO 32000-2 §7.5.6). */
export interface RevisionFacts {
  readonly index: number;
  /** Offset just after this revision's `%%EOF` (and its end-of-line). */
  readonly end: number;
  readonly startxref: number;
  readonly xrefKind: 'table' | 'stream';
}

/** A certificate as the report shows it. DER kept (base64) so a policy can re-check it. */
export interface CertificateFacts {
  readonly der: string;
  readonly subject: string;
  readonly issuer: string;
  readonly commonName: string | null;
  readonly organization: string | null;
  readonly uids: readonly string[];
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly keyAlgorithm: string;
  readonly keyBits: number;
  readonly keyUsage: readonly string[] | null;
  readonly extKeyUsage: readonly string[] | null;
  readonly isCa: boolean;
  /** SHA-256 of the DER, hex. */
  readonly sha256: string;
}

/** ByteRange problems (ISO 32000-2 §12.8.1; Universal Signature Forgery and Signature Wrapping classes). */
export type ByteRangeProblem =
  | 'missing'            // no /ByteRange or not an array of 4 non-negative integers
  | 'not-from-start'     // first offset is not 0
  | 'overlap'            // ranges overlap or are out of order
  | 'beyond-eof'         // a range ends past the end of the file
  | 'gap-not-contents'   // the gap is not exactly this dictionary's /Contents hex string (with its delimiters)
  | 'not-revision-end'   // the covered bytes do not end at the end of a revision
  | 'contents-missing'   // /Contents absent, null, empty or not a string
  | 'contents-trailing'  // bytes after the DER CMS in /Contents that are not zero padding
  | 'indirect-entry'     // a value of the signature dictionary (e.g. /ByteRange) is an indirect reference (§12.8.1: all direct)
  | 'malformed-entry';   // /Type is neither /Sig nor /DocTimeStamp, or /Filter or /SubFilter is not a name

export interface ByteRangeFacts {
  readonly byteRange: readonly number[] | null;
  readonly problems: readonly ByteRangeProblem[];
  /** Index of the revision whose end the covered bytes reach, or null. */
  readonly coveredRevision: number | null;
  /** 'whole-revision' when no problem; 'partial' when the ranges are sane but stop short of a revision end; else 'broken'. */
  readonly coverage: 'whole-revision' | 'partial' | 'broken';
}

/** What the CMS says and whether it holds (RFC 5652, ETSI EN 319 122-1). */
export interface CmsFacts {
  /** null when /Contents could not be parsed as CMS SignedData; then `error` says why. */
  readonly parsed: boolean;
  readonly error: string | null;
  readonly digestAlgorithm: HashAlgorithm | string | null;
  readonly signatureAlgorithm: { readonly scheme: SignatureScheme | string; readonly hash: HashAlgorithm | string | null } | null;
  readonly signedAttributesPresent: boolean;
  /** messageDigest attribute equals the hash of the covered bytes (or, without signed attributes, the signature covers them). */
  readonly digestMatches: boolean | null;
  /** The signature value verifies with the signer certificate's key. */
  readonly signatureValid: boolean | null;
  /** Index into `SignatureFacts.certificates` of the signer certificate, null when not found. */
  readonly signerIndex: number | null;
  /** ESS signing-certificate(-v2) binding (RFC 5035). */
  readonly signingCertificateBinding: 'v2-match' | 'v1-match' | 'mismatch' | 'absent';
  /** The signing-time signed attribute, if present (ISO 8601). */
  readonly signingTimeAttribute: string | null;
  /** Algorithms a crypto policy may object to, e.g. 'SHA-1', 'RSA-1024'. */
  readonly weakAlgorithms: readonly string[];
}

/** A verified (or not) RFC 3161 token: the signature timestamp or a document timestamp. */
export interface TimestampFacts {
  readonly genTime: string | null;
  readonly imprintMatches: boolean | null;
  readonly signatureValid: boolean | null;
  readonly tsaIndex: number | null;
  readonly tsaEkuOk: boolean | null;
  readonly chain: ChainFacts | null;
  readonly error: string | null;
  /**
   * Revocation of the TSA's path at the validation time, when the chain was
   * built and revocation was not 'off' (ETSI EN 319 102-1 §5.4: the timestamp's
   * own validation; also what an LTV-enabled file must carry).
   */
  readonly revocation?: RevocationFacts;
}

export interface ChainFacts {
  readonly status: 'trusted' | 'untrusted' | 'unknown';
  /** Certificate indexes from the signer up to the anchor (anchor included when it is a certificate). */
  readonly path: readonly number[];
  /** Name of the trust anchor and of the profile or source that supplied it. */
  readonly anchor: { readonly subject: string; readonly source: string } | null;
  /** Problems on the chosen path at the validation time, e.g. 'expired:0', 'not-yet-valid:1', 'ca-constraint:1', 'key-usage:0', 'sha1-link:1'. */
  readonly problems: readonly string[];
  /** Notes such as 'G1 SHA-1 CA link accepted by profile vn-gov'. */
  readonly notes: readonly string[];
}

export interface RevocationFacts {
  readonly status: 'good' | 'revoked' | 'unknown' | 'not-checked';
  /** Per certificate of the path (excluding the anchor). */
  readonly entries: readonly {
    readonly certIndex: number;
    readonly status: 'good' | 'revoked' | 'unknown';
    readonly source: 'ocsp-embedded' | 'crl-embedded' | 'ocsp-supplied' | 'crl-supplied' | 'ocsp-online' | 'crl-online' | 'none';
    readonly revokedAt: string | null;
    readonly producedAt: string | null;
    readonly reason: string | null;
  }[];
}

export interface ModificationChange {
  /** The revision that made the change. */
  readonly revision: number;
  readonly kind:
    | 'signature-added' | 'document-timestamp-added' | 'dss-added' | 'form-filled' | 'annotation-added' | 'annotation-changed'
    | 'page-content-changed' | 'page-added' | 'page-removed' | 'resources-changed' | 'catalog-changed' | 'object-redefined'
    | 'metadata-changed' | 'other';
  readonly allowed: boolean;
  /** Human label in both languages, e.g. "page 2 content replaced". */
  readonly label: { readonly vi: string; readonly en: string };
  readonly objects: readonly number[];
}

export interface ModificationFacts {
  readonly verdict: 'none' | 'allowed' | 'disallowed';
  readonly changes: readonly ModificationChange[];
}

export interface SignatureFacts {
  readonly index: number;
  readonly kind: 'signature' | 'document-timestamp';
  readonly field: string | null;
  readonly filter: string | null;
  readonly subFilter: string | null;
  /** The signature dictionary's object number. */
  readonly object: number;
  /** The revision that added this signature's value. */
  readonly revision: number;
  readonly claimed: { readonly time: string | null; readonly name: string | null; readonly reason: string | null; readonly location: string | null };
  readonly byteRange: ByteRangeFacts;
  /** Every certificate seen for this signature: CMS, /DSS, caller-supplied, profile intermediates, AIA. Indexes are referenced above. */
  readonly certificates: readonly CertificateFacts[];
  readonly cms: CmsFacts;
  readonly timestamp: TimestampFacts | null;
  readonly chain: ChainFacts;
  readonly revocation: RevocationFacts;
  readonly modifications: ModificationFacts;
  /**
   * genTime of the earliest valid document timestamp added after this signature (ETSI EN 319 102-1
   * §5.6.2.3 proof of existence); absent when there is none.
   */
  readonly proofOfExistence?: string;
  /**
   * Index into `VerificationFacts.signatures` of the document timestamp that gives `proofOfExistence`. The
   * policy uses the proof only while that timestamp's own validation passes (EN 319 102-1 §5.6.3).
   */
  readonly proofOfExistenceFrom?: number;
  /** Raw validation data for this signature, only with `VerifyOptions.collectEvidence` (what `/DSS` keeps). */
  readonly evidence?: SignatureEvidence;
  /** Certification (DocMDP P) if this is the certification signature; FieldMDP lock if any. */
  readonly docMdp: 1 | 2 | 3 | null;
  readonly fieldMdp: { readonly action: 'All' | 'Include' | 'Exclude'; readonly fields: readonly string[] } | null;
}

/**
 * The validation data one signature (or document timestamp) needs for offline
 * validation (ETSI EN 319 142-1 §5.4.2): the certificates of the signer's and
 * the signature-timestamp TSA's paths, and the OCSP responses and CRLs that
 * decided their status, all base64 DER.
 */
export interface SignatureEvidence {
  /** The `/VRI` key: upper-case hex SHA-1 of the `/Contents` string bytes, padding included (ISO 32000-2 §12.8.4.4). */
  readonly vriKey: string | null;
  readonly certs: readonly string[];
  readonly ocsps: readonly string[];
  readonly crls: readonly string[];
  /** Certificates (subject names) of the paths whose status no data decided. */
  readonly missing: readonly string[];
}
