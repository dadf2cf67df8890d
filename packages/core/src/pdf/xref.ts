import { kysoError } from '../errors/index.js';
import { bytesToLatin1 } from '../util/bytes.js';
import type { Cursor } from './cursor.js';
import { decodeStream } from './filters.js';
import { PdfDict, PdfStream, type PdfValue } from './objects.js';
import { ObjectParser } from './parser.js';

/** A cross-reference entry (ISO 32000-2 §7.5.4 and Table 18). */
export type XrefEntry =
  | { readonly type: 0 }
  | { readonly type: 1; readonly offset: number; readonly gen: number }
  | { readonly type: 2; readonly stream: number; readonly index: number };

/** One cross-reference section, i.e. one revision's index. */
export interface XrefSection {
  readonly offset: number;
  readonly kind: 'table' | 'stream';
  readonly trailer: PdfDict;
  /** For hybrid-reference files (§7.5.8.4): the offset of the /XRefStm stream. */
  readonly xrefStm?: number;
}

export interface XrefIndex {
  readonly entries: Map<number, XrefEntry>;
  /** Newest first. */
  readonly sections: XrefSection[];
  /** The newest trailer (for a stream section, its dictionary). */
  readonly trailer: PdfDict;
  /** The offset that the last `startxref` points to. */
  readonly startxref: number;
}

/** Limits against hostile files. */
export const XREF_LIMITS = {
  /** Sections followed through /Prev. */
  sections: 100_000,
  /** Highest object number accepted (ISO 32000-1 Annex C.2: 8 388 607). */
  maxObjectNumber: 8_388_607,
  /** Bytes searched from the end for `startxref`. */
  tail: 4096,
  /** How far (either way) a section is looked for when its offset misses it by a few bytes. */
  sectionSlack: 16,
} as const;


/** Reads the whole chain of cross-reference sections from the end of the file. */
export function readXref(cur: Cursor, resolveLength: (v: PdfValue) => number | null): XrefIndex {
  const len = cur.length;
  if (len === 0) throw kysoError('ERR_PDF_MALFORMED', 'empty file');
  const head = bytesToLatin1(cur.read(0, Math.min(len, 1024)));
  if (!head.includes('%PDF-')) throw kysoError('ERR_PDF_MALFORMED', 'not a PDF (no %PDF- header)');
  const tailStart = Math.max(0, len - XREF_LIMITS.tail);
  const tail = bytesToLatin1(cur.read(tailStart, len - tailStart));
  const sx = tail.lastIndexOf('startxref');
  if (sx < 0) throw kysoError('ERR_PDF_TRUNCATED', 'no startxref at the end of the file');
  const m = /^startxref\s+(\d+)/.exec(tail.slice(sx));
  if (!m) throw kysoError('ERR_PDF_TRUNCATED', 'startxref without an offset');
  if (!/%%EOF/.test(tail.slice(sx))) throw kysoError('ERR_PDF_TRUNCATED', 'no %%EOF after startxref');
  const startxref = Number(m[1]);
  if (startxref >= len) throw kysoError('ERR_PDF_MALFORMED', `startxref ${startxref} beyond the end of the file`);

  const entries = new Map<number, XrefEntry>();
  const sections: XrefSection[] = [];
  const seen = new Set<number>();
  let offset: number | null = startxref;
  while (offset !== null) {
    if (seen.has(offset)) throw kysoError('ERR_PDF_MALFORMED', `/Prev cycle at offset ${offset}`);
    if (seen.size >= XREF_LIMITS.sections) throw kysoError('ERR_PDF_LIMIT', 'too many cross-reference sections');
    if (offset < 0 || offset >= len || !Number.isInteger(offset)) throw kysoError('ERR_PDF_MALFORMED', `cross-reference offset ${offset} out of range`);
    seen.add(offset);
    const { section, entries: own } = sectionAt(cur, offset, resolveLength, seen);
    // Newer sections win (§7.5.6): an entry is taken only if no newer section gave one.
    for (const [n, e] of own) if (!entries.has(n)) entries.set(n, e);
    sections.push(section);
    const prev = section.trailer.get('Prev');
    offset = typeof prev === 'number' ? prev : null;
  }
  const trailer = sections[0]!.trailer;
  const size = trailer.get('Size');
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) throw kysoError('ERR_PDF_MALFORMED', 'trailer /Size missing or invalid');
  if (size > XREF_LIMITS.maxObjectNumber + 1) throw kysoError('ERR_PDF_LIMIT', `trailer /Size ${size} beyond the PDF object number limit`);
  return { entries, sections, trailer, startxref };
}

