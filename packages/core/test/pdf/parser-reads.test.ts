import { describe, expect, it } from 'vitest';
import { memorySource, type ByteSource } from '../../src/pdf/byte-source.js';
import { Cursor } from '../../src/pdf/cursor.js';
import { PdfDict, PdfName, PdfRef, PdfString, type PdfValue } from '../../src/pdf/objects.js';
import { ObjectParser } from '../../src/pdf/parser.js';

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A byte source that hands out at most `step` bytes per read, so every token can straddle two reads. */
function choppySource(bytes: Uint8Array, step: number): ByteSource {
  const whole = memorySource(bytes);
  return { length: whole.length, read: (offset, length) => whole.read(offset, Math.min(length, step)) };
}

/** A plain rendering of a parsed value, to compare parses. */
function show(v: PdfValue): unknown {
  if (v instanceof PdfName) return `/${v.name}`;
  if (v instanceof PdfRef) return `${v.num} ${v.gen} R`;
  if (v instanceof PdfString) return { hex: v.hex, bytes: [...v.bytes] };
  if (v instanceof PdfDict) return Object.fromEntries([...v.map].map(([k, x]) => [k, show(x)]));
  if (Array.isArray(v)) return v.map(show);
  return v;
}

const OBJECT = latin1(
  '12 0 obj % a comment that runs on\r\n<< /Type /Annot /Subtype/Widget /Lock#20Name /A#23B /Vi\xe1\xbb\x87t /Caf#C3#A9 ' +
    '/Rect [ 0 -1.5 +2 .25 595.276 ] /P 3 0 R /T (Ch\\344 k\\375) /V <FEFF0056> /Ff 1%c\n/F true /G false /H null ' +
    `/Long${'x'.repeat(300)} 7 >>\nendobj\n`,
);

describe('the object parser reads the same objects however its source splits the bytes', () => {
  const reference = show(new ObjectParser(new Cursor(memorySource(OBJECT))).parseIndirect().value);

  it('reads names (with #xx escapes and UTF-8), numbers, references, strings, comments and keywords', () => {
    expect(reference).toMatchObject({
      Type: '/Annot', Subtype: '/Widget', 'Lock Name': '/A#B', 'Việt': '/Café',
      Rect: [0, -1.5, 2, 0.25, 595.276], P: '3 0 R', Ff: 1, F: true, G: false, H: null,
    });
    expect(Object.keys(reference as object)).toContain(`Long${'x'.repeat(300)}`);
  });

  it.each([1, 2, 3, 5, 7, 16, 255, 1 << 16])('%i bytes per read', (step) => {
    const parsed = new ObjectParser(new Cursor(choppySource(OBJECT, step))).parseIndirect();
    expect(parsed.num).toBe(12);
    expect(show(parsed.value)).toEqual(reference);
  });

  it('refuses a keyword longer than 256 bytes and a name longer than 1,024, wherever the reads split them', () => {
    for (const step of [7, 1 << 16]) {
      const parse = (text: string) => () => new ObjectParser(new Cursor(choppySource(latin1(text), step))).parseValue();
      expect(parse(`[ ${'k'.repeat(257)} ]`)).toThrow(/token too long/);
      expect(parse(`[ ${'k'.repeat(256)} ]`)).toThrow(/unexpected keyword/);
      expect(parse(`/${'n'.repeat(1025)} `)).toThrow(/name too long/);
      expect(show(parse(`/${'n'.repeat(1024)} `)())).toBe(`/${'n'.repeat(1024)}`);
    }
  });
});
