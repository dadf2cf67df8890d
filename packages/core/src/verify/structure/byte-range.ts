/**
 * ByteRange sanity (ISO 32000-2 §12.8.1): the signed bytes are the whole
 * revision except exactly the `/Contents` hex string of this signature
 * dictionary. Each rule closes one attack class of the "PDF Insecurity"
 * research: Universal Signature Forgery (missing, null or mistyped entries),
 * Signature Wrapping (a gap that is not this /Contents), Incremental Saving
 * (coverage stopping short of a revision end).
 */
import * as asn1js from 'asn1js';
import type { ByteSource } from '../../pdf/byte-source.js';
import { Cursor } from '../../pdf/cursor.js';
import type { PdfDocument } from '../../pdf/document.js';
import { PdfDict, PdfName, PdfRef, PdfString, type PdfValue } from '../../pdf/objects.js';
import { ObjectParser, PARSE_LIMITS } from '../../pdf/parser.js';
import type { ByteRangeFacts, ByteRangeProblem, RevisionFacts } from '../facts.js';
import { bytesToLatin1 } from '../../util/bytes.js';

/** Where a signature dictionary's raw bytes are, so its /Contents token can be located. */
export type DictLocation =
  | { readonly kind: 'object'; readonly num: number }
  | { readonly kind: 'none' };

/** The outcome of {@link checkByteRange}: the facts and the CMS bytes without padding. */
export interface ByteRangeCheck {
  readonly facts: ByteRangeFacts;
  /** The DER CMS from /Contents, zero padding removed; null when /Contents holds nothing usable. */
  readonly contents: Uint8Array | null;
}

/** How far from a stale xref offset the object header is looked for (writers are sometimes off by a few bytes). */
const HEADER_SLACK = 1024;

/**
 * Checks a signature dictionary's /ByteRange and /Contents against the file.
 * Never throws for a malformed dictionary: every defect becomes a problem.
 */
export function checkByteRange(
  source: ByteSource,
  revisions: readonly RevisionFacts[],
  doc: PdfDocument,
  dict: PdfDict,
  where: DictLocation,
  docAt: (revision: number) => PdfDocument | null = () => null,
): ByteRangeCheck {
  const problems = new Set<ByteRangeProblem>();
  for (const p of dictionaryForm(dict)) problems.add(p);
  const raw = safe(() => doc.resolve(dict.get('ByteRange')), undefined);
  const numbers = Array.isArray(raw) ? raw.map((v) => safe(() => doc.resolve(v), null)) : null;
  const byteRange = numbers && numbers.every((v): v is number => typeof v === 'number' && Number.isFinite(v)) ? (numbers as number[]) : null;
  let coveredRevision: number | null = null;
  if (!byteRange || byteRange.length !== 4 || !byteRange.every((v) => Number.isInteger(v) && v >= 0)) {
    problems.add('missing');
  } else {
    const [a, b, c, d] = byteRange as [number, number, number, number];
    if (a !== 0) problems.add('not-from-start');
    if (a + b > c) problems.add('overlap');
    if (a + b > source.length || c + d > source.length) problems.add('beyond-eof');
    coveredRevision = revisionEndingAt(source, revisions, c + d);
    if (coveredRevision === null) problems.add('not-revision-end');
  }
  // The gap must be this dictionary's /Contents as the signed revision wrote it:
  // a dictionary redefined later is the modification analysis' business, and the
  // CMS to check is the one in the gap.
  const signedDoc = coveredRevision !== null && where.kind === 'object' ? docAt(coveredRevision) : null;
  const signedDict = signedDoc && where.kind === 'object' ? safe(() => signedDoc.dictOf(signedDoc.get(where.num)), null) : null;
  const [gapDoc, gapDict] = signedDoc && signedDict ? [signedDoc, signedDict] : [doc, dict];
  // The dictionary as signed must have the fixed form too (a later redefinition is the modification analysis' business).
  if (gapDict !== dict) for (const p of dictionaryForm(gapDict)) problems.add(p);
  const { contents, hex } = readContents(gapDoc, gapDict, problems);
  if (!problems.has('missing')) {
    const [, b, c] = byteRange as [number, number, number, number];
    const token = where.kind === 'object' ? contentsToken(source, gapDoc, where.num) : null;
    if (!token || token.start !== b || token.end !== c || !hex) problems.add('gap-not-contents');
  }
  const list = [...problems];
  const coverage = list.length === 0 ? 'whole-revision' : list.every((p) => p === 'not-revision-end') ? 'partial' : 'broken';
  return { facts: { byteRange, problems: list, coveredRevision, coverage }, contents };
}

