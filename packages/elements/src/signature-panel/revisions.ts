/**
 * The length of the revision each signature covers, read from the file's
 * /ByteRange arrays (ISO 32000-2 §12.8.1: `[0 a b c]`, the signed bytes end at
 * `b + c`, which is the end of the revision the signature belongs to).
 *
 * The verification report does not carry byte ranges; its signatures are in
 * the file order of their revisions, which is the order of their covered
 * ends. When the number of well-formed /ByteRange arrays found differs from
 * the number of signatures in the report (a damaged file, an unfinished
 * placeholder, a /ByteRange inside a compressed object stream), no length is
 * guessed: the answer is null and the panel does not offer the signed version.
 */

const KEY = new TextEncoder().encode('/ByteRange');

/** Covered ends (`b + c`) of every well-formed /ByteRange in the file, ascending and without repeats. */
export function byteRangeEnds(bytes: Uint8Array): number[] {
  const ends = new Set<number>();
  let i = bytes.indexOf(KEY[0]!);
  while (i >= 0 && i + KEY.length < bytes.length) {
    if (KEY.every((k, j) => bytes[i + j] === k)) {
      const range = readIntegerArray(bytes, i + KEY.length);
      if (range && range.length === 4 && range[0] === 0) {
        const end = range[2]! + range[3]!;
        if (end <= bytes.length) ends.add(end);
      }
    }
    i = bytes.indexOf(KEY[0]!, i + 1);
  }
  return [...ends].sort((a, b) => a - b);
}

/** For each signature of a report (in report order), the length of the revision it covers, or null when unsure. */
export function signedLengths(bytes: Uint8Array, signatureCount: number): (number | null)[] {
  const ends = byteRangeEnds(bytes);
  return Array.from({ length: signatureCount }, (_, i) => (ends.length === signatureCount ? ends[i]! : null));
}

/** Reads `[ n n n n ]` (PDF whitespace, ISO 32000-2 §7.2.3) starting at `at`; null if something else is there. */
function readIntegerArray(bytes: Uint8Array, at: number): number[] | null {
  let i = at;
  const isSpace = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;
  while (isSpace(bytes[i])) i++;
  if (bytes[i] !== 0x5b) return null; // [
  i++;
  const out: number[] = [];
  for (let guard = 0; guard < 8; guard++) {
    while (isSpace(bytes[i])) i++;
    if (bytes[i] === 0x5d) return out; // ]
    let n = 0;
    let digits = 0;
    while (bytes[i]! >= 0x30 && bytes[i]! <= 0x39 && digits < 16) {
      n = n * 10 + (bytes[i]! - 0x30);
      i++;
      digits++;
    }
    if (digits === 0) return null;
    out.push(n);
  }
  return null;
}
