/** The document as of an earlier revision: a view of the file's first bytes (ISO 32000-2 §7.5.6). */
import type { ByteSource } from '../../pdf/byte-source.js';

/**
 * A view of the first `end` bytes of `source`: the document as of the
 * revision that ends there.
 */
export function prefixSource(source: ByteSource, end: number): ByteSource {
  const length = Math.min(end, source.length);
  const prefix: ByteSource = {
    length,
    read: (offset, len) => (offset >= length ? new Uint8Array(0) : source.read(offset, Math.min(len, length - offset))),
    // Same offsets as the source: parsers may share what they learnt about its bytes.
    origin: source.origin ?? source,
  };
  const clip = (offset: number, target: Uint8Array): Uint8Array | null =>
    offset >= length ? null : target.length > length - offset ? target.subarray(0, length - offset) : target;
  const { readInto, readIntoAsync } = source;
  const prefixed: { -readonly [K in keyof ByteSource]: ByteSource[K] } = { ...prefix };
  if (readInto) {
    prefixed.readInto = (offset, target) => {
      const clipped = clip(offset, target);
      return clipped ? readInto.call(source, offset, clipped) : 0;
    };
  }
  if (readIntoAsync) {
    prefixed.readIntoAsync = async (offset, target) => {
      const clipped = clip(offset, target);
      return clipped ? readIntoAsync.call(source, offset, clipped) : 0;
    };
  }
  return prefixed;
}
