import type { ByteSource } from '../pdf/byte-source.js';

/**
 * A byte source that reads as `base` followed by `tail`: the document as it
 * will be once the increments computed so far are appended. Lets `extend`
 * stack a document timestamp on a `/DSS` update without writing or copying
 * the file (ISO 32000-2 §7.5.6: each update is computed over all bytes before it).
 */
export function appendedSource(base: ByteSource, tail: Uint8Array): ByteSource {
  if (tail.length === 0) return base;
  const split = base.length;
  const length = split + tail.length;
  const readInto = (offset: number, target: Uint8Array): number => {
    let done = 0;
    while (done < target.length && offset + done < length) {
      const at = offset + done;
      if (at < split) {
        const want = Math.min(target.length - done, split - at);
        const n = base.readInto ? base.readInto(at, target.subarray(done, done + want)) : copy(base.read(at, want), target, done);
        if (n <= 0) break;
        done += n;
      } else {
        const part = tail.subarray(at - split, at - split + (target.length - done));
        target.set(part, done);
        done += part.length;
      }
    }
    return done;
  };
  return {
    length,
    read(offset: number, len: number): Uint8Array {
      const end = Math.min(length, offset + len);
      if (end <= offset) return new Uint8Array(0);
      if (end <= split) return base.read(offset, end - offset);
      if (offset >= split) return tail.subarray(offset - split, end - split);
      const out = new Uint8Array(end - offset);
      readInto(offset, out);
      return out;
    },
    readInto,
  };
}

function copy(part: Uint8Array, target: Uint8Array, at: number): number {
  target.set(part, at);
  return part.length;
}
