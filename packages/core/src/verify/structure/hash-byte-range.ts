import type { ByteSource } from '../../pdf/byte-source.js';
import { createDigest, type DigestAlgorithm } from '../cms/digests.js';

/** Bytes hashed per read; one buffer is reused when the source can fill it. */
const CHUNK = 1 << 20;

/**
 * Digest of the bytes a /ByteRange covers (ISO 32000-2 §12.8.1), streamed
 * from the source without joining the ranges or copying the file. Ranges are
 * taken as (offset, length) pairs and clipped to the file; the caller decides
 * first whether the ranges are sane (see `checkByteRange`).
 */
export function hashByteRange(source: ByteSource, byteRange: readonly number[], hash: DigestAlgorithm): Uint8Array {
  const engine = createDigest(hash);
  const buffer = source.readInto ? new Uint8Array(CHUNK) : null;
  for (let i = 0; i + 1 < byteRange.length; i += 2) {
    const start = Math.max(0, byteRange[i]!);
    const end = Math.min(source.length, start + Math.max(0, byteRange[i + 1]!));
    for (let at = start; at < end; ) {
      const want = Math.min(CHUNK, end - at);
      let chunk: Uint8Array;
      if (buffer) {
        const n = source.readInto!(at, want === CHUNK ? buffer : buffer.subarray(0, want));
        if (n <= 0) break;
        chunk = buffer.subarray(0, n);
      } else {
        chunk = source.read(at, want);
        if (chunk.length === 0) break;
      }
      engine.update(chunk);
      at += chunk.length;
    }
  }
  return engine.digest();
}
