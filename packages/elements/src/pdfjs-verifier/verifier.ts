/**
 * kyso as pdf.js's signature verifier. pdf.js hands a verifier one signature
 * at a time with only its two signed byte spans; kyso's modification analysis
 * needs the whole file (what was appended after the signature, and whether the
 * signature permits it), so the verifier is built over the file pdf.js opened
 * (`pdfDocument.getData()`), verifies it once with kyso, and answers each of
 * pdf.js's signatures from that report, matched by /ByteRange. The spans pdf.js
 * read are compared with the same ranges of that file: if they differ, the
 * two did not see the same document and the answer is `unknown`.
 */
import type { SignatureReport, VerificationReport, VerifyOptions } from '@kyso/core';
import type { KysoClient } from '@kyso/core/worker';
import { defaultKysoClient } from '../shared/client.js';
import { toPdfjsResult, unknownResult } from './map.js';
import type { PdfjsSignature, PdfjsSignatureData, PdfjsSignatureVerifier, PdfjsVerificationResult } from './types.js';

/** Options of {@link createKysoSignatureVerifier}. */
export interface KysoSignatureVerifierOptions {
  /** The whole file the viewer shows: its bytes, or a function returning them (e.g. `() => pdfDocument.getData()`). Called once. */
  readonly document: Uint8Array | (() => Uint8Array | Promise<Uint8Array>);
  /** kyso's worker client; default the page-wide one the elements share (`@kyso/core/worker`'s `createKyso()`). */
  readonly client?: KysoClient;
  /** Trust anchors, revocation mode, validation time… passed to kyso's `verify`. */
  readonly verifyOptions?: VerifyOptions;
  /** Language of `message` (kyso's messages are in both; the `kyso` field keeps both). Default `vi`. */
  readonly lang?: 'vi' | 'en';
}

/** pdf.js's verifier, plus access to kyso's whole report (for a panel that shows more than pdf.js does). */
export interface KysoSignatureVerifier extends PdfjsSignatureVerifier {
  /** kyso's report of the whole file (verified once, on first use). */
  report(): Promise<VerificationReport>;
}

const sameRange = (a: readonly number[] | null, b: readonly number[]) => a !== null && a.length === 4 && b.length === 4 && a.every((v, i) => v === b[i]);

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether pdf.js's signed spans are exactly `file`'s bytes at `byteRange`. */
function spansMatch(file: Uint8Array, byteRange: readonly number[], data: readonly Uint8Array[]): boolean {
  const [a, b, c, d] = byteRange as [number, number, number, number];
  if (data.length !== 2 || c + d > file.length) return false;
  return equalBytes(file.subarray(a, a + b), data[0]!) && equalBytes(file.subarray(c, c + d), data[1]!);
}

function errorCodeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'ERR_INTERNAL';
}

/**
 * A verifier for pdf.js's signature interface backed by kyso's verification
 * (signature value, certificate chain and revocation per ETSI EN 319 102-1,
 * and the analysis of what changed after signing). Give it to the viewer where
 * pdf.js asks for one (`createSignatureVerifier()` of the viewer's external
 * services), or call {@link verifyPdfjsDocument} with it.
 */
export function createKysoSignatureVerifier(options: KysoSignatureVerifierOptions): KysoSignatureVerifier {
  const lang = options.lang ?? 'vi';
  let file: Promise<Uint8Array> | undefined;
  let report: Promise<VerificationReport> | undefined;
  const bytes = () => (file ??= Promise.resolve(typeof options.document === 'function' ? options.document() : options.document)
    .then((b) => b.slice())); // our own copy: pdf.js may hand out its buffer, and the worker call must not detach it
  const verified = () => (report ??= bytes().then((b) =>
    (options.client ?? defaultKysoClient()).verify(b, options.verifyOptions ?? {}, { transfer: false })));

  return {
    report: verified,
    async verify(signature: PdfjsSignature & Partial<PdfjsSignatureData>): Promise<PdfjsVerificationResult> {
      let whole: VerificationReport;
      let own: Uint8Array;
      try {
        [own, whole] = await Promise.all([bytes(), verified()]);
      } catch (e) {
        return unknownResult(signature, `KYSO_FAILED:${errorCodeOf(e)}`, e instanceof Error ? e.message : null);
      }
      if (signature.data && !spansMatch(own, signature.byteRange, signature.data)) {
        return unknownResult(signature, 'KYSO_DATA_MISMATCH', null);
      }
      const match: SignatureReport | undefined = whole.signatures.find((s) => sameRange(s.byteRange, signature.byteRange));
      if (!match) return unknownResult(signature, 'KYSO_SIGNATURE_NOT_FOUND', null);
      return toPdfjsResult(signature, match, lang);
    },
  };
}
