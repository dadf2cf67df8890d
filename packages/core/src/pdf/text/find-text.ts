import type { PageInfo, PdfDocument } from '../document.js';
import { walkPageText, type PlacedGlyph } from './interpreter.js';

/** One place where the searched text is shown. */
export interface TextMatch {
  /** Box around the matched glyphs in default user space: `[x1, y1, x2, y2]`, descent to ascent. */
  readonly rect: [number, number, number, number];
  /** The text as the page shows it (NFC), spaces included. */
  readonly text: string;
}

/** A run of glyphs on one baseline, as {@link pageTextLines} reports it. */
export interface TextLine {
  /** The glyphs' text in the order shown, with a space where a gap reads as one. */
  readonly text: string;
  /** Box around the line's glyphs in default user space: `[x1, y1, x2, y2]`. */
  readonly rect: [number, number, number, number];
}

/** Gap, in font sizes, above which two glyphs on a line read as separate words. */
const WORD_GAP = 0.15;
/** Baseline offset, in font sizes, beyond which a glyph starts a new line. */
const LINE_TOLERANCE = 0.5;

const isSpace = (s: string) => s === ' ' || (s !== '' && s.trim() === '');
/** Combining marks; nothing below U+0300 is one, which keeps the common case fast. */
const isMark = (ch: string) => ch.charCodeAt(0) >= 0x300 && /^\p{M}$/u.test(ch);

/**
 * The glyphs of the line being built, held in typed arrays rather than one
 * object per glyph: hostile pages show millions of glyphs on one line.
 */
class LineBuffer {
  length = 0;
  texts: string[] = [];
  space = new Uint8Array(64);
  box = new Float64Array(64 * 4);
  // The last glyph's pen position, direction and size, to decide whether the next one continues the line.
  private endX = 0;
  private endY = 0;
  private dirX = 1;
  private dirY = 0;
  private size = 0;
  private lastText = '';

  reset(): void {
    this.length = 0;
    this.texts = [];
  }

  continues(g: PlacedGlyph): boolean {
    if (this.length === 0) return false;
    if (this.dirX * g.dirX + this.dirY * g.dirY < 0.95) return false;
    const size = Math.max(this.size, g.size);
    const dx = g.x - this.endX;
    const dy = g.y - this.endY;
    const along = dx * this.dirX + dy * this.dirY;
    const across = -dx * this.dirY + dy * this.dirX;
    return Math.abs(across) <= LINE_TOLERANCE * size && along >= -size;
  }

  push(g: PlacedGlyph): void {
    const n = this.length;
    if (n === this.space.length) {
      const space = new Uint8Array(n * 2);
      space.set(this.space);
      this.space = space;
      const box = new Float64Array(n * 8);
      box.set(this.box);
      this.box = box;
    }
    let gapSpace = false;
    if (n > 0) {
      const gap = (g.x - this.endX) * this.dirX + (g.y - this.endY) * this.dirY;
      gapSpace = gap > WORD_GAP * Math.max(this.size, g.size) && !isSpace(this.lastText) && !isSpace(g.text);
    }
    this.space[n] = gapSpace ? 1 : 0;
    this.box[n * 4] = g.x1;
    this.box[n * 4 + 1] = g.y1;
    this.box[n * 4 + 2] = g.x2;
    this.box[n * 4 + 3] = g.y2;
    this.texts.push(g.text);
    this.endX = g.endX;
    this.endY = g.endY;
    this.dirX = g.dirX;
    this.dirY = g.dirY;
    this.size = g.size;
    this.lastText = g.text;
    this.length = n + 1;
  }
}

/**
 * Groups the page's glyphs into lines: a glyph whose origin continues the
 * previous glyph's baseline (same direction, within half a font size across,
 * not more than a font size behind) joins its line; anything else starts a
 * new one. Each line is handed over when it ends; the buffer is then reused.
 */
function forEachLine(doc: PdfDocument, page: PageInfo, onLine: (line: LineBuffer) => void): void {
  const line = new LineBuffer();
  walkPageText(doc, page, (g) => {
    if (!line.continues(g) && line.length) {
      onLine(line);
      line.reset();
    }
    line.push(g);
  });
  if (line.length) onLine(line);
}

/** The page's text as lines, in content order: for inspection, tests and debugging. */
export function pageTextLines(doc: PdfDocument, page: PageInfo): TextLine[] {
  const lines: TextLine[] = [];
  forEachLine(doc, page, (l) => {
    let text = '';
    const rect: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 0; i < l.length; i++) {
      text += (l.space[i] ? ' ' : '') + l.texts[i];
      rect[0] = Math.min(rect[0], l.box[i * 4]!);
      rect[1] = Math.min(rect[1], l.box[i * 4 + 1]!);
      rect[2] = Math.max(rect[2], l.box[i * 4 + 2]!);
      rect[3] = Math.max(rect[3], l.box[i * 4 + 3]!);
    }
    lines.push({ text: text.normalize('NFC'), rect });
  });
  return lines;
}

