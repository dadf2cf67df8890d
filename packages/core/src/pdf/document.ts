import { kysoError } from '../errors/index.js';
import type { ByteSource } from './byte-source.js';
import { Cursor } from './cursor.js';
import { openSecurityHandler, type RandomBytes, type SecurityHandler } from './encryption/security-handler.js';
import { decodeStream } from './filters.js';
import { PdfDict, PdfRef, PdfStream, PdfString, type PdfValue } from './objects.js';
import { ObjectParser } from './parser.js';
import { readXref, type XrefIndex } from './xref.js';
import { bytesToLatin1 } from '../util/bytes.js';

/** Limits on object graph walks. */
export const DOC_LIMITS = {
  /** Chained references followed by `resolve`. */
  refChain: 32,
  /** Pages in a page tree walk. */
  pages: 1_000_000,
  /** Objects in one object stream. */
  objStmObjects: 1_000_000,
  /** How far from a wrong xref offset to look for the object header. */
  offsetSlack: 1024,
} as const;

/** Options of {@link PdfDocument.open}. */
export interface OpenOptions {
  /** The user or owner password of an encrypted document (ISO 32000-2 §7.6.4). */
  readonly password?: string;
  /** Random bytes for AES IVs of objects written later; injectable for reproducible tests. */
  readonly randomBytes?: RandomBytes;
}

/** A page with its inherited attributes resolved (ISO 32000-2 §7.7.3.4). */
export interface PageInfo {
  readonly ref: PdfRef;
  readonly dict: PdfDict;
  readonly mediaBox: [number, number, number, number];
  readonly cropBox: [number, number, number, number];
  readonly rotate: 0 | 90 | 180 | 270;
}

/**
 * Read-only access to a PDF's objects through its cross-reference chain.
 * Lazy: only the objects asked for are parsed; nothing is decoded that the
 * caller does not need.
 */
export class PdfDocument {
  readonly cur: Cursor;
  readonly xref: XrefIndex;
  readonly version: string;
  private readonly cache = new Map<number, PdfValue>();
  private readonly objStmCache = new Map<number, { offsets: Map<number, number>; data: Uint8Array; first: number }>();
  private readonly loading = new Set<number>();
  private handler: SecurityHandler | null = null;
  /** Object number of the /Encrypt dictionary, whose strings are never encrypted (§7.6.2). */
  private encryptNum = -1;

  private constructor(readonly source: ByteSource) {
    this.cur = new Cursor(source);
    const head = bytesToLatin1(source.read(0, Math.min(source.length, 1024)));
    const m = /%PDF-(\d\.\d)/.exec(head);
    this.version = m ? m[1]! : '1.4';
    this.xref = readXref(this.cur, (v) => this.lengthOf(v));
  }

  /**
   * Opens a document. An encrypted one (trailer /Encrypt) needs its user or
   * owner password, unless its user password is empty; its strings and
   * streams are then decrypted as objects are read.
   *
   * @throws `ERR_PDF_ENCRYPTED` (no password given and one is needed),
   *   `ERR_PDF_PASSWORD` (wrong password), `ERR_PDF_UNSUPPORTED` (not the
   *   Standard security handler, or an unknown method), `ERR_PDF_MALFORMED`.
   */
  static open(source: ByteSource, options: OpenOptions = {}): PdfDocument {
    const doc = new PdfDocument(source);
    const enc = doc.trailer.get('Encrypt');
    if (enc !== undefined && enc !== null) {
      // Read before the handler exists, so /Encrypt itself is never decrypted.
      if (enc instanceof PdfRef) doc.encryptNum = enc.num;
      const encDict = doc.resolve(enc);
      if (!(encDict instanceof PdfDict)) throw kysoError('ERR_PDF_MALFORMED', 'trailer /Encrypt is not a dictionary');
      const ids = doc.trailer.get('ID');
      const id0 = Array.isArray(ids) && ids[0] instanceof PdfString ? ids[0].bytes : new Uint8Array(0);
      doc.handler = openSecurityHandler(encDict, id0, options.password, { randomBytes: options.randomBytes });
    }
    const root = doc.trailer.get('Root');
    if (!(root instanceof PdfRef)) throw kysoError('ERR_PDF_MALFORMED', 'trailer /Root missing');
    if (!(doc.get(root) instanceof PdfDict)) throw kysoError('ERR_PDF_MALFORMED', 'the catalog is not a dictionary');
    return doc;
  }

  /** The security handler of an encrypted document, or null. */
  get encryption(): SecurityHandler | null {
    return this.handler;
  }

  get trailer(): PdfDict {
    return this.xref.trailer;
  }

  get size(): number {
    return this.trailer.get('Size') as number;
  }

