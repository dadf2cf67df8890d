import type { PdfDocument } from '../document.js';
import { PdfDict, PdfName, PdfStream, type PdfValue } from '../objects.js';
import { CMap, identityCMap, parseCMap } from './cmap.js';
import { baseEncoding, STANDARD, WIN_ANSI, type CodeTable } from './encodings.js';
import { glyphNameToUnicode } from './glyph-names.js';
import { standardFontMetrics, type StandardFontMetrics } from './standard-metrics.js';
import { decodeContent } from './streams.js';

/** One character code of a shown string, with what text search needs of it. */
export interface ShownCode {
  /** The Unicode text the glyph stands for ('' if unknown). */
  readonly text: string;
  /** Horizontal displacement in text space per unit of font size (§9.2.4). */
  readonly width: number;
  /** Single-byte code 32, the only one word spacing applies to (§9.3.3). */
  readonly wordSpace: boolean;
}

/** What text search knows of a font (ISO 32000-2 §9.5–§9.10). */
export interface TextFont {
  /** Splits a shown string into codes and decodes each one. */
  decode(bytes: Uint8Array): ShownCode[];
  /** Top of the glyphs above the baseline, per unit of font size. */
  readonly ascent: number;
  /** Bottom of the glyphs, negative below the baseline, per unit of font size. */
  readonly descent: number;
}

const FALLBACK_ASCENT = 0.8;
const FALLBACK_DESCENT = -0.2;

const cache = new WeakMap<PdfDict, TextFont>();

/**
 * The text font for a font dictionary, cached per dictionary. Never throws:
 * a damaged font gives codes with no text and an average width, so positions
 * after it stay roughly right.
 */
