import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureSamples, type SampleName } from '@kyso/testkit';
import { findText } from '../../src/pdf/text/index.js';
import { open, popplerPhrase, popplerWords, type PopplerWord } from './helpers.js';

let samples: Record<SampleName, string>;
const words = new Map<string, PopplerWord[]>();

beforeAll(async () => {
  samples = await ensureSamples();
  for (const n of ['vietnamese', 'simple', 'rotated'] as const) words.set(n, popplerWords(samples[n]));
});

const read = (n: SampleName) => open(new Uint8Array(readFileSync(samples[n])));

function expectClose(actual: readonly number[], expected: readonly number[], tolerance = 1): void {
  expect(actual).toHaveLength(4);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!), `coordinate ${i}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance));
}

describe('findText agrees with poppler (pdftotext -bbox-layout)', () => {
  it('finds the signer name in DejaVu Sans (Type0, Identity-H, ToUnicode)', () => {
    const { doc, pages } = read('vietnamese');
    const found = findText(doc, pages[0]!, 'Nguyễn Văn Đức');
    const expected = popplerPhrase(words.get('vietnamese')!, 'Nguyễn Văn Đức');
    expect(expected).toHaveLength(1);
    expect(found).toHaveLength(1);
    expect(found[0]!.text).toBe('Nguyễn Văn Đức'.normalize('NFC'));
    expectClose(found[0]!.rect, expected[0]!);
  });

  it('finds every occurrence, in reading order', () => {
    const { doc, pages } = read('vietnamese');
    const found = findText(doc, pages[0]!, 'CHỦ TỊCH');
    const expected = popplerPhrase(words.get('vietnamese')!, 'CHỦ TỊCH');
    expect(found).toHaveLength(2);
    expect(expected).toHaveLength(2);
    expect(found[0]!.rect[1]).toBeGreaterThan(found[1]!.rect[1]);
    found.forEach((f, i) => expectClose(f.rect, expected[i]!));
    const body = findText(doc, pages[0]!, 'Căn cứ');
    expect(body.map((m) => m.rect[1])).toEqual([...body.map((m) => m.rect[1])].sort((a, b) => b - a));
  });

  it('finds text in Helvetica with WinAnsiEncoding and no /Widths', () => {
    const { doc, pages } = read('simple');
    for (const phrase of ['simple one-page PDF', 'Page 1 of 1', 'kyso']) {
      const found = findText(doc, pages[0]!, phrase);
      const expected = popplerPhrase(words.get('simple')!, phrase);
      expect(found, phrase).toHaveLength(expected.length);
      found.forEach((f, i) => expectClose(f.rect, expected[i]!));
    }
  });

  it('reports user-space boxes on a page with /Rotate 90 and a smaller CropBox', () => {
    const { doc, pages } = read('rotated');
    const found = findText(doc, pages[0]!, 'CropBox inside');
    expect(found).toHaveLength(1);
    // On this page poppler lists user-space y as its x and user-space x as its y.
    const w = words.get('rotated')!.filter((x) => x.text === 'CropBox' || x.text === 'inside');
    const expected = [Math.min(...w.map((x) => x.yMin)), Math.min(...w.map((x) => x.xMin)), Math.max(...w.map((x) => x.yMax)), Math.max(...w.map((x) => x.xMax))];
    expectClose(found[0]!.rect, expected);
  });

  it('ignores white-space differences and Unicode normalisation form', () => {
    const { doc, pages } = read('vietnamese');
    const want = findText(doc, pages[0]!, 'Nguyễn Văn Đức')[0]!.rect;
    for (const variant of ['Nguyễn  Văn\nĐức', ' NguyễnVănĐức ', 'Nguyễn Văn Đức'.normalize('NFD')]) {
      const found = findText(doc, pages[0]!, variant);
      expect(found, JSON.stringify(variant)).toHaveLength(1);
      expect(found[0]!.rect).toEqual(want);
    }
  });

  it('returns nothing for a miss, an empty needle or text split over two lines', () => {
    const { doc, pages } = read('vietnamese');
    expect(findText(doc, pages[0]!, 'Nguyễn Văn Đúc')).toEqual([]);
    expect(findText(doc, pages[0]!, 'nguyễn văn đức')).toEqual([]);
    expect(findText(doc, pages[0]!, '')).toEqual([]);
    expect(findText(doc, pages[0]!, ' \n\t')).toEqual([]);
    expect(findText(doc, pages[0]!, 'CHỦ TỊCH Nguyễn')).toEqual([]);
  });
});
