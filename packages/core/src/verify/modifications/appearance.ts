/**
 * What a form field looks like, as far as the modification rules need it:
 * whether viewers draw a widget from the form's defaults (ISO 32000-2
 * §12.7.4.3: /DA, /DR, /Q) or from its own appearance stream (§12.5.5), and
 * whether a new appearance stream draws the field's new value and nothing else.
 */
import type { PdfDocument } from '../../pdf/document.js';
import { PdfDict, PdfName, PdfStream, PdfString, type PdfValue } from '../../pdf/objects.js';
import { ContentLexer } from '../../pdf/text/content-lexer.js';
import { loadTextFont } from '../../pdf/text/font.js';
import { decodeContent } from '../../pdf/text/streams.js';
import { bytesToLatin1 } from '../../util/bytes.js';

/** Largest appearance stream read (decoded); a field's appearance is a few hundred bytes. */
const MAX_APPEARANCE_BYTES = 1 << 20;

/**
 * Operators an appearance drawing a text or choice field's value may use: text
 * (§9.4), text state (§9.3), colour (§8.6.8), graphics state without external
 * state (§8.4.4), straight path construction and painting for borders and
 * background (§8.5), marked content (§14.6) and compatibility sections.
 * Excluded on purpose: XObjects (`Do`), inline images, shadings, external
 * graphics states (soft masks, blend modes) and curves, any of which could
 * draw a different value than the text shows.
 */
const VALUE_OPERATORS = new Set([
  'BT', 'ET', 'Tf', 'Td', 'TD', 'Tm', 'T*', 'Tj', 'TJ', "'", '"', 'Tc', 'Tw', 'Tz', 'TL', 'Ts', 'Tr',
  'g', 'G', 'rg', 'RG', 'k', 'K', 'cs', 'CS', 'sc', 'SC', 'scn', 'SCN',
  'q', 'Q', 'cm', 'w', 'J', 'j', 'M', 'd', 'ri', 'i',
  'm', 'l', 'h', 're', 'S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'n', 'W', 'W*',
  'BMC', 'BDC', 'EMC', 'MP', 'DP', 'BX', 'EX',
]);

/** The standard 14 fonts (§9.6.2.2): a viewer draws them from its own programs, whatever the file says. */
const STANDARD_14 = new Set([
  'Times-Roman', 'Times-Bold', 'Times-Italic', 'Times-BoldItalic', 'Helvetica', 'Helvetica-Bold', 'Helvetica-Oblique',
  'Helvetica-BoldOblique', 'Courier', 'Courier-Bold', 'Courier-Oblique', 'Courier-BoldOblique', 'Symbol', 'ZapfDingbats',
]);

/** True when the widget has a normal appearance of its own (§12.5.5): a stream, or a dictionary of states. */
export function hasNormalAppearance(doc: PdfDocument, widget: PdfDict): boolean {
  try {
    const ap = doc.dictOf(widget.get('AP'));
    if (!ap) return false;
    const n = doc.resolve(ap.get('N'));
    return n instanceof PdfStream || n instanceof PdfDict;
  } catch {
    return false;
  }
}

/**
 * True when a normal appearance stream of the widget has no /Resources of its
 * own: viewers then look its fonts up in the form's /DR (the PDF 1.1 fallback
 * many still honour), so /DR draws it too.
 */
export function appearanceBorrowsResources(doc: PdfDocument, widget: PdfDict): boolean {
  try {
    const ap = doc.dictOf(widget.get('AP'));
    const n = ap ? doc.resolve(ap.get('N')) : null;
    const streams = n instanceof PdfStream ? [n] : n instanceof PdfDict ? [...n.map.values()].map((v) => doc.resolve(v)) : [];
    return streams.some((s) => s instanceof PdfStream && !doc.dictOf(s.dict.get('Resources')));
  } catch {
    return true;
  }
}

/** The keys of a button's normal appearance dictionary (its states, §12.7.5.2.3), or null. */
export function appearanceStates(doc: PdfDocument, widget: PdfDict): Set<string> | null {
  try {
    const ap = doc.dictOf(widget.get('AP'));
    const n = ap ? doc.resolve(ap.get('N')) : null;
    return n instanceof PdfDict ? new Set(n.map.keys()) : null;
  } catch {
    return null;
  }
}

/** The font resource name a default appearance string selects (the operand of its last `Tf`, §12.7.4.3), or null. */
export function daFontName(da: Uint8Array): string | null {
  const lexer = new ContentLexer(da);
  const operands: PdfValue[] = [];
  let font: string | null = null;
  for (let op = lexer.nextOperator(operands); op !== null; op = lexer.nextOperator(operands)) {
    if (op === 'Tf' && operands[0] instanceof PdfName) font = operands[0].name;
  }
  return font;
}

