/**
 * The simple-font base encodings of ISO 32000-2 Annex D (Table D.2), as code →
 * Unicode. Only what text search needs: which character a byte shows.
 */

/** A 256-entry code → Unicode table; `undefined` where the encoding has no character. */
export type CodeTable = readonly (string | undefined)[];

function table(low: (code: number) => string | undefined, high: string): CodeTable {
  const t: (string | undefined)[] = [];
  for (let c = 0; c < 128; c++) t.push(c >= 0x20 && c < 0x7f ? low(c) : undefined);
  for (let c = 0; c < 128; c++) t.push(high[c] === '\u0000' ? undefined : high[c]);
  return t;
}

const ascii = (c: number) => String.fromCharCode(c);

// Codes 0x80–0x9F are Windows-1252; Annex D maps every unused code there to the bullet.
const WIN_HIGH =
  '\u20ac\u2022\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u2022\u017d\u2022' +
  '\u2022\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u2022\u017e\u0178' +
  // 0xA0–0xFF are Latin-1; 0xA0 shows a space and 0xAD a hyphen (Annex D, notes 5 and 6).
  Array.from({ length: 96 }, (_, i) => (i === 0 ? ' ' : i === 0x0d ? '-' : String.fromCharCode(0xa0 + i))).join('');

/** WinAnsiEncoding (Windows code page 1252). */
export const WIN_ANSI: CodeTable = (() => {
  const t = table(ascii, WIN_HIGH) as (string | undefined)[];
  t[0x7f] = '\u2022';
  return t;
})();

// Mac OS Roman as it stood when PDF defined it: 0xDB is the currency sign, not the euro.
const MAC_HIGH =
  '\u00c4\u00c5\u00c7\u00c9\u00d1\u00d6\u00dc\u00e1\u00e0\u00e2\u00e4\u00e3\u00e5\u00e7\u00e9\u00e8' +
  '\u00ea\u00eb\u00ed\u00ec\u00ee\u00ef\u00f1\u00f3\u00f2\u00f4\u00f6\u00f5\u00fa\u00f9\u00fb\u00fc' +
  '\u2020\u00b0\u00a2\u00a3\u00a7\u2022\u00b6\u00df\u00ae\u00a9\u2122\u00b4\u00a8\u2260\u00c6\u00d8' +
  '\u221e\u00b1\u2264\u2265\u00a5\u00b5\u2202\u2211\u220f\u03c0\u222b\u00aa\u00ba\u03a9\u00e6\u00f8' +
  '\u00bf\u00a1\u00ac\u221a\u0192\u2248\u2206\u00ab\u00bb\u2026\u00a0\u00c0\u00c3\u00d5\u0152\u0153' +
  '\u2013\u2014\u201c\u201d\u2018\u2019\u00f7\u25ca\u00ff\u0178\u2044\u00a4\u2039\u203a\ufb01\ufb02' +
  '\u2021\u00b7\u201a\u201e\u2030\u00c2\u00ca\u00c1\u00cb\u00c8\u00cd\u00ce\u00cf\u00cc\u00d3\u00d4' +
  '\u0000\u00d2\u00da\u00db\u00d9\u0131\u02c6\u02dc\u00af\u02d8\u02d9\u02da\u00b8\u02dd\u02db\u02c7';

/** MacRomanEncoding. */
export const MAC_ROMAN: CodeTable = table(ascii, MAC_HIGH);

// Adobe StandardEncoding: ASCII except the two quotes, and a sparse upper half.
const STANDARD_HIGH_ENTRIES: Record<number, string> = {
  0xa1: '\u00a1', 0xa2: '\u00a2', 0xa3: '\u00a3', 0xa4: '\u2044', 0xa5: '\u00a5', 0xa6: '\u0192', 0xa7: '\u00a7',
  0xa8: '\u00a4', 0xa9: "'", 0xaa: '\u201c', 0xab: '\u00ab', 0xac: '\u2039', 0xad: '\u203a', 0xae: '\ufb01', 0xaf: '\ufb02',
  0xb1: '\u2013', 0xb2: '\u2020', 0xb3: '\u2021', 0xb4: '\u00b7', 0xb6: '\u00b6', 0xb7: '\u2022', 0xb8: '\u201a',
  0xb9: '\u201e', 0xba: '\u201d', 0xbb: '\u00bb', 0xbc: '\u2026', 0xbd: '\u2030', 0xbf: '\u00bf',
  0xc1: '`', 0xc2: '\u00b4', 0xc3: '\u02c6', 0xc4: '\u02dc', 0xc5: '\u00af', 0xc6: '\u02d8', 0xc7: '\u02d9',
  0xc8: '\u00a8', 0xca: '\u02da', 0xcb: '\u00b8', 0xcd: '\u02dd', 0xce: '\u02db', 0xcf: '\u02c7', 0xd0: '\u2014',
  0xe1: '\u00c6', 0xe3: '\u00aa', 0xe8: '\u0141', 0xe9: '\u00d8', 0xea: '\u0152', 0xeb: '\u00ba',
  0xf1: '\u00e6', 0xf5: '\u0131', 0xf8: '\u0142', 0xf9: '\u00f8', 0xfa: '\u0153', 0xfb: '\u00df',
};

/** StandardEncoding, the default of Type 1 fonts without an /Encoding. */
export const STANDARD: CodeTable = table(
  (c) => (c === 0x27 ? '\u2019' : c === 0x60 ? '\u2018' : String.fromCharCode(c)),
  Array.from({ length: 128 }, (_, i) => STANDARD_HIGH_ENTRIES[0x80 + i] ?? '\u0000').join(''),
);

/** The base encoding a name in /Encoding or /BaseEncoding stands for. */
export function baseEncoding(name: string | undefined): CodeTable | undefined {
  switch (name) {
    case 'WinAnsiEncoding': return WIN_ANSI;
    case 'MacRomanEncoding': return MAC_ROMAN;
    case 'StandardEncoding': return STANDARD;
    default: return undefined;
  }
}

let winAnsiReverse: Map<string, number> | undefined;

/** The WinAnsi code of a character, used to look up standard-14 widths by character. */
export function winAnsiCode(ch: string): number | undefined {
  if (!winAnsiReverse) {
    winAnsiReverse = new Map();
    WIN_ANSI.forEach((u, c) => {
      if (u !== undefined && !winAnsiReverse!.has(u)) winAnsiReverse!.set(u, c);
    });
  }
  return winAnsiReverse.get(ch);
}
