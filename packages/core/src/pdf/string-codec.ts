/**
 * Decoding of PDF string tokens (ISO 32000-2 §7.3.4): literal strings with
 * their escapes and balanced parentheses (§7.3.4.2), and hexadecimal strings
 * (§7.3.4.3). One codec for the object parser (strict: a bad hex digit is an
 * error) and the content-stream lexer (forgiving: it is skipped), so the two
 * readers can never disagree on what a string's bytes are.
 *
 * Both decoders are resumable: `feed` takes the bytes that follow the opening
 * delimiter in as many pieces as the caller has (the object parser reads a
 * file 64 KiB at a time, a string may straddle two reads), and each piece is
 * scanned in one pass over a `Uint8Array`, never one method call per byte.
 */
import { isWhite } from './cursor.js';

/** Nibble value of each byte: 0–15 for a hex digit, -1 for anything else. */
const HEX_VALUE = /* @__PURE__ */ (() => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) t[0x30 + i] = i;
  for (let i = 0; i < 6; i++) {
    t[0x41 + i] = 10 + i;
    t[0x61 + i] = 10 + i;
  }
  return t;
})();

/** What `feed` returns when it consumed every byte it was given without reaching the string's end. */
export const NEED_MORE = -1;

/** A byte buffer that grows by doubling: strings in PDFs can be megabytes (a /Contents of many certificates). */
class GrowableBytes {
  private buf: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  push(b: number): void {
    if (this.length === this.buf.length) this.reserve(1);
    this.buf[this.length++] = b;
  }

  /** Room for `n` more bytes; returns the buffer to write them at `length` directly. */
  room(n: number): Uint8Array {
    this.reserve(n);
    return this.buf;
  }

  append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

// Literal-string escape states (§7.3.4.2 Table 3).
const PLAIN = 0;
/** After a REVERSE SOLIDUS. */
const ESCAPE = 1;
/** After `\` CR: a LF right after belongs to the same line break and is dropped too. */
const ESCAPED_CR = 2;
/** Inside `\ddd`, one or two digits read. */
const OCTAL = 3;

/**
 * Decodes the body of a literal string, from the byte after its opening `(`.
 * Escapes per §7.3.4.2 Table 3: `\n \r \t \b \f \( \) \\`, `\ddd` (one to
 * three octal digits, high-order overflow ignored), `\` before an end of line
 * (the line continues, the break is not part of the string); a `\` before any
 * other byte is dropped. Unescaped parentheses must balance; they are kept.
 */
export class LiteralStringDecoder {
  private readonly out: GrowableBytes;
  private depth = 1;
  private state = PLAIN;
  private octalDigits = 0;
  private octalValue = 0;

  constructor(capacity = 64) {
    this.out = new GrowableBytes(capacity);
  }

  /** Bytes decoded so far. */
  get length(): number {
    return this.out.length;
  }

  /**
   * Decodes `data[from, to)`. Returns the index just past the closing `)`, or
   * {@link NEED_MORE} when every byte was consumed without reaching it.
   */
  feed(data: Uint8Array, from = 0, to = data.length): number {
    const out = this.out;
    let i = from;
    while (i < to) {
      const state = this.state;
      if (state === PLAIN) {
        // The common case: a run of bytes that need nothing, copied at once.
        const runStart = i;
        let b = data[i]!;
        while (b !== 0x5c && b !== 0x28 && b !== 0x29) {
          if (++i === to) break;
          b = data[i]!;
        }
        if (i > runStart) out.append(data.subarray(runStart, i));
        if (i === to) break;
        i++;
        if (b === 0x5c) this.state = ESCAPE;
        else if (b === 0x28) {
          this.depth++;
          out.push(b);
        } else if (--this.depth === 0) {
          return i;
        } else {
          out.push(b);
        }
        continue;
      }
      const b = data[i]!;
      if (state === OCTAL) {
        if (b >= 0x30 && b <= 0x37) {
          this.octalValue = this.octalValue * 8 + (b - 0x30);
          i++;
          if (++this.octalDigits < 3) continue;
        }
        out.push(this.octalValue & 0xff);
        this.state = PLAIN;
        continue;
      }
      if (state === ESCAPED_CR) {
        if (b === 0x0a) i++;
        this.state = PLAIN;
        continue;
      }
      // ESCAPE
      i++;
      this.state = PLAIN;
      switch (b) {
        case 0x6e: out.push(0x0a); break;
        case 0x72: out.push(0x0d); break;
        case 0x74: out.push(0x09); break;
        case 0x62: out.push(0x08); break;
        case 0x66: out.push(0x0c); break;
        case 0x0d: this.state = ESCAPED_CR; break;
        case 0x0a: break;
        default:
          if (b >= 0x30 && b <= 0x37) {
            this.state = OCTAL;
            this.octalDigits = 1;
            this.octalValue = b - 0x30;
          } else {
            // `\(`, `\)`, `\\` and any other byte stand for themselves.
            out.push(b);
          }
      }
    }
    return NEED_MORE;
  }

