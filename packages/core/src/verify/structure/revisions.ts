/**
 * Finding the revisions of a PDF: every incremental update ends with
 * `startxref N %%EOF` (ISO 32000-2 §7.5.5, §7.5.6), and the bytes up to that
 * marker form a complete PDF as of that revision.
 *
 * The markers are looked for only where they can be: after each section of the
 * cross-reference chain (the newest `startxref` → /Prev → …), in the tail of
 * the file, and at the end of each signature's /ByteRange. The file is not
 * scanned, so finding the revisions of a 100 MB file costs a few reads; only a
 * file whose chain cannot be read at all is scanned whole, as before.
 */
import { kysoError } from '../../errors/index.js';
import type { ByteSource } from '../../pdf/byte-source.js';
import { Cursor } from '../../pdf/cursor.js';
import { PdfRef, type PdfValue } from '../../pdf/objects.js';
import { ObjectParser } from '../../pdf/parser.js';
import { readXref, XREF_LIMITS, type XrefSection } from '../../pdf/xref.js';
import type { RevisionFacts } from '../facts.js';
import { bytesToLatin1 } from '../../util/bytes.js';
import { openingsFor, type DocumentOpenings } from './openings.js';
import { prefixSource } from './prefix-source.js';

export { prefixSource };

/** Limits against hostile files. */
export const REVISION_LIMITS = {
  /** `%%EOF` markers examined. */
  markers: 10_000,
  /** Revisions kept. */
  revisions: 1_000,
  /** Bytes looked back from `%%EOF` for `startxref N`. */
  lookBack: 64,
  /** Bytes read per scan step. */
  chunk: 1 << 20,
  /** Bytes looked at after a cross-reference section for its `startxref N %%EOF`. */
  afterSection: 1024,
  /** Signature fields whose /ByteRange end is checked. */
  byteRanges: 10_000,
} as const;

/** Bytes either way of a declared section offset where the section may start. */
const SECTION_SLACK = 16;
const EOF_MARK = [0x25, 0x25, 0x45, 0x4f, 0x46]; // %%EOF

/** Options of {@link readRevisions}. */
export interface ReadRevisionsOptions {
  /** Password of an encrypted document, so its signature fields' /ByteRange can be read. */
  readonly password?: string;
  /**
   * The documents of this verification, opened once and shared with the
   * other stages (see openings.ts); used when they read this source with
   * this password, else the document is opened here.
   */
  readonly openings?: DocumentOpenings;
}

/**
 * Every revision of the file in file order. A `startxref N %%EOF` marker counts
 * only when the bytes before it open as a PDF there (its cross-reference chain
 * parses and names a catalog inside those bytes), so `%%EOF` inside a stream
 * or the first-page section of a linearized file is not a revision.
 * `end` is just after `%%EOF` and its end-of-line (CRLF, LF or CR; none at the
 * end of the file).
 *
 * The markers examined are the one after each section of the cross-reference
 * chain, those in the last bytes of the file, and the one a signature's
 * /ByteRange ends at (so a signed revision that the chain skips is still
 * found). A revision that neither the chain nor a signature reaches plays no
 * part in what the file shows or in what was signed, and is not listed.
 * @throws ERR_PDF_MALFORMED when no revision can be found.
 */
export function readRevisions(source: ByteSource, options: ReadRevisionsOptions = {}): RevisionFacts[] {
  const markers = candidateMarkers(source, options);
  const out = markers ? revisionsAt(source, markers) : [];
  // A chain that names no readable revision (damaged last update, hostile /Prev):
  // every marker in the file is looked at, as a reader repairing the file would.
  const all = out.length > 0 ? out : revisionsAt(source, firstAndLast(findEofMarkers(source), REVISION_LIMITS.markers));
  if (all.length === 0) throw kysoError('ERR_PDF_MALFORMED', 'no revision ends with a readable startxref and %%EOF');
  return all;
}

/**
 * The revisions ending at these `%%EOF` offsets (ascending), each checked to
 * open as a PDF. Beyond the limits, the oldest are kept and then the newest
 * that opens: what the file shows now is always compared with what was signed,
 * and a signed revision past the limit is simply not found (never taken as whole).
 */
function revisionsAt(source: ByteSource, eofs: readonly number[]): RevisionFacts[] {
  const out: RevisionFacts[] = [];
  const keep = (eofAt: number): boolean => {
    const r = revisionAt(source, eofAt);
    if (!r || (out.length > 0 && out[out.length - 1]!.end >= r.end)) return false;
    out.push({ index: out.length, ...r });
    return true;
  };
  const examined = Math.min(eofs.length, REVISION_LIMITS.markers - 1);
  let i = 0;
  for (; i < examined && out.length < REVISION_LIMITS.revisions - 1; i++) keep(eofs[i]!);
  if (i === eofs.length) return out;
  // Limits reached: the newest revision still counts.
  for (let j = eofs.length - 1, tries = 0; j >= i && tries < REVISION_LIMITS.markers; j--, tries++) if (keep(eofs[j]!)) break;
  return out;
}

