import { PdfString, type PdfValue } from '../objects.js';
import { ContentLexer } from './content-lexer.js';

/** Bounds for one CMap, so a hostile one cannot allocate without end. */
export const CMAP_LIMITS = {
  /** Mappings expanded into lookup tables; larger ranges stay as ranges. */
  expanded: 1 << 18,
  /** Largest range expanded entry by entry. */
  expandRange: 256,
  /** Ranges kept unexpanded. */
  ranges: 10_000,
  /** Operators read from one CMap. */
  operators: 1_000_000,
} as const;

interface CodeSpace {
  readonly len: number;
  readonly lo: readonly number[];
  readonly hi: readonly number[];
}

interface Range<T> {
  readonly len: number;
  readonly lo: number;
  readonly hi: number;
  readonly value: T;
}

type UnicodeTarget = { readonly base: string } | { readonly list: readonly (string | undefined)[] };

const key = (code: number, len: number) => code + len * 2 ** 32;

/**
 * A CMap (ISO 32000-2 §9.7.5, §9.10.3): how a shown string splits into codes
 * (codespace ranges of 1 to 4 bytes), and what each code means — a CID
 * (cidchar/cidrange) or Unicode text (bfchar/bfrange, in a /ToUnicode CMap).
 */
export class CMap {
  readonly codespaces: CodeSpace[] = [];
  private readonly unicodeMap = new Map<number, string>();
  private readonly unicodeAnyLen = new Map<number, string>();
  private readonly unicodeRanges: Range<UnicodeTarget>[] = [];
  private readonly cidMap = new Map<number, number>();
  private readonly cidRanges: Range<number>[] = [];
  private expanded = 0;
  /** Set for the predefined Identity-H/V: every 2-byte code is its own CID. */
  identity = false;

  /** Splits off the code at `pos` (§9.7.6.2); at least one byte is always consumed. */
  nextCode(bytes: Uint8Array, pos: number): { code: number; len: number } {
    const spaces = this.codespaces;
    if (spaces.length === 0) {
      const len = this.identity ? Math.min(2, bytes.length - pos) : 1;
      return { code: readCode(bytes, pos, len), len };
    }
    for (let len = 1; len <= 4 && pos + len <= bytes.length; len++) {
      for (const s of spaces) {
        if (s.len !== len) continue;
        let ok = true;
        for (let i = 0; i < len && ok; i++) ok = bytes[pos + i]! >= s.lo[i]! && bytes[pos + i]! <= s.hi[i]!;
        if (ok) return { code: readCode(bytes, pos, len), len };
      }
    }
    // No full match: take the length of a range whose first byte matches, else the shortest one.
    const first = spaces.find((s) => bytes[pos]! >= s.lo[0]! && bytes[pos]! <= s.hi[0]!);
    const len = Math.max(1, Math.min(bytes.length - pos, first ? first.len : Math.min(...spaces.map((s) => s.len))));
    return { code: readCode(bytes, pos, len), len };
  }

  /** The Unicode text of a code, if this CMap maps it. */
  unicode(code: number, len: number): string | undefined {
    const direct = this.unicodeMap.get(key(code, len));
    if (direct !== undefined) return direct;
    for (const r of this.unicodeRanges) {
      if (r.len !== len || code < r.lo || code > r.hi) continue;
      const t = r.value;
      return 'base' in t ? offsetText(t.base, code - r.lo) : t.list[code - r.lo];
    }
    // Some writers use a different code length in /ToUnicode than in the font encoding.
    return this.unicodeAnyLen.get(code);
  }

  /** The CID of a code (Identity: the code itself). */
  cid(code: number, len: number): number | undefined {
    if (this.identity) return code;
    const direct = this.cidMap.get(key(code, len));
    if (direct !== undefined) return direct;
    for (const r of this.cidRanges) if (r.len === len && code >= r.lo && code <= r.hi) return r.value + (code - r.lo);
    return undefined;
  }

  /** True when the CMap maps any code to Unicode. */
  get hasUnicode(): boolean {
    return this.unicodeMap.size > 0 || this.unicodeRanges.length > 0;
  }

  addCodespace(lo: Uint8Array, hi: Uint8Array): void {
    if (lo.length < 1 || lo.length > 4 || lo.length !== hi.length || this.codespaces.length >= 256) return;
    this.codespaces.push({ len: lo.length, lo: [...lo], hi: [...hi] });
  }

  addUnicode(code: Uint8Array, text: string): void {
    if (code.length < 1 || code.length > 4 || this.expanded >= CMAP_LIMITS.expanded) return;
    this.expanded++;
    const c = readCode(code, 0, code.length);
    this.unicodeMap.set(key(c, code.length), text);
    if (!this.unicodeAnyLen.has(c)) this.unicodeAnyLen.set(c, text);
  }

