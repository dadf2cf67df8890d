import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { findText, pageTextLines } from '../../src/pdf/text/index.js';
import { bytesToLatin1, HELVETICA, latin1, open, stream, textPdf } from './helpers.js';

const F1 = `<< /Font << /F1 ${HELVETICA} >> >>`;
const first = (content: string, resources = F1, objects: string[] = []) => {
  const { doc, pages } = open(textPdf(content, resources, objects));
  return { doc, page: pages[0]! };
};
const find = (content: string, needle: string, resources = F1, objects: string[] = []) => {
  const { doc, page } = first(content, resources, objects);
  return findText(doc, page, needle);
};

// Helvetica advance widths (AFM, 1/1000 em) used to check positions.
const HELV: Record<string, number> = { H: 722, e: 556, l: 222, o: 556, W: 944, r: 333, d: 556, A: 667, B: 667, ' ': 278, x: 500 };
const width = (s: string, size: number) => ([...s].reduce((n, c) => n + HELV[c]!, 0) * size) / 1000;
const ASC = 0.718;
const DESC = -0.207;

function expectRect(actual: readonly number[] | undefined, expected: readonly number[], tolerance = 0.01): void {
  expect(actual).toBeDefined();
  actual!.forEach((v, i) => expect(Math.abs(v - expected[i]!), `coordinate ${i}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance));
}

describe('text positioning (ISO 32000-2 §9.4)', () => {
  it('joins TJ pieces on one baseline and reads a large kern as a space', () => {
    const m = find('BT /F1 10 Tf 100 700 Td [(Hel) -20 (lo) -300 (World)] TJ ET', 'Hello World');
    expect(m).toHaveLength(1);
    expect(m[0]!.text).toBe('Hello World');
    const x2 = 100 + width('HelloWorld', 10) + 0.2 + 3;
    expectRect(m[0]!.rect, [100, 700 + DESC * 10, x2, 700 + ASC * 10]);
  });

  it('joins several Tj on the same line, and not across lines', () => {
    expect(find('BT /F1 10 Tf 100 700 Td (Hel) Tj (lo) Tj ET', 'Hello')).toHaveLength(1);
    expect(find('BT /F1 10 Tf 100 700 Td (Hel) Tj 0 -20 Td (lo) Tj ET', 'Hello')).toEqual([]);
    expect(find('BT /F1 10 Tf 14 TL 100 700 Td (Hello) Tj T* (World) Tj ET', 'World')[0]!.rect[1]).toBeCloseTo(686 + DESC * 10, 5);
  });

  it('applies cm, Tm, Tc, Tw, Tz and Ts', () => {
    expectRect(find('2 0 0 2 0 0 cm BT /F1 10 Tf 50 100 Td (AB) Tj ET', 'AB')[0]?.rect, [100, 200 + DESC * 20, 100 + width('AB', 20), 200 + ASC * 20]);
    // Character spacing adds after each glyph; the box of the last glyph ends at its own advance.
    expectRect(find('BT /F1 10 Tf 5 Tc 100 700 Td (AB) Tj ET', 'AB')[0]?.rect, [100, 700 + DESC * 10, 100 + width('AB', 10) + 5, 700 + ASC * 10]);
    expectRect(find('BT /F1 10 Tf 10 Tw 100 700 Td (A B) Tj ET', 'A B')[0]?.rect, [100, 700 + DESC * 10, 100 + width('A B', 10) + 10, 700 + ASC * 10]);
    expectRect(find('BT /F1 10 Tf 50 Tz 100 700 Td (AB) Tj ET', 'AB')[0]?.rect, [100, 700 + DESC * 10, 100 + width('AB', 10) / 2, 700 + ASC * 10]);
    expectRect(find('BT /F1 10 Tf 3 Ts 100 700 Td (AB) Tj ET', 'AB')[0]?.rect, [100, 703 + DESC * 10, 100 + width('AB', 10), 703 + ASC * 10]);
    // Text turned 90° counter-clockwise by Tm: it runs up the page.
    expectRect(find('BT /F1 10 Tf 0 1 -1 0 300 400 Tm (AB) Tj ET', 'AB')[0]?.rect, [300 - ASC * 10, 400, 300 - DESC * 10, 400 + width('AB', 10)]);
  });

  it("handles ' and \" (next line, then show)", () => {
    const m = find('BT /F1 10 Tf 12 TL 100 700 Td (x) Tj (Hello) \' 0 5 (AB) " ET', 'Hello');
    expectRect(m[0]?.rect, [100, 688 + DESC * 10, 100 + width('Hello', 10), 688 + ASC * 10]);
    expectRect(find('BT /F1 10 Tf 12 TL 100 700 Td 0 5 (AB) " ET', 'AB')[0]?.rect, [100, 688 + DESC * 10, 100 + width('AB', 10) + 5, 688 + ASC * 10]);
  });

  it('restores the state after Q', () => {
    expectRect(find('q 3 0 0 3 0 0 cm Q BT /F1 10 Tf 100 700 Td (AB) Tj ET', 'AB')[0]?.rect, [100, 700 + DESC * 10, 100 + width('AB', 10), 700 + ASC * 10]);
  });

  it('returns matches in reading order whatever the content order', () => {
    const m = find('BT /F1 10 Tf 300 100 Td (Hello) Tj ET BT /F1 10 Tf 300 700 Td (Hello) Tj ET BT /F1 10 Tf 50 700 Td (Hello) Tj ET', 'Hello');
    expect(m.map((x) => [Math.round(x.rect[0]), Math.round(x.rect[1] - DESC * 10)])).toEqual([[50, 700], [300, 700], [300, 100]]);
  });
});

describe('form XObjects', () => {
  const form = (content: string, extra = '') => stream(`/Type /XObject /Subtype /Form /BBox [0 0 500 500] ${extra}`, content);

  it('follows Do into a form with its /Matrix and own resources', () => {
    const m = find('q 1 0 0 1 100 100 cm /Fm1 Do Q', 'AB', `<< /XObject << /Fm1 5 0 R >> >>`, [
      form('BT /F1 10 Tf 0 0 Td (AB) Tj ET', `/Matrix [1 0 0 1 10 10] /Resources ${F1}`),
    ]);
    expectRect(m[0]?.rect, [110, 110 + DESC * 10, 110 + width('AB', 10), 110 + ASC * 10]);
  });

  it('stops at a form that paints itself, or a pair that paint each other', () => {
    const res = `<< /Font << /F1 ${HELVETICA} >> /XObject << /A 5 0 R /B 6 0 R >> >>`;
    const m = find('/A Do', 'AB', `<< /XObject << /A 5 0 R >> >>`, [
      form('BT /F1 10 Tf 100 700 Td (AB) Tj ET /A Do /B Do', `/Resources ${res}`),
      form('/A Do /B Do', `/Resources ${res}`),
    ]);
    expect(m).toHaveLength(1);
  });

  it('stops at a deep chain of forms', () => {
    const n = 40;
    const objects = Array.from({ length: n }, (_, i) =>
      form(`/X Do BT /F1 10 Tf 100 ${700 - i} Td (AB) Tj ET`, `/Resources << /Font << /F1 ${HELVETICA} >> /XObject << /X ${6 + i} 0 R >> >>`));
    const m = find('/X Do', 'AB', '<< /XObject << /X 5 0 R >> >>', objects);
    expect(m.length).toBeGreaterThan(5);
    expect(m.length).toBeLessThan(n);
  });
});

describe('inline images (§8.9.7)', () => {
  it('skips image data even when it contains EI and text-like bytes', () => {
    const data = '\x00EI (Hidden) Tj\xff\x10 BT (Hidden) Tj ET\x80';
    const content = `BI /W 4 /H 1 /BPC 8 /CS /G ID ${data} EI BT /F1 10 Tf 100 700 Td (After) Tj ET`;
    const { doc, page } = first(content);
    expect(findText(doc, page, 'Hidden')).toEqual([]);
    expect(findText(doc, page, 'After')).toHaveLength(1);
  });

  it('uses the PDF 2.0 /L length when present', () => {
    const data = 'x EI y';
    const content = `BI /W 6 /H 1 /BPC 8 /CS /G /L ${data.length} ID ${data} EI BT /F1 10 Tf 100 700 Td (After) Tj ET`;
    expect(find(content, 'After')).toHaveLength(1);
  });
});

describe('fonts and encodings (§9.6–§9.10)', () => {
  it('decodes a Type0 font through an embedded ToUnicode CMap (bfchar, bfrange with arrays) and /W widths', () => {
    const cmap = [
      '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
      '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /T def /CMapType 2 def',
      '1 begincodespacerange <0000> <FFFF> endcodespacerange',
      '2 beginbfchar <0001> <004E> <0006> <0020> endbfchar',
      '2 beginbfrange <0002> <0004> [<0067> <0075> <0079>] <0005> <0005> <1EC5> endbfrange',
      'endcmap CMapName currentdict /CMap defineresource pop end end',
    ].join('\n');
    const objects = [
      '<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>',
      '<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 1000 /W [1 [600 500 500 500 550] 6 6 250] >>',
      stream('', cmap),
      '<< /Type /FontDescriptor /FontName /X /Flags 4 /FontBBox [0 -200 1000 900] /Ascent 900 /Descent -200 /ItalicAngle 0 /StemV 80 /CapHeight 700 >>',
    ];
    const m = find('BT /F1 20 Tf 100 700 Td <00010002000300040005000600010007> Tj ET', 'Nguyễ', '<< /Font << /F1 5 0 R >> >>', objects);
    expect(m).toHaveLength(1);
    expect(m[0]!.text).toBe('Nguyễ');
    expectRect(m[0]!.rect, [100, 700 - 4, 100 + (2650 * 20) / 1000, 700 + 18]);
    // Code 7 is unmapped and uses /DW.
    const all = find('BT /F1 20 Tf 100 700 Td <00010002000300040005000600010007> Tj ET', 'Nguyễ N', '<< /Font << /F1 5 0 R >> >>', objects);
    expect(all[0]!.rect[2]).toBeCloseTo(100 + (2650 + 250 + 600) * 0.02, 5);
  });

  it('names glyphs through /Differences, including Vietnamese glyph names', () => {
    const font = '<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+Font /FirstChar 1 /LastChar 5 /Widths [500 600 700 800 900] '
      + '/Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [1 /ecircumflextilde /Dcroat /uni01B0 /abrevedotbelow /ocircumflexhookabove] >> >>';
    const m = find('BT /F1 10 Tf 100 700 Td (\\001\\002\\003\\004\\005 \\(x\\)) Tj ET', 'ễĐưặổ (x)', `<< /Font << /F1 ${font} >> >>`);
    expect(m).toHaveLength(1);
    expect(m[0]!.rect[0]).toBe(100);
  });

  it('composes letters drawn as a base glyph plus separate accent glyphs (NFC)', () => {
    const cmap = '1 begincodespacerange <00> <FF> endcodespacerange 4 beginbfchar <01> <0065> <02> <0302> <03> <0303> <04> <0044> endbfchar';
    const font = '<< /Type /Font /Subtype /TrueType /BaseFont /F /FirstChar 1 /LastChar 4 /Widths [500 0 0 700] /ToUnicode 5 0 R >>';
    const m = find('BT /F1 10 Tf 100 700 Td [(\\004\\001) 500 (\\002) (\\003)] TJ ET', 'Dễ', `<< /Font << /F1 ${font} >> >>`, [stream('', cmap)]);
    expect(m).toHaveLength(1);
    expect(m[0]!.text).toBe('Dễ');
  });

  it('reads Flate streams, and a /Contents array split in the middle of an operator', () => {
    const z = (s: string) => bytesToLatin1(zlibSync(latin1(s)));
    const cmap = z('1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfrange <01> <02> <0110> endbfrange');
    const font = '<< /Type /Font /Subtype /TrueType /BaseFont /F /FirstChar 1 /LastChar 2 /Widths [700 600] /ToUnicode 6 0 R >>';
    const pdf = textPdf(z('BT /F1 10 Tf 100 700'), `<< /Font << /F1 ${font} >> >>`, [stream('/Filter /FlateDecode', z('Td (\\001\\002) Tj ET')), stream('/Filter /FlateDecode', cmap)], '', '[4 0 R 5 0 R]', '/Filter /FlateDecode');
    const { doc, pages } = open(pdf);
    const m = findText(doc, pages[0]!, '\u0110\u0111');
    expect(m).toHaveLength(1);
    expectRect(m[0]!.rect, [100, 700 - 2, 100 + 13, 700 + 8]);
  });
});
