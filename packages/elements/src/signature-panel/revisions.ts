import type { SignatureReport } from '@kyso/core';

/**
 * The length of the version a signature covers: the end of its /ByteRange
 * (ISO 32000-2 §12.8.1: `[0 a b c]` signs bytes up to `b + c`), which is the
 * end of the revision the signature belongs to. Null, never a guess, when the
 * range is missing, malformed, does not start at 0 or ends past the file.
 */
export function signedLength(signature: Pick<SignatureReport, 'byteRange'>, fileLength: number): number | null {
  const br = signature.byteRange;
  if (!br || br.length !== 4 || br[0] !== 0 || !br.every((n) => Number.isSafeInteger(n) && n >= 0)) return null;
  const end = br[2]! + br[3]!;
  return end > 0 && end <= fileLength ? end : null;
}
