import { Inflate } from 'fflate';
import { kysoError } from '../errors/index.js';
import { concatBytes } from '../util/bytes.js';
import { PdfDict, PdfName, type PdfValue } from './objects.js';

/** Largest decoded stream kyso will produce while parsing structure (xref and object streams). */
export const MAX_DECODED_BYTES = 256 * 1024 * 1024;

/**
 * Decodes a stream's data through its /Filter chain (ISO 32000-2 §7.4). Only
 * the filters structural streams use are supported: FlateDecode (with PNG and
 * TIFF predictors, §7.4.4.4). Output is capped, so a deflate bomb is refused.
 */
export function decodeStream(dict: PdfDict, raw: Uint8Array, limit = MAX_DECODED_BYTES): Uint8Array {
  const filters = asArray(dict.get('Filter'));
  const parms = asArray(dict.get('DecodeParms'));
  let data = raw;
  filters.forEach((f, i) => {
    if (!(f instanceof PdfName)) throw kysoError('ERR_PDF_MALFORMED', 'bad /Filter');
    if (f.name !== 'FlateDecode' && f.name !== 'Fl') {
      throw kysoError('ERR_PDF_UNSUPPORTED', `stream filter ${f.name} in a structural stream`);
    }
    data = inflateCapped(data, limit);
    const p = parms[i];
    if (p instanceof PdfDict) data = unpredict(data, p);
  });
  return data;
}

function asArray(v: PdfValue | undefined): PdfValue[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function inflateCapped(data: Uint8Array, limit: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  let failed: unknown = null;
  const inf = new Inflate((chunk) => {
    size += chunk.length;
    if (size > limit) throw kysoError('ERR_PDF_LIMIT', `decoded stream larger than ${limit} bytes`);
    parts.push(chunk);
  });
  // A zlib header is expected (§7.4.4); tolerate a missing one by trying raw deflate.
  const body = data.length >= 2 && (data[0]! & 0x0f) === 8 && ((data[0]! << 8) | data[1]!) % 31 === 0 ? data.subarray(2) : data;
  try {
    inf.push(body, true);
  } catch (e) {
    if (e instanceof Error && 'code' in e && (e as { code: unknown }).code === 'ERR_PDF_LIMIT') throw e;
    failed = e;
  }
  if (failed && size === 0) throw kysoError('ERR_PDF_MALFORMED', 'corrupt Flate data', failed);
  return concatBytes(parts);
}

function unpredict(data: Uint8Array, p: PdfDict): Uint8Array {
  const predictor = num(p.get('Predictor'), 1);
  if (predictor === 1) return data;
  const colors = num(p.get('Colors'), 1);
  const bpc = num(p.get('BitsPerComponent'), 8);
  const columns = num(p.get('Columns'), 1);
  // §7.4.4.4 Table 10: Colors and Columns are positive integers, BitsPerComponent 1, 2, 4, 8 or 16.
  // Anything else made a negative or non-integer row length (a RangeError, found by fuzzing).
  if (!Number.isSafeInteger(colors) || colors < 1 || !Number.isSafeInteger(columns) || columns < 1 || ![1, 2, 4, 8, 16].includes(bpc)) {
    throw kysoError('ERR_PDF_MALFORMED', `bad predictor parameters: /Colors ${colors} /BitsPerComponent ${bpc} /Columns ${columns}`);
  }
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((colors * bpc * columns) / 8);
  // A row longer than the data holds no complete row; refusing it also keeps a huge /Columns from allocating a huge row buffer.
  if (rowLen > data.length) throw kysoError('ERR_PDF_MALFORMED', `predictor row of ${rowLen} bytes in ${data.length} bytes of data`);
  if (predictor === 2) {
    if (bpc !== 8) throw kysoError('ERR_PDF_UNSUPPORTED', 'TIFF predictor with bits per component other than 8');
    const out = data.slice();
    for (let r = 0; r + rowLen <= out.length; r += rowLen) {
      for (let i = bpp; i < rowLen; i++) out[r + i] = (out[r + i]! + out[r + i - bpp]!) & 0xff;
    }
    return out;
  }
  if (predictor < 10) throw kysoError('ERR_PDF_UNSUPPORTED', `predictor ${predictor}`);
  // PNG predictors: each row starts with its filter type byte (RFC 2083 §6).
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = new Uint8Array(rows * rowLen);
  const prev = new Uint8Array(rowLen);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)]!;
    const src = data.subarray(r * (rowLen + 1) + 1, (r + 1) * (rowLen + 1));
    const row = out.subarray(r * rowLen, (r + 1) * rowLen);
    for (let i = 0; i < rowLen; i++) {
      const a = i >= bpp ? row[i - bpp]! : 0;
      const b = prev[i]!;
      const c = i >= bpp ? prev[i - bpp]! : 0;
      let x = src[i]!;
      switch (type) {
        case 0: break;
        case 1: x += a; break;
        case 2: x += b; break;
        case 3: x += (a + b) >> 1; break;
        case 4: {
          const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
          x += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: throw kysoError('ERR_PDF_MALFORMED', `PNG predictor row type ${type}`);
      }
      row[i] = x & 0xff;
    }
    prev.set(row);
  }
  return out;
}

function num(v: PdfValue | undefined, dflt: number): number {
  return typeof v === 'number' ? v : dflt;
}