export function loadTextFont(doc: PdfDocument, fontDict: PdfDict): TextFont {
  let f = cache.get(fontDict);
  if (!f) {
    try {
      f = fontDict.name('Subtype') === 'Type0' ? compositeFont(doc, fontDict) : simpleFont(doc, fontDict);
    } catch {
      f = { decode: (b) => Array.from(b, () => ({ text: '', width: 0.5, wordSpace: false })), ascent: FALLBACK_ASCENT, descent: FALLBACK_DESCENT };
    }
    cache.set(fontDict, f);
  }
  return f;
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

function num(v: PdfValue | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function toUnicodeOf(doc: PdfDocument, d: PdfDict): CMap | undefined {
  const s = safe(() => doc.resolve(d.get('ToUnicode')));
  if (!(s instanceof PdfStream)) return undefined;
  const data = decodeContent(doc, s);
  return data ? parseCMap(data) : undefined;
}

/** Ascent and descent per unit of font size, from the descriptor, the bounding box or the standard metrics. */
function verticalMetrics(descriptor: PdfDict | null, bbox: number[] | null, std: StandardFontMetrics | undefined, scale: number): { ascent: number; descent: number } {
  let ascent = num(descriptor?.get('Ascent'));
  let descent = num(descriptor?.get('Descent'));
  if (!ascent && bbox) ascent = bbox[3];
  if (!descent && bbox) descent = bbox[1];
  if (!ascent && std) ascent = std.ascent;
  if (!descent && std) descent = std.descent;
  const a = ascent ? Math.abs(ascent * scale) : FALLBACK_ASCENT;
  const d = descent ? -Math.abs(descent * scale) : FALLBACK_DESCENT;
  // A descriptor claiming glyphs taller than 3 em is wrong; fall back to the usual proportions.
  return a > 3 || d < -3 ? { ascent: FALLBACK_ASCENT, descent: FALLBACK_DESCENT } : { ascent: a, descent: d };
}

function bboxOf(doc: PdfDocument, v: PdfValue | undefined): number[] | null {
  const b = safe(() => doc.box(v));
  return b ? [...b] : null;
}

/** Simple fonts: Type 1, TrueType, Type 3 (§9.6); one byte per code. */
function simpleFont(doc: PdfDocument, d: PdfDict): TextFont {
  const subtype = d.name('Subtype');
  const descriptor = safe(() => doc.dictOf(d.get('FontDescriptor'))) ?? null;
  const baseFont = d.name('BaseFont') ?? '';
  const std = standardFontMetrics(baseFont);
  const toUnicode = toUnicodeOf(doc, d);

  // Type 3 glyph space maps to text space through /FontMatrix (§9.6.4); the others use 1/1000.
  let scale = 0.001;
  let vscale = 0.001;
  if (subtype === 'Type3') {
    const fm = safe(() => doc.resolve(d.get('FontMatrix')));
    if (Array.isArray(fm) && fm.length === 6 && fm.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      scale = Math.abs(fm[0] as number) || 0.001;
      vscale = Math.abs(fm[3] as number) || 0.001;
    }
  }

  // Code → Unicode: the base encoding, then /Differences (§9.6.5).
  const table: (string | undefined)[] = [...defaultEncoding(subtype, descriptor, baseFont)];
  const enc = safe(() => doc.resolve(d.get('Encoding')));
  if (enc instanceof PdfName) {
    const b = baseEncoding(enc.name);
    if (b) table.splice(0, 256, ...b);
  } else if (enc instanceof PdfDict) {
    const b = baseEncoding(enc.name('BaseEncoding'));
    if (b) table.splice(0, 256, ...b);
    const diffs = safe(() => doc.resolve(enc.get('Differences')));
    if (Array.isArray(diffs)) {
      let code = 0;
      for (const item of diffs) {
        if (typeof item === 'number') code = Math.trunc(item);
        else if (item instanceof PdfName) {
          if (code >= 0 && code < 256) table[code] = glyphNameToUnicode(item.name) ?? '';
          code++;
        }
      }
    }
  }

  const widths = safe(() => doc.resolve(d.get('Widths')));
  const first = num(safe(() => doc.resolve(d.get('FirstChar')))) ?? 0;
  const missing = num(descriptor?.get('MissingWidth'));
  const widthOf = (code: number, text: string): number => {
    if (Array.isArray(widths)) {
      const w = num(safe(() => doc.resolve(widths[code - first])));
      if (w !== undefined) return w * scale;
      if (missing !== undefined) return missing * scale;
    } else if (missing !== undefined && !std) {
      return missing * scale;
    }
    const s = std?.width(text);
    if (s !== undefined) return s * 0.001;
    return Array.isArray(widths) ? 0 : 0.5;
  };

  const decoded: (ShownCode | undefined)[] = new Array(256);
  const codeOf = (c: number): ShownCode => {
    let g = decoded[c];
    if (!g) {
      const text = (toUnicode?.unicode(c, 1) ?? table[c] ?? '').replace(/\u0000/g, '');
      const plain = table[c] ?? text;
      g = { text, width: widthOf(c, plain), wordSpace: c === 32 };
      decoded[c] = g;
    }
    return g;
  };
  const bbox = bboxOf(doc, subtype === 'Type3' ? d.get('FontBBox') : descriptor?.get('FontBBox'));
  const { ascent, descent } = verticalMetrics(subtype === 'Type3' ? null : descriptor, bbox, std, subtype === 'Type3' ? vscale : 0.001);
  return { decode: (bytes) => Array.from(bytes, codeOf), ascent, descent };
}

/** Without /Encoding: symbolic fonts keep their built-in codes; TrueType text fonts are usually WinAnsi. */
function defaultEncoding(subtype: string | undefined, descriptor: PdfDict | null, baseFont: string): CodeTable {
  const flags = num(descriptor?.get('Flags')) ?? 0;
  if (/Symbol|ZapfDingbats|Dingbats/i.test(baseFont)) return new Array<undefined>(256);
  if (subtype === 'TrueType' && !(flags & 4)) return WIN_ANSI;
  return STANDARD;
}

/** Composite (Type 0) fonts with a CIDFont descendant (§9.7). */
function compositeFont(doc: PdfDocument, d: PdfDict): TextFont {
  const encValue = safe(() => doc.resolve(d.get('Encoding')));
  let encoding: CMap;
  let ucs2 = false;
  if (encValue instanceof PdfStream) {
    const data = decodeContent(doc, encValue);
    encoding = data ? parseCMap(data) : identityCMap();
    if (encoding.codespaces.length === 0) encoding = identityCMap();
  } else {
    // Predefined CMaps other than Identity are not shipped; their codes are read as 2 bytes,
    // which is right for the UCS-2 / UTF-16 ones, whose codes are also the text.
    encoding = identityCMap();
    const n = encValue instanceof PdfName ? encValue.name : '';
    ucs2 = /UCS2|UTF16/.test(n);
  }
  const toUnicode = toUnicodeOf(doc, d);
  const kids = safe(() => doc.resolve(d.get('DescendantFonts')));
  const cidFont = Array.isArray(kids) ? safe(() => doc.dictOf(kids[0])) ?? null : null;
  const descriptor = cidFont ? safe(() => doc.dictOf(cidFont.get('FontDescriptor'))) ?? null : null;
  const dw = num(safe(() => doc.resolve(cidFont?.get('DW')))) ?? 1000;
  const widths = cidWidths(doc, cidFont?.get('W'));

  const decoded = new Map<number, ShownCode>();
  const decode = (bytes: Uint8Array): ShownCode[] => {
    const out: ShownCode[] = [];
    for (let pos = 0; pos < bytes.length;) {
      const { code, len } = encoding.nextCode(bytes, pos);
      pos += len;
      const k = code * 8 + len;
      let g = decoded.get(k);
      if (!g) {
        const cid = encoding.cid(code, len) ?? 0;
        let text = toUnicode?.unicode(code, len);
        if (text === undefined && ucs2) text = safe(() => String.fromCodePoint(code)) ?? '';
        g = { text: (text ?? '').replace(/\u0000/g, ''), width: (widths.get(cid) ?? dw) * 0.001, wordSpace: len === 1 && code === 32 };
        decoded.set(k, g);
      }
      out.push(g);
    }
    return out;
  };
  const bbox = bboxOf(doc, descriptor?.get('FontBBox'));
  const { ascent, descent } = verticalMetrics(descriptor, bbox, undefined, 0.001);
  return { decode, ascent, descent };
}

/** A CIDFont /W array (§9.7.4.3): `c [w1 w2 …]` and `cfirst clast w` entries. */
function cidWidths(doc: PdfDocument, value: PdfValue | undefined): { get(cid: number): number | undefined } {
  const single = new Map<number, number>();
  const ranges: [number, number, number][] = [];
  const w = safe(() => doc.resolve(value));
  if (Array.isArray(w)) {
    for (let i = 0; i < w.length;) {
      const c = num(safe(() => doc.resolve(w[i])));
      const next = safe(() => doc.resolve(w[i + 1]));
      if (c === undefined) break;
      if (Array.isArray(next)) {
        next.forEach((x, j) => {
          const v = num(x);
          if (v !== undefined && single.size < 1 << 20) single.set(c + j, v);
        });
        i += 2;
      } else {
        const last = num(next);
        const v = num(safe(() => doc.resolve(w[i + 2])));
        if (last === undefined || v === undefined) break;
        if (ranges.length < 100_000) ranges.push([c, last, v]);
        i += 3;
      }
    }
  }
  return {
    get(cid: number) {
      const s = single.get(cid);
      if (s !== undefined) return s;
      for (const [a, b, v] of ranges) if (cid >= a && cid <= b) return v;
      return undefined;
    },
  };
}
