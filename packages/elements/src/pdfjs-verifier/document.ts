/**
 * Runs a verifier over every signature of a document opened by pdf.js, the
 * way pdf.js's own signature properties panel does: with
 * `getSignatures()`/`getSignatureData(id)` when the installed pdf.js has them
 * (pdfjs-dist ≥ 6.2), else (older pdf.js, e.g. 5.x) over the signatures kyso
 * found, described in pdf.js's shape.
 */
import type { SignatureReport, VerificationReport } from '@kyso/core';
import type { KysoSignatureVerifier } from './verifier.js';
import type { PdfjsSignature, PdfjsSignatureData, PdfjsVerificationResult } from './types.js';

/** The part of pdf.js's `PDFDocumentProxy` used here (the signature methods exist from pdfjs-dist 6.2). */
export interface PdfjsDocumentLike {
  /** The file's bytes, as pdf.js loaded them (every pdf.js version has it; the usual source of the verifier's `document`). */
  getData(): Promise<Uint8Array>;
  getSignatures?(): Promise<readonly object[] | null>;
  getSignatureData?(id: string): Promise<object | null>;
}

/** One signature and kyso's verdict on it. */
export interface PdfjsSignatureVerdict {
  readonly signature: PdfjsSignature;
  readonly result: PdfjsVerificationResult;
  /** `pdfjs`: listed by pdf.js's getSignatures(); `kyso`: listed by kyso (pdf.js < 6.2). */
  readonly listedBy: 'pdfjs' | 'kyso';
}

/** A pdf.js-shaped entry for a signature kyso found (used where pdf.js cannot list them). */
export function signatureFromKyso(report: SignatureReport, index: number): PdfjsSignature {
  return {
    id: `kyso:${index}:${(report.byteRange ?? []).join('-')}`,
    fieldName: report.field ?? '',
    signerName: null,
    signingTime: null,
    subFilter: report.subFilter,
    signatureType: report.subFilter === 'adbe.pkcs7.detached' ? 0 : report.subFilter === 'adbe.pkcs7.sha1' ? 1 : null,
    byteRange: report.byteRange ?? [],
    revisionIndex: index,
    parentId: null,
  };
}

/**
 * Every signature of `pdfDocument` with kyso's verdict: pdf.js's list (in its
 * order) when it has one, then any signature kyso found that pdf.js did not list
 * (pdf.js skips, e.g., a /ByteRange it finds implausible): a reader must see
 * every signature the file carries, not only those one parser accepts.
 */
export async function verifyPdfjsDocument(pdfDocument: PdfjsDocumentLike, verifier: KysoSignatureVerifier): Promise<PdfjsSignatureVerdict[]> {
  const out: PdfjsSignatureVerdict[] = [];
  if (typeof pdfDocument.getSignatures === 'function' && typeof pdfDocument.getSignatureData === 'function') {
    const listed = ((await pdfDocument.getSignatures()) ?? []) as readonly PdfjsSignature[];
    for (const signature of listed) {
      const data = (await pdfDocument.getSignatureData(signature.id)) as PdfjsSignatureData | null;
      // Without the spans pdf.js read there is nothing to compare with kyso's bytes: `data: []` makes it unknown.
      out.push({ signature, result: await verifier.verify({ ...signature, ...(data ?? { data: [] }) }), listedBy: 'pdfjs' });
    }
  }
  let report: VerificationReport;
  try {
    report = await verifier.report();
  } catch (e) {
    if (out.length) return out; // each already says `unknown` with kyso's error code
    throw e;
  }
  for (const [i, s] of report.signatures.entries()) {
    const seen = out.some(({ signature }) => s.byteRange !== null && signature.byteRange.length === 4 && signature.byteRange.every((v, j) => v === s.byteRange![j]));
    if (seen) continue;
    const signature = signatureFromKyso(s, i);
    out.push({ signature, result: await verifier.verify(signature), listedBy: 'kyso' });
  }
  return out;
}
