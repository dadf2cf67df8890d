import { kysoError } from '../errors/index.js';

/**
 * Random access to a document's bytes. In memory it is a view; in Node a file
 * handle (see `@kyso/core/node`), so a 1 GB file is parsed without being loaded.
 */
export interface ByteSource {
  readonly length: number;
  /** Returns `length` bytes from `offset` (fewer at the end). May return a view: do not mutate. */
  read(offset: number, length: number): Uint8Array;
  /**
   * Optional: copies `target.length` bytes from `offset` into `target` and
   * returns how many were copied. Lets sequential readers (hashing) reuse one
   * buffer instead of allocating per chunk.
   */
  readInto?(offset: number, target: Uint8Array): number;
  /**
   * Optional: like {@link ByteSource.readInto}, but the copy happens off the
   * calling thread (Node's thread pool for a file). Lets a sequential reader
   * fetch the next chunk while it hashes this one. The caller must not touch
   * `target` until the promise settles.
   */
  readIntoAsync?(offset: number, target: Uint8Array): Promise<number>;
  /**
   * Optional: the source this one is a view of (e.g. a prefix: the file as of an
   * earlier revision). Parsers may share work between views of one origin.
   */
  readonly origin?: object;
}

export function memorySource(bytes: Uint8Array): ByteSource & { readonly bytes: Uint8Array } {
  return {
    bytes,
    length: bytes.length,
    read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}

/**
 * The whole updated file, `source` followed by `tail`, as one new array: what
 * the in-memory `sign`, `finish` and `extend` return (ISO 32000-2 §7.5.6: an
 * incremental update is appended; the input stays a byte-identical prefix).
 */
export function appendedBytes(source: ByteSource, tail: Uint8Array): Uint8Array {
  const out = new Uint8Array(source.length + tail.length);
  const step = 1 << 24;
  for (let at = 0; at < source.length; at += step) {
    const part = source.read(at, Math.min(step, source.length - at));
    if (part.length !== Math.min(step, source.length - at)) throw kysoError('ERR_IO', `short read at offset ${at}`);
    out.set(part, at);
  }
  out.set(tail, source.length);
  return out;
}

export function isByteSource(value: unknown): value is ByteSource {
  return !!value && typeof value === 'object' && typeof (value as ByteSource).read === 'function'
    && typeof (value as ByteSource).length === 'number';
}
