import type { WeakAlgorithm } from '../crypto/algorithm-constraints.js';
import type { HashAlgorithm, SignatureScheme } from '../crypto/algorithms.js';

export type { WeakAlgorithm } from '../crypto/algorithm-constraints.js';

/**
 * Facts gathered by one pass over a signed PDF, before any judgement (the EU DSS
 * split: facts first, a pure policy second). Plain JSON data: a badge can keep
 * it and re-judge under another policy or time without parsing the file again.
 * `null` means "not known" and is never read as success.
 */
export interface VerificationFacts {
  /**
   * The shape of these facts. 2: chain problems and notes are {@link ChainProblem} / {@link ChainNote}
   * objects (were strings such as 'expired:0'), and the never-set `reconstructed` is gone (docs/decisions/0029).
   * `judge` refuses any other version rather than misread it.
   */
  readonly version: 2;
  readonly fileSize: number;
  /** Every revision in file order (the original document first). */
  readonly revisions: readonly RevisionFacts[];
  /** One entry per signature field with a value and per document timestamp, in file order of their revisions. */
  readonly signatures: readonly SignatureFacts[];
  /** Bytes after the end of the last revision that a signature covers (0 when the last revision is signed). */
  readonly unsignedTrailing: number;
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
  /**
   * Algorithms a crypto policy may object to (rows of crypto/algorithm-constraints.ts), e.g.
   * `{ kind: 'digest', algorithm: 'SHA-1' }`, `{ kind: 'key', algorithm: 'RSA', bits: 1024 }`.
   */
  readonly weakAlgorithms: readonly WeakAlgorithm[];
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

/** The certification path of a signer or TSA certificate (RFC 5280 §6), as `buildChain` chose it. */
export interface ChainFacts {
  readonly status: 'trusted' | 'untrusted' | 'unknown';
  /** Certificate indexes from the signer up to the anchor (anchor included when it is a certificate). */
  readonly path: readonly number[];
  /** Name of the trust anchor and of the profile or source that supplied it. */
  readonly anchor: { readonly subject: string; readonly source: string } | null;
  /** Problems on the chosen path at the validation time, ordered by certificate, then kind. */
  readonly problems: readonly ChainProblem[];
  /** What the path search saw or accepted; never a reason to fail by itself. */
  readonly notes: readonly ChainNote[];
}

/**
 * A problem on the chosen certification path (RFC 5280 §6.1), as data: the policy reads `kind` and
 * `cert`, never a string. `cert` indexes the certificate list the chain belongs to
 * (`SignatureFacts.certificates`; `ChainResult.certificates` straight from `buildChain`).
 *
 * - `expired` / `not-yet-valid`: the validation time `at` (ISO 8601) is after notAfter / before
 *   notBefore (§6.1.3(a)(2)). The policy judges validity again at the proven signing time.
 * - `critical-extension`: an unrecognised, duplicate or malformed critical extension (§6.1.4(o), §6.1.5(f)).
 * - `signature-algorithm-mismatch`: signatureAlgorithm differs from tbsCertificate.signature (§4.1.1.2).
 * - `ca-constraint`: an issuer that does not assert cA (`not-ca`, §6.1.4(k)) or whose pathLenConstraint is
 *   exceeded (`path-length`, §6.1.4(l)(m)).
 * - `key-usage`: an issuer without keyCertSign (§6.1.4(n)), or (cert 0) an end certificate without
 *   digitalSignature or nonRepudiation (§4.2.1.3).
 * - `ext-key-usage`: cert 0 lacks the extended key usage its `purpose` needs (RFC 3161 §2.3 for
 *   timestamping: exactly id-kp-timeStamping, critical; RFC 6960 §4.2.2.2 for OCSP signing).
 * - `sha1-link`: certificate `cert` is signed with SHA-1 and the trust store does not accept it.
 * - `signature` / `unsupported-signature-algorithm`: the only issuers found by name do not verify
 *   certificate `cert`, or use an algorithm kyso cannot check (the path then ends there, status `unknown`).
 */
export type ChainProblem =
  | { readonly kind: 'expired'; readonly cert: number; readonly at: string }
  | { readonly kind: 'not-yet-valid'; readonly cert: number; readonly at: string }
  | { readonly kind: 'critical-extension'; readonly cert: number }
  | { readonly kind: 'signature-algorithm-mismatch'; readonly cert: number }
  | { readonly kind: 'ca-constraint'; readonly cert: number; readonly reason: 'not-ca' | 'path-length' }
  | { readonly kind: 'key-usage'; readonly cert: number }
  | { readonly kind: 'ext-key-usage'; readonly cert: number; readonly purpose: 'timestamping' | 'ocsp-signing' }
  | { readonly kind: 'sha1-link'; readonly cert: number }
  | { readonly kind: 'signature'; readonly cert: number }
  | { readonly kind: 'unsupported-signature-algorithm'; readonly cert: number };

/**
 * A note of the path search, as data (same `cert` indexing as {@link ChainProblem}).
 *
 * - `sha1-ca-link-accepted`: certificate `cert`, a CA certificate the trust store `store` bundles, is signed
 *   with SHA-1 and the store accepts that (VGCA generation 1 sub-CAs in the `vn-gov` profile).
 * - `issuer-not-found`: no issuer of certificate `cert` was found (locally or through AIA).
 * - `self-signed-not-anchor`: the path ends at certificate `cert`, self-signed and not a trust anchor.
 * - `constraints-not-enforced`: certificate `cert` has critical constraint extensions (OIDs in
 *   `extensions`: name or policy constraints) that kyso recognises but does not enforce.
 * - `aia-fetched` / `aia-failed`: an issuer download from an AIA caIssuers URI (RFC 5280 §4.2.2.1) that
 *   gave certificates / did not.
 * - `malformed-certificate`: an input that is not a certificate, skipped: item `index` of the trust
 *   store's anchors or intermediates, of the pool, or of the certificates downloaded from `url`.
 * - `search-limit`: a bound on the search (path length, signature checks, AIA downloads) was reached,
 *   so a better path may exist.
 */
export type ChainNote =
  | { readonly kind: 'sha1-ca-link-accepted'; readonly cert: number; readonly store: string }
  | { readonly kind: 'issuer-not-found'; readonly cert: number }
  | { readonly kind: 'self-signed-not-anchor'; readonly cert: number }
  | { readonly kind: 'constraints-not-enforced'; readonly cert: number; readonly extensions: readonly string[] }
  | { readonly kind: 'aia-fetched'; readonly url: string }
  | { readonly kind: 'aia-failed'; readonly url: string }
  | { readonly kind: 'malformed-certificate'; readonly source: 'anchor' | 'intermediate' | 'pool'; readonly index: number }
  | { readonly kind: 'malformed-certificate'; readonly source: 'aia'; readonly url: string; readonly index: number }
  | { readonly kind: 'search-limit' };

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
