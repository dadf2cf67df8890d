import { kysoError } from '../errors/index.js';
import type { ByteSource } from './byte-source.js';

/**
 * Bytes per read: a syscall per chunk costs nothing at this size, and two
 * chunks stay in the CPU's cache while one is hashed and the next is read.
 */
const CHUNK = 2 * 1024 * 1024;
const FIRST_CHUNK = 256 * 1024;

/**
 * Below this many bytes reads stay synchronous: a thread-pool round trip per
 * chunk costs more than the overlap wins on a file of a few chunks.
 */
const OVERLAP_FROM = 4 * 1024 * 1024;

/** Bytes streamed between two yields to the event loop. */
const YIELD_EVERY = 32 * 1024 * 1024;

/**
 * Read buffers kept between calls. A fresh multi-megabyte buffer costs a page
 * fault per 4 KiB on first touch, which tripled the time to hash a 1 MB file;
 * concurrent streams each borrow their own (two when reads overlap hashing).
 */
const pool: Uint8Array[] = [];
const POOL_SIZE = 4;
const borrow = (): Uint8Array => pool.pop() ?? new Uint8Array(CHUNK);
const giveBack = (buffer: Uint8Array): void => {
  if (pool.length < POOL_SIZE) pool.push(buffer);
};

/**
 * Lets queued tasks run (an abort message from the page, I/O completions).
 * `setTimeout(0)` waits at least 1 ms in Node and 4 ms when nested in
 * browsers (HTML §8.6 timer clamping); `setImmediate` (Node) and a
 * MessageChannel round trip (browsers, workers) do not.
 */
function yieldToEventLoop(): Promise<void> {
  const g = globalThis as unknown as { setImmediate?: (fn: () => void) => unknown; MessageChannel?: new () => { port1: { onmessage: (() => void) | null; close(): void }; port2: { postMessage(v: unknown): void; close(): void } } };
  return new Promise<void>((resolve) => {
    if (g.setImmediate) {
      g.setImmediate(resolve);
    } else if (g.MessageChannel) {
      const channel = new g.MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        channel.port2.close();
        resolve();
      };
      channel.port2.postMessage(null);
    } else {
      setTimeout(resolve, 0);
    }
  });
}

/** Options of {@link streamRanges}. */
export interface StreamRangesOptions {
  readonly signal?: AbortSignal;
  /** Called after each chunk with the bytes streamed so far. */
  readonly onBytes?: (done: number) => void;
}

/**
 * Feeds the bytes of `ranges` ((offset, length) pairs, clipped to the
 * source) to `sink` in order, without joining them or copying the file
 * (ISO 32000-2 §12.8.1: a ByteRange digest is computed over the ranges
 * as if concatenated). Sources that can fill a buffer reuse a pooled one;
 * sources that can fill it in the background (a file in Node) read the next
 * chunk while `sink` works on this one, so hashing a file costs the hash
 * alone rather than the hash plus the copy out of the page cache.
 * Every 32 MiB it yields, so a server or a worker stays responsive, an
 * AbortSignal is honoured, and I/O started earlier proceeds alongside.
 *
 * @returns the number of bytes streamed.
 * @throws ERR_ABORTED when the signal fires; ERR_IO on a short read.
 */
export async function streamRanges(
  source: ByteSource,
  ranges: readonly number[],
  sink: (chunk: Uint8Array) => void,
  options: StreamRangesOptions = {},
): Promise<number> {
  const chunks = chunkPlan(source.length, ranges);
  const total = chunks.reduce((sum, [, want]) => sum + want, 0);
  if (source.readIntoAsync && total >= OVERLAP_FROM) return streamOverlapped(source, chunks, sink, options);
  const { signal, onBytes } = options;
  const buffer = source.readInto ? borrow() : null;
  let done = 0;
  let sinceYield = 0;
  try {
    for (const [at, want] of chunks) {
      if (signal?.aborted) throw kysoError('ERR_ABORTED');
      let chunk: Uint8Array;
      if (buffer) {
        const n = source.readInto!(at, buffer.subarray(0, want));
        if (n !== want) throw kysoError('ERR_IO', `short read at offset ${at}`);
        chunk = buffer.subarray(0, n);
      } else {
        chunk = source.read(at, want);
        if (chunk.length !== want) throw kysoError('ERR_IO', `short read at offset ${at}`);
      }
      sink(chunk);
      done += want;
      sinceYield += want;
      onBytes?.(done);
      if (sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await yieldToEventLoop();
      }
    }
  } finally {
    if (buffer) giveBack(buffer);
  }
  return done;
}

/**
 * The (offset, length) reads that cover `ranges` clipped to `length`: growing
 * from {@link FIRST_CHUNK} to {@link CHUNK}, because the first read is the
 * one nothing overlaps; a small one gets hashing going sooner.
 */
function chunkPlan(length: number, ranges: readonly number[]): Array<[number, number]> {
  const chunks: Array<[number, number]> = [];
  let size = FIRST_CHUNK;
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const start = Math.max(0, ranges[i]!);
    const end = Math.min(length, start + Math.max(0, ranges[i + 1]!));
    for (let at = start; at < end; at += size, size = Math.min(CHUNK, size * 2)) chunks.push([at, Math.min(size, end - at)]);
  }
  return chunks;
}

/**
 * Double buffering: while `sink` consumes one buffer, the source fills the
 * other. Awaiting each read is also the yield to the event loop.
 */
async function streamOverlapped(
  source: ByteSource,
  chunks: ReadonlyArray<readonly [number, number]>,
  sink: (chunk: Uint8Array) => void,
  { signal, onBytes }: StreamRangesOptions,
): Promise<number> {
  const buffers = [borrow(), borrow()] as const;
  const start = (k: number): Promise<number> => source.readIntoAsync!(chunks[k]![0], buffers[k % 2]!.subarray(0, chunks[k]![1]));
  let pending: Promise<number> | undefined = chunks.length ? start(0) : undefined;
  let done = 0;
  try {
    for (let k = 0; k < chunks.length; k++) {
      const [at, want] = chunks[k]!;
      const n = await pending!;
      pending = undefined;
      if (n !== want) throw kysoError('ERR_IO', `short read at offset ${at}`);
      if (signal?.aborted) throw kysoError('ERR_ABORTED');
      if (k + 1 < chunks.length) pending = start(k + 1);
      sink(buffers[k % 2]!.subarray(0, n));
      done += n;
      onBytes?.(done);
    }
  } finally {
    // A read still in flight owns its buffer: it goes back to the pool only once the read settles.
    if (pending) await pending.catch(() => 0);
    giveBack(buffers[0]);
    giveBack(buffers[1]);
  }
  return done;
}

/** Total bytes `ranges` cover within a source of `length` bytes, as {@link streamRanges} clips them. */
export function rangesLength(ranges: readonly number[], length: number): number {
  let total = 0;
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const start = Math.max(0, ranges[i]!);
    total += Math.max(0, Math.min(length, start + Math.max(0, ranges[i + 1]!)) - start);
  }
  return total;
}
