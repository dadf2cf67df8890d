/**
 * Glyph name → Unicode for fonts whose /Encoding /Differences name their glyphs
 * (ISO 32000-2 §9.10.2): a compact subset of the Adobe Glyph List covering
 * ASCII, Latin-1, Latin Extended-A and Vietnamese, plus the `uniXXXX` and
 * `uXXXX[XX]` forms and `_`-joined ligature names of the AGL specification.
 * Accented letters are derived from their Unicode decomposition instead of
 * being listed one by one, so the table stays small.
 */

const ASCII_NAMES =
  'space exclam quotedbl numbersign dollar percent ampersand quotesingle parenleft parenright asterisk plus comma hyphen ' +
  'period slash zero one two three four five six seven eight nine colon semicolon less equal greater question at';

const PUNCT_AFTER_Z = 'bracketleft backslash bracketright asciicircum underscore grave';
const PUNCT_AFTER_LOWER_Z = 'braceleft bar braceright asciitilde';

/** Named glyphs that are not plain letters or decomposable accented letters. */
const OTHER: Record<string, number> = {
  exclamdown: 0xa1, cent: 0xa2, sterling: 0xa3, currency: 0xa4, yen: 0xa5, brokenbar: 0xa6, section: 0xa7,
  dieresis: 0xa8, copyright: 0xa9, ordfeminine: 0xaa, guillemotleft: 0xab, guillemetleft: 0xab, logicalnot: 0xac,
  sfthyphen: 0xad, registered: 0xae, macron: 0xaf, overscore: 0xaf, degree: 0xb0, plusminus: 0xb1, twosuperior: 0xb2,
  threesuperior: 0xb3, acute: 0xb4, mu: 0xb5, micro: 0xb5, paragraph: 0xb6, periodcentered: 0xb7, middot: 0xb7,
  cedilla: 0xb8, onesuperior: 0xb9, ordmasculine: 0xba, guillemotright: 0xbb, guillemetright: 0xbb, onequarter: 0xbc,
  onehalf: 0xbd, threequarters: 0xbe, questiondown: 0xbf, AE: 0xc6, Eth: 0xd0, multiply: 0xd7, Oslash: 0xd8, Thorn: 0xde,
  germandbls: 0xdf, ae: 0xe6, eth: 0xf0, divide: 0xf7, oslash: 0xf8, thorn: 0xfe, nbspace: 0xa0, nonbreakingspace: 0xa0,
  Dcroat: 0x110, dcroat: 0x111, Dslash: 0x110, dmacron: 0x111, Hbar: 0x126, hbar: 0x127, dotlessi: 0x131, IJ: 0x132, ij: 0x133,
  kgreenlandic: 0x138, Ldot: 0x13f, ldot: 0x140, Lslash: 0x141, lslash: 0x142, napostrophe: 0x149, Eng: 0x14a, eng: 0x14b,
  OE: 0x152, oe: 0x153, Tbar: 0x166, tbar: 0x167, longs: 0x17f, florin: 0x192, circumflex: 0x2c6, caron: 0x2c7,
  breve: 0x2d8, dotaccent: 0x2d9, ring: 0x2da, ogonek: 0x2db, tilde: 0x2dc, hungarumlaut: 0x2dd,
  gravecomb: 0x300, acutecomb: 0x301, tildecomb: 0x303, hookabovecomb: 0x309, dotbelowcomb: 0x323,
  endash: 0x2013, emdash: 0x2014, quoteleft: 0x2018, quoteright: 0x2019, quotesinglbase: 0x201a, quotereversed: 0x201b,
  quotedblleft: 0x201c, quotedblright: 0x201d, quotedblbase: 0x201e, dagger: 0x2020, daggerdbl: 0x2021, bullet: 0x2022,
  ellipsis: 0x2026, perthousand: 0x2030, minute: 0x2032, second: 0x2033, guilsinglleft: 0x2039, guilsinglright: 0x203a,
  fraction: 0x2044, Euro: 0x20ac, euro: 0x20ac, dong: 0x20ab, trademark: 0x2122, minus: 0x2212, lozenge: 0x25ca,
  notequal: 0x2260, lessequal: 0x2264, greaterequal: 0x2265, infinity: 0x221e, partialdiff: 0x2202, summation: 0x2211,
  product: 0x220f, pi: 0x3c0, integral: 0x222b, Omega: 0x3a9, radical: 0x221a, approxequal: 0x2248, Delta: 0x2206,
  ff: 0xfb00, fi: 0xfb01, fl: 0xfb02, ffi: 0xfb03, ffl: 0xfb04, numero: 0x2116, afii61352: 0x2116,
};

