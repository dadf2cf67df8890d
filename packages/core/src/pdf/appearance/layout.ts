import { kysoError } from '../../errors/index.js';
import { readImageInfo } from './image-info.js';
import type { AppearanceImage } from './types.js';

/** PDF user space unit: 1 pt = 1/72 in (ISO 32000-2 §8.3.2.3), so 1 mm = 72/25.4 pt. */
export const PT_PER_MM = 72 / 25.4;

/** Blank space between the text block and the edge of its area, in points. */
export const TEXT_PADDING = 2;

/** Line height as a multiple of the font size (single spacing, Decree 30 Appendix I §II.6e). */
export const LINE_HEIGHT = 1.2;

/** Smallest font size the fitter shrinks to before it lets the clip cut text off. */
export const MIN_FONT_SIZE = 6;

/** A rectangle `[x, y, width, height]` in points, origin bottom-left. */
export type Rect = readonly [number, number, number, number];

/** A size in points. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * What text layout needs from a font: {@link createTextMeasurer} gives one
 * for sizing a box before any document exists (a pdf-lib `PDFFont` also fits).
 */
export interface TextMeasurer {
  widthOfTextAtSize(text: string, size: number): number;
  /** Ascent − descent at `size`. */
  heightAtSize(size: number): number;
}

function checkRect(rect: Rect, name: string): void {
  if (!Array.isArray(rect) || rect.length !== 4 || !rect.every(Number.isFinite) || rect[2] <= 0 || rect[3] <= 0) {
    throw kysoError('ERR_INVALID_ARGUMENT', `${name} must be [x, y, width, height] with a positive size`);
  }
}

function checkSize(size: Size, name: string): void {
  if (!size || !(size.width > 0) || !(size.height > 0) || !Number.isFinite(size.width) || !Number.isFinite(size.height)) {
    throw kysoError('ERR_INVALID_ARGUMENT', `${name} must have a positive width and height`);
  }
}

/**
 * The physical size of an image in points, for a seal shown "at the real size
 * of the seal" (Decree 30/2020 Appendix I §II.8a). Taken from
 * `image.widthMm` (height from the pixel aspect), else from the file's own
 * resolution (PNG `pHYs`, JPEG JFIF density). `undefined` when neither says
 * how big the image is; callers then fit it to the box.
 *
 * @throws `ERR_INVALID_ARGUMENT` for a non-positive `widthMm`; `ERR_SIG_APPEARANCE` for an unreadable image.
 */
export function sealSizePt(image: AppearanceImage): Size | undefined {
  const info = readImageInfo(image.bytes);
  const mm = info.mmPerPixel ?? { x: 1, y: 1 };
  const naturalW = info.width * mm.x;
  const naturalH = info.height * mm.y;
  if (image.widthMm !== undefined) {
    if (!(image.widthMm > 0) || !Number.isFinite(image.widthMm)) {
      throw kysoError('ERR_INVALID_ARGUMENT', 'image.widthMm must be a positive number');
    }
    return { width: image.widthMm * PT_PER_MM, height: (image.widthMm * naturalH) / naturalW * PT_PER_MM };
  }
  if (!info.mmPerPixel) return undefined;
  return { width: naturalW * PT_PER_MM, height: naturalH * PT_PER_MM };
}

/**
 * Where the agency's seal goes relative to the leader's signature.
 *
 * Appendix I §II.8a: the seal image "trùm lên khoảng 1/3 hình ảnh chữ ký số
 * của người có thẩm quyền về bên trái", i.e. it covers about the left third of
 * the leader's signature image. Read literally, the part of the signature under
 * the seal is its left third, so the seal's right edge sits at `x + w/3` and
 * the rest of the seal extends to the left of the signature, as on paper
 * (Art. 33.1.b). Vertically the seal is centred on the signature.
 * `overlap` changes the covered fraction (0 < overlap ≤ 1) for agencies whose
 * custom differs.
 *
 * @param leaderRect the leader's signature widget `[x, y, w, h]`, page space as the reader sees it.
 * @param sealSize the seal's size in points, usually {@link sealSizePt}.
 * @returns the seal's widget rectangle `[x, y, w, h]`.
 */
export function placeIssueSeal(leaderRect: Rect, sealSize: Size, overlap = 1 / 3): [number, number, number, number] {
  checkRect(leaderRect, 'leaderRect');
  checkSize(sealSize, 'sealSize');
  if (!(overlap > 0 && overlap <= 1)) throw kysoError('ERR_INVALID_ARGUMENT', 'overlap must be in (0, 1]');
  const [x, y, w, h] = leaderRect;
  return [x + w * overlap - sealSize.width, y + h / 2 - sealSize.height / 2, sealSize.width, sealSize.height];
}

/**
 * The top right corner of a page for a text-only agency signature on a
 * separate-file appendix (Appendix I §II.8b) or an electronic copy (box 14,
 * Part II §I).
 *
 * @param pageBox the visible page `[x, y, w, h]` as the reader sees it (after `/Rotate`).
 * @param textBlock the block's size, e.g. from {@link measureLines}.
 * @param marginPt distance from the top and right edges; default 20 pt (≈ 7 mm).
 */
export function placeTopRight(pageBox: Rect, textBlock: Size, marginPt = 20): [number, number, number, number] {
  checkRect(pageBox, 'pageBox');
  checkSize(textBlock, 'textBlock');
  if (!(marginPt >= 0)) throw kysoError('ERR_INVALID_ARGUMENT', 'marginPt must not be negative');
  const [x, y, w, h] = pageBox;
  return [x + w - marginPt - textBlock.width, y + h - marginPt - textBlock.height, textBlock.width, textBlock.height];
}

/** Distance between baselines at `size`. */
export function lineHeight(font: TextMeasurer, size: number): number {
  return Math.max(size * LINE_HEIGHT, font.heightAtSize(size));
}

/**
 * The size of a left-aligned block of `lines` at `size` points, including
 * {@link TEXT_PADDING} on every side: a box this large shows the lines at that
 * size without shrinking them.
 */
export function measureLines(lines: readonly string[], font: TextMeasurer, size: number): Size {
  if (!(size > 0)) throw kysoError('ERR_INVALID_ARGUMENT', 'size must be positive');
  let width = 0;
  for (const line of lines) width = Math.max(width, font.widthOfTextAtSize(line.normalize('NFC'), size));
  return { width: width + 2 * TEXT_PADDING, height: lines.length * lineHeight(font, size) + 2 * TEXT_PADDING };
}

/**
 * The largest size ≤ `start` (in half points, not below {@link MIN_FONT_SIZE})
 * at which the lines fit `area`; {@link MIN_FONT_SIZE} when none does (the
 * clip then cuts the overflow).
 */
export function fitFontSize(lines: readonly string[], font: TextMeasurer, area: Size, start: number): number {
  let size = Math.max(start, MIN_FONT_SIZE);
  while (size > MIN_FONT_SIZE) {
    const need = measureLines(lines, font, size);
    if (need.width <= area.width + 1e-6 && need.height <= area.height + 1e-6) return size;
    size = Math.max(MIN_FONT_SIZE, Math.floor(size * 2 - 1) / 2);
  }
  return MIN_FONT_SIZE;
}

/** Scales `content` to fit inside `area` keeping its aspect, centred. */
export function fitCentered(content: Size, area: Rect): [number, number, number, number] {
  const [x, y, w, h] = area;
  const scale = Math.min(w / content.width, h / content.height);
  const cw = content.width * scale;
  const ch = content.height * scale;
  return [x + (w - cw) / 2, y + (h - ch) / 2, cw, ch];
}
