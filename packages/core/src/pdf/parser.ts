import { kysoError } from '../errors/index.js';
import { Cursor, isDelimiter, isRegular, isWhite } from './cursor.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from './objects.js';
import { HexStringDecoder, LiteralStringDecoder, NEED_MORE } from './string-codec.js';

/** Safety limits against hostile files; a breach is `ERR_PDF_LIMIT`. */
export const PARSE_LIMITS = {
  /** Nesting of arrays and dictionaries. */
  depth: 100,
  /** Elements in one array or dictionary. */
  containerSize: 1_000_000,
  /** Bytes of one string or name token. */
  tokenBytes: 32 * 1024 * 1024,
} as const;

/** Resolves an indirect `/Length`; returns null when it cannot. */
export type LengthResolver = (value: PdfValue) => number | null;

type Token =
  | { t: 'value'; v: PdfValue }
  | { t: 'kw'; v: string }
  | { t: 'open'; v: '[' | '<<' }
  | { t: 'close'; v: ']' | '>>' }
  | { t: 'eof' };

const ENDSTREAM = new TextEncoder().encode('endstream');

/** Longest bare keyword or number, and longest name, in bytes: longer ones are malformed (`ERR_PDF_MALFORMED`). */
const MAX_WORD = 256;
const MAX_NAME = 1024;

// ISO 32000-2 §7.2.3: each byte's class, looked up once per byte while scanning.
const REGULAR = 0;
const WHITE = 1;
const DELIMITER = 2;
const CLASS = /* @__PURE__ */ (() => {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = isWhite(b) ? WHITE : isDelimiter(b) ? DELIMITER : REGULAR;
  return t;
})();

