/**
 * Finding text on a page (ISO 32000-2 §9): a forgiving content-stream
 * interpreter that tracks only what positions glyphs, font decoding to Unicode
 * (ToUnicode CMaps, simple-font encodings, glyph names) and widths, and a
 * search that matches NFC text across show operators on one line. Used to
 * place a signature next to an anchor text such as the signer's printed name.
 */
export { findText, pageTextLines, type TextMatch, type TextLine } from './find-text.js';
export { walkPageText, TEXT_LIMITS, type PlacedGlyph, type Matrix } from './interpreter.js';
export { ContentLexer, LEXER_LIMITS } from './content-lexer.js';
export { CMap, parseCMap, identityCMap } from './cmap.js';
export { loadTextFont, type TextFont, type ShownCode } from './font.js';
export { glyphNameToUnicode } from './glyph-names.js';
export { decodeContent } from './streams.js';