  /**
   * The decoded bytes. Call after `feed` returned the end, or at the end of
   * the data for a forgiving reader: an octal escape cut by the end still
   * counts, a `\` alone at the end is dropped.
   */
  result(): Uint8Array {
    if (this.state === OCTAL) {
      this.out.push(this.octalValue & 0xff);
      this.state = PLAIN;
    }
    return this.out.result();
  }
}

/**
 * Decodes the body of a hexadecimal string, from the byte after its opening
 * `<` (§7.3.4.3): white space is ignored, an odd final digit is followed by
 * an implied 0. `strict` (the object parser) stops at any other byte and
 * reports it in {@link invalidAt}; otherwise (content streams) it is skipped.
 */
export class HexStringDecoder {
  private readonly out: GrowableBytes;
  private high = -1;
  /** Index (in the piece fed last) of the byte that is neither a hex digit nor white space; -1 if none. */
  invalidAt = -1;

  constructor(private readonly strict: boolean, capacity = 64) {
    this.out = new GrowableBytes(capacity);
  }

  /** Bytes decoded so far. */
  get length(): number {
    return this.out.length;
  }

  /**
   * Decodes `data[from, to)`. Returns the index just past the closing `>`, or
   * {@link NEED_MORE} when every byte was consumed without reaching it (or,
   * strict, when it stopped at a bad byte: see {@link invalidAt}).
   */
  feed(data: Uint8Array, from = 0, to = data.length): number {
    const out = this.out;
    const strict = this.strict;
    let high = this.high;
    for (let i = from; i < to; i++) {
      if (high < 0 && i + 1 < to) {
        // The common case, two digits in a row: one byte out per pair, written straight into the buffer.
        const buf = out.room((to - i) >> 1);
        let n = out.length;
        let a = HEX_VALUE[data[i]!]!;
        let b = HEX_VALUE[data[i + 1]!]!;
        while ((a | b) >= 0) {
          buf[n++] = (a << 4) | b;
          i += 2;
          if (i + 1 >= to) break;
          a = HEX_VALUE[data[i]!]!;
          b = HEX_VALUE[data[i + 1]!]!;
        }
        out.length = n;
        if (i >= to) break;
      }
      const b = data[i]!;
      const v = HEX_VALUE[b]!;
      if (v >= 0) {
        if (high < 0) high = v;
        else {
          out.push((high << 4) | v);
          high = -1;
        }
        continue;
      }
      if (b === 0x3e) {
        this.high = high;
        return i + 1;
      }
      if (strict && !isWhite(b)) {
        this.high = high;
        this.invalidAt = i;
        return NEED_MORE;
      }
    }
    this.high = high;
    return NEED_MORE;
  }

  /** The decoded bytes; an odd final digit counts as its high nibble (§7.3.4.3). */
  result(): Uint8Array {
    if (this.high >= 0) {
      this.out.push(this.high << 4);
      this.high = -1;
    }
    return this.out.result();
  }
}
