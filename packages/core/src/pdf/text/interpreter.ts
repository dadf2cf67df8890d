import type { PageInfo, PdfDocument } from '../document.js';
import { PdfDict, PdfName, PdfStream, PdfString, type PdfValue } from '../objects.js';
import { ContentLexer } from './content-lexer.js';
import { loadTextFont, type TextFont } from './font.js';
import { decodeContent, MAX_CONTENT_BYTES } from './streams.js';

/** Bounds on the work one page may cause, so hostile content ends quickly. */
export const TEXT_LIMITS = {
  /** Operators interpreted per page, form XObjects included. */
  operators: 5_000_000,
  /** Decoded content bytes per page, form XObjects included (each form counted once). */
  contentBytes: 2 * MAX_CONTENT_BYTES,
  /**
   * Content bytes of form XObjects painted again on the same page. A form is
   * read anew each time it is painted, so a small file painting a large form
   * thousands of times would otherwise cost the whole `contentBytes` budget
   * in lexing (found by fuzzing: 35 KB took seconds).
   */
  repaintBytes: 4 * 1024 * 1024,
  /** Nesting of form XObjects. */
  formDepth: 12,
  /** Graphics state stack depth (`q` beyond it is ignored, with its `Q`). */
  stateDepth: 1_000,
  /** Glyphs reported per page. */
  glyphs: 2_000_000,
} as const;

/** An affine matrix `[a b c d e f]` (ISO 32000-2 §8.3.3), row-vector convention. */
export type Matrix = [number, number, number, number, number, number];

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** `m1 × m2`: apply m1, then m2. */
export function multiply(m1: Matrix, m2: Matrix): Matrix {
  return [
    m1[0] * m2[0] + m1[1] * m2[2],
    m1[0] * m2[1] + m1[1] * m2[3],
    m1[2] * m2[0] + m1[3] * m2[2],
    m1[2] * m2[1] + m1[3] * m2[3],
    m1[4] * m2[0] + m1[5] * m2[2] + m2[4],
    m1[4] * m2[1] + m1[5] * m2[3] + m2[5],
  ];
}

/** One shown glyph in default user space. */
export interface PlacedGlyph {
  /* Fields are mutable only because the walker reuses one object for every glyph. */
  /** Unicode text of the glyph ('' when the font does not say). */
  text: string;
  /** Axis-aligned box of the glyph (advance × descent..ascent). */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Baseline origin. */
  x: number;
  y: number;
  /** Where the next glyph would start (origin + advance, spacing included). */
  endX: number;
  endY: number;
  /** Unit vector of the baseline direction. */
  dirX: number;
  dirY: number;
  /** Font size in user space (length of the text-space unit vector up). */
  size: number;
}

interface GState {
  ctm: Matrix;
  font: TextFont | null;
  fontSize: number;
  charSpacing: number;
  wordSpacing: number;
  hScale: number;
  leading: number;
  rise: number;
}

interface Budget {
  operators: number;
  bytes: number;
  repaintBytes: number;
  glyphs: number;
  /** Forms painted so far on this page. */
  readonly painted: Set<PdfStream>;
}

const num = (v: PdfValue | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Walks a page's content (and the form XObjects it paints) and reports each
 * shown glyph with its position (ISO 32000-2 §9.4, text rendering matrix of
 * §9.4.4). Only what positions text is tracked: `q Q cm`, the text state and
 * text-positioning operators, and `Do` for forms. Never throws on odd content:
 * an operator with the wrong operands is skipped. The glyph handed to
 * `onGlyph` is reused for the next one: copy what you keep.
 */
export function walkPageText(doc: PdfDocument, page: PageInfo, onGlyph: (g: PlacedGlyph) => void): void {
  const budget: Budget = {
    operators: TEXT_LIMITS.operators, bytes: TEXT_LIMITS.contentBytes, repaintBytes: TEXT_LIMITS.repaintBytes, glyphs: TEXT_LIMITS.glyphs, painted: new Set(),
  };
  let contents: PdfValue;
  try {
    contents = doc.resolve(page.dict.get('Contents'));
  } catch {
    return;
  }
  const parts = Array.isArray(contents) ? contents : [contents];
  const chunks: Uint8Array[] = [];
  for (const p of parts) {
    let s: PdfValue;
    try {
      s = doc.resolve(p);
    } catch {
      continue;
    }
    if (!(s instanceof PdfStream)) continue;
    const data = decodeContent(doc, s, Math.min(MAX_CONTENT_BYTES, budget.bytes));
    if (!data) continue;
    budget.bytes -= data.length;
    chunks.push(data);
    if (budget.bytes <= 0) break;
  }
  // §7.8.2: the streams of a /Contents array are one stream split at token boundaries.
  const total = chunks.reduce((n, c) => n + c.length + 1, 0);
  const joined = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    joined.set(c, at);
    at += c.length;
    joined[at++] = 0x0a;
  }
  const resources = dictOf(doc, page.dict.get('Resources')) ?? inheritedResources(doc, page.dict);
  const gs: GState = { ctm: IDENTITY, font: null, fontSize: 0, charSpacing: 0, wordSpacing: 0, hScale: 1, leading: 0, rise: 0 };
  run(doc, joined, resources, gs, budget, new Set(), 0, onGlyph);
}

