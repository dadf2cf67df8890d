import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ByteSource } from '../pdf/byte-source.js';

/** A {@link ByteSource} over a file: reads with `readSync` into fresh buffers, never loading the whole file. */
export interface FileSource extends ByteSource {
  close(): void;
}

export function openFileSource(path: string): FileSource {
  const fd = openSync(path, 'r');
  const length = fstatSync(fd).size;
  let closed = false;
  return {
    length,
    read(offset: number, len: number): Uint8Array {
      const n = Math.max(0, Math.min(len, length - offset));
      const buf = new Uint8Array(n);
      let got = 0;
      while (got < n) {
        const r = readSync(fd, buf, got, n - got, offset + got);
        if (r === 0) break;
        got += r;
      }
      return got === n ? buf : buf.subarray(0, got);
    },
    readInto(offset: number, target: Uint8Array): number {
      let got = 0;
      while (got < target.length) {
        const r = readSync(fd, target, got, target.length - got, offset + got);
        if (r === 0) break;
        got += r;
      }
      return got;
    },
    close() {
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
}