/** Combining marks by the name the AGL gives them inside accented letter names. */
const MARK_NAMES: Record<number, string> = {
  0x300: 'grave', 0x301: 'acute', 0x302: 'circumflex', 0x303: 'tilde', 0x304: 'macron', 0x306: 'breve', 0x307: 'dotaccent',
  0x308: 'dieresis', 0x309: 'hookabove', 0x30a: 'ring', 0x30b: 'hungarumlaut', 0x30c: 'caron', 0x31b: 'horn',
  0x323: 'dotbelow', 0x326: 'commaaccent', 0x327: 'cedilla', 0x328: 'ogonek',
};

let table: Map<string, string> | undefined;

function build(): Map<string, string> {
  const t = new Map<string, string>();
  const add = (n: string, cp: number) => {
    if (!t.has(n)) t.set(n, String.fromCodePoint(cp));
  };
  ASCII_NAMES.split(' ').forEach((n, i) => add(n, 0x20 + i));
  PUNCT_AFTER_Z.split(' ').forEach((n, i) => add(n, 0x5b + i));
  PUNCT_AFTER_LOWER_Z.split(' ').forEach((n, i) => add(n, 0x7b + i));
  for (let c = 0x41; c <= 0x5a; c++) {
    add(String.fromCharCode(c), c);
    add(String.fromCharCode(c + 0x20), c + 0x20);
  }
  for (const [n, cp] of Object.entries(OTHER)) add(n, cp);
  // Accented letters: base letter + mark names. The AGL puts "dotbelow" after
  // the other marks ("abrevedotbelow", "ecircumflexdotbelow"), while Unicode
  // canonical order puts it first; both spellings are accepted.
  const ranges: [number, number][] = [[0xc0, 0x17f], [0x1a0, 0x1b0], [0x1cd, 0x1dc], [0x218, 0x21b], [0x1ea0, 0x1ef9]];
  for (const [lo, hi] of ranges) {
    for (let cp = lo; cp <= hi; cp++) {
      const parts = [...String.fromCodePoint(cp).normalize('NFD')];
      const base = parts[0]!;
      if (parts.length < 2 || !/^[A-Za-z]$/.test(base)) continue;
      const marks = parts.slice(1).map((m) => MARK_NAMES[m.codePointAt(0)!]);
      if (marks.some((m) => m === undefined)) continue;
      const names = marks as string[];
      add(base + names.join(''), cp);
      const reordered = [...names.filter((m) => m !== 'dotbelow'), ...names.filter((m) => m === 'dotbelow')];
      add(base + reordered.join(''), cp);
      if (names.includes('cedilla')) add(base + names.join('').replace('cedilla', 'commaaccent'), cp);
    }
  }
  return t;
}

/**
 * The Unicode text a glyph name stands for, or undefined for names with no
 * known meaning (such as `g123` in subset fonts).
 */
export function glyphNameToUnicode(glyph: string): string | undefined {
  table ??= build();
  const direct = table.get(glyph);
  if (direct !== undefined) return direct;
  // AGL specification: drop a suffix after the first period, split ligatures at "_".
  const stem = glyph.split('.')[0]!;
  if (stem !== glyph && stem !== '') return glyphNameToUnicode(stem);
  if (stem.includes('_')) {
    const parts = stem.split('_').map((p) => (p === '' ? undefined : glyphNameToUnicode(p)));
    return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
  }
  let m = /^uni((?:[0-9A-F]{4})+)$/.exec(stem);
  if (m) {
    let out = '';
    for (let i = 0; i < m[1]!.length; i += 4) {
      const v = parseInt(m[1]!.slice(i, i + 4), 16);
      if (v >= 0xd800 && v <= 0xdfff) return undefined;
      out += String.fromCharCode(v);
    }
    return out;
  }
  m = /^u([0-9A-F]{4,6})$/.exec(stem);
  if (m) {
    const v = parseInt(m[1]!, 16);
    if (v <= 0x10ffff && !(v >= 0xd800 && v <= 0xdfff)) return String.fromCodePoint(v);
  }
  return undefined;
}