/** Text search form: NFC, without any white space. */
function searchForm(s: string): string {
  return s.normalize('NFC').replace(/\s+/gu, '');
}

/**
 * Every place `needle` is shown on the page, in reading order (top to bottom,
 * then left to right, as the page is displayed after /Rotate). Text is
 * compared after NFC normalisation and without white space, so a match may
 * span several show operators and ignore how words were spaced; it must lie
 * on one line. Comparison is case-sensitive. A needle of only white space
 * matches nothing. Never throws on odd content (see `walkPageText`).
 */
export function findText(doc: PdfDocument, page: PageInfo, needle: string): TextMatch[] {
  const want = searchForm(needle);
  if (want === '') return [];
  const matches: TextMatch[] = [];
  forEachLine(doc, page, (line) => {
    // Most lines cannot match: check the whole line's text before mapping characters to glyphs.
    let all = '';
    for (const t of line.texts) all += t === '' ? '\ufffd' : t;
    if (!searchForm(all).includes(want)) return;
    matchLine(line, want, matches);
  });
  return sortReadingOrder(page, matches);
}

/**
 * Finds `want` in one line. Characters are grouped into clusters (a base
 * character and the combining marks after it, whichever glyphs drew them), so
 * NFC can compose a letter drawn as a base glyph plus separate accent glyphs,
 * as Vietnamese fonts often do ("ễ" as "e" + "̂" + "̃"). A cluster's glyphs
 * are a contiguous run, so a match maps back to a glyph range.
 */
function matchLine(line: LineBuffer, want: string, out: TextMatch[]): void {
  const texts: string[] = [];
  const firstGlyph: number[] = [];
  const lastGlyph: number[] = [];
  let raw = '';
  const close = () => {
    if (raw === '') return;
    texts[texts.length - 1] = raw.length === 1 && raw < '\u0300' ? raw : raw.normalize('NFC');
  };
  for (let i = 0; i < line.length; i++) {
    if (line.space[i]) {
      close();
      raw = ' ';
      texts.push(' ');
      firstGlyph.push(-1);
      lastGlyph.push(-1);
    }
    const t = line.texts[i] === '' ? '\ufffd' : line.texts[i]!;
    for (const ch of t) {
      if (texts.length && isMark(ch) && !isSpace(raw)) {
        raw += ch;
        lastGlyph[lastGlyph.length - 1] = i;
        continue;
      }
      close();
      raw = ch;
      texts.push(ch);
      firstGlyph.push(i);
      lastGlyph.push(i);
    }
  }
  close();

  let hay = '';
  const owner: number[] = [];
  texts.forEach((c, ci) => {
    if (isSpace(c)) return;
    for (let k = 0; k < c.length; k++) owner.push(ci);
    hay += c;
  });
  for (let at = hay.indexOf(want); at >= 0; at = hay.indexOf(want, at + want.length)) {
    const first = owner[at]!;
    const last = owner[at + want.length - 1]!;
    const from = firstGlyph[first]!;
    const to = lastGlyph[last]!;
    const b = line.box;
    const rect: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let gi = from; gi <= to; gi++) {
      if (isSpace(line.texts[gi]!)) continue;
      rect[0] = Math.min(rect[0], b[gi * 4]!);
      rect[1] = Math.min(rect[1], b[gi * 4 + 1]!);
      rect[2] = Math.max(rect[2], b[gi * 4 + 2]!);
      rect[3] = Math.max(rect[3], b[gi * 4 + 3]!);
    }
    if (!rect.every(Number.isFinite)) continue;
    out.push({ rect, text: texts.slice(first, last + 1).join('').normalize('NFC') });
  }
}

/** Sorts by the displayed top edge (1 pt tolerance), then the displayed left edge. */
function sortReadingOrder(page: PageInfo, matches: TextMatch[]): TextMatch[] {
  const keyed = matches.map((m) => {
    const [x1, y1, x2, y2] = m.rect;
    const a = toVisible(page, x1, y1);
    const b = toVisible(page, x2, y2);
    return { m, top: Math.max(a[1], b[1]), left: Math.min(a[0], b[0]) };
  });
  keyed.sort((p, q) => (Math.abs(p.top - q.top) > 1 ? q.top - p.top : p.left - q.left));
  return keyed.map((k) => k.m);
}

/** A user-space point as the reader sees it: origin at the bottom left of the crop box after /Rotate (§7.7.3.3). */
function toVisible(page: PageInfo, x: number, y: number): [number, number] {
  const [cx0, cy0, cx1, cy1] = page.cropBox;
  switch (page.rotate) {
    case 90: return [y - cy0, cx1 - x];
    case 180: return [cx1 - x, cy1 - y];
    case 270: return [cy1 - y, x - cx0];
    default: return [x - cx0, y - cy0];
  }
}