/** The revision whose `%%EOF` is at `eofAt`, when the bytes up to it open as a PDF. */
function revisionAt(source: ByteSource, eofAt: number): Omit<RevisionFacts, 'index'> | null {
  const startxref = startxrefBefore(source, eofAt);
  if (startxref === null) return null;
  let end = eofAt + EOF_MARK.length;
  const eol = source.read(end, 2);
  if (eol[0] === 0x0d) end += eol[1] === 0x0a ? 2 : 1;
  else if (eol[0] === 0x0a) end += 1;
  const kind = xrefKindAt(source, end, startxref);
  return kind === null ? null : { end, startxref, xrefKind: kind };
}

/**
 * Offsets of the `%%EOF` markers that may end a revision, ascending: after each
 * section of the chain, in the tail, at each /ByteRange end. Null when the
 * chain cannot be read from the end of the file.
 */
function candidateMarkers(source: ByteSource, options: ReadRevisionsOptions): number[] | null {
  let sections: readonly XrefSection[];
  try {
    sections = readXref(new Cursor(source), directLength).sections;
  } catch {
    return null;
  }
  const found = new Set<number>();
  // Where readers look for the last startxref (ISO 32000-2 §7.5.5): also catches
  // a marker repeated after the last one.
  const tailFrom = Math.max(0, source.length - XREF_LIMITS.tail);
  for (const at of findEofMarkers(prefixFromTo(source, tailFrom, source.length))) found.add(tailFrom + at);
  for (const s of sections.slice(0, REVISION_LIMITS.markers)) {
    const at = eofAfterSection(source, s);
    if (at !== null) found.add(at);
  }
  for (const end of byteRangeEnds(source, options)) {
    const at = eofEndingAt(source, end);
    if (at !== null) found.add(at);
  }
  return [...found].sort((a, b) => a - b);
}

/** /Length when it is a direct number; an indirect one makes the parser look for `endstream`. */
function directLength(v: PdfValue): number | null {
  return typeof v === 'number' ? v : null;
}

/** The bytes [from, to) as a source of their own (offsets relative to `from`). */
function prefixFromTo(source: ByteSource, from: number, to: number): ByteSource {
  return { length: to - from, read: (o, l) => source.read(from + o, Math.max(0, Math.min(l, to - from - o))) };
}

/**
 * The `%%EOF` of the `startxref N %%EOF` that closes a cross-reference section:
 * after a table's trailer dictionary (§7.5.5) or after a stream section's
 * `endstream` (§7.5.8), with only `endobj`, white space or comments between.
 */
function eofAfterSection(source: ByteSource, section: XrefSection): number | null {
  try {
    const cur = new Cursor(source, section.offset);
    const p = new ObjectParser(cur, directLength);
    // The reader tolerates a section offset a few bytes off (XREF_LIMITS.sectionSlack); so does this.
    const from = Math.max(0, section.offset - SECTION_SLACK);
    if (section.kind === 'table') {
      const at = indexOf(source, 'trailer', from, source.length);
      if (at < 0) return null;
      cur.pos = at + 'trailer'.length;
      p.parseValue();
    } else {
      const text = bytesToLatin1(source.read(from, 2 * SECTION_SLACK + 32));
      let best = -1;
      for (const m of text.matchAll(/(?<!\d)\d{1,10}\s+\d{1,5}\s+obj/g)) {
        if (best < 0 || Math.abs(from + m.index - section.offset) < Math.abs(best - section.offset)) best = from + m.index;
      }
      if (best < 0) return null;
      cur.pos = best;
      p.parseIndirect();
    }
    const after = cur.pos;
    const text = bytesToLatin1(source.read(after, REVISION_LIMITS.afterSection));
    const m = /^(?:\s|endobj|%(?!%EOF)[^\r\n]*)*startxref\s+\d{1,15}\s*%%EOF/.exec(text);
    return m ? after + m[0].length - EOF_MARK.length : null;
  } catch {
    return null;
  }
}

/** Offset of the first `needle` in [from, to), read in chunks; -1 when absent. */
function indexOf(source: ByteSource, needle: string, from: number, to: number): number {
  const n = needle.length;
  const first = needle.charCodeAt(0);
  const step = REVISION_LIMITS.chunk;
  for (let at = from; at < to; at += step - (n - 1)) {
    const chunk = source.read(at, Math.min(step, to - at));
    outer: for (let i = chunk.indexOf(first); i !== -1 && i + n <= chunk.length; i = chunk.indexOf(first, i + 1)) {
      for (let j = 1; j < n; j++) if (chunk[i + j] !== needle.charCodeAt(j)) continue outer;
      return at + i;
    }
    if (chunk.length < step) break;
  }
  return -1;
}

