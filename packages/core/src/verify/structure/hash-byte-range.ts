import { digestRangesAtOnce } from '#hash-engine';
import type { ByteSource } from '../../pdf/byte-source.js';
import { rangesLength, streamRanges, type StreamRangesOptions } from '../../pdf/stream-ranges.js';
import { createDigest, type DigestAlgorithm } from '../cms/digests.js';

/**
 * Digest of the bytes a /ByteRange covers (ISO 32000-2 §12.8.1), streamed
 * from the source without joining the ranges or copying the file. Ranges are
 * taken as (offset, length) pairs and clipped to the file; the caller decides
 * first whether the ranges are sane (see `checkByteRange`).
 *
 * A document held in memory may instead be hashed in one native call where
 * the platform's engine says that is faster (`digestRangesAtOnce`: WebCrypto
 * in browsers and workers, whose digest is one-shot only); the digest is the
 * same either way.
 */
export async function hashByteRange(
  source: ByteSource,
  byteRange: readonly number[],
  hash: DigestAlgorithm,
  options: StreamRangesOptions = {},
): Promise<Uint8Array> {
  const bytes = inMemoryBytes(source);
  const once = bytes && !options.signal?.aborted ? digestRangesAtOnce(bytes, byteRange, hash) : undefined;
  if (once) {
    const digest = await once;
    options.onBytes?.(rangesLength(byteRange, source.length));
    return digest;
  }
  const engine = createDigest(hash);
  await streamRanges(source, byteRange, (chunk) => engine.update(chunk), options);
  return engine.digest();
}

/** The whole document when `source` is an in-memory view of it (`memorySource`), else undefined. */
function inMemoryBytes(source: ByteSource): Uint8Array | undefined {
  const bytes = (source as { readonly bytes?: unknown }).bytes;
  return bytes instanceof Uint8Array && bytes.length === source.length ? bytes : undefined;
}