  get rootRef(): PdfRef {
    return this.trailer.get('Root') as PdfRef;
  }

  catalog(): PdfDict {
    return this.get(this.rootRef) as PdfDict;
  }

  private lengthOf(v: PdfValue): number | null {
    if (typeof v === 'number') return v;
    if (v instanceof PdfRef) {
      // A /Length reference must not recurse into the object being parsed.
      if (this.loading.has(v.num)) return null;
      try {
        const r = this.get(v);
        return typeof r === 'number' ? r : null;
      } catch {
        return null;
      }
    }
    return null;
  }

  /** The object with this reference (null for free or missing objects, per §7.3.10). */
  get(ref: PdfRef | number): PdfValue {
    const num = typeof ref === 'number' ? ref : ref.num;
    if (this.cache.has(num)) return this.cache.get(num)!;
    if (this.loading.has(num)) throw kysoError('ERR_PDF_MALFORMED', `object ${num} refers to itself while loading`);
    this.loading.add(num);
    try {
      const value = this.load(num);
      this.cache.set(num, value);
      return value;
    } finally {
      this.loading.delete(num);
    }
  }

  private load(num: number): PdfValue {
    const e = this.xref.entries.get(num);
    if (!e || e.type === 0) return null;
    if (e.type === 1) {
      if (e.offset >= this.source.length) throw kysoError('ERR_PDF_MALFORMED', `object ${num} offset ${e.offset} beyond the end of the file`);
      const at = this.findHeader(num, e.gen, e.offset);
      this.cur.pos = at;
      const p = new ObjectParser(this.cur, (v) => this.lengthOf(v));
      const obj = p.parseIndirect();
      if (obj.num !== num) throw kysoError('ERR_PDF_MALFORMED', `object ${num} expected at ${e.offset}, found ${obj.num}`);
      if (this.handler && num !== this.encryptNum) {
        return this.handler.decryptObject(obj.num, obj.gen, obj.value, (s) => this.source.read(s.dataOffset, s.dataLength));
      }
      return obj.value;
    }
    return this.loadCompressed(num, e.stream, e.index);
  }

