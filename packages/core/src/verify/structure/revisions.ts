/**
 * Finding the revisions of a PDF: every incremental update ends with
 * `startxref N %%EOF` (ISO 32000-2 §7.5.5, §7.5.6), and the bytes up to that
 * marker form a complete PDF as of that revision.
 */
import { kysoError } from '../../errors/index.js';
import type { ByteSource } from '../../pdf/byte-source.js';
import { Cursor } from '../../pdf/cursor.js';
import { PdfRef } from '../../pdf/objects.js';
import { readXref } from '../../pdf/xref.js';
import type { RevisionFacts } from '../facts.js';

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
} as const;

const EOF_MARK = [0x25, 0x25, 0x45, 0x4f, 0x46]; // %%EOF

/**
 * A view of the first `end` bytes of `source`: the document as of the
 * revision that ends there.
 */
export function prefixSource(source: ByteSource, end: number): ByteSource {
  const length = Math.min(end, source.length);
  const prefix: ByteSource = {
    length,
    read: (offset, len) => (offset >= length ? new Uint8Array(0) : source.read(offset, Math.min(len, length - offset))),
  };
  const readInto = source.readInto;
  if (readInto) {
    return {
      ...prefix,
      readInto: (offset, target) =>
        offset >= length ? 0 : readInto.call(source, offset, target.length > length - offset ? target.subarray(0, length - offset) : target),
    };
  }
  return prefix;
}

/**
 * Every revision of the file in file order. A `startxref N %%EOF` marker counts
 * only when the bytes before it open as a PDF there (its cross-reference chain
 * parses and names a catalog inside those bytes), so `%%EOF` inside a stream
 * or the first-page section of a linearized file is not a revision.
 * `end` is just after `%%EOF` and its end-of-line (CRLF, LF or CR; none at the
 * end of the file).
 * @throws ERR_PDF_MALFORMED when no revision can be found.
 */
export function readRevisions(source: ByteSource): RevisionFacts[] {
  const out: RevisionFacts[] = [];
  let markers = 0;
  for (const eofAt of findEofMarkers(source)) {
    if (++markers > REVISION_LIMITS.markers || out.length >= REVISION_LIMITS.revisions) break;
    const startxref = startxrefBefore(source, eofAt);
    if (startxref === null) continue;
    let end = eofAt + EOF_MARK.length;
    const eol = source.read(end, 2);
    if (eol[0] === 0x0d) end += eol[1] === 0x0a ? 2 : 1;
    else if (eol[0] === 0x0a) end += 1;
    const kind = xrefKindAt(source, end, startxref);
    if (kind === null) continue;
    if (out.length > 0 && out[out.length - 1]!.end >= end) continue;
    out.push({ index: out.length, end, startxref, xrefKind: kind });
  }
  if (out.length === 0) throw kysoError('ERR_PDF_MALFORMED', 'no revision ends with a readable startxref and %%EOF');
  return out;
}

/** Offsets of every `%%EOF` in the file, scanned in large chunks. */
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
  const text = new TextDecoder('latin1').decode(source.read(from, eofAt - from));
  const m = /startxref[\s]+(\d{1,15})[\s]*$/.exec(text);
  return m ? Number(m[1]) : null;
}

/** The kind of the xref section when the prefix opens as a PDF, else null. */
function xrefKindAt(source: ByteSource, end: number, startxref: number): 'table' | 'stream' | null {
  if (startxref >= end) return null;
  try {
    const xref = readXref(new Cursor(prefixSource(source, end)), (v) => (typeof v === 'number' ? v : null));
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
