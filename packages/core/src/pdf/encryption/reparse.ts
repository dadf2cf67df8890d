import { Cursor } from '../cursor.js';
import { PdfStream, type PdfValue } from '../objects.js';
import { ObjectParser } from '../parser.js';

const enc = new TextEncoder();

/**
 * Parses an object body serialised elsewhere (the bytes between `N G obj`
 * and `endobj`, e.g. pdf-lib's output for appearance objects) back into a
 * value, with a stream's data copied into memory. Used to send such objects
 * through the encrypting writer (ISO 32000-2 §7.6.2).
 */
export function parseObjectBody(body: Uint8Array): PdfValue {
  const head = enc.encode('0 0 obj\n');
  const tail = enc.encode('\nendobj\n');
  const buf = new Uint8Array(head.length + body.length + tail.length);
  buf.set(head);
  buf.set(body, head.length);
  buf.set(tail, head.length + body.length);
  const cur = new Cursor({ length: buf.length, read: (o, l) => buf.subarray(o, o + l) });
  const parser = new ObjectParser(cur, (v) => (typeof v === 'number' ? v : null));
  const { value } = parser.parseIndirect();
  if (value instanceof PdfStream) {
    return new PdfStream(value.dict, -1, 0, buf.slice(value.dataOffset, value.dataOffset + value.dataLength));
  }
  return value;
}
