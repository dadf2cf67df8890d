/**
 * Key sources that take a whole document and return it signed, instead of
 * signing a digest: the VGCA Sign Service (Ban Cơ yếu Chính phủ) downloads the
 * PDF from the integrator's server, signs it with its own appearance
 * templates, and uploads the result to the integrator's handler. Such a source
 * cannot implement `SigningAdapter.sign`; it implements this interface
 * instead, and the integrator verifies what comes back (see
 * docs/decisions/0010-vgca-sign-service.md).
 *
 * @module
 */

/**
 * What the signature is for, in Decree 30/2020 terms (Appendix I): the leader's
 * approval, the clerk's issuing with the agency seal, an incoming document,
 * a comment, an appendix in a separate file, an electronic copy.
 */
export type FullDocumentRole = 'approve' | 'issue' | 'income' | 'comment' | 'appendix' | 'copy';

/** One key/value pair the service carries through (its meaning is the service's). */
export interface FullDocumentMetadata {
  readonly key: string;
  readonly value: string;
}

/** One request to sign a whole document held by the integrator's server. */
export interface FullDocumentRequest {
  readonly role: FullDocumentRole;
  /** Where the service downloads the unsigned PDF (http or https; a short-lived token in the URL). */
  readonly documentUrl: string;
  /** Where the service uploads the signed PDF (the integrator's handler). */
  readonly uploadUrl: string;
  /** Document number and symbol (số và ký hiệu), e.g. `15/QĐ-UBND`: required for `issue`, `appendix`, `copy`. */
  readonly docNumber?: string;
  /** Issuing date, required for `issue`. */
  readonly issuedDate?: Date;
  readonly metadata?: readonly FullDocumentMetadata[];
  /** A session identifier the service forwards to the handler (cookie value), if the integrator uses one. */
  readonly sessionId?: string;
  /** A bearer token the service forwards to the handler, if the integrator uses one. */
  readonly jwtToken?: string;
  readonly signal?: AbortSignal;
}

/** What the service reports after it signed and uploaded the document. */
export interface FullDocumentResult {
  /** The file name the handler gave back. */
  readonly fileName: string | null;
  /** What the handler returned to identify the stored file (its own text; may itself be JSON). */
  readonly fileServer: string;
  readonly documentNumber: string | null;
  readonly documentDate: string | null;
  /** The service's message, if any (not translated). */
  readonly message: string | null;
}

/**
 * A key source that signs whole documents (the document never passes through
 * the page). The result is only a claim by the service: verify the stored file
 * before relying on it.
 */
export interface FullDocumentSigner {
  /** A short name for logs, e.g. `vgca`. */
  readonly name: string;
  signDocument(request: FullDocumentRequest): Promise<FullDocumentResult>;
}