/**
 * The ends (c + d) of the /ByteRange [a b c d] of every signature field of the
 * document as the file shows it; none when it cannot be opened (the
 * signature finder reports that).
 */
function byteRangeEnds(source: ByteSource, options: ReadRevisionsOptions): number[] {
  const out: number[] = [];
  try {
    const openings = openingsFor(source, options.password, options.openings);
    const doc = openings.whole();
    for (const f of openings.fields(doc).slice(0, REVISION_LIMITS.byteRanges)) {
      if (f.type !== 'Sig') continue;
      try {
        const br = doc.resolve(doc.dictOf(f.value)?.get('ByteRange'));
        if (!Array.isArray(br) || br.length !== 4) continue;
        const [c, d] = [doc.resolve(br[2]), doc.resolve(br[3])];
        if (Number.isSafeInteger(c) && Number.isSafeInteger(d) && (c as number) >= 0 && (d as number) >= 0) out.push((c as number) + (d as number));
      } catch {
        // an unreadable value: the signature finder reports it
      }
    }
  } catch {
    // the document does not open: nothing to add
  }
  return out;
}

/** The `%%EOF` that ends exactly at `end`, or just before its end-of-line there. */
function eofEndingAt(source: ByteSource, end: number): number | null {
  if (end < EOF_MARK.length || end > source.length) return null;
  const from = Math.max(0, end - EOF_MARK.length - 2);
  const m = /%%EOF(?:\r\n|\r|\n)?$/.exec(bytesToLatin1(source.read(from, end - from)));
  return m ? from + m.index : null;
}

/** The first `n` and the last `n` items, in order. */
function firstAndLast(items: Iterable<number>, n: number): number[] {
  const first: number[] = [];
  const last: number[] = [];
  for (const x of items) {
    if (first.length < n) first.push(x);
    else {
      last.push(x);
      if (last.length > 2 * n) last.splice(0, n);
    }
  }
  return [...first, ...last.slice(-n)];
}

/** Offsets of every `%%EOF` in the file, scanned in large chunks, ascending. */
function* findEofMarkers(source: ByteSource): Generator<number> {
  const step = REVISION_LIMITS.chunk;
  const overlap = EOF_MARK.length - 1;
  // One reused buffer when the source can fill it: a file is scanned at read speed.
  const buffer = source.readInto ? new Uint8Array(Math.min(step, source.length)) : null;
  for (let at = 0; at < source.length; at += step - overlap) {
    const chunk = buffer ? buffer.subarray(0, source.readInto!(at, buffer)) : source.read(at, step);
    for (let i = chunk.indexOf(0x25); i !== -1 && i + EOF_MARK.length <= chunk.length; i = chunk.indexOf(0x25, i + 1)) {
      let j = 1;
      while (j < EOF_MARK.length && chunk[i + j] === EOF_MARK[j]) j++;
      // With an overlap of one byte less than the marker, no match is seen twice.
      if (j === EOF_MARK.length) yield at + i;
    }
    if (chunk.length < step) break;
  }
}

/** The N of `startxref N` right before `%%EOF` (only white space and comments between). */
function startxrefBefore(source: ByteSource, eofAt: number): number | null {
  const from = Math.max(0, eofAt - REVISION_LIMITS.lookBack);
  const text = bytesToLatin1(source.read(from, eofAt - from));
  const m = /startxref[\s]+(\d{1,15})[\s]*$/.exec(text);
  return m ? Number(m[1]) : null;
}

/** The kind of the xref section when the prefix opens as a PDF, else null. */
function xrefKindAt(source: ByteSource, end: number, startxref: number): 'table' | 'stream' | null {
  if (startxref >= end) return null;
  try {
    const xref = readXref(new Cursor(prefixSource(source, end)), directLength);
    if (xref.startxref !== startxref) return null;
    const root = xref.trailer.get('Root');
    if (!(root instanceof PdfRef)) return null;
    const entry = xref.entries.get(root.num);
    // A linearized file's first-page section names objects that lie after it.
    if (!entry || entry.type === 0) return null;
    if (entry.type === 1 && entry.offset >= end) return null;
    if (entry.type === 2) {
      const stm = xref.entries.get(entry.stream);
      if (!stm || stm.type !== 1 || stm.offset >= end) return null;
    }
    return xref.sections[0]!.kind;
  } catch {
    return null;
  }
}
