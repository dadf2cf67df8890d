import { fontkit } from './libraries.js';
import { kysoError } from '../../errors/index.js';
import type { TextMeasurer } from './layout.js';

/**
 * OpenType features turned off when laying out text. Ligatures would map one
 * glyph to several characters; a reader copying the text then depends on the
 * ToUnicode CMap's multi-character entries, which some extractors mishandle.
 */
export const FONT_FEATURES = { liga: false, clig: false, dlig: false, rlig: false } as const;

/** A {@link TextMeasurer} that also reports characters the font cannot draw. */
export interface FontMetrics extends TextMeasurer {
  /** Characters of `text` that have no glyph in the font (drawn as .notdef otherwise). */
  missingCharacters(text: string): string[];
  /** Ascent above the baseline at `size` (hhea/OS-2 ascender). */
  ascentAtSize(size: number): number;
  /** The font's PostScript name (`name` table ID 6), or `Font`. */
  readonly postscriptName: string;
}

/**
 * The `/BaseFont` of a subset: a six-letter upper-case tag, `+`, the PostScript
 * name (ISO 32000-2 §9.9.2). The tag is derived from the subset's text, so the
 * same appearance gives the same bytes and different subsets differ.
 */
export function subsetFontName(postscriptName: string, text: string): string {
  let hash = 0x811c9dc5; // FNV-1a, 32 bits
  for (const ch of `${postscriptName}\u0000${text}`) {
    hash ^= ch.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  let tag = '';
  for (let i = 0; i < 6; i++) {
    tag += String.fromCharCode(65 + (hash % 26));
    hash = Math.imul(hash ^ (i + 1), 0x01000193) >>> 0;
  }
  const safe = postscriptName.replace(/[^\x21-\x7e]|[()<>[\]{}/%#]/g, '') || 'Font';
  return `${tag}+${safe}`;
}

/**
 * Measures text with a TrueType/OpenType font the same way the appearance
 * builder lays it out (pdf-lib's embedder uses the same fontkit layout), so a
 * caller can size a widget before building it, e.g. with `measureLines`.
 *
 * @throws `ERR_SIG_APPEARANCE` when the bytes are not a font fontkit can read.
 */
export function createTextMeasurer(fontBytes: Uint8Array): FontMetrics {
  let font: ReturnType<typeof fontkit.create>;
  try {
    font = fontkit.create(fontBytes);
  } catch (cause) {
    throw kysoError('ERR_SIG_APPEARANCE', 'the appearance font cannot be read', cause);
  }
  if (!font || typeof font.layout !== 'function') throw kysoError('ERR_SIG_APPEARANCE', 'the appearance font is a collection or not a font');
  const scale = 1 / font.unitsPerEm;
  const ascent = font.ascent || font.bbox.maxY;
  const descent = font.descent || font.bbox.minY;
  return {
    postscriptName: font.postscriptName || 'Font',
    widthOfTextAtSize(text, size) {
      let width = 0;
      for (const glyph of font.layout(text, { ...FONT_FEATURES }).glyphs) width += glyph.advanceWidth;
      return width * scale * size;
    },
    heightAtSize(size) {
      return (ascent - descent) * scale * size;
    },
    ascentAtSize(size) {
      return ascent * scale * size;
    },
    missingCharacters(text) {
      const missing = new Set<string>();
      for (const ch of text) {
        const cp = ch.codePointAt(0) ?? 0;
        if (!font.hasGlyphForCodePoint(cp)) missing.add(ch);
      }
      return [...missing];
    },
  };
}
