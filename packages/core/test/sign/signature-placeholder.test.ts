import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureSamples, type SampleName } from '@kyso/testkit';
import { appendedBytes, memorySource } from '../../src/pdf/byte-source.js';
import { PdfDocument } from '../../src/pdf/document.js';
import { PendingUpdate } from '../../src/pdf/incremental-writer.js';
import { dict, name, PdfDict, PdfString, textString } from '../../src/pdf/objects.js';
import {
  BYTERANGE_WIDTH, fillContents, streamCoveredBytes, writeSignaturePlaceholder, type SignaturePlaceholder,
} from '../../src/pdf/signature-placeholder.js';
import { KysoError } from '../../src/errors/index.js';

/**
 * The placeholder writer every kyso signature and document timestamp goes
 * through (ISO 32000-2 §12.8.1): the byte range covers the whole output but
 * the `<…>` of /Contents, the covered bytes stream in order, and the hole
 * takes the DER as hex.
 */
let samples: Record<SampleName, string>;
const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const TRICKY = '/ByteRange [0 1 2 3] /Contents <00>';

beforeAll(async () => {
  samples = await ensureSamples();
});

function placeholderOn(sample: SampleName, capacity = 300): { input: Uint8Array; placed: SignaturePlaceholder; sigNum: number } {
  const input = new Uint8Array(readFileSync(samples[sample]));
  const doc = PdfDocument.open(memorySource(input));
  const update = new PendingUpdate(doc);
  const ref = update.alloc.next();
  // A string that spells both keys comes before the placeholders: it must not be taken for them.
  const dictionary = dict({ Type: name('Sig'), Filter: name('Adobe.PPKLite'), SubFilter: name('ETSI.CAdES.detached'), Reason: textString(TRICKY) });
  const placed = writeSignaturePlaceholder(doc, { objects: update.list(), ref, dictionary, capacity, newId: new Uint8Array(16).fill(7) });
  return { input, placed, sigNum: ref.num };
}

describe('writeSignaturePlaceholder', () => {
  it.each(['simple', 'xref-stream', 'hybrid'] as const)('on %s: the /ByteRange covers all of the output but the /Contents hole', (sample) => {
    const { input, placed, sigNum } = placeholderOn(sample);
    const output = appendedBytes(memorySource(input), placed.increment);
    const [zero, a, b, rest] = placed.byteRange;
    expect(zero).toBe(0);
    expect(b + rest).toBe(output.length);
    expect(latin1(output.subarray(a, b))).toBe(`<${'0'.repeat(600)}>`);
    expect(placed.contents).toEqual({ at: a + 1 - input.length, capacity: 300 });
    // The numbers fill the fixed-width field and are padded with spaces, not moved.
    expect(latin1(output)).toContain(`/ByteRange [${`0 ${a} ${b} ${rest}`.padEnd(BYTERANGE_WIDTH, ' ')}]/Contents <`);

    // A reader finds the same dictionary: the tricky reason intact, the range as written, /Contents all zeros.
    const reread = PdfDocument.open(memorySource(output));
    const sig = reread.get(sigNum);
    if (!(sig instanceof PdfDict)) throw new Error('no signature dictionary');
    expect(sig.get('ByteRange')).toEqual([...placed.byteRange]);
    expect(latin1((sig.get('Reason') as PdfString).bytes)).toBe(TRICKY);
    expect((sig.get('Contents') as PdfString).bytes).toEqual(new Uint8Array(300));
  });
});

describe('streamCoveredBytes', () => {
  it('feeds exactly the covered bytes, in order, and reports their count last', async () => {
    const { input, placed } = placeholderOn('simple');
    const output = appendedBytes(memorySource(input), placed.increment);
    const [, a, b] = placed.byteRange;
    const chunks: Uint8Array[] = [];
    const seen: number[] = [];
    const covered = await streamCoveredBytes(memorySource(input), placed, (c) => chunks.push(c.slice()), { onBytes: (n) => seen.push(n) });
    const fed = Buffer.concat(chunks);
    expect(covered).toBe(output.length - (b - a));
    expect(fed.equals(Buffer.concat([output.subarray(0, a), output.subarray(b)]))).toBe(true);
    expect(seen.at(-1)).toBe(covered);
  });
});

describe('fillContents', () => {
  it('writes upper-case hex into the hole and leaves the rest as zero padding', () => {
    const { placed } = placeholderOn('simple');
    fillContents(placed.increment, placed.contents, new Uint8Array([0x30, 0x82, 0xab]));
    const at = placed.contents.at;
    expect(latin1(placed.increment.subarray(at - 1, at + 8))).toBe('<3082AB00');
    expect(latin1(placed.increment.subarray(at + 600, at + 601))).toBe('>');
  });

  it('refuses a value larger than the hole, naming both sizes (sign retries with the size it needs)', () => {
    const { placed } = placeholderOn('simple');
    const before = placed.increment.slice();
    const error = catchError(() => fillContents(placed.increment, placed.contents, new Uint8Array(301)));
    expect(error).toMatchObject({ code: 'ERR_SIG_CONTENTS_TOO_SMALL', detail: '301 bytes needed, 300 reserved' });
    expect(placed.increment).toEqual(before);
  });

  it('refuses a hole that is not the `<…>` of that size: moved, resized, or outside the update', () => {
    const { placed } = placeholderOn('simple');
    const value = new Uint8Array([1, 2, 3]);
    const { at, capacity } = placed.contents;
    for (const hole of [{ at: at - 2, capacity }, { at: at + 2, capacity }, { at, capacity: capacity - 1 }, { at: placed.increment.length, capacity: 3 }, { at: 0, capacity }]) {
      expect(catchError(() => fillContents(placed.increment, hole, value)), JSON.stringify(hole)).toMatchObject({ code: 'ERR_SIG_PREPARED_INVALID' });
    }
  });
});

function catchError(fn: () => void): KysoError | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof KysoError) return e;
    throw e;
  }
  return undefined;
}
