import type { ByteSource } from '../pdf/byte-source.js';
import { withAesCipher } from '../pdf/encryption/aes.js';
import { PendingUpdate } from '../pdf/incremental-writer.js';
import { writeSignaturePlaceholder, type SignaturePlaceholder } from '../pdf/signature-placeholder.js';
import { toBase64 } from '../util/base64.js';
import { linkToCatalog } from './catalog-links.js';
import { estimateContentsSize } from './contents-size.js';
import { inputFingerprint, updateId } from './fingerprint.js';
import type { PrepareOptions } from './options.js';
import type { PreparedSignature } from './prepared.js';
import { chooseField, writeWidget, type SignatureField } from './signature-field.js';
import { signatureDictionary } from './signature-dictionary.js';
import { digestForSigning, type SigningDigest } from './signing-digest.js';
import { openSigningRequest, type SigningRequest } from './signing-request.js';
import { writeWidgetAppearance } from './widget-appearance.js';
import { placeWidget } from './widget-placement.js';

/** Also read from here by the /DSS writer (`ltv/dss-writer.ts`) for its /TU dates. */
export { pdfDate } from './signature-dictionary.js';

/**
 * Appends an incremental update that holds the signature field, its widget
 * and appearance, and a signature dictionary whose `/Contents` is a zero-filled
 * placeholder (ISO 32000-2 §12.8.1), then hashes the ByteRange and builds the
 * CAdES signed attributes (ETSI EN 319 142-1 §6.3). Returns plain data: what
 * the key must sign, and what {@link finish} needs to complete the file.
 *
 * The steps run in this order because each reads what the previous wrote:
 * field → placement → appearance → widget and catalog → placeholder → digest.
 * Object numbers are taken in that order too, so the output is reproducible.
 */
export async function prepare(pdf: Uint8Array | ByteSource, options: PrepareOptions): Promise<PreparedSignature> {
  // Opened again once AES is loaded if the document turns out to need it (pdf/encryption/aes.ts).
  const request = await withAesCipher(() => openSigningRequest(pdf, options));
  const update = new PendingUpdate(request.doc);
  const sigRef = update.alloc.next();
  const field = chooseField(request, update.alloc);
  const placement = await placeWidget(request, field);
  const appearance = await writeWidgetAppearance(request, placement, update);
  writeWidget(request, field, placement, appearance, sigRef, update);
  linkToCatalog(request, field, placement, sigRef, update);
  const fingerprint = inputFingerprint(request.source);
  const placeholder = writeSignaturePlaceholder(request.doc, {
    objects: update.list(),
    ref: sigRef,
    dictionary: signatureDictionary(request),
    capacity: contentsCapacity(request),
    newId: updateId(fingerprint, request.source.length, request.signingTime, 'signature'),
  });
  const digest = await digestForSigning(request, placeholder);
  return preparedSignature(request, field, fingerprint, placeholder, digest);
}

/** Bytes reserved for the CMS: the caller's fixed size, else a dry run with the real certificates. */
function contentsCapacity(request: SigningRequest): number {
  const { options } = request;
  return options.contentsSize ?? estimateContentsSize({
    certificate: options.certificate,
    chain: options.chain ?? [],
    algorithm: request.algorithm,
    subFilter: request.subFilter,
    withTimestamp: request.level !== 'B-B',
  });
}

/** The JSON-safe state `finish` completes. */
function preparedSignature(
  request: SigningRequest,
  field: SignatureField,
  fingerprint: { readonly headSha256: string; readonly tailSha256: string },
  placeholder: SignaturePlaceholder,
  digest: SigningDigest,
): PreparedSignature {
  const { options } = request;
  return {
    kind: 'kyso.prepared-signature',
    version: 1,
    input: { length: request.source.length, headSha256: fingerprint.headSha256, tailSha256: fingerprint.tailSha256 },
    increment: toBase64(placeholder.increment),
    contentsOffset: request.source.length + placeholder.contents.at,
    contentsCapacity: placeholder.contents.capacity,
    byteRange: placeholder.byteRange,
    level: request.level,
    subFilter: request.subFilter,
    hash: request.hash,
    scheme: request.algorithm.scheme,
    documentDigest: toBase64(digest.documentDigest),
    toBeSigned: toBase64(digest.signedAttributes),
    toBeSignedDigest: toBase64(digest.toBeSignedDigest),
    certificate: toBase64(options.certificate),
    chain: (options.chain ?? []).map(toBase64),
    signingTime: request.signingTime.toISOString(),
    fieldName: field.name,
    tsaUrl: options.timestamp?.url,
  };
}
