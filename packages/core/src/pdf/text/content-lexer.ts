import { isDelimiter, isRegular, isWhite } from '../cursor.js';
import { PdfDict, PdfName, PdfString, type PdfValue } from '../objects.js';
import { HexStringDecoder, LiteralStringDecoder, NEED_MORE } from '../string-codec.js';

/** Bounds that keep one hostile content stream from using unbounded memory. */
export const LEXER_LIMITS = {
  /** Nesting of arrays and dictionaries in one operand. */
  depth: 32,
  /** Elements in one array or dictionary operand. */
  containerSize: 100_000,
  /** Operands kept before an operator; past this they are dropped. */
  operands: 1_000,
} as const;

/**
 * A forgiving lexer for content streams and CMaps (ISO 32000-2 §7.8.2,
 * §9.10.3): it reads operands into an array and returns the next operator.
 * Unlike the object parser it never throws: a byte that cannot start a token
 * is skipped, an unterminated string ends at the end of the data.
 */
export class ContentLexer {
  pos = 0;

  constructor(readonly data: Uint8Array) {}

  /**
   * Reads operands into `operands` (cleared first) up to the next operator and
   * returns the operator, or null at the end of the data.
   */
  nextOperator(operands: PdfValue[]): string | null {
    operands.length = 0;
    for (;;) {
      const t = this.token(0);
      if (t === END) return null;
      if (t instanceof Keyword) return t.word;
      if (t === CLOSE_ARRAY || t === CLOSE_DICT) continue;
      // So many operands without an operator is garbage; drop them rather than grow.
      if (operands.length >= LEXER_LIMITS.operands) operands.length = 0;
      operands.push(t);
    }
  }

  private skipWhite(): void {
    const d = this.data;
    for (;;) {
      const b = d[this.pos];
      if (b === undefined) return;
      if (isWhite(b)) this.pos++;
      else if (b === 0x25) {
        while (this.pos < d.length && d[this.pos] !== 0x0a && d[this.pos] !== 0x0d) this.pos++;
      } else return;
    }
  }

  private token(depth: number): PdfValue | Keyword | typeof END | typeof CLOSE_ARRAY | typeof CLOSE_DICT {
    const d = this.data;
    for (;;) {
      this.skipWhite();
      const b = d[this.pos];
      if (b === undefined) return END;
      switch (b) {
        case 0x2f: return this.name();
        case 0x28: return this.literal();
        case 0x3c:
          if (d[this.pos + 1] === 0x3c) {
            this.pos += 2;
            return this.dictionary(depth);
          }
          return this.hex();
        case 0x3e:
          this.pos += d[this.pos + 1] === 0x3e ? 2 : 1;
          return CLOSE_DICT;
        case 0x5b:
          this.pos++;
          return this.array(depth);
        case 0x5d:
          this.pos++;
          return CLOSE_ARRAY;
        case 0x7b: case 0x7d: case 0x29:
          // PostScript procedure braces (in CMaps) and a stray ")" carry nothing here.
          this.pos++;
          continue;
        default: {
          const start = this.pos;
          while (this.pos < d.length && isRegular(d[this.pos]!)) this.pos++;
          if (this.pos === start) {
            this.pos++;
            continue;
          }
          return this.word(start, this.pos);
        }
      }
    }
  }