/** The entries whose form ISO 32000-2 §12.8.1 (Table 255) fixes, besides /ByteRange and /Contents. */
const SIGNATURE_TYPES = new Set(['Sig', 'DocTimeStamp']);

/**
 * The form of a byte-range signature dictionary (ISO 32000-2 §12.8.1): every
 * value is a direct object, so that the signed bytes (all of the dictionary
 * but /Contents) fix what it says; an indirect /ByteRange would let a later
 * revision move the digested ranges without touching the dictionary. /Type,
 * when present, is /Sig or /DocTimeStamp; /Filter is a name and /SubFilter,
 * when present, a name. Only a dictionary that has a /ByteRange is held to
 * this (one without it is reported as 'missing').
 */
function dictionaryForm(dict: PdfDict): ByteRangeProblem[] {
  if (!dict.has('ByteRange')) return [];
  const out: ByteRangeProblem[] = [];
  const br = dict.get('ByteRange');
  const indirect = [...dict.map.values()].some((v) => v instanceof PdfRef) || (Array.isArray(br) && br.some((v) => v instanceof PdfRef));
  if (indirect) out.push('indirect-entry');
  const type = dict.get('Type');
  const filter = dict.get('Filter');
  const subFilter = dict.get('SubFilter');
  const typeOk = type === undefined || (type instanceof PdfName && SIGNATURE_TYPES.has(type.name));
  const filterOk = filter instanceof PdfName || filter instanceof PdfRef; // an indirect one is reported above
  const subFilterOk = subFilter === undefined || subFilter instanceof PdfName || subFilter instanceof PdfRef;
  if (!typeOk || !filterOk || !subFilterOk) out.push('malformed-entry');
  return out;
}

/**
 * /Contents: a string holding one DER element followed only by zero padding
 * (ISO 32000-2 §12.8.1, "Contents"). Absent, null, empty, all-zero or
 * non-string values are 'contents-missing'.
 */
function readContents(doc: PdfDocument, dict: PdfDict, problems: Set<ByteRangeProblem>): { contents: Uint8Array | null; hex: boolean } {
  // /Contents must be direct (Table 255); an indirect one is resolved only to report it.
  const value = safe(() => doc.resolve(dict.get('Contents')), null);
  if (!(value instanceof PdfString)) {
    problems.add('contents-missing');
    return { contents: null, hex: false };
  }
  const bytes = value.bytes;
  let last = bytes.length;
  while (last > 0 && bytes[last - 1] === 0) last--;
  if (last === 0) {
    problems.add('contents-missing');
    return { contents: null, hex: value.hex };
  }
  const len = derElementLength(bytes);
  if (len === null) {
    // Not one BER element: hand over what is there, and let the CMS parser say why it fails.
    return { contents: bytes.subarray(0, last), hex: value.hex };
  }
  if (last > len) problems.add('contents-trailing');
  return { contents: bytes.subarray(0, len), hex: value.hex };
}

/** Length of the first BER/DER element in `bytes` (X.690 §8.1), or null when there is none. */
export function derElementLength(bytes: Uint8Array): number | null {
  if (bytes.length < 2 || (bytes[0]! & 0x1f) === 0x1f) return fromBerLength(bytes);
  const first = bytes[1]!;
  if (first < 0x80) return 2 + first <= bytes.length ? 2 + first : null;
  const n = first & 0x7f;
  if (n === 0) return fromBerLength(bytes); // indefinite length: let asn1js find the end-of-contents
  if (n > 6 || 2 + n > bytes.length) return null;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + bytes[2 + i]!;
  const total = 2 + n + len;
  return total <= bytes.length ? total : null;
}

function fromBerLength(bytes: Uint8Array): number | null {
  try {
    const { offset } = asn1js.fromBER(bytes.slice());
    return offset > 0 ? offset : null;
  } catch {
    return null;
  }
}

/** The index of the revision the covered bytes end at (tolerating a missing end-of-line after %%EOF), or null. */
function revisionEndingAt(source: ByteSource, revisions: readonly RevisionFacts[], end: number): number | null {
  for (const r of revisions) {
    if (r.end === end) return r.index;
    const short = r.end - end;
    if (short === 1 || short === 2) {
      const tail = source.read(end, short);
      if (tail.every((b) => b === 0x0a || b === 0x0d)) return r.index;
    }
  }
  return null;
}

