import type { PdfDocument } from '../document.js';
import { decodeStream } from '../filters.js';
import { dict, PdfDict, PdfName, PdfStream, type PdfValue } from '../objects.js';

/** Largest decoded content kept for one stream (content, form XObject or CMap). */
export const MAX_CONTENT_BYTES = 64 * 1024 * 1024;

/**
 * Decodes a content, form or CMap stream for reading (ISO 32000-2 §7.4):
 * FlateDecode through the shared decoder, plus ASCIIHexDecode and
 * ASCII85Decode, which older writers put in front of it. Returns undefined
 * for other filters or damaged data: text search is best effort.
 */
export function decodeContent(doc: PdfDocument, s: PdfStream, limit = MAX_CONTENT_BYTES): Uint8Array | undefined {
  try {
    let data = s.data ?? doc.source.read(s.dataOffset, s.dataLength);
    const f = doc.resolve(s.dict.get('Filter'));
    const p = doc.resolve(s.dict.get('DecodeParms'));
    const filters = f === null ? [] : Array.isArray(f) ? f : [f];
    const parms = Array.isArray(p) ? p : [p];
    for (let i = 0; i < filters.length; i++) {
      const name = filters[i] instanceof PdfName ? (filters[i] as PdfName).name : '';
      if (name === 'ASCIIHexDecode' || name === 'AHx') data = asciiHex(data);
      else if (name === 'ASCII85Decode' || name === 'A85') data = ascii85(data);
      else if (name === 'FlateDecode' || name === 'Fl') {
        const parm: PdfValue = parms[i] ?? null;
        const d = dict({ Filter: PdfName.of('FlateDecode') });
        if (parm instanceof PdfDict) d.set('DecodeParms', parm);
        data = decodeStream(d, data, limit);
      } else return undefined;
      if (data.length > limit) return undefined;
    }
    return data.length > limit ? undefined : data;
  } catch {
    return undefined;
  }
}

/** §7.4.2 */
function asciiHex(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(src.length / 2));
  let n = 0;
  let hi = -1;
  for (const b of src) {
    if (b === 0x3e) break;
    const v = b >= 0x30 && b <= 0x39 ? b - 0x30 : b >= 0x41 && b <= 0x46 ? b - 55 : b >= 0x61 && b <= 0x66 ? b - 87 : -1;
    if (v < 0) continue;
    if (hi < 0) hi = v;
    else {
      out[n++] = (hi << 4) | v;
      hi = -1;
    }
  }
  if (hi >= 0) out[n++] = hi << 4;
  return out.subarray(0, n);
}

/** §7.4.3 */
function ascii85(src: Uint8Array): Uint8Array {
  // 'z' turns one byte into four; writes past the cap are dropped by the typed array.
  const out = new Uint8Array(Math.min(src.length * 4 + 4, MAX_CONTENT_BYTES + 4));
  let n = 0;
  const group: number[] = [];
  const flush = (count: number) => {
    while (group.length < 5) group.push(84); // pad with 'u'
    let v = 0;
    for (const g of group) v = v * 85 + g;
    for (let k = 0; k < count - 1; k++) out[n++] = (v >>> (24 - 8 * k)) & 0xff;
    group.length = 0;
  };
  let i = 0;
  if (src[0] === 0x3c && src[1] === 0x7e) i = 2; // optional "<~"
  for (; i < src.length; i++) {
    const b = src[i]!;
    if (b === 0x7e) break; // "~>"
    if (b === 0x7a && group.length === 0) {
      out[n++] = 0; out[n++] = 0; out[n++] = 0; out[n++] = 0;
      continue;
    }
    if (b < 0x21 || b > 0x75) continue;
    group.push(b - 0x21);
    if (group.length === 5) flush(5);
  }
  if (group.length > 1) flush(group.length);
  return out.subarray(0, n);
}
