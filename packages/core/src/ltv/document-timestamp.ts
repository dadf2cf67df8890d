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
import { addToAcroForm, addToPageAnnots, type Put } from '../pdf/form-update.js';
import { buildIncrement, ObjectAllocator, type UpdateObject } from '../pdf/incremental-writer.js';
import { dict, name, PdfDict, PdfStream, textString } from '../pdf/objects.js';
import { serializeValue } from '../pdf/serialize.js';
import { streamRanges } from '../pdf/stream-ranges.js';
import { listFields } from '../pdf/fields.js';
import { TIMESTAMP_RESERVE } from '../sign/contents-size.js';
import { digestOf, inputFingerprint } from '../sign/fingerprint.js';
import type { FetchLike, TimestampOptions } from '../sign/options.js';
import { ascii, indexOfBytes, toHex } from '../util/bytes.js';

/** Width of the /ByteRange placeholder: four integers up to 10^15, as for signatures. */
const BYTERANGE_WIDTH = 4 * 17;

/** Options of {@link documentTimestampIncrement}. */
export interface DocumentTimestampOptions {
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
  const doc = PdfDocument.open(source, { password: options.password });
  for (let attempt = 0; ; attempt++) {
    const placed = placeholder(doc, source, capacity, options);
    const engine = createHashEngine(hash);
    await streamRanges(source, [0, source.length], (c) => engine.update(c), { signal: options.signal });
    engine.update(placed.bytes.subarray(0, placed.contentsStart));
    engine.update(placed.bytes.subarray(placed.contentsEnd));
    const fetchFn: FetchLike | undefined = ts.fetch;
    if (typeof fetchFn !== 'function') throw kysoError('ERR_INVALID_ARGUMENT', 'options.timestamp.fetch is required: core reaches the TSA only through an injected fetch');
    const token = await requestTimestamp({
      url: ts.url, fetch: fetchFn, imprint: engine.digest(), hash, timeoutMs: ts.timeoutMs ?? 15_000,
      policy: ts.policy, headers: ts.headers, signal: options.signal,
    });
    if (token.length <= capacity) {
      placed.bytes.set(ascii(toHex(token).toUpperCase()), placed.contentsStart + 1);
      return placed.bytes;
    }
    if (attempt > 0 || options.contentsSize !== undefined) {
      throw kysoError('ERR_SIG_CONTENTS_TOO_SMALL', `${token.length} bytes needed, ${capacity} reserved`);
    }
    capacity = token.length + 2048;
  }
}

/** The update with an empty token placeholder and its ByteRange filled in. */
function placeholder(doc: PdfDocument, source: ByteSource, capacity: number, options: DocumentTimestampOptions) {
  const alloc = new ObjectAllocator(doc.size);
  const updates = new Map<number, UpdateObject>();
  const put: Put = (ref, value) => updates.set(ref.num, { num: ref.num, gen: ref.gen, value });
  const sigRef = alloc.next();
  const widgetRef = alloc.next();
  const apRef = alloc.next();
  const page = doc.page(1);
  if (!page) throw kysoError('ERR_PDF_PAGE_NOT_FOUND', 'the document has no page for the timestamp field');
  const names = new Set(listFields(doc).map((f) => f.name));
  let fieldName = options.fieldName;
  if (fieldName === undefined) for (let i = 1; names.has((fieldName = `DocTimeStamp${i}`)); i++);
  else if (names.has(fieldName)) throw kysoError('ERR_INVALID_ARGUMENT', `a field named "${fieldName}" already exists`);

  // An invisible field merged with its widget (ISO 32000-2 §12.7.5.5), with an empty appearance (§12.5.5).
  put(apRef, new PdfStream(dict({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, 0, 0] }), -1, 0, new Uint8Array(0)));
  put(widgetRef, dict({
    Type: name('Annot'), Subtype: name('Widget'), FT: name('Sig'), T: textString(fieldName!), Rect: [0, 0, 0, 0],
    F: 132, P: page.ref, AP: dict({ N: apRef }), V: sigRef,
  }));
  addToPageAnnots(doc, page, widgetRef, put);
  addToAcroForm(doc, widgetRef, put, alloc);

  // ETSI EN 319 142-1 §5.4.3 / ISO 32000-2 Table 255: /Type /DocTimeStamp, /SubFilter /ETSI.RFC3161.
  const sig = dict({ Type: name('DocTimeStamp'), Filter: name('Adobe.PPKLite'), SubFilter: name('ETSI.RFC3161') });
  const sigOut = doc.encryption ? (doc.encryption.encryptObject(sigRef.num, sigRef.gen, sig) as PdfDict) : sig;
  const head = new TextDecoder('latin1').decode(serializeValue(sigOut)).slice(2, -2);
  // /Contents is never encrypted (§7.6.2), so it is written in the clear after the other entries.
  updates.set(sigRef.num, { num: sigRef.num, body: ascii(`<<${head}/ByteRange [${' '.repeat(BYTERANGE_WIDTH)}]/Contents <${'0'.repeat(capacity * 2)}>>>`) });

  const time = options.time ?? new Date();
  const fp = inputFingerprint(source);
  const newId = digestOf('SHA-256', ascii(`doc-ts${fp.headSha256}${fp.tailSha256}${source.length}${time.toISOString()}`)).subarray(0, 16);
  const lastByte = source.length ? source.read(source.length - 1, 1)[0]! : 0;
  const inc = buildIncrement(doc, [...updates.values()], { newId, lastByte });
  const bytes = inc.bytes;
  const sigStart = inc.bodyOffsets.get(sigRef.num)!;
  const contentsStart = indexOfBytes(bytes, ascii('/Contents <'), sigStart) + '/Contents '.length;
  const brAt = indexOfBytes(bytes, ascii('/ByteRange ['), sigStart) + '/ByteRange ['.length;
  const contentsEnd = contentsStart + 2 + capacity * 2;
  const a = source.length + contentsStart;
  const b = source.length + contentsEnd;
  const total = source.length + bytes.length;
  const br = `0 ${a} ${b} ${total - b}`;
  if (br.length > BYTERANGE_WIDTH) throw kysoError('ERR_PDF_LIMIT', 'file too large for the ByteRange placeholder');
  bytes.set(ascii(br.padEnd(BYTERANGE_WIDTH, ' ')), brAt);
  return { bytes, contentsStart, contentsEnd };
}
