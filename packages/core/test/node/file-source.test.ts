import { createHash, randomBytes } from 'node:crypto';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openFileSource } from '@kyso/core/node';
import { memorySource, type ByteSource } from '../../src/pdf/byte-source.js';
import { streamRanges } from '../../src/pdf/stream-ranges.js';
import { tempDir } from '../helpers/signed-pdf.js';

const KiB = 1024;
const MiB = 1024 * KiB;

// Larger than the threshold from which reads overlap hashing, and not a multiple of any chunk size.
const SIZE = 9 * MiB + 12_345;
let path: string;
let bytes: Uint8Array;

beforeAll(() => {
  bytes = new Uint8Array(randomBytes(SIZE));
  path = join(tempDir('file-source'), 'random.bin');
  writeFileSync(path, bytes);
});

const sha256 = (parts: Uint8Array[]): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

/** Digest of `ranges` streamed from `source`, and the chunk count. */
async function streamedDigest(source: ByteSource, ranges: number[]): Promise<{ hex: string; chunks: number; streamed: number }> {
  const h = createHash('sha256');
  let chunks = 0;
  const streamed = await streamRanges(source, ranges, (c) => {
    h.update(c);
    chunks++;
  });
  return { hex: h.digest('hex'), chunks, streamed };
}

describe('openFileSource: read()', () => {
  // Reads land inside one cached 64 KiB block, across several, on block edges, past the end and over more than the cache.
  const cases: Array<[string, number, number]> = [
    ['the header', 0, 1024],
    ['one byte at a block edge', 64 * KiB - 1, 1],
    ['across one block edge', 64 * KiB - 10, 20],
    ['across several blocks', 3 * 64 * KiB + 7, 5 * 64 * KiB],
    ['larger than the block cache', 100, 3 * MiB],
    ['the last byte', SIZE - 1, 1],
    ['past the end (clipped)', SIZE - 10, 1000],
    ['starting past the end', SIZE + 5, 10],
    ['zero bytes', 1000, 0],
  ];
  it.each(cases)('returns exactly the file bytes: %s', (_name, offset, length) => {
    const source = openFileSource(path);
    try {
      const expected = bytes.subarray(Math.min(offset, SIZE), Math.min(SIZE, offset + length));
      // Twice: the first read fills the cache, the second is served from it.
      expect(Buffer.from(source.read(offset, length)).equals(expected)).toBe(true);
      expect(Buffer.from(source.read(offset, length)).equals(expected)).toBe(true);
    } finally {
      source.close();
    }
  });

  it('stays right over a long random walk that evicts blocks again and again', () => {
    const source = openFileSource(path);
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    try {
      for (let i = 0; i < 2000; i++) {
        const offset = random(SIZE);
        const length = random(i % 10 === 0 ? 300 * KiB : 200);
        const got = source.read(offset, length);
        expect(Buffer.from(got).equals(bytes.subarray(offset, Math.min(SIZE, offset + length)))).toBe(true);
      }
    } finally {
      source.close();
    }
  });
});

describe('openFileSource: a file that changes under the reader', () => {
  it('a read across blocks of a file cut short since it was opened returns fewer bytes, never zeros in their place', () => {
    const copy = join(tempDir('file-source-shrink'), 'shrinking.bin');
    writeFileSync(copy, bytes.subarray(0, 512 * KiB));
    const source = openFileSource(copy);
    try {
      truncateSync(copy, 100 * KiB);
      const got = source.read(60 * KiB, 200 * KiB);
      expect(got.length).toBe(40 * KiB);
      expect(Buffer.from(got).equals(bytes.subarray(60 * KiB, 100 * KiB))).toBe(true);
    } finally {
      source.close();
    }
  });
});

describe('streamRanges over a file', () => {
  it('gives the digest of the ranges as if joined, reading in the background, for the whole file and for a ByteRange', async () => {
    const source = openFileSource(path);
    try {
      const whole = await streamedDigest(source, [0, SIZE]);
      expect(whole.hex).toBe(sha256([bytes]));
      expect(whole.streamed).toBe(SIZE);
      // A signature's ByteRange: everything but a hole (ISO 32000-2 §12.8.1).
      const a = 5 * MiB + 3;
      const b = a + 32_770;
      const byteRange = [0, a, b, SIZE - b];
      const ranged = await streamedDigest(source, byteRange);
      expect(ranged.hex).toBe(sha256([bytes.subarray(0, a), bytes.subarray(b)]));
      expect(ranged.hex).toBe((await streamedDigest(memorySource(bytes), byteRange)).hex);
      expect(ranged.chunks).toBeGreaterThan(2);
    } finally {
      source.close();
    }
  });

  it('clips ranges to the file and streams small files synchronously with the same result', async () => {
    const source = openFileSource(path);
    try {
      const clipped = await streamedDigest(source, [SIZE - 100, 1000, -5, 10]);
      expect(clipped.streamed).toBe(100 + 10);
      expect(clipped.hex).toBe(sha256([bytes.subarray(SIZE - 100), bytes.subarray(0, 10)]));
      const small = await streamedDigest(source, [0, 1 * MiB]);
      expect(small.hex).toBe(sha256([bytes.subarray(0, MiB)]));
    } finally {
      source.close();
    }
  });

  it('runs concurrent streams over one file without mixing their buffers', async () => {
    const source = openFileSource(path);
    try {
      const results = await Promise.all([
        streamedDigest(source, [0, SIZE]),
        streamedDigest(source, [MiB, SIZE - MiB]),
        streamedDigest(source, [0, SIZE]),
      ]);
      expect(results.map((r) => r.hex)).toEqual([sha256([bytes]), sha256([bytes.subarray(MiB)]), sha256([bytes])]);
    } finally {
      source.close();
    }
  });

  it('a failing sink or a short background read stops the stream, and the next stream is still right', async () => {
    const source = openFileSource(path);
    try {
      let calls = 0;
      await expect(streamRanges(source, [0, SIZE], () => {
        if (++calls === 2) throw new Error('sink failed');
      })).rejects.toThrow('sink failed');

      // A file that shrank under the reader: the background read comes back short.
      const shrunk: ByteSource = { ...source, length: SIZE, read: source.read, readIntoAsync: async (offset, target) => {
        const n = await source.readIntoAsync!(offset, target);
        return offset > 4 * MiB ? Math.floor(n / 2) : n;
      } };
      await expect(streamRanges(shrunk, [0, SIZE], () => {})).rejects.toMatchObject({ code: 'ERR_IO' });

      expect((await streamedDigest(source, [0, SIZE])).hex).toBe(sha256([bytes]));
    } finally {
      source.close();
    }
  });

  it('an aborted signal ends the stream with ERR_ABORTED', async () => {
    const source = openFileSource(path);
    const controller = new AbortController();
    try {
      const pending = streamRanges(source, [0, SIZE], () => controller.abort(), { signal: controller.signal });
      await expect(pending).rejects.toMatchObject({ code: 'ERR_ABORTED' });
      expect((await streamedDigest(source, [0, SIZE])).hex).toBe(sha256([bytes]));
    } finally {
      source.close();
    }
  });
});