  /** Tolerates xref offsets that are off by a few bytes, a common writer bug; refuses anything else. */
  private findHeader(num: number, gen: number, offset: number): number {
    const header = `${num} ${gen} obj`;
    const from = Math.max(0, offset - DOC_LIMITS.offsetSlack);
    const text = bytesToLatin1(this.source.read(from, DOC_LIMITS.offsetSlack * 2 + header.length));
    const exact = offset - from;
    const re = new RegExp(`(^|[^0-9])${num}\\s+${gen}\\s+obj`, 'g');
    let best = -1;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const at = m.index + m[1]!.length;
      if (best < 0 || Math.abs(at - exact) < Math.abs(best - exact)) best = at;
    }
    if (best < 0) throw kysoError('ERR_PDF_MALFORMED', `object ${num} not found at offset ${offset}`);
    return from + best;
  }

  private loadCompressed(num: number, stmNum: number, index: number): PdfValue {
    let stm = this.objStmCache.get(stmNum);
    if (!stm) {
      const se = this.xref.entries.get(stmNum);
      if (!se || se.type !== 1) throw kysoError('ERR_PDF_MALFORMED', `object stream ${stmNum} is not a plain object`);
      const s = this.get(stmNum);
      if (!(s instanceof PdfStream) || s.dict.name('Type') !== 'ObjStm') throw kysoError('ERR_PDF_MALFORMED', `object ${stmNum} is not an object stream`);
      const n = s.dict.get('N');
      const first = s.dict.get('First');
      if (typeof n !== 'number' || typeof first !== 'number' || n < 0 || first < 0 || n > DOC_LIMITS.objStmObjects) {
        throw kysoError('ERR_PDF_MALFORMED', `object stream ${stmNum} has bad /N or /First`);
      }
      const data = decodeStream(s.dict, s.data ?? this.source.read(s.dataOffset, s.dataLength));
      const p = new ObjectParser(new Cursor({ length: data.length, read: (o, l) => data.subarray(o, o + l) }));
      const offsets = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const on = p.parseValueOrKeyword();
        const off = p.parseValueOrKeyword();
        if (typeof on !== 'number' || typeof off !== 'number') throw kysoError('ERR_PDF_MALFORMED', `object stream ${stmNum} header`);
        if (!offsets.has(on)) offsets.set(on, off);
      }
      stm = { offsets, data, first };
      this.objStmCache.set(stmNum, stm);
    }
    const off = stm.offsets.get(num);
    if (off === undefined) return null;
    const data = stm.data;
    const p = new ObjectParser(new Cursor({ length: data.length, read: (o, l) => data.subarray(o, o + l) }, stm.first + off));
    void index;
    // Objects in an object stream are not encrypted again: the stream was (§7.6.2).
    return p.parseValue();
  }

  /** Follows references until a direct value (bounded, so cycles end in an error). */
  resolve(v: PdfValue | undefined): PdfValue {
    let cur: PdfValue | undefined = v;
    for (let i = 0; cur instanceof PdfRef; i++) {
      if (i >= DOC_LIMITS.refChain) throw kysoError('ERR_PDF_MALFORMED', 'reference chain too long');
      cur = this.get(cur);
    }
    return cur ?? null;
  }

  dictOf(v: PdfValue | undefined): PdfDict | null {
    const r = this.resolve(v);
    return r instanceof PdfDict ? r : r instanceof PdfStream ? r.dict : null;
  }

  /** Reads a stream's raw data and decodes it (Flate only). */
  streamData(s: PdfStream): Uint8Array {
    const raw = s.data ?? this.source.read(s.dataOffset, s.dataLength);
    return decodeStream(s.dict, raw);
  }

  /** All pages in order, with inherited attributes, guarding against cycles. */
  pages(): PageInfo[] {
    return [...this.walkPages()];
  }

  /**
   * Page `n` (1-based), or null past the last page. Walks the tree in order
   * and stops there: signing on page 1 of a large file reads two objects,
   * not every page dictionary.
   */
  page(n: number): PageInfo | null {
    if (!Number.isSafeInteger(n) || n < 1) return null;
    let i = 0;
    for (const page of this.walkPages()) if (++i === n) return page;
    return null;
  }

  /** Pages in document order (ISO 32000-2 §7.7.3), loaded as the caller asks for them. */
  private *walkPages(): Generator<PageInfo> {
    const root = this.catalog().get('Pages');
    if (!(root instanceof PdfRef)) throw kysoError('ERR_PDF_MALFORMED', 'catalog /Pages is not a reference');
    const seen = new Set<number>();
    type Inh = { mediaBox?: PdfValue; cropBox?: PdfValue; rotate?: PdfValue };
    const stack: { ref: PdfRef; inh: Inh }[] = [{ ref: root, inh: {} }];
    while (stack.length) {
      const { ref, inh } = stack.pop()!;
      if (seen.has(ref.num)) throw kysoError('ERR_PDF_MALFORMED', `page tree cycle at object ${ref.num}`);
      seen.add(ref.num);
      if (seen.size > DOC_LIMITS.pages) throw kysoError('ERR_PDF_LIMIT', 'too many page tree nodes');
      const d = this.get(ref);
      if (!(d instanceof PdfDict)) throw kysoError('ERR_PDF_MALFORMED', `page tree node ${ref.num} is not a dictionary`);
      const here: Inh = {
        mediaBox: d.get('MediaBox') ?? inh.mediaBox,
        cropBox: d.get('CropBox') ?? inh.cropBox,
        rotate: d.get('Rotate') ?? inh.rotate,
      };
      const type = d.name('Type');
      const kids = this.resolve(d.get('Kids'));
      if (type === 'Pages' || (type === undefined && Array.isArray(kids))) {
        if (!Array.isArray(kids)) throw kysoError('ERR_PDF_MALFORMED', `page tree node ${ref.num} without /Kids`);
        for (let i = kids.length - 1; i >= 0; i--) {
          const k = kids[i];
          if (k instanceof PdfRef) stack.push({ ref: k, inh: here });
        }
        continue;
      }
      const mediaBox = this.box(here.mediaBox) ?? [0, 0, 612, 792];
      const crop = this.box(here.cropBox);
      const cropBox = crop ? intersect(crop, mediaBox) : mediaBox;
      const r = this.resolve(here.rotate);
      const rot = typeof r === 'number' ? (((Math.round(r / 90) * 90) % 360) + 360) % 360 : 0;
      yield { ref, dict: d, mediaBox, cropBox, rotate: rot as 0 | 90 | 180 | 270 };
    }
  }

  box(v: PdfValue | undefined): [number, number, number, number] | null {
    const a = this.resolve(v);
    if (!Array.isArray(a) || a.length !== 4) return null;
    const n = a.map((x) => this.resolve(x));
    if (!n.every((x) => typeof x === 'number' && Number.isFinite(x))) return null;
    const [x1, y1, x2, y2] = n as number[];
    return [Math.min(x1!, x2!), Math.min(y1!, y2!), Math.max(x1!, x2!), Math.max(y1!, y2!)];
  }
}

function intersect(a: [number, number, number, number], b: [number, number, number, number]): [number, number, number, number] {
  const r: [number, number, number, number] = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return r[2] > r[0] && r[3] > r[1] ? r : b;
}