/** The first `n` bytes as a string of the same char codes (the tokens read here are short). */
function latin1(bytes: Uint8Array, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/**
 * Parses PDF objects (ISO 32000-2 §7.3) from a cursor. It never evaluates
 * anything, caps sizes and depth, and throws `ERR_PDF_MALFORMED` (or
 * `ERR_PDF_TRUNCATED` at the end of the data) with the offset in the detail.
 */
export class ObjectParser {
  constructor(readonly cur: Cursor, private readonly resolveLength?: LengthResolver) {}

  fail(what: string, at = this.cur.pos): never {
    if (at >= this.cur.length) throw kysoError('ERR_PDF_TRUNCATED', `${what} at offset ${at}`);
    throw kysoError('ERR_PDF_MALFORMED', `${what} at offset ${at}`);
  }

  skipWhite(): void {
    const c = this.cur;
    // Over the cursor's cached bytes, not one peek() per byte; a comment (§7.2.4) may run on into the next read.
    let comment = false;
    for (;;) {
      const piece = c.window();
      if (piece.length === 0) return;
      for (let i = 0; i < piece.length; i++) {
        const b = piece[i]!;
        if (comment) {
          if (b !== 0x0a && b !== 0x0d) continue;
          comment = false;
        } else if (b === 0x25) {
          comment = true;
          continue;
        }
        if (CLASS[b] !== WHITE) {
          c.pos += i;
          return;
        }
      }
      c.pos += piece.length;
    }
  }

  /** Reads a bare keyword or number token (regular characters). */
  private regular(): string {
    const c = this.cur;
    const piece = c.window();
    let i = 0;
    while (i < piece.length && i <= MAX_WORD && CLASS[piece[i]!] === REGULAR) i++;
    // The common case: a short token that ends inside the cached bytes.
    if (i < piece.length && i <= MAX_WORD) {
      c.pos += i;
      return latin1(piece, i);
    }
    let s = '';
    while (isRegular(c.peek())) {
      s += String.fromCharCode(c.next());
      if (s.length > MAX_WORD) this.fail('token too long');
    }
    return s;
  }

  private token(): Token {
    this.skipWhite();
    const c = this.cur;
    const b = c.peek();
    if (b === -1) return { t: 'eof' };
    if (b === 0x2f) return { t: 'value', v: this.nameToken() };
    if (b === 0x28) return { t: 'value', v: this.literalString() };
    if (b === 0x3c) {
      if (c.peek(c.pos + 1) === 0x3c) {
        c.pos += 2;
        return { t: 'open', v: '<<' };
      }
      return { t: 'value', v: this.hexString() };
    }
    if (b === 0x3e) {
      if (c.peek(c.pos + 1) === 0x3e) {
        c.pos += 2;
        return { t: 'close', v: '>>' };
      }
      this.fail('unexpected ">"');
    }
    if (b === 0x5b) {
      c.pos++;
      return { t: 'open', v: '[' };
    }
    if (b === 0x5d) {
      c.pos++;
      return { t: 'close', v: ']' };
    }
    if (b === 0x7b || b === 0x7d) {
      c.pos++;
      return { t: 'kw', v: String.fromCharCode(b) };
    }
    const word = this.regular();
    if (word === '') this.fail(`unexpected byte 0x${b.toString(16)}`);
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) return { t: 'value', v: Number(word) };
    if (word === 'true') return { t: 'value', v: true };
    if (word === 'false') return { t: 'value', v: false };
    if (word === 'null') return { t: 'value', v: null };
    return { t: 'kw', v: word };
  }

  private nameToken(): PdfName {
    const c = this.cur;
    c.pos++; // '/'
    // The common case: a name of plain ASCII without #xx escapes, ending inside the cached bytes; its UTF-8
    // decoding is then the bytes themselves.
    const piece = c.window();
    let i = 0;
    while (i < piece.length && i <= MAX_NAME) {
      const b = piece[i]!;
      if (CLASS[b] !== REGULAR || b === 0x23 || b >= 0x80) break;
      i++;
    }
    if (i < piece.length && i <= MAX_NAME && CLASS[piece[i]!] !== REGULAR) {
      c.pos += i;
      return PdfName.of(latin1(piece, i));
    }
    const bytes: number[] = [];
    while (isRegular(c.peek())) {
      let b = c.next();
      if (b === 0x23) {
        // #xx escape (§7.3.5)
        const h = String.fromCharCode(c.peek(), c.peek(c.pos + 1));
        if (/^[0-9a-fA-F]{2}$/.test(h)) {
          b = parseInt(h, 16);
          c.pos += 2;
        }
      }
      bytes.push(b);
      if (bytes.length > MAX_NAME) this.fail('name too long');
    }
    return PdfName.of(new TextDecoder('utf-8').decode(new Uint8Array(bytes)));
  }

  private literalString(): PdfString {
    const c = this.cur;
    const start = c.pos;
    c.pos++; // '('
    const decoder = new LiteralStringDecoder();
    for (;;) {
      const piece = c.window();
      if (piece.length === 0) this.fail('unterminated string', start);
      const end = decoder.feed(piece);
      if (decoder.length > PARSE_LIMITS.tokenBytes) throw kysoError('ERR_PDF_LIMIT', `string at ${start} too long`);
      if (end !== NEED_MORE) {
        c.pos += end;
        return new PdfString(decoder.result(), false);
      }
      c.pos += piece.length;
    }
  }

  private hexString(): PdfString {
    const c = this.cur;
    const start = c.pos;
    c.pos++; // '<'
    // Sized from where the first '>' lies (a native search), so a long /Contents is not grown by doubling.
    const first = c.window();
    const close = first.indexOf(0x3e);
    const decoder = new HexStringDecoder(true, (close >= 0 ? close : first.length) >> 1);
    for (;;) {
      const piece = c.window();
      if (piece.length === 0) this.fail('unterminated hex string', start);
      const end = decoder.feed(piece);
      if (decoder.length > PARSE_LIMITS.tokenBytes) throw kysoError('ERR_PDF_LIMIT', `hex string at ${start} too long`);
      if (decoder.invalidAt >= 0) this.fail('bad hex digit', c.pos + decoder.invalidAt);
      if (end !== NEED_MORE) {
        c.pos += end;
        return new PdfString(decoder.result(), true);
      }
      c.pos += piece.length;
    }
  }

  /**
   * Parses one direct object at the position, resolving `N G R` references.
   * Iterative with an explicit stack, so nesting cannot overflow the JS stack.
   */
  parseValue(): PdfValue {
    type Frame = { kind: '['; items: PdfValue[] } | { kind: '<<'; items: PdfValue[] };
    const stack: Frame[] = [];
    for (;;) {
      const tok = this.token();
      let value: PdfValue | undefined;
      switch (tok.t) {
        case 'eof':
          this.fail('unexpected end of data');
        // falls through (fail never returns)
        case 'open':
          if (stack.length >= PARSE_LIMITS.depth) throw kysoError('ERR_PDF_LIMIT', `nesting deeper than ${PARSE_LIMITS.depth} at offset ${this.cur.pos}`);
          stack.push({ kind: tok.v, items: [] });
          continue;
        case 'close': {
          const top = stack.pop();
          if (!top || (top.kind === '[' ? ']' : '>>') !== tok.v) this.fail(`unbalanced "${tok.v}"`);
          value = top.kind === '[' ? top.items : toDict(top.items, this);
          break;
        }
        case 'kw':
          if (tok.v === 'R') {
            const frame = stack[stack.length - 1];
            const items = frame?.items;
            const gen = items?.[items.length - 1];
            const num = items?.[items.length - 2];
            if (!items || typeof num !== 'number' || typeof gen !== 'number') this.fail('stray "R"');
            items.length -= 2;
            value = new PdfRef(num, gen);
            break;
          }
          this.fail(`unexpected keyword "${tok.v.slice(0, 20)}"`);
        // falls through
        case 'value':
          value = tok.v;
          break;
      }
      if (value === undefined) continue;
      const top = stack[stack.length - 1];
      if (!top) {
        // A bare number may be the start of "N G R" at top level.
        if (typeof value === 'number') return this.maybeRef(value);
        return value;
      }
      top.items.push(value);
      if (top.items.length > PARSE_LIMITS.containerSize) throw kysoError('ERR_PDF_LIMIT', 'container too large');
    }
  }

  private maybeRef(num: number): PdfValue {
    const c = this.cur;
    const save = c.pos;
    this.skipWhite();
    const genStart = c.pos;
    const gen = this.regular();
    if (/^\d+$/.test(gen) && Number.isInteger(num)) {
      this.skipWhite();
      if (c.peek() === 0x52 && !isRegular(c.peek(c.pos + 1))) {
        c.pos++;
        return new PdfRef(num, Number(gen));
      }
    }
    void genStart;
    c.pos = save;
    return num;
  }

  /** Reads one value, or returns a bare keyword as a string (for xref tables). */
  parseValueOrKeyword(): PdfValue | string {
    this.skipWhite();
    const save = this.cur.pos;
    const word = this.regular();
    if (word !== '' && !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word) && !['true', 'false', 'null'].includes(word)) return word;
    this.cur.pos = save;
    if (word !== '') {
      this.regular();
      return word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : Number(word);
    }
    return this.parseValue();
  }

  /** Expects a keyword at the position (after white space). */
  expectKeyword(word: string): void {
    this.skipWhite();
    const at = this.cur.pos;
    const got = this.regular();
    if (got !== word) this.fail(`expected "${word}"`, at);
  }

  /**
   * Parses `N G obj <value> [stream … endstream] endobj` at the position.
   * Returns the object number, generation and value.
   */
  parseIndirect(): { num: number; gen: number; value: PdfValue } {
    this.skipWhite();
    const at = this.cur.pos;
    const n = this.regular();
    this.skipWhite();
    const g = this.regular();
    this.skipWhite();
    const kw = this.regular();
    if (!/^\d+$/.test(n) || !/^\d+$/.test(g) || kw !== 'obj') this.fail('expected "N G obj"', at);
    let value = this.parseValue();
    this.skipWhite();
    const save = this.cur.pos;
    const next = this.regular();
    if (next === 'stream') {
      if (!(value instanceof PdfDict)) this.fail('stream without dictionary', save);
      value = this.streamBody(value);
    } else {
      this.cur.pos = save;
    }
    return { num: Number(n), gen: Number(g), value };
  }

  /** After the `stream` keyword: §7.3.8.1 requires CRLF or LF before the data. */
  private streamBody(d: PdfDict): PdfStream {
    const c = this.cur;
    if (c.peek() === 0x0d) c.pos++;
    if (c.peek() === 0x0a) c.pos++;
    const start = c.pos;
    let len = this.resolveLength ? this.resolveLength(d.get('Length') ?? null) : null;
    if (len !== null && (len < 0 || !Number.isInteger(len) || start + len > c.length || !this.endstreamAt(start + len))) len = null;
    if (len === null) {
      // Tolerate a wrong /Length by finding "endstream" (as most readers do).
      const end = this.findEndstream(start);
      if (end < 0) this.fail('stream without "endstream"', start);
      let endAbs = end;
      if (endAbs > start && c.peek(endAbs - 1) === 0x0a) endAbs--;
      if (endAbs > start && c.peek(endAbs - 1) === 0x0d) endAbs--;
      len = endAbs - start;
    }
    c.pos = start + len;
    this.skipWhite();
    const kw = this.regular();
    if (kw !== 'endstream') this.fail('expected "endstream"');
    return new PdfStream(d, start, len);
  }

  private endstreamAt(at: number): boolean {
    const c = this.cur;
    let p = at;
    while (p < at + 4 && isWhite(c.peek(p))) p++;
    for (let i = 0; i < ENDSTREAM.length; i++) if (c.peek(p + i) !== ENDSTREAM[i]) return false;
    return true;
  }

  /** Absolute offset of the next "endstream" from `from`, or -1. */
  private findEndstream(from: number): number {
    const step = 1 << 16;
    for (let at = from; at < this.cur.length; at += step - ENDSTREAM.length) {
      const chunk = this.cur.read(at, step);
      outer: for (let i = chunk.indexOf(0x65); i !== -1; i = chunk.indexOf(0x65, i + 1)) {
        for (let j = 1; j < ENDSTREAM.length; j++) if (chunk[i + j] !== ENDSTREAM[j]) continue outer;
        return at + i;
      }
      if (chunk.length < step) break;
    }
    return -1;
  }
}

function toDict(items: PdfValue[], p: ObjectParser): PdfDict {
  if (items.length % 2 !== 0) p.fail('dictionary with an odd number of items');
  const d = new PdfDict();
  for (let i = 0; i < items.length; i += 2) {
    const k = items[i];
    if (!(k instanceof PdfName)) p.fail('dictionary key is not a name');
    d.set(k.name, items[i + 1]!);
  }
  return d;
}

export { isDelimiter };
