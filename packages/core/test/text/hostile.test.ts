import { describe, expect, it } from 'vitest';
import { findText } from '../../src/pdf/text/index.js';
import { HELVETICA, latin1, open, stream, textPdf } from './helpers.js';

const F1 = `<< /Font << /F1 ${HELVETICA} >> >>`;
const TEXT = 'BT /F1 10 Tf 100 700 Td (Marker) Tj ET';

/** A deterministic byte soup (xorshift), so a failure can be replayed. */
function garbage(n: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

describe('findText on hostile content ends quickly and never throws', () => {
  it('a megabyte of random bytes', () => {
    const { doc, pages } = open(textPdf(garbage(1 << 20), F1));
    const { value, ms } = timed(() => findText(doc, pages[0]!, 'Marker'));
    expect(value).toEqual([]);
    expect(ms).toBeLessThan(5_000);
  });

  it('random bytes with shown text after them', () => {
    // Garbage may leave an open string or array; a closing ")" and "]" end them, then the text shows.
    const soup = garbage(200_000, 42);
    const content = new Uint8Array([...soup, ...latin1(`\n) ] >> ET Q\n${TEXT}\n`)]);
    const { doc, pages } = open(textPdf(content, F1));
    expect(() => findText(doc, pages[0]!, 'Marker')).not.toThrow();
  });

  it('a million operators', () => {
    const content = 'q 1 0 0 1 0 0 cm Q\n'.repeat(333_334) + TEXT;
    const { doc, pages } = open(textPdf(content, F1));
    const { value, ms } = timed(() => findText(doc, pages[0]!, 'Marker'));
    expect(value).toHaveLength(1);
    expect(ms).toBeLessThan(5_000);
  });

  it('a million glyphs', () => {
    const content = `BT /F1 1 Tf 0 0 Td (${'ab'.repeat(500_000)}) Tj ET ${TEXT}`;
    const { doc, pages } = open(textPdf(content, F1));
    const { value, ms } = timed(() => findText(doc, pages[0]!, 'Marker'));
    expect(value).toHaveLength(1);
    expect(ms).toBeLessThan(10_000);
  });

  it.each([
    ['an unterminated string', `${TEXT} BT /F1 10 Tf (never closed`],
    ['an unterminated hex string', `${TEXT} BT /F1 10 Tf <414243`],
    ['arrays nested 100 000 deep', `${TEXT} ${'['.repeat(100_000)}`],
    ['dictionaries nested 50 000 deep', `${TEXT} ${'<<'.repeat(50_000)}`],
    ['unbalanced Q and ET', `Q Q Q ET ET ${TEXT} Q`],
    ['operators with wrong operands', `/F1 Tf (x) Tm 1 2 cm [1 2] Td () TJ (a) (b) 5 " /X Do ${TEXT}`],
    ['a huge number', `${'9'.repeat(5000)} 1 Td ${TEXT}`],
    ['a font that does not exist', `BT /Nope 10 Tf 100 700 Td (Marker) Tj ET ${TEXT}`],
    ['an inline image without EI', `${TEXT} BI /W 1 /H 1 ID \x00\x01\x02`],
    ['a q flood deeper than the state stack', `${'q '.repeat(5_000)}${TEXT}${' Q'.repeat(5_000)}`],
    ['a text matrix that overflows', `BT /F1 10 Tf 1e300 0 0 1e300 0 0 Tm (Marker) Tj ET ${'1'.repeat(400)} 0 0 1 0 0 cm ${TEXT}`],
  ])('%s', (_label, content) => {
    const { doc, pages } = open(textPdf(content, F1));
    const { value, ms } = timed(() => findText(doc, pages[0]!, 'Marker'));
    expect(value.length).toBeGreaterThanOrEqual(1);
    value.forEach((m) => m.rect.forEach((v) => expect(Number.isFinite(v)).toBe(true)));
    expect(ms).toBeLessThan(5_000);
  });

  it('a content stream with an unsupported filter, a broken font and a missing content object', () => {
    const brokenFont = '<< /Font << /F1 99 0 R /F2 << /Type /Font /Subtype /Type0 /DescendantFonts 98 0 R /ToUnicode 5 0 R /Encoding 5 0 R >> >> >>';
    const pdf = textPdf('BT /F1 10 Tf (a) Tj /F2 10 Tf <0102> Tj ET', brokenFont, [stream('/Filter /LZWDecode', 'zzzz')]);
    const { doc, pages } = open(pdf);
    expect(findText(doc, pages[0]!, 'a')).toEqual([]);
    const dct = open(textPdf('BT', F1, [stream('/Filter /DCTDecode', 'xx')], '', '[5 0 R 77 0 R 4 0 R]'));
    expect(findText(dct.doc, dct.pages[0]!, 'Marker')).toEqual([]);
  });

  it('a ToUnicode CMap with huge ranges and garbage', () => {
    const cmap = [
      '1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange',
      '1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange',
      '1 beginbfrange <0000> <FFFF> [<0041>] endbfrange',
      `${garbage(20_000, 7).join(' ')} endbfchar`,
    ].join('\n');
    const font = '<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [<< /Subtype /CIDFontType2 /W [0 4294967295 500] >>] /ToUnicode 5 0 R >>';
    const { doc, pages } = open(textPdf('BT /F1 10 Tf 100 700 Td <00410042> Tj ET', `<< /Font << /F1 ${font} >> >>`, [stream('', cmap)]));
    const { ms } = timed(() => findText(doc, pages[0]!, 'AB'));
    expect(ms).toBeLessThan(5_000);
  });
});
