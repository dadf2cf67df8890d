import { closeSync, fstatSync, openSync, read, readSync } from 'node:fs';
import type { ByteSource } from '../pdf/byte-source.js';

/**
 * A {@link ByteSource} over a file, never loading the whole file: `read` goes
 * through a few cached 64 KiB blocks, `readInto` straight into the caller's
 * buffer, and `readIntoAsync` reads in libuv's thread pool,
 * so hashing one chunk overlaps reading the next.
 */
export interface FileSource extends ByteSource {
  close(): void;
}

/** Bytes per cached block of {@link FileSource.read}, and how many recent blocks are kept (1 MiB). */
const BLOCK = 64 * 1024;
const MAX_BLOCKS = 16;

export function openFileSource(path: string): FileSource {
  const fd = openSync(path, 'r');
  const length = fstatSync(fd).size;
  let closed = false;
  const readInto = (offset: number, target: Uint8Array): number => {
    let got = 0;
    while (got < target.length) {
      const r = readSync(fd, target, got, target.length - got, offset + got);
      if (r === 0) break;
      got += r;
    }
    return got;
  };
  const readFresh = (offset: number, n: number): Uint8Array => {
    const buf = new Uint8Array(n);
    const got = readInto(offset, buf);
    return got === n ? buf : buf.subarray(0, got);
  };
  // Parsing jumps between a few places (trailer, xref, catalog, the page it
  // signs) and reads small pieces of each: a few recent blocks save a system
  // call and a fresh buffer per piece (23 reads for a one-page file, over a
  // hundred for a long xref table).
  const blocks = new Map<number, Uint8Array>();
  const blockAt = (index: number): Uint8Array => {
    let block = blocks.get(index);
    if (block) {
      blocks.delete(index);
    } else {
      block = readFresh(index * BLOCK, Math.min(BLOCK, length - index * BLOCK));
      if (blocks.size >= MAX_BLOCKS) blocks.delete(blocks.keys().next().value!);
    }
    blocks.set(index, block);
    return block;
  };
  return {
    length,
    read(offset: number, len: number): Uint8Array {
      const n = Math.max(0, Math.min(len, length - offset));
      if (n === 0) return new Uint8Array(0);
      const first = Math.floor(offset / BLOCK);
      const last = Math.floor((offset + n - 1) / BLOCK);
      if (first === last) {
        const block = blockAt(first);
        return block.subarray(offset - first * BLOCK, offset - first * BLOCK + n);
      }
      if (last - first >= MAX_BLOCKS / 2) return readFresh(offset, n);
      const out = new Uint8Array(n);
      let filled = 0;
      for (let i = first; i <= last; i++) {
        const block = blockAt(i);
        const from = Math.max(offset, i * BLOCK);
        const to = Math.min(offset + n, i * BLOCK + block.length);
        if (to > from) out.set(block.subarray(from - i * BLOCK, to - i * BLOCK), from - offset);
        filled = Math.max(filled, to - offset);
        // A block cut short (the file shrank since it was opened) ends the read: never zeros in its place.
        if (block.length < BLOCK) break;
      }
      return filled === n ? out : out.subarray(0, Math.max(0, filled));
    },
    readInto,
    readIntoAsync(offset: number, target: Uint8Array): Promise<number> {
      return new Promise((resolve, reject) => {
        let got = 0;
        const next = (): void => {
          read(fd, target, got, target.length - got, offset + got, (error, n) => {
            if (error) reject(error);
            else if (n === 0 || (got += n) >= target.length) resolve(got);
            else next();
          });
        };
        if (target.length === 0) resolve(0);
        else next();
      });
    },
    close() {
      blocks.clear();
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
}
