import type { ByteSource } from '../../pdf/byte-source.js';
import { streamRanges, type StreamRangesOptions } from '../../pdf/stream-ranges.js';
import { createDigest, type DigestAlgorithm } from '../cms/digests.js';

/**
 * Digest of the bytes a /ByteRange covers (ISO 32000-2 §12.8.1), streamed
 * from the source without joining the ranges or copying the file. Ranges are
 * taken as (offset, length) pairs and clipped to the file; the caller decides
 * first whether the ranges are sane (see `checkByteRange`).
 */
export async function hashByteRange(
  source: ByteSource,
  byteRange: readonly number[],
  hash: DigestAlgorithm,
  options: StreamRangesOptions = {},
): Promise<Uint8Array> {
  const engine = createDigest(hash);
  await streamRanges(source, byteRange, (chunk) => engine.update(chunk), options);
  return engine.digest();
}
