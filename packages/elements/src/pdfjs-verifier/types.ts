/**
 * The shapes pdf.js (pdfjs-dist ≥ 6.2) uses for digital signatures, written
 * from its documented behaviour so that kyso's verifier is typed without
 * depending on pdf.js's (untyped, `Array<object>`) declarations:
 *
 * - `PDFDocumentProxy.getSignatures()` resolves to a list of
 *   {@link PdfjsSignature} (or `null` when the document has none);
 * - `PDFDocumentProxy.getSignatureData(id)` resolves to
 *   {@link PdfjsSignatureData} (the two signed byte spans and the CMS blob);
 * - the viewer's signature verifier (`ExternalServices.createSignatureVerifier()`)
 *   is an object whose `verify({...signature, ...data})` resolves to a
 *   {@link PdfjsVerificationResult}. Generic builds return no verifier
 *   (mozilla/pdf.js#21662); {@link createKysoSignatureVerifier} is one.
 */
import type { Indication, PadesLevelReached, SubIndication } from '@kyso/core';

/** One entry of `getSignatures()`. */
export interface PdfjsSignature {
  /** pdf.js's id: `<field ref>:<a>-<b>-<c>-<d>` (the /ByteRange). */
  readonly id: string;
  readonly fieldName?: string;
  readonly signerName?: string | null;
  readonly reason?: string | null;
  readonly location?: string | null;
  readonly contactInfo?: string | null;
  /** The /M entry as written (a PDF date string), or null. */
  readonly signingTime?: string | null;
  readonly filter?: string | null;
  readonly subFilter?: string | null;
  /** 0: adbe.pkcs7.detached, 1: adbe.pkcs7.sha1, null: any other SubFilter (ETSI.CAdES.detached included). */
  readonly signatureType?: number | null;
  /** The signature dictionary's /ByteRange `[a, b, c, d]`. */
  readonly byteRange: readonly number[];
  readonly revisionIndex?: number;
  readonly parentId?: string | null;
  /** How many incremental updates pdf.js counted after the signed bytes. */
  readonly modificationsAfterSignature?: number;
  /** pdf.js's view: nothing but whitespace follows the signed bytes. */
  readonly coversWholeDocument?: boolean;
}

/** What `getSignatureData(id)` adds: the signed spans `[a, a+b)` and `[c, c+d)`, and /Contents. */
export interface PdfjsSignatureData {
  readonly data: readonly Uint8Array[];
  readonly pkcs7: Uint8Array;
}

/** The statuses pdf.js's signature properties panel knows (its STATUS_INFO), worst last. */
export type PdfjsSignatureStatus = 'verified' | 'unknown' | 'untrusted' | 'expired' | 'revoked' | 'invalid';

/** The certificate fields pdf.js's panel reads (subject and issuer common names). */
export interface PdfjsCertificate {
  readonly subjectCN: string | null;
  readonly issuerCN: string | null;
  readonly organization: string | null;
  readonly serialNumber: string | null;
  readonly uid: readonly string[];
}

/** A change kyso found after the signature, with its verdict. */
export interface KysoChange {
  readonly revision: number;
  readonly kind: string;
  readonly allowed: boolean;
  readonly label: { readonly vi: string; readonly en: string };
}

/** kyso's own verdict, carried beside pdf.js's fields (pdf.js ignores unknown keys). */
export interface KysoVerdict {
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
  readonly integrity: 'intact' | 'broken' | 'unknown';
  readonly level: PadesLevelReached;
  /** `allowed`: the document changed after signing, in ways the signature permits (e.g. a form filled). */
  readonly modifications: { readonly verdict: 'none' | 'allowed' | 'disallowed'; readonly changes: readonly KysoChange[] };
  readonly signingTime: { readonly claimed: string | null; readonly timestamp: string | null };
  readonly messages: readonly { readonly vi: string; readonly en: string }[];
}

/** What `verify()` resolves to: pdf.js's VerificationResult, plus `kyso`. */
export interface PdfjsVerificationResult {
  readonly status: PdfjsSignatureStatus;
  /** A stable code: kyso's sub-indication (e.g. `HASH_FAILURE`) or one of {@link KysoVerifierCode}. */
  readonly errorCode: string | null;
  readonly message: string | null;
  readonly certificate: PdfjsCertificate | null;
  readonly documentModifiedAfterSigning: boolean;
  readonly modificationsAfterSignature: number;
  /** Null when kyso could not match or verify the signature (then `status` is `unknown`). */
  readonly kyso: KysoVerdict | null;
}

/** Codes the verifier itself gives (beside kyso's sub-indications). */
export type KysoVerifierCode =
  /** Changes after signing that the signature does not permit: never shown as verified. */
  | 'KYSO_MODIFIED_DISALLOWED'
  /** kyso found no signature with pdf.js's /ByteRange in the bytes it verified. */
  | 'KYSO_SIGNATURE_NOT_FOUND'
  /** The signed spans pdf.js read differ from the bytes kyso verified: they are not the same file. */
  | 'KYSO_DATA_MISMATCH'
  /** kyso's verification threw (its error code follows a colon, e.g. `KYSO_FAILED:ERR_PDF_PARSE`). */
  | 'KYSO_FAILED';

/** The verifier object pdf.js's viewer expects from `createSignatureVerifier()`. */
export interface PdfjsSignatureVerifier {
  verify(signature: PdfjsSignature & Partial<PdfjsSignatureData>): Promise<PdfjsVerificationResult>;
}