  private word(start: number, end: number): PdfValue | Keyword {
    const d = this.data;
    const c = d[start]!;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) return parseNumber(d, start, end);
    if (end - start > 64) return new Keyword('');
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(d[i]!);
    if (s === 'true') return true;
    if (s === 'false') return false;
    if (s === 'null') return null;
    return new Keyword(s);
  }

  private name(): PdfName {
    const d = this.data;
    this.pos++;
    const bytes: number[] = [];
    while (this.pos < d.length && isRegular(d[this.pos]!)) {
      let b = d[this.pos++]!;
      if (b === 0x23 && isHex(d[this.pos]) && isHex(d[this.pos + 1])) {
        b = (hexVal(d[this.pos]!) << 4) | hexVal(d[this.pos + 1]!);
        this.pos += 2;
      }
      if (bytes.length < 256) bytes.push(b);
    }
    return PdfName.of(new TextDecoder('utf-8').decode(new Uint8Array(bytes)));
  }

  private literal(): PdfString {
    return new PdfString(this.decode(new LiteralStringDecoder()));
  }

  private hex(): PdfString {
    return new PdfString(this.decode(new HexStringDecoder(false)), true);
  }

  /** Runs a string decoder from the opening delimiter; an unterminated string ends at the end of the data. */
  private decode(decoder: LiteralStringDecoder | HexStringDecoder): Uint8Array {
    const end = decoder.feed(this.data, this.pos + 1);
    this.pos = end === NEED_MORE ? this.data.length : end;
    return decoder.result();
  }

  private array(depth: number): PdfValue[] {
    const items: PdfValue[] = [];
    for (;;) {
      if (depth >= LEXER_LIMITS.depth) {
        this.skipContainer();
        return items;
      }
      const t = this.token(depth + 1);
      if (t === END || t === CLOSE_ARRAY) return items;
      // A keyword or ">>" inside an array is malformed; readers skip it.
      if (t instanceof Keyword || t === CLOSE_DICT) continue;
      if (items.length < LEXER_LIMITS.containerSize) items.push(t);
    }
  }

  private dictionary(depth: number): PdfDict {
    const items: PdfValue[] = [];
    for (;;) {
      if (depth >= LEXER_LIMITS.depth) {
        this.skipContainer();
        break;
      }
      const t = this.token(depth + 1);
      if (t === END || t === CLOSE_DICT) break;
      if (t instanceof Keyword || t === CLOSE_ARRAY) continue;
      if (items.length < LEXER_LIMITS.containerSize * 2) items.push(t);
    }
    const dict = new PdfDict();
    for (let i = 0; i + 1 < items.length; i += 2) {
      const k = items[i];
      if (k instanceof PdfName) dict.set(k.name, items[i + 1]!);
    }
    return dict;
  }

  /** Past the end of a container nested too deeply, counting brackets flatly (so no recursion). */
  private skipContainer(): void {
    const d = this.data;
    let level = 1;
    while (this.pos < d.length && level > 0) {
      const b = d[this.pos]!;
      if (b === 0x28) {
        this.literal();
        continue;
      }
      if (b === 0x5b || (b === 0x3c && d[this.pos + 1] === 0x3c)) level++;
      else if (b === 0x5d || (b === 0x3e && d[this.pos + 1] === 0x3e)) level--;
      this.pos += b === 0x3c || b === 0x3e ? (d[this.pos + 1] === b ? 2 : 1) : 1;
    }
  }

  /**
   * After `BI`: reads the inline image dictionary up to `ID`, then skips the
   * image data to just past `EI` (ISO 32000-2 §8.9.7). PDF 2.0 gives the data
   * length in /L (or /Length); otherwise the end is the first `EI` that stands
   * between white space and is followed by something that looks like content.
   */
  skipInlineImage(): void {
    const d = this.data;
    const items: PdfValue[] = [];
    for (;;) {
      const t = this.token(0);
      if (t === END) return;
      if (t instanceof Keyword) {
        if (t.word === 'ID') break;
        continue;
      }
      if (t === CLOSE_ARRAY || t === CLOSE_DICT) continue;
      if (items.length < 200) items.push(t);
    }
    // One white-space byte separates ID from the data.
    if (isWhite(d[this.pos] ?? -1)) this.pos++;
    let length: number | undefined;
    for (let i = 0; i + 1 < items.length; i += 2) {
      const k = items[i];
      if (k instanceof PdfName && (k.name === 'L' || k.name === 'Length') && typeof items[i + 1] === 'number') length = items[i + 1] as number;
    }
    if (length !== undefined && Number.isInteger(length) && length >= 0) {
      const end = this.pos + length;
      let p = end;
      while (p < d.length && isWhite(d[p]!)) p++;
      if (d[p] === 0x45 && d[p + 1] === 0x49 && !isRegular(d[p + 2] ?? 0x20)) {
        this.pos = p + 2;
        return;
      }
    }
    for (let p = this.pos; p + 1 < d.length; p++) {
      if (d[p] !== 0x45 || d[p + 1] !== 0x49) continue;
      if (p > this.pos && !isWhite(d[p - 1]!)) continue;
      const after = d[p + 2];
      if (after !== undefined && !isWhite(after) && !isDelimiter(after)) continue;
      if (!looksLikeContent(d, p + 2)) continue;
      this.pos = p + 2;
      return;
    }
    this.pos = d.length;
  }
}

class Keyword {
  constructor(readonly word: string) {}
}
const END = Symbol('end');
const CLOSE_ARRAY = Symbol(']');
const CLOSE_DICT = Symbol('>>');

function isHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));
}

function hexVal(b: number): number {
  return b <= 0x39 ? b - 0x30 : b <= 0x46 ? b - 55 : b - 87;
}

/** Numbers as readers accept them: a sign, digits and one point; junk after them is ignored. */
function parseNumber(d: Uint8Array, start: number, end: number): number {
  let i = start;
  let neg = false;
  while (i < end && (d[i] === 0x2b || d[i] === 0x2d)) {
    if (d[i] === 0x2d) neg = !neg;
    i++;
  }
  let v = 0;
  let scale = 0;
  for (; i < end; i++) {
    const c = d[i]!;
    if (c >= 0x30 && c <= 0x39) {
      v = v * 10 + (c - 0x30);
      if (scale) scale *= 10;
    } else if (c === 0x2e && !scale) {
      scale = 1;
    } else break;
  }
  if (scale > 1) v /= scale;
  if (!Number.isFinite(v)) v = 0;
  return neg ? -v : v;
}

/** True when the bytes after a candidate `EI` look like content-stream text, not binary image data. */
function looksLikeContent(d: Uint8Array, from: number): boolean {
  const end = Math.min(d.length, from + 16);
  for (let i = from; i < end; i++) {
    const b = d[i]!;
    if (b > 0x7e || (b < 0x20 && !isWhite(b))) return false;
  }
  return true;
}
