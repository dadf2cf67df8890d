import type { ByteSource } from './byte-source.js';

const CHUNK = 1 << 16;
const EMPTY = new Uint8Array(0);

/**
 * A read position over a {@link ByteSource} with one cached chunk, so parsing
 * a file in Node touches only the parts it needs.
 */
export class Cursor {
  pos: number;
  private chunk: Uint8Array = new Uint8Array(0);
  private chunkStart = 0;

  /**
   * `chunkSize` is how many bytes one read fetches. Tests set it to 1 to take the byte-by-byte paths of the
   * token readers (which also handle tokens straddling two reads) and compare them with the usual reads.
   */
  constructor(readonly source: ByteSource, pos = 0, private readonly chunkSize = CHUNK) {
    this.pos = pos;
  }

  get length(): number {
    return this.source.length;
  }

  /** The byte at `at` (default the position), or -1 past the end. */
  peek(at = this.pos): number {
    const rel = at - this.chunkStart;
    if (rel >= 0 && rel < this.chunk.length) return this.chunk[rel]!;
    if (at < 0 || at >= this.source.length) return -1;
    this.chunkStart = at;
    this.chunk = this.source.read(at, this.chunkSize);
    return this.chunk[0]!;
  }

  /**
   * The bytes from the position to the end of the cached chunk (reading the
   * chunk at the position if needed); empty only at the end of the data. Lets
   * a token reader scan a plain array instead of calling `peek` per byte.
   */
  window(): Uint8Array {
    if (this.peek() === -1) return EMPTY;
    return this.chunk.subarray(this.pos - this.chunkStart);
  }

  next(): number {
    const b = this.peek();
    if (b !== -1) this.pos++;
    return b;
  }

  read(offset: number, length: number): Uint8Array {
    return this.source.read(offset, length);
  }
}

// ISO 32000-2 §7.2.3: white-space and delimiter characters.
export function isWhite(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;
}

export function isDelimiter(b: number): boolean {
  return b === 0x28 || b === 0x29 || b === 0x3c || b === 0x3e || b === 0x5b || b === 0x5d
    || b === 0x7b || b === 0x7d || b === 0x2f || b === 0x25;
}

export function isRegular(b: number): boolean {
  return b !== -1 && !isWhite(b) && !isDelimiter(b);
}