/** A parsed section: its entries in precedence order, and the last byte it used. */
interface ParsedSection {
  readonly section: XrefSection;
  readonly entries: Map<number, XrefEntry>;
  readonly end: number;
}

/**
 * Parsed sections per underlying file and offset. Verification opens the same
 * file as of every revision (prefixes of one source), each time walking the
 * same older sections; a section's parse depends only on its own bytes, so it
 * is reused whenever those bytes lie inside the prefix being read.
 */
const sectionCache = new WeakMap<object, Map<number, ParsedSection>>();

function sectionAt(cur: Cursor, offset: number, resolveLength: (v: PdfValue) => number | null, seen: Set<number>): ParsedSection {
  const origin = cur.source.origin ?? cur.source;
  let byOffset = sectionCache.get(origin);
  const hit = byOffset?.get(offset);
  if (hit && hit.end <= cur.length && (hit.section.xrefStm === undefined || !seen.has(hit.section.xrefStm))) return hit;
  const parsed = readSection(cur, offset, resolveLength, seen);
  if (!byOffset) sectionCache.set(origin, (byOffset = new Map()));
  if (byOffset.size < XREF_LIMITS.sections) byOffset.set(offset, parsed);
  return parsed;
}

function readSection(
  cur: Cursor,
  offset: number,
  resolveLength: (v: PdfValue) => number | null,
  seen: Set<number>,
): ParsedSection {
  const p: ObjectParser = new ObjectParser(cur, resolveLength);
  const at = locateSection(cur, offset);
  cur.pos = at;
  p.skipWhite();
  const word = bytesToLatin1(cur.read(cur.pos, 4));
  const entries = new Map<number, XrefEntry>();
  if (word === 'xref') {
    cur.pos += 4;
    const own = new Map<number, XrefEntry>();
    readTable(p, own);
    const trailer = p.parseValue();
    if (!(trailer instanceof PdfDict)) p.fail('trailer is not a dictionary');
    let end = cur.pos;
    const stm = trailer.get('XRefStm');
    let xrefStm: number | undefined;
    if (typeof stm === 'number' && !seen.has(stm)) {
      // Hybrid file: in-use table entries win; the stream fills in objects the
      // table leaves free or absent (§7.5.8.4).
      xrefStm = stm;
      const streamEntries = new Map<number, XrefEntry>();
      readStreamSection(cur, stm, resolveLength, streamEntries);
      end = Math.max(end, cur.pos);
      for (const [n, e] of own) if (e.type === 1 && !entries.has(n)) entries.set(n, e);
      for (const [n, e] of streamEntries) if (e.type !== 0 && !entries.has(n)) entries.set(n, e);
    }
    for (const [n, e] of own) if (!entries.has(n)) entries.set(n, e);
    return { section: { offset, kind: 'table', trailer, xrefStm }, entries, end };
  }
  const trailer = readStreamSection(cur, at, resolveLength, entries);
  return { section: { offset, kind: 'stream', trailer }, entries, end: cur.pos };
}

const SECTION_START = /^(?:xref|\d{1,10}\s+\d{1,5}\s+obj)/;

/**
 * Where the section that `offset` points to starts. Some writers miss it by a
 * byte or two (a `startxref` or `/Prev` counted from the wrong end of a line
 * break); like the object reader, which tolerates object offsets a few bytes
 * off, the nearest `xref` keyword or `N G obj` header within
 * {@link XREF_LIMITS.sectionSlack} bytes is taken. Nothing is reconstructed:
 * the section read is the one the file declares, and `offset` stays as declared.
 * When nothing is near, `offset` is returned and reading fails as before.
 */
