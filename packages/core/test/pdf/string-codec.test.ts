import { describe, expect, it } from 'vitest';
import { KysoError } from '@kyso/core';
import { memorySource, type ByteSource } from '../../src/pdf/byte-source.js';
import { Cursor } from '../../src/pdf/cursor.js';
import { PdfString, type PdfValue } from '../../src/pdf/objects.js';
import { ObjectParser } from '../../src/pdf/parser.js';
import { HexStringDecoder, LiteralStringDecoder, NEED_MORE } from '../../src/pdf/string-codec.js';
import { ContentLexer } from '../../src/pdf/text/content-lexer.js';

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array): string => String.fromCharCode(...b);

/** Feeds `body` (the bytes after the opening delimiter) in pieces cut at `cuts`; returns the bytes and where the string ended. */
function decodeInPieces(decoder: LiteralStringDecoder | HexStringDecoder, body: Uint8Array, cuts: number[]): { bytes: string; end: number } {
  let from = 0;
  for (const to of [...cuts, body.length]) {
    const end = decoder.feed(body, from, to);
    if (end !== NEED_MORE) return { bytes: text(decoder.result()), end };
    from = to;
  }
  return { bytes: text(decoder.result()), end: NEED_MORE };
}

/** A byte source that hands out at most `step` bytes per read, so the parser's strings straddle its reads. */
function choppySource(bytes: Uint8Array, step: number): ByteSource {
  const whole = memorySource(bytes);
  return { length: whole.length, read: (offset, length) => whole.read(offset, Math.min(length, step)) };
}

const parseOne = (source: ByteSource): PdfValue => new ObjectParser(new Cursor(source)).parseValue();

// ISO 32000-2 §7.3.4.2 Table 3 and its examples.
const LITERALS: [string, string, string][] = [
  ['no escapes', 'This is a string)', 'This is a string'],
  ['balanced parentheses are kept', 'Strings may contain (balanced) parentheses ( ) and special characters (*!&}^% and so on).)', 'Strings may contain (balanced) parentheses ( ) and special characters (*!&}^% and so on).'],
  ['the empty string', ')', ''],
  ['named escapes', '\\n\\r\\t\\b\\f\\(\\)\\\\)', '\n\r\t\b\f()\\'],
  ['an unknown escape drops the reverse solidus', '\\q\\%)', 'q%'],
  ['octal escapes of one, two and three digits', '\\0053\\53\\5x\\377)', '\x053+\x05x\xff'],
  ['a fourth octal digit is an ordinary byte', '\\1234)', 'S4'],
  ['high-order overflow of an octal escape is ignored', '\\777)', '\xff'],
  ['reverse solidus before LF, CR and CR LF continues the line', 'a\\\nb\\\rc\\\r\nd)', 'abcd'],
  ['an unescaped end of line stays in the string', 'a\r\nb)', 'a\r\nb'],
  ['an escaped parenthesis does not count for the balance', 'x\\(y)', 'x(y'],
];

describe('PDF string codec: literal strings (ISO 32000-2 §7.3.4.2)', () => {
  it.each(LITERALS)('%s', (_name, body, expected) => {
    const bytes = latin1(body);
    const whole = decodeInPieces(new LiteralStringDecoder(), bytes, []);
    expect(whole).toEqual({ bytes: expected, end: bytes.length });
    // Cut anywhere (inside an escape, between octal digits, between CR and LF): the same bytes, the same end.
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(decodeInPieces(new LiteralStringDecoder(), bytes, [cut])).toEqual(whole);
    }
    expect(decodeInPieces(new LiteralStringDecoder(), bytes, Array.from(bytes, (_b, i) => i))).toEqual(whole);
  });

  it('reports an unterminated string as needing more, and keeps what it read (octal cut by the end included)', () => {
    expect(decodeInPieces(new LiteralStringDecoder(), latin1('ab(c)\\12'), [])).toEqual({ bytes: 'ab(c)\x0a', end: NEED_MORE });
    expect(decodeInPieces(new LiteralStringDecoder(), latin1('ab\\'), [])).toEqual({ bytes: 'ab', end: NEED_MORE });
  });
});

describe('PDF string codec: hexadecimal strings (ISO 32000-2 §7.3.4.3)', () => {
  it('decodes digits of either case, ignores white space, and pads an odd final digit with 0', () => {
    const body = latin1('90 1F\na3\t\r\x0c\x00bC7>');
    const whole = decodeInPieces(new HexStringDecoder(true), body, []);
    expect(whole).toEqual({ bytes: '\x90\x1f\xa3\xbc\x70', end: body.length });
    for (let cut = 0; cut <= body.length; cut++) expect(decodeInPieces(new HexStringDecoder(true), body, [cut])).toEqual(whole);
  });

  it('strict (objects): stops at the first byte that is neither a digit nor white space and says where', () => {
    const decoder = new HexStringDecoder(true);
    expect(decoder.feed(latin1('0A 1G2>'))).toBe(NEED_MORE);
    expect(decoder.invalidAt).toBe(4);
  });

  it('forgiving (content streams): skips such bytes', () => {
    expect(decodeInPieces(new HexStringDecoder(false), latin1('0A 1G2z3>'), [])).toEqual({ bytes: '\x0a\x12\x30', end: 9 });
  });
});

describe('the object parser and the content-stream lexer read strings with the one codec', () => {
  const cases = [...LITERALS.map(([, body, expected]) => [`(${body}`, expected, false] as const),
    ['<48656C6C6F2>', 'Hello ', true] as const, ['<4 8 6 5>', 'He', true] as const];

  it.each(cases)('%s', (token, expected, hex) => {
    const bytes = latin1(`${token} `);
    for (const step of [1, 2, 3, 7, 1 << 16]) {
      const value = parseOne(choppySource(bytes, step));
      expect(value).toBeInstanceOf(PdfString);
      expect(text((value as PdfString).bytes)).toBe(expected);
      expect((value as PdfString).hex).toBe(hex);
    }
    const operands: PdfValue[] = [];
    expect(new ContentLexer(latin1(`${token} Tj`)).nextOperator(operands)).toBe('Tj');
    expect(operands).toHaveLength(1);
    expect(text((operands[0] as PdfString).bytes)).toBe(expected);
    expect((operands[0] as PdfString).hex).toBe(hex);
  });

  it('the parser refuses what the lexer forgives: a bad hex digit (at its offset) and an unterminated string', () => {
    const fail = (input: string): KysoError => {
      try {
        parseOne(memorySource(latin1(input)));
      } catch (e) {
        return e as KysoError;
      }
      throw new Error('parsed');
    };
    expect(fail('<0A1G>')).toMatchObject({ code: 'ERR_PDF_MALFORMED', message: expect.stringContaining('bad hex digit at offset 4') });
    expect(fail('(abc\\)')).toMatchObject({ code: 'ERR_PDF_MALFORMED', message: expect.stringContaining('unterminated string at offset 0') });
    expect(fail('<0A1')).toMatchObject({ code: 'ERR_PDF_MALFORMED', message: expect.stringContaining('unterminated hex string at offset 0') });
    const operands: PdfValue[] = [];
    expect(new ContentLexer(latin1('<0A1G> (abc')).nextOperator(operands)).toBeNull();
    expect(operands.map((o) => text((o as PdfString).bytes))).toEqual(['\x0a\x10', 'abc']);
  });
});
