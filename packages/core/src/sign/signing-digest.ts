import { createHashEngine } from '#hash-engine';
import { buildSignedAttributes } from '../crypto/signed-attributes.js';
import { streamCoveredBytes, type SignaturePlaceholder } from '../pdf/signature-placeholder.js';
import { progressReporter } from '../progress.js';
import { digestOf } from './fingerprint.js';
import type { SigningRequest } from './signing-request.js';

/** What the key signs, computed from the placeholder's byte range. */
export interface SigningDigest {
  /** The digest of the bytes the /ByteRange covers (the CMS message digest). */
  readonly documentDigest: Uint8Array;
  /** DER of the signed attributes: what the key signs (RFC 5652 §5.4). */
  readonly signedAttributes: Uint8Array;
  /** Their hash, for keys that sign digests. */
  readonly toBeSignedDigest: Uint8Array;
}

/**
 * The digest step: hashes the covered bytes in place (the input streamed,
 * then the update around /Contents, reporting `hash` progress), then builds
 * the CAdES signed attributes over that digest (ETSI EN 319 142-1 §6.3).
 */
export async function digestForSigning(request: SigningRequest, placeholder: SignaturePlaceholder): Promise<SigningDigest> {
  const { options, hash, subFilter } = request;
  const engine = createHashEngine(hash);
  const report = progressReporter(options.onProgress, 'hash', placeholder.byteRange[1] + placeholder.byteRange[3]);
  await streamCoveredBytes(request.source, placeholder, (chunk) => engine.update(chunk), { signal: options.signal, onBytes: report });
  const documentDigest = engine.digest();
  const signedAttributes = await buildSignedAttributes({
    digestAlgorithm: hash,
    contentDigest: documentDigest,
    signerCertificate: options.certificate,
    subFilter,
    // adbe.pkcs7.detached carries the time as a signed attribute; PAdES keeps the time in /M instead (ETSI EN 319 142-1 §6.3).
    signingTime: subFilter === 'adbe.pkcs7.detached' ? request.signingTime : undefined,
  });
  return { documentDigest, signedAttributes, toBeSignedDigest: digestOf(hash, signedAttributes) };
}