function locateSection(cur: Cursor, offset: number): number {
  const head = bytesToLatin1(cur.read(offset, 32)).replace(/^[\0\t\n\f\r ]+/, '');
  if (SECTION_START.test(head)) return offset;
  const slack = XREF_LIMITS.sectionSlack;
  const from = Math.max(0, offset - slack);
  const text = bytesToLatin1(cur.read(from, offset - from + slack + 32));
  let best = -1;
  // `xref` not part of `startxref`, or an object header not preceded by a digit.
  const re = /(^|[^a-z])xref|(^|[^0-9])\d{1,10}\s+\d{1,5}\s+obj/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const pos = from + m.index + (m[1] ?? m[2] ?? '').length;
    if (Math.abs(pos - offset) > slack) continue;
    if (best < 0 || Math.abs(pos - offset) < Math.abs(best - offset)) best = pos;
  }
  return best < 0 ? offset : best;
}

function readTable(p: ObjectParser, out: Map<number, XrefEntry>): void {
  const cur = p.cur;
  for (;;) {
    p.skipWhite();
    const save = cur.pos;
    const first = p.parseValueOrKeyword();
    if (first === 'trailer') return;
    const count = p.parseValueOrKeyword();
    if (typeof first !== 'number' || typeof count !== 'number' || !Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 0) {
      p.fail('bad cross-reference subsection header', save);
    }
    if (first + count > XREF_LIMITS.maxObjectNumber + 1) throw kysoError('ERR_PDF_LIMIT', `cross-reference subsection ${first}+${count} too large`);
    for (let i = 0; i < count; i++) {
      p.skipWhite();
      const at = cur.pos;
      const line = bytesToLatin1(cur.read(at, 20));
      const m = /^(\d{1,10})[ ]+(\d{1,5})[ ]+([nf])/.exec(line);
      if (!m) p.fail('bad cross-reference entry', at);
      cur.pos = at + m[0].length;
      const num = first + i;
      // Many writers number the first subsection from 1 by mistake; keep it as written.
      if (out.has(num)) continue;
      out.set(num, m[3] === 'n' ? { type: 1, offset: Number(m[1]), gen: Number(m[2]) } : { type: 0 });
    }
  }
}

function readStreamSection(
  cur: Cursor,
  offset: number,
  resolveLength: (v: PdfValue) => number | null,
  entries: Map<number, XrefEntry>,
): PdfDict {
  const p: ObjectParser = new ObjectParser(cur, resolveLength);
  cur.pos = offset;
  const obj = p.parseIndirect();
  const s = obj.value;
  if (!(s instanceof PdfStream) || s.dict.name('Type') !== 'XRef') p.fail('expected a cross-reference stream', offset);
  const d = s.dict;
  const w = d.get('W');
  if (!Array.isArray(w) || w.length !== 3 || !w.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 8)) {
    p.fail('cross-reference stream with bad /W', offset);
  }
  const [w0, w1, w2] = w as number[];
  const size = d.get('Size');
  if (typeof size !== 'number') p.fail('cross-reference stream without /Size', offset);
  const index = d.get('Index') ?? [0, size];
  if (!Array.isArray(index) || index.length % 2 !== 0 || !index.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) {
    p.fail('cross-reference stream with bad /Index', offset);
  }
  const data = decodeStream(d, cur.read(s.dataOffset, s.dataLength));
  const rec = w0! + w1! + w2!;
  if (rec === 0) p.fail('cross-reference stream with empty /W', offset);
  let at = 0;
  const field = (width: number, dflt: number): number => {
    if (width === 0) return dflt;
    let v = 0;
    for (let k = 0; k < width; k++) v = v * 256 + data[at++]!;
    return v;
  };
  for (let i = 0; i < index.length; i += 2) {
    const first = index[i] as number;
    const count = index[i + 1] as number;
    if (first + count > XREF_LIMITS.maxObjectNumber + 1) throw kysoError('ERR_PDF_LIMIT', 'cross-reference stream index too large');
    for (let k = 0; k < count; k++) {
      if (at + rec > data.length) p.fail('cross-reference stream data too short', offset);
      const type = field(w0!, 1);
      const f2 = field(w1!, 0);
      const f3 = field(w2!, 0);
      const num = first + k;
      if (entries.has(num)) continue;
      if (type === 0) entries.set(num, { type: 0 });
      else if (type === 1) entries.set(num, { type: 1, offset: f2, gen: f3 });
      else if (type === 2) entries.set(num, { type: 2, stream: f2, index: f3 });
      // Other types are reserved (§7.5.8.3): treat as null objects.
    }
  }
  return d;
}

