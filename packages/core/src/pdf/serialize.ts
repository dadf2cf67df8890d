import { kysoError } from '../errors/index.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from './objects.js';

/** A growable byte buffer for building PDF syntax. */
export class ByteWriter {
  private buf = new Uint8Array(4096);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  /** Writes 7-bit text (PDF syntax). */
  text(s: string): this {
    this.ensure(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.length++] = s.charCodeAt(i) & 0xff;
    return this;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/**
 * Formats a number as PDF syntax (§7.3.3: no exponent). Six decimals are
 * enough for what kyso computes; a value that needs more (one read from the
 * file and written back, e.g. a page's /MediaBox rewritten with new /Annots)
 * keeps every digit, or the rewrite would read as a change to the object.
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw kysoError('ERR_INVALID_ARGUMENT', `non-finite number ${n} in PDF output`);
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  let s = n.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
  if (Number(s) !== n) {
    const shortest = String(n); // the shortest text that reads back as n (ECMA-262 Number::toString)
    s = /e/i.test(shortest) ? n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '') : shortest;
  }
  if (s === '-0') s = '0';
  return s;
}

const NAME_REGULAR = /^[!-~]$/;
const NAME_DELIMS = '()<>[]{}/%#';

function writeName(w: ByteWriter, name: string): void {
  w.text('/');
  for (const b of new TextEncoder().encode(name)) {
    const ch = String.fromCharCode(b);
    if (NAME_REGULAR.test(ch) && !NAME_DELIMS.includes(ch)) w.text(ch);
    else w.text('#' + b.toString(16).padStart(2, '0').toUpperCase());
  }
}

function writeString(w: ByteWriter, s: PdfString): void {
  const b = s.bytes;
  const printable = !s.hex && b.every((c) => c >= 0x20 && c < 0x7f);
  if (!printable) {
    w.text('<');
    let hex = '';
    for (const c of b) hex += c.toString(16).padStart(2, '0');
    w.text(hex).text('>');
    return;
  }
  w.text('(');
  for (const c of b) {
    if (c === 0x28 || c === 0x29 || c === 0x5c) w.text('\\');
    w.text(String.fromCharCode(c));
  }
  w.text(')');
}

/** Writes a value as PDF syntax. Streams write their in-memory data with a fresh /Length. */
export function writeValue(w: ByteWriter, v: PdfValue, depth = 0): void {
  if (depth > 100) throw kysoError('ERR_PDF_LIMIT', 'object nesting too deep to write');
  if (v === null) w.text('null');
  else if (typeof v === 'boolean') w.text(v ? 'true' : 'false');
  else if (typeof v === 'number') w.text(formatNumber(v));
  else if (v instanceof PdfName) writeName(w, v.name);
  else if (v instanceof PdfString) writeString(w, v);
  else if (v instanceof PdfRef) w.text(`${v.num} ${v.gen} R`);
  else if (Array.isArray(v)) {
    w.text('[');
    v.forEach((x, i) => {
      if (i) w.text(' ');
      writeValue(w, x, depth + 1);
    });
    w.text(']');
  } else if (v instanceof PdfDict) {
    w.text('<<');
    for (const [k, x] of v.map) {
      writeName(w, k);
      w.text(' ');
      writeValue(w, x, depth + 1);
    }
    w.text('>>');
  } else if (v instanceof PdfStream) {
    if (!v.data) throw kysoError('ERR_INVALID_ARGUMENT', 'cannot write a stream whose data is not in memory');
    const d = v.dict.clone().set('Length', v.data.length);
    writeValue(w, d, depth + 1);
    w.text('\nstream\n').bytes(v.data).text('\nendstream');
  }
}

export function serializeValue(v: PdfValue): Uint8Array {
  const w = new ByteWriter();
  writeValue(w, v);
  return w.result();
}