/**
 * Offsets of the /Contents value token in the raw signature dictionary
 * `num 0 obj << … >>` at its xref offset: `start` at `<`, `end` after `>`.
 * Null when the object is not a plain object in the file (e.g. inside an
 * object stream, where the bytes are compressed) or cannot be read.
 */
export function contentsToken(source: ByteSource, doc: PdfDocument, num: number): { start: number; end: number } | null {
  const entry = doc.xref.entries.get(num);
  if (!entry || entry.type !== 1) return null;
  try {
    const at = objectHeader(source, num, entry.gen, entry.offset);
    if (at === null) return null;
    const cur = new Cursor(source, at);
    const p = new ObjectParser(cur);
    for (const expected of [String(num), String(entry.gen), 'obj']) {
      if (String(p.parseValueOrKeyword()) !== expected) return null;
    }
    p.skipWhite();
    if (cur.peek() !== 0x3c || cur.peek(cur.pos + 1) !== 0x3c) return null;
    cur.pos += 2;
    let found: { start: number; end: number } | null = null;
    for (let i = 0; i < 10_000; i++) {
      p.skipWhite();
      if (cur.peek() === 0x3e && cur.peek(cur.pos + 1) === 0x3e) return found;
      const key: PdfValue = p.parseValue();
      if (!(key instanceof PdfName)) return null;
      p.skipWhite();
      const start = cur.pos;
      // A hex string's extent is all that is needed here: it is scanned, not decoded (the CMS is read from the parsed value).
      if (cur.peek() === 0x3c && cur.peek(cur.pos + 1) !== 0x3c) {
        if (!skipHexString(cur)) return null;
      } else {
        p.parseValue();
      }
      // A repeated key: the last one wins, as in the parsed dictionary.
      if (key.name === 'Contents') found = { start, end: cur.pos };
    }
    return null;
  } catch {
    return null;
  }
}

/** Hex digits (ISO 32000-2 §7.3.4.3), white space (§7.2.3) and the closing `>`, by byte. */
const HEX_DIGIT = 1;
const HEX_WHITE = 2;
const HEX_CLOSE = 3;
const HEX_CLASS = /* @__PURE__ */ (() => {
  const t = new Uint8Array(256);
  for (const c of '0123456789abcdefABCDEF') t[c.charCodeAt(0)] = HEX_DIGIT;
  for (const b of [0x20, 0x0a, 0x0d, 0x09, 0x0c, 0x00]) t[b] = HEX_WHITE;
  t[0x3e] = HEX_CLOSE;
  return t;
})();

/**
 * Moves the cursor from a hex string's `<` to just after its `>`, accepting
 * exactly what the object parser accepts (digits and white space, at most
 * PARSE_LIMITS.tokenBytes decoded bytes); false where the parser would throw.
 */
function skipHexString(cur: Cursor): boolean {
  cur.pos++; // '<'
  let digits = 0;
  for (;;) {
    const piece = cur.window();
    if (piece.length === 0) return false; // unterminated
    for (let i = 0; i < piece.length; i++) {
      const k = HEX_CLASS[piece[i]!]!;
      if (k === HEX_DIGIT) digits++;
      else if (k === HEX_CLOSE) {
        cur.pos += i + 1;
        return digits >> 1 <= PARSE_LIMITS.tokenBytes;
      } else if (k !== HEX_WHITE) return false; // a bad digit
    }
    if (digits >> 1 > PARSE_LIMITS.tokenBytes) return false;
    cur.pos += piece.length;
  }
}

function objectHeader(source: ByteSource, num: number, gen: number, offset: number): number | null {
  if (offset >= source.length) return null;
  const from = Math.max(0, offset - HEADER_SLACK);
  const text = bytesToLatin1(source.read(from, 2 * HEADER_SLACK + 32));
  const re = new RegExp(`(^|[^0-9])${num}\\s+${gen}\\s+obj`, 'g');
  let best = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = from + m.index + m[1]!.length;
    if (best < 0 || Math.abs(at - offset) < Math.abs(best - offset)) best = at;
  }
  return best < 0 ? null : best;
}

function safe<T, D>(read: () => T, dflt: D): T | D {
  try {
    return read();
  } catch {
    return dflt;
  }
}