  addUnicodeRange(lo: Uint8Array, hi: Uint8Array, target: UnicodeTarget): void {
    const len = lo.length;
    if (len < 1 || len > 4 || hi.length !== len) return;
    const a = readCode(lo, 0, len);
    const b = readCode(hi, 0, len);
    if (b < a) return;
    if (b - a < CMAP_LIMITS.expandRange && this.expanded + (b - a + 1) <= CMAP_LIMITS.expanded) {
      for (let c = a; c <= b; c++) {
        const t = 'base' in target ? offsetText(target.base, c - a) : target.list[c - a];
        if (t === undefined) continue;
        this.expanded++;
        this.unicodeMap.set(key(c, len), t);
        if (!this.unicodeAnyLen.has(c)) this.unicodeAnyLen.set(c, t);
      }
      return;
    }
    if (this.unicodeRanges.length < CMAP_LIMITS.ranges) this.unicodeRanges.push({ len, lo: a, hi: b, value: target });
  }

  addCid(code: Uint8Array, cid: number): void {
    if (code.length < 1 || code.length > 4 || this.expanded >= CMAP_LIMITS.expanded) return;
    this.expanded++;
    this.cidMap.set(key(readCode(code, 0, code.length), code.length), cid);
  }

  addCidRange(lo: Uint8Array, hi: Uint8Array, cid: number): void {
    const len = lo.length;
    if (len < 1 || len > 4 || hi.length !== len || this.cidRanges.length >= CMAP_LIMITS.ranges) return;
    const a = readCode(lo, 0, len);
    const b = readCode(hi, 0, len);
    if (b >= a) this.cidRanges.push({ len, lo: a, hi: b, value: cid });
  }
}

/** The predefined Identity-H / Identity-V CMap (§9.7.5.2). */
export function identityCMap(): CMap {
  const m = new CMap();
  m.identity = true;
  m.addCodespace(new Uint8Array([0, 0]), new Uint8Array([0xff, 0xff]));
  return m;
}

/**
 * Parses an embedded CMap or a /ToUnicode CMap. Never throws: what cannot be
 * understood is left out.
 */
export function parseCMap(data: Uint8Array): CMap {
  const m = new CMap();
  const lx = new ContentLexer(data);
  const ops: PdfValue[] = [];
  for (let n = 0; n < CMAP_LIMITS.operators; n++) {
    const op = lx.nextOperator(ops);
    if (op === null) break;
    switch (op) {
      case 'endcodespacerange':
        for (let i = 0; i + 1 < ops.length; i += 2) {
          const lo = bytesOf(ops[i]);
          const hi = bytesOf(ops[i + 1]);
          if (lo && hi) m.addCodespace(lo, hi);
        }
        break;
      case 'endbfchar':
        for (let i = 0; i + 1 < ops.length; i += 2) {
          const src = bytesOf(ops[i]);
          const dst = ops[i + 1];
          if (!src) continue;
          if (dst instanceof PdfString) m.addUnicode(src, utf16be(dst.bytes));
        }
        break;
      case 'endbfrange':
        for (let i = 0; i + 2 < ops.length; i += 3) {
          const lo = bytesOf(ops[i]);
          const hi = bytesOf(ops[i + 1]);
          const dst = ops[i + 2];
          if (!lo || !hi) continue;
          if (dst instanceof PdfString) m.addUnicodeRange(lo, hi, { base: utf16be(dst.bytes) });
          else if (Array.isArray(dst)) m.addUnicodeRange(lo, hi, { list: dst.map((d) => (d instanceof PdfString ? utf16be(d.bytes) : undefined)) });
        }
        break;
      case 'endcidchar':
        for (let i = 0; i + 1 < ops.length; i += 2) {
          const src = bytesOf(ops[i]);
          const cid = ops[i + 1];
          if (src && typeof cid === 'number' && Number.isInteger(cid) && cid >= 0) m.addCid(src, cid);
        }
        break;
      case 'endcidrange':
        for (let i = 0; i + 2 < ops.length; i += 3) {
          const lo = bytesOf(ops[i]);
          const hi = bytesOf(ops[i + 1]);
          const cid = ops[i + 2];
          if (lo && hi && typeof cid === 'number' && Number.isInteger(cid) && cid >= 0) m.addCidRange(lo, hi, cid);
        }
        break;
      default:
        break;
    }
  }
  return m;
}

function bytesOf(v: PdfValue | undefined): Uint8Array | undefined {
  return v instanceof PdfString ? v.bytes : undefined;
}

function readCode(bytes: Uint8Array, pos: number, len: number): number {
  let c = 0;
  for (let i = 0; i < len; i++) c = c * 256 + (bytes[pos + i] ?? 0);
  return c;
}

/** Destination strings are UTF-16BE (§9.10.3); a lone byte is read as Latin-1, as some writers emit it. */
export function utf16be(b: Uint8Array): string {
  if (b.length === 1) return String.fromCharCode(b[0]!);
  let s = '';
  for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
  return s;
}

/** bfrange with one destination: successive codes map to successive values of its last code unit. */
function offsetText(base: string, delta: number): string {
  if (base.length === 0) return base;
  const last = base.charCodeAt(base.length - 1) + delta;
  if (last > 0xffff) return base;
  return base.slice(0, -1) + String.fromCharCode(last);
}
