import { memorySource } from '../../src/pdf/byte-source.js';
import { PdfDocument } from '../../src/pdf/document.js';
import { buildIncrement, type UpdateObject } from '../../src/pdf/incremental-writer.js';
import { dict, PdfRef, PdfStream, type PdfValue } from '../../src/pdf/objects.js';
import { concatBytes } from '../../src/util/bytes.js';
import { latin1 } from '../pdf/minimal-pdf.js';

/** An in-memory stream object with the given dictionary entries and data. */
export function stream(entries: Record<string, PdfValue>, data: string | Uint8Array): PdfStream {
  const bytes = typeof data === 'string' ? latin1(data) : data;
  return new PdfStream(dict(entries), -1, bytes.length, bytes);
}

/**
 * Appends one incremental update (ISO 32000-2 §7.5.6) made by `make`, which may
 * read the current document and allocate new object numbers with `next`.
 */
export function appendUpdate(bytes: Uint8Array, make: (doc: PdfDocument, next: () => PdfRef) => UpdateObject[]): Uint8Array {
  const doc = PdfDocument.open(memorySource(bytes));
  let n = doc.size;
  const objects = make(doc, () => new PdfRef(n++, 0));
  const inc = buildIncrement(doc, objects, { newId: new Uint8Array(16).fill(7), lastByte: bytes[bytes.length - 1]! });
  return concatBytes([bytes, inc.bytes]);
}
