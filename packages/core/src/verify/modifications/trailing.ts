import type { ByteSource } from '../../pdf/byte-source.js';
import type { ModificationChange, RevisionFacts } from '../facts.js';
import { LABELS } from './labels.js';
import { bytesToLatin1 } from '../../util/bytes.js';

/** Bytes after the last revision that are examined (a reader that reconstructs a file reads all of them). */
const SCAN_CHUNK = 1 << 20;

/** What a reconstructing reader picks up from bytes that no cross-reference section lists. */
export type TrailingFinding = 'object' | 'xref' | 'trailer' | 'startxref' | 'other';

/**
 * What follows the end of the last revision (its `%%EOF` and end-of-line).
 *
 * A reader that trusts the last `startxref` ignores these bytes, but a reader
 * that rebuilds a damaged file (PDFBox's lenient parser, qpdf, pdf.js and most
 * viewers when the tail does not parse) scans the whole file for `N G obj`
 * headers, `xref` tables and `trailer` dictionaries and uses the last
 * definition of each object it finds (ISO 32000-2 §7.5.6 gives no meaning to
 * bytes after `%%EOF`, so no reading of them is "the" right one). Only white
 * space (NUL included, §7.2.3) and comments leave every reader showing the
 * same document. A keyword inside a comment is reported too: a scanning
 * reader does not know it is in a comment.
 *
 * Returns what was found, in order of first appearance (empty when the tail is
 * harmless). The whole tail is read in chunks; no limit on its size applies,
 * since a limit would be where an attacker puts the payload.
 */
export function scanTrailing(source: ByteSource, from: number): TrailingFinding[] {
  const found = new Set<TrailingFinding>();
  // Keywords may straddle a chunk boundary: keep the last few bytes of the previous chunk.
  const keep = 64;
  let carry = '';
  let inComment = false;
  for (let at = from; at < source.length; at += SCAN_CHUNK) {
    const chunk = source.read(at, Math.min(SCAN_CHUNK, source.length - at));
    if (!chunk.length) break;
    const text = carry + bytesToLatin1(chunk);
    if (/(?<![0-9])\d{1,10}[\0\t\n\f\r ]+\d{1,5}[\0\t\n\f\r ]+obj(?![A-Za-z0-9])/.test(text)) found.add('object');
    if (/(?<![A-Za-z])startxref(?![A-Za-z])/.test(text)) found.add('startxref');
    if (/(?<![A-Za-z])xref(?![A-Za-z])/.test(text.replace(/startxref/g, ''))) found.add('xref');
    if (/(?<![A-Za-z])trailer(?![A-Za-z])/.test(text)) found.add('trailer');
    // Anything outside white space and comments (§7.2.3, §7.2.4) is content a reader may act on.
    for (let i = carry.length; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inComment) {
        if (c === 0x0a || c === 0x0d) inComment = false;
      } else if (c === 0x25) inComment = true;
      else if (c !== 0 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d && c !== 0x20) {
        found.add('other');
        break;
      }
    }
    carry = text.slice(-keep);
  }
  if (found.size > 1) found.delete('other');
  return [...found];
}

/**
 * The change that bytes after the last revision make, or null when they are
 * only white space, NULs and comments (still reported as unsigned trailing
 * bytes by the verifier, never as a modification).
 */
export function trailingChange(source: ByteSource, revisions: readonly RevisionFacts[]): ModificationChange | null {
  const last = revisions.reduce<RevisionFacts | null>((a, r) => (!a || r.end > a.end ? r : a), null);
  if (!last || last.end >= source.length) return null;
  const found = scanTrailing(source, last.end);
  if (!found.length) return null;
  return {
    revision: last.index + 1,
    kind: found.includes('object') ? 'object-redefined' : 'other',
    allowed: false,
    label: LABELS.trailingBytes(found, source.length - last.end),
    objects: [],
  };
}