/**
 * A simple font whose glyphs no file can change: one of the standard 14, not
 * embedded, with a named encoding (no /Differences) and no /ToUnicode, so the
 * codes shown are the characters drawn.
 */
export function isPlainStandardFont(doc: PdfDocument, font: PdfDict): boolean {
  try {
    const sub = font.name('Subtype');
    if (sub !== 'Type1' && sub !== 'TrueType') return false;
    if (!STANDARD_14.has(font.name('BaseFont') ?? '')) return false;
    if (font.has('ToUnicode')) return false;
    const enc = doc.resolve(font.get('Encoding'));
    if (enc !== null && !(enc instanceof PdfName)) return false;
    const fd = doc.dictOf(font.get('FontDescriptor'));
    if (fd && (fd.has('FontFile') || fd.has('FontFile2') || fd.has('FontFile3'))) return false;
    return true;
  } catch {
    return false;
  }
}

/** How {@link appearanceShowsValue} finds and trusts fonts. */
export interface AppearanceFonts {
  /** A font resource by name when the stream's own /Resources lack it (the form's /DR). */
  readonly fallback: (name: string) => PdfValue | undefined;
  /** Whether a font resource (as written in the new revision) draws the glyphs its decoding says. */
  readonly trusted: (font: PdfValue) => boolean;
}

/**
 * Whether the appearance stream draws `expected` and nothing that could read
 * as another value: only {@link VALUE_OPERATORS}, visible fill or stroke text
 * modes, fonts the caller trusts, and shown text that equals the value once
 * white space is removed (`exact`), or contains each of the values (choice
 * fields: a list box shows its other options too). With `expected` null (a
 * password field) the text itself is not compared.
 */
export function appearanceShowsValue(
  doc: PdfDocument, stream: PdfValue | undefined, expected: readonly string[] | null, exact: boolean, fonts: AppearanceFonts,
): boolean {
  let s: PdfValue;
  try {
    s = doc.resolve(stream);
  } catch {
    return false;
  }
  if (!(s instanceof PdfStream)) return false;
  const data = decodeContent(doc, s, MAX_APPEARANCE_BYTES);
  if (!data) return false;
  let resources: PdfDict | null = null;
  try {
    resources = doc.dictOf(s.dict.get('Resources'));
  } catch {
    return false;
  }
  const ownFonts = (() => {
    try {
      return resources ? doc.dictOf(resources.get('Font')) : null;
    } catch {
      return null;
    }
  })();
  const lexer = new ContentLexer(data);
  const operands: PdfValue[] = [];
  let decode: ((b: Uint8Array) => string) | null = null;
  let shown = '';
  const show = (v: PdfValue | undefined): boolean => {
    if (!(v instanceof PdfString)) return false;
    // Without a font set the viewer falls back to its default font: the bytes are the characters.
    shown += (decode ?? bytesToLatin1)(v.bytes);
    return true;
  };
  for (let op = lexer.nextOperator(operands); op !== null; op = lexer.nextOperator(operands)) {
    if (!VALUE_OPERATORS.has(op)) return false;
    switch (op) {
      case 'Tf': {
        const name = operands[0];
        if (!(name instanceof PdfName)) return false;
        const res = ownFonts?.get(name.name) ?? fonts.fallback(name.name);
        if (res === undefined) {
          decode = null; // an unknown font: viewers substitute their default one
          break;
        }
        if (!fonts.trusted(res)) return false;
        let fd: PdfDict | null;
        try {
          fd = doc.dictOf(res);
        } catch {
          return false;
        }
        if (!fd) return false;
        const font = loadTextFont(doc, fd);
        decode = (b) => font.decode(b).map((c) => c.text).join('');
        break;
      }
      case 'Tr': {
        const mode = operands[0];
        if (mode !== 0 && mode !== 1 && mode !== 2) return false; // 3 is invisible, 4–7 clip
        break;
      }
      case 'Tj': case "'":
        if (!show(operands[0])) return false;
        break;
      case '"':
        if (!show(operands[2])) return false;
        break;
      case 'TJ': {
        const arr = operands[0];
        if (!Array.isArray(arr)) return false;
        for (const x of arr) if (typeof x !== 'number' && !show(x)) return false;
        break;
      }
      default:
    }
  }
  if (expected === null) return true;
  const norm = (t: string) => t.normalize('NFC').replace(/\s+/g, '');
  const got = norm(shown);
  if (exact) return got === norm(expected.join(''));
  return expected.every((e) => got.includes(norm(e)));
}
