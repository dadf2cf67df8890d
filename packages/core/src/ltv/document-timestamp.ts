/**
 * The document timestamp of PAdES B-LTA (ETSI EN 319 142-1 §5.4.3; ISO
 * 32000-2 §12.8.5): an invisible signature field whose signature dictionary
 * has /Type /DocTimeStamp and /SubFilter /ETSI.RFC3161, and whose /Contents is
 * an RFC 3161 TimeStampToken over the digest of its ByteRange.
 */
import { createHashEngine } from '#hash-engine';
import { HASH_LENGTH, type HashAlgorithm } from '../crypto/algorithms.js';
import { requestTimestamp } from '../crypto/timestamp-client.js';
import { kysoError } from '../errors/index.js';
import type { ByteSource } from '../pdf/byte-source.js';
import { PdfDocument } from '../pdf/document.js';
import { withAesCipher } from '../pdf/encryption/aes.js';
import { addToAcroForm, addToPageAnnots } from '../pdf/form-update.js';
import { PendingUpdate } from '../pdf/incremental-writer.js';
import { dict, name, textString } from '../pdf/objects.js';
import {
  emptyAppearance, fillContents, setSignatureWidget, streamCoveredBytes, writeSignaturePlaceholder, type SignaturePlaceholder,
} from '../pdf/signature-placeholder.js';
import { listFields } from '../pdf/fields.js';
import { TIMESTAMP_RESERVE } from '../sign/contents-size.js';
import { inputFingerprint, updateId } from '../sign/fingerprint.js';
import { fetchFor, timeoutFor, type NetworkOptions } from '../options.js';
import type { TimestampOptions } from '../sign/options.js';
import { nextFieldName } from '../sign/signature-field.js';

/**
 * Options of {@link documentTimestampIncrement}. The TSA is reached through
 * `timestamp.fetch` (deprecated) or the top-level `fetch`; its time-out is
 * `timeouts.tsa`, else `timestamp.timeoutMs`, else 15 s.
 */
export interface DocumentTimestampOptions extends NetworkOptions {
  readonly timestamp: TimestampOptions;
  /** Hash of the ByteRange digest; default the TSA options' hash, else SHA-256. */
  readonly hash?: HashAlgorithm;
  /** Bytes reserved for the token, fixed: a larger token is an error (`ERR_SIG_CONTENTS_TOO_SMALL`). */
  readonly contentsSize?: number;
  /** First guess of the token size when `contentsSize` is not given; default {@link TIMESTAMP_RESERVE}. Grown once if the token is larger. */
  readonly reserve?: number;
  /** Name of the new field; default `DocTimeStamp<n>`. */
  readonly fieldName?: string;
  readonly password?: string;
  /** A fixed /ID seed for reproducible output (tests); default the time of the call. */
  readonly time?: Date;
  readonly signal?: AbortSignal;
}

/**
 * Builds the update that adds a document timestamp over all of `source`.
 * If the token does not fit the reserved `/Contents`, builds the update again
 * with room for it and asks the TSA once more (the imprint changes with the size).
 * @returns the bytes to append to `source`.
 */
export async function documentTimestampIncrement(source: ByteSource, options: DocumentTimestampOptions): Promise<Uint8Array> {
  const ts = options?.timestamp;
  if (!ts || typeof ts.url !== 'string' || !ts.url) throw kysoError('ERR_INVALID_ARGUMENT', 'options.timestamp.url is required for a document timestamp');
  const hash = options.hash ?? ts.hash ?? 'SHA-256';
  if (!(hash in HASH_LENGTH)) throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `hash ${String(hash)}`);
  let capacity = options.contentsSize ?? options.reserve ?? TIMESTAMP_RESERVE;
  if (!Number.isInteger(capacity) || capacity < 256 || capacity > 1 << 20) throw kysoError('ERR_INVALID_ARGUMENT', 'contentsSize and reserve must be integers between 256 and 1 MiB');
  // An AES-encrypted document needs the cipher library, loaded on first need (docs/decisions/0036).
  const doc = await withAesCipher(() => PdfDocument.open(source, { password: options.password }));
  for (let attempt = 0; ; attempt++) {
    const placed = placeholder(doc, source, capacity, options);
    const engine = createHashEngine(hash);
    await streamCoveredBytes(source, placed, (c) => engine.update(c), { signal: options.signal });
    const fetchFn = fetchFor(options, 'tsa');
    if (typeof fetchFn !== 'function') throw kysoError('ERR_INVALID_ARGUMENT', 'options.fetch is required: core reaches the TSA only through an injected fetch');
    const token = await requestTimestamp({
      url: ts.url, fetch: fetchFn, imprint: engine.digest(), hash, timeoutMs: timeoutFor(options.timeouts, 'tsa', ts.timeoutMs, 15_000),
      policy: ts.policy, headers: ts.headers, signal: options.signal,
    });
    // A token larger than the hole is an error when the size was fixed or already grown once.
    if (token.length <= capacity || attempt > 0 || options.contentsSize !== undefined) {
      fillContents(placed.increment, placed.contents, token);
      return placed.increment;
    }
    capacity = token.length + 2048;
  }
}

/** The update with an empty token placeholder and its ByteRange filled in. */
function placeholder(doc: PdfDocument, source: ByteSource, capacity: number, options: DocumentTimestampOptions): SignaturePlaceholder {
  const update = new PendingUpdate(doc);
  const sigRef = update.alloc.next();
  const widgetRef = update.alloc.next();
  const apRef = update.alloc.next();
  const page = doc.page(1);
  if (!page) throw kysoError('ERR_PDF_PAGE_NOT_FOUND', 'the document has no page for the timestamp field');
  const names = new Set(listFields(doc).map((f) => f.name));
  const fieldName = options.fieldName ?? nextFieldName(names, 'DocTimeStamp');
  if (names.has(fieldName)) throw kysoError('ERR_INVALID_ARGUMENT', `a field named "${fieldName}" already exists`);

  // An invisible field merged with its widget (ISO 32000-2 §12.7.5.5), with an empty appearance (§12.5.5).
  update.put(apRef, emptyAppearance());
  const widget = dict({ Type: name('Annot'), Subtype: name('Widget'), FT: name('Sig'), T: textString(fieldName) });
  update.put(widgetRef, setSignatureWidget(widget, { rect: [0, 0, 0, 0], page: page.ref, appearance: apRef, value: sigRef }));
  addToPageAnnots(doc, page, widgetRef, update.put);
  addToAcroForm(doc, widgetRef, update.put, update.alloc);

  const fp = inputFingerprint(source);
  return writeSignaturePlaceholder(doc, {
    objects: update.list(),
    ref: sigRef,
    // ETSI EN 319 142-1 §5.4.3 / ISO 32000-2 Table 255: /Type /DocTimeStamp, /SubFilter /ETSI.RFC3161.
    dictionary: dict({ Type: name('DocTimeStamp'), Filter: name('Adobe.PPKLite'), SubFilter: name('ETSI.RFC3161') }),
    capacity,
    newId: updateId(fp, source.length, options.time ?? new Date(), 'document-timestamp'),
  });
}