function dictOf(doc: PdfDocument, v: PdfValue | undefined): PdfDict | null {
  try {
    return doc.dictOf(v);
  } catch {
    return null;
  }
}

/** /Resources is inheritable (§7.7.3.4); PageInfo resolves only the boxes and /Rotate. */
function inheritedResources(doc: PdfDocument, pageDict: PdfDict): PdfDict | null {
  let node: PdfDict | null = pageDict;
  for (let i = 0; node && i < 64; i++) {
    const r = dictOf(doc, node.get('Resources'));
    if (r) return r;
    node = dictOf(doc, node.get('Parent'));
  }
  return null;
}

function run(
  doc: PdfDocument,
  data: Uint8Array,
  resources: PdfDict | null,
  initial: GState,
  budget: Budget,
  active: Set<PdfStream>,
  depth: number,
  onGlyph: (g: PlacedGlyph) => void,
): void {
  const lx = new ContentLexer(data);
  const ops: PdfValue[] = [];
  const stack: GState[] = [];
  let skippedSaves = 0;
  let gs: GState = { ...initial };
  let tm: Matrix = IDENTITY;
  let tlm: Matrix = IDENTITY;
  const fontCache = new Map<string, TextFont | null>();
  // One object reused for every glyph: a page may show millions.
  const glyph: PlacedGlyph = { text: '', x1: 0, y1: 0, x2: 0, y2: 0, x: 0, y: 0, endX: 0, endY: 0, dirX: 1, dirY: 0, size: 0 };

  const fontNamed = (name: string): TextFont | null => {
    if (fontCache.has(name)) return fontCache.get(name)!;
    const fonts = dictOf(doc, resources?.get('Font'));
    const fd = dictOf(doc, fonts?.get(name));
    const f = fd ? loadTextFont(doc, fd) : null;
    fontCache.set(name, f);
    return f;
  };

  // Looked up once per name, as fonts are: a stream may paint the same name thousands of times.
  const formCache = new Map<string, PdfStream | null>();
  const formNamed = (name: string): PdfStream | null => {
    if (formCache.has(name)) return formCache.get(name)!;
    let s: PdfValue = null;
    try {
      s = doc.resolve(dictOf(doc, resources?.get('XObject'))?.get(name));
    } catch {
      // an unreadable XObject paints nothing
    }
    const form = s instanceof PdfStream && s.dict.name('Subtype') === 'Form' ? s : null;
    formCache.set(name, form);
    return form;
  };

  const nextLine = (tx: number, ty: number) => {
    tlm = multiply([1, 0, 0, 1, tx, ty], tlm);
    tm = tlm;
  };

  const show = (s: PdfString) => {
    const font = gs.font;
    if (!font) return;
    const fs = gs.fontSize;
    const th = gs.hScale;
    // Within one string only the translation of Tm changes (§9.4.4), so the
    // text-to-user matrix is computed once and glyphs step along its x axis.
    const t = multiply(tm, gs.ctm);
    const ax = fs * th * t[0], ay = fs * th * t[1]; // glyph-space x unit
    const bx = fs * t[2], by = fs * t[3]; // glyph-space y unit
    const size = Math.hypot(bx, by);
    const len = Math.hypot(ax, ay);
    const dirX = len > 0 ? ax / len : 1;
    const dirY = len > 0 ? ay / len : 0;
    const riseX = (gs.rise * t[2]), riseY = (gs.rise * t[3]);
    const asc = font.ascent, desc = font.descent;
    let advance = 0; // text-space units along the line since the start of the string
    for (const code of font.decode(s.bytes)) {
      const tx = (code.width * fs + gs.charSpacing + (code.wordSpace ? gs.wordSpacing : 0)) * th;
      if (budget.glyphs > 0 && size > 0) {
        const ox = t[4] + advance * t[0] + riseX;
        const oy = t[5] + advance * t[1] + riseY;
        const w = code.width;
        // The four corners of advance × [descent, ascent] in user space.
        const c0x = ox + desc * bx, c0y = oy + desc * by;
        const c1x = c0x + w * ax, c1y = c0y + w * ay;
        const c2x = ox + asc * bx, c2y = oy + asc * by;
        const c3x = c2x + w * ax, c3y = c2y + w * ay;
        const g = glyph;
        g.text = code.text;
        g.x1 = Math.min(c0x, c1x, c2x, c3x);
        g.y1 = Math.min(c0y, c1y, c2y, c3y);
        g.x2 = Math.max(c0x, c1x, c2x, c3x);
        g.y2 = Math.max(c0y, c1y, c2y, c3y);
        g.x = ox;
        g.y = oy;
        g.endX = ox + tx * t[0];
        g.endY = oy + tx * t[1];
        g.dirX = dirX;
        g.dirY = dirY;
        g.size = size;
        if (Number.isFinite(g.x1 + g.y1 + g.x2 + g.y2 + g.endX + g.endY + size)) {
          budget.glyphs--;
          onGlyph(g);
        }
      }
      advance += tx;
    }
    tm = multiply([1, 0, 0, 1, advance, 0], tm);
  };

  for (;;) {
    if (budget.operators <= 0) return;
    const op = lx.nextOperator(ops);
    if (op === null) return;
    budget.operators--;
    switch (op) {
      case 'q':
        if (stack.length >= TEXT_LIMITS.stateDepth) skippedSaves++;
        else stack.push({ ...gs });
        break;
      case 'Q':
        if (skippedSaves > 0) skippedSaves--;
        else if (stack.length) gs = stack.pop()!;
        break;
      case 'cm':
        if (ops.length === 6 && ops.every(num)) gs.ctm = multiply(ops as Matrix, gs.ctm);
        break;
      case 'BT':
        tm = IDENTITY;
        tlm = IDENTITY;
        break;
      case 'Tf':
        if (ops.length === 2 && ops[0] instanceof PdfName && num(ops[1])) {
          gs.font = fontNamed(ops[0].name);
          gs.fontSize = ops[1];
        }
        break;
      case 'Tc':
        if (ops.length === 1 && num(ops[0])) gs.charSpacing = ops[0];
        break;
      case 'Tw':
        if (ops.length === 1 && num(ops[0])) gs.wordSpacing = ops[0];
        break;
      case 'Tz':
        if (ops.length === 1 && num(ops[0])) gs.hScale = ops[0] / 100;
        break;
      case 'TL':
        if (ops.length === 1 && num(ops[0])) gs.leading = ops[0];
        break;
      case 'Ts':
        if (ops.length === 1 && num(ops[0])) gs.rise = ops[0];
        break;
      case 'Td':
        if (ops.length === 2 && num(ops[0]) && num(ops[1])) nextLine(ops[0], ops[1]);
        break;
      case 'TD':
        if (ops.length === 2 && num(ops[0]) && num(ops[1])) {
          gs.leading = -ops[1];
          nextLine(ops[0], ops[1]);
        }
        break;
      case 'Tm':
        if (ops.length === 6 && ops.every(num)) {
          tlm = [...(ops as Matrix)];
          tm = tlm;
        }
        break;
      case 'T*':
        nextLine(0, -gs.leading);
        break;
      case 'Tj':
        if (ops.length >= 1 && ops[ops.length - 1] instanceof PdfString) show(ops[ops.length - 1] as PdfString);
        break;
      case "'":
        nextLine(0, -gs.leading);
        if (ops.length >= 1 && ops[ops.length - 1] instanceof PdfString) show(ops[ops.length - 1] as PdfString);
        break;
      case '"':
        if (ops.length === 3 && num(ops[0]) && num(ops[1]) && ops[2] instanceof PdfString) {
          gs.wordSpacing = ops[0];
          gs.charSpacing = ops[1];
          nextLine(0, -gs.leading);
          show(ops[2]);
        }
        break;
      case 'TJ': {
        const arr = ops[ops.length - 1];
        if (!Array.isArray(arr)) break;
        for (const item of arr) {
          if (item instanceof PdfString) show(item);
          else if (num(item)) tm = multiply([1, 0, 0, 1, (-item / 1000) * gs.fontSize * gs.hScale, 0], tm);
        }
        break;
      }
      case 'BI':
        lx.skipInlineImage();
        break;
      case 'Do':
        if (ops.length === 1 && ops[0] instanceof PdfName) paintForm(ops[0].name);
        break;
      default:
        break;
    }
  }

  function paintForm(name: string): void {
    if (depth >= TEXT_LIMITS.formDepth) return;
    const s = formNamed(name);
    if (!s || active.has(s)) return;
    const again = budget.painted.has(s);
    const left = again ? budget.repaintBytes : budget.bytes;
    if (left <= 0) return;
    const content = decodeContent(doc, s, Math.min(MAX_CONTENT_BYTES, left));
    if (!content) return;
    if (again) budget.repaintBytes -= content.length;
    else budget.bytes -= content.length;
    budget.painted.add(s);
    let matrix: PdfValue = null;
    try {
      matrix = doc.resolve(s.dict.get('Matrix'));
    } catch {
      // keep the identity
    }
    const m: Matrix = Array.isArray(matrix) && matrix.length === 6 && matrix.every(num) ? (matrix as Matrix) : IDENTITY;
    const formResources = dictOf(doc, s.dict.get('Resources')) ?? resources;
    // §8.10.1: a form paints with the current state, its /Matrix concatenated, and leaves the state as it was.
    active.add(s);
    try {
      run(doc, content, formResources, { ...gs, ctm: multiply(m, gs.ctm) }, budget, active, depth + 1, onGlyph);
    } finally {
      active.delete(s);
    }
  }
}
