import type { PDFImage, PDFRef } from 'pdf-lib';
import { KysoError, kysoError } from '../../errors/index.js';
import { loadDefaultFont } from './default-font.js';
import { fontkit, PDFDocument } from './libraries.js';
import { readImageInfo } from './image-info.js';
import { appearanceLines } from './labels.js';
import {
  fitCentered, fitFontSize, lineHeight, sealSizePt, TEXT_PADDING,
  type Rect, type Size,
} from './layout.js';
import { createTextMeasurer, FONT_FEATURES, subsetFontName, type FontMetrics } from './measure.js';
import type { AppearanceBox, AppearanceOptions, BuildAppearanceInput, BuiltAppearance, PageRotation } from './types.js';

/** Default font sizes: 10 pt for the text-only agency signatures (Appendix I §II.8b, Part II §I), else at most 12 pt. */
export const FIXED_TEXT_SIZE = 10;
export const AUTO_TEXT_SIZE = 12;

/** A box at least this wide per unit of height puts image and text side by side, else one above the other. */
const SIDE_BY_SIDE_RATIO = 2;

const ROTATIONS: readonly number[] = [0, 90, 180, 270];

/** Number for a content stream: at most 4 decimals, never exponent notation, no `-0`. */
function num(value: number): string {
  const rounded = Math.round(value * 10_000) / 10_000;
  return Object.is(rounded, -0) || rounded === 0 ? '0' : String(rounded);
}

/**
 * The form's `/Matrix`. The content is drawn upright in `[0 0 w h]`; on a page
 * with `/Rotate r` the viewer turns the page clockwise by r, so the form turns
 * its content counter-clockwise by r. The widget's `/Rect` in default user
 * space is then `h × w` for 90/270, and the algorithm of ISO 32000-2 §12.5.5
 * (transformed BBox → Rect) maps it without distortion.
 */
export function rotationMatrix(rotation: PageRotation, box: AppearanceBox): [number, number, number, number, number, number] {
  const { width: w, height: h } = box;
  switch (rotation) {
    case 0: return [1, 0, 0, 1, 0, 0];
    case 90: return [0, 1, -1, 0, h, 0];
    case 180: return [-1, 0, 0, -1, w, h];
    case 270: return [0, -1, 1, 0, 0, w];
  }
}

function checkInputs(box: AppearanceBox, rotation: PageRotation, first: number): void {
  if (!box || !(box.width > 0) || !(box.height > 0) || !Number.isFinite(box.width) || !Number.isFinite(box.height)) {
    throw kysoError('ERR_INVALID_ARGUMENT', 'appearance box must have a positive finite width and height');
  }
  if (!ROTATIONS.includes(rotation)) throw kysoError('ERR_INVALID_ARGUMENT', 'pageRotation must be 0, 90, 180 or 270');
  if (!Number.isSafeInteger(first) || first < 1) {
    throw kysoError('ERR_INVALID_ARGUMENT', 'firstObjectNumber must be a positive integer');
  }
}

/** Appendix and copy signatures show no image (Appendix I §II.8b, Part II §I: "không hiển thị"). */
function imageAllowed(opts: AppearanceOptions): boolean {
  return opts.role !== 'appendix' && opts.role !== 'copy';
}

/** Splits the box between image and text. */
function areas(box: AppearanceBox, hasImage: boolean, hasText: boolean): { image?: Rect; text?: Rect } {
  const { width: w, height: h } = box;
  const all: Rect = [0, 0, w, h];
  if (!hasText) return { image: all };
  if (!hasImage) return { text: all };
  if (w >= SIDE_BY_SIDE_RATIO * h) return { image: [0, 0, w * 0.4, h], text: [w * 0.4, 0, w * 0.6, h] };
  return { image: [0, h * 0.45, w, h * 0.55], text: [0, 0, w, h * 0.45] };
}

/** Where the image goes inside its area. */
function placeImage(opts: AppearanceOptions, area: Rect): Rect {
  const image = opts.image!;
  const info = readImageInfo(image.bytes);
  const mm = info.mmPerPixel ?? { x: 1, y: 1 };
  const natural: Size = { width: info.width * mm.x, height: info.height * mm.y };
  if (opts.role === 'issue') {
    // Appendix I §II.8a: the seal at its real size; shrunk only if the box cannot hold it.
    const real = sealSizePt(image);
    if (real && real.width <= area[2] + 1e-6 && real.height <= area[3] + 1e-6) {
      return [area[0] + (area[2] - real.width) / 2, area[1] + (area[3] - real.height) / 2, real.width, real.height];
    }
  }
  return fitCentered(natural, area);
}

interface TextPlan {
  readonly size: number;
  readonly lines: readonly { readonly x: number; readonly y: number; readonly text: string }[];
}

/**
 * Lays out left-aligned lines with fontkit metrics (the same layout pdf-lib
 * encodes with; pdf-lib's own ascent-only height mixes font units and is not used).
 */
function planText(opts: AppearanceOptions, lines: readonly string[], font: FontMetrics, area: Rect): TextPlan {
  const fixed = opts.role === 'appendix' || opts.role === 'copy';
  const start = opts.fontSize ?? (fixed ? FIXED_TEXT_SIZE : AUTO_TEXT_SIZE);
  if (!(start > 0) || !Number.isFinite(start)) throw kysoError('ERR_INVALID_ARGUMENT', 'appearance.fontSize must be positive');
  const size = fitFontSize(lines, font, { width: area[2], height: area[3] }, start);
  const lead = lineHeight(font, size);
  const ascent = font.ascentAtSize(size);
  const glyphHeight = font.heightAtSize(size);
  const blockHeight = lines.length * lead + 2 * TEXT_PADDING;
  // The agency text of appendices and copies hangs from the top (it sits in the page's top right corner).
  const top = fixed || blockHeight >= area[3] ? area[1] + area[3] : area[1] + (area[3] + blockHeight) / 2;
  return {
    size,
    lines: lines.map((text, i) => ({
      x: area[0] + TEXT_PADDING,
      y: top - TEXT_PADDING - i * lead - (lead - glyphHeight) / 2 - ascent,
      text,
    })),
  };
}

/** pdf-lib decodes a PNG fully in memory; a signature or seal never needs more pixels than this. */
const MAX_IMAGE_PIXELS = 25_000_000;

async function embedImage(doc: PDFDocument, bytes: Uint8Array): Promise<PDFImage> {
  const info = readImageInfo(bytes);
  if (info.width * info.height > MAX_IMAGE_PIXELS) {
    throw kysoError('ERR_SIG_APPEARANCE', `the appearance image is too large (${info.width}×${info.height} pixels)`);
  }
  // pdf-lib writes PNG alpha as a separate /SMask image (ISO 32000-2 §11.6.5.3).
  return info.format === 'png' ? doc.embedPng(bytes) : doc.embedJpg(bytes);
}

/**
 * Builds the appearance of a visible signature as a form XObject and the
 * objects it uses (subset font with ToUnicode, images with SMask), numbered
 * from `firstObjectNumber`, for the incremental writer to append.
 *
 * pdf-lib serves only as an object serialiser: a scratch document holds the
 * new objects, its own catalog and page tree are dropped.
 *
 * @param opts the appearance options plus the signing time and names drawn in the text.
 * @param box the widget size as the reader sees it; the form's `/BBox` is `[0 0 width height]`.
 * @param pageRotation the page's `/Rotate`; the form's `/Matrix` turns the content upright.
 * @param firstObjectNumber the first free object number in the target document.
 * @throws `ERR_INVALID_ARGUMENT` for bad arguments or a role's missing values;
 *   `ERR_SIG_APPEARANCE` for an unreadable image or font, or text the font cannot draw.
 */
export async function buildAppearance(
  opts: BuildAppearanceInput,
  box: AppearanceBox,
  pageRotation: PageRotation,
  firstObjectNumber: number,
): Promise<BuiltAppearance> {
  checkInputs(box, pageRotation, firstObjectNumber);
  if (opts.image && !imageAllowed(opts)) {
    throw kysoError('ERR_INVALID_ARGUMENT', `role ${opts.role} shows no image (Decree 30/2020 Appendix I)`);
  }
  const lines = appearanceLines(opts);
  const hasImage = Boolean(opts.image);
  const hasText = lines.some((l) => l.length > 0);
  if (!hasImage && !hasText) throw kysoError('ERR_INVALID_ARGUMENT', 'the appearance has neither image nor text to show');
  try {
    return await build(opts, lines, hasImage, hasText, box, pageRotation, firstObjectNumber);
  } catch (error) {
    if (error instanceof KysoError) throw error;
    throw kysoError('ERR_SIG_APPEARANCE', error instanceof Error ? error.message : String(error), error);
  }
}

async function build(
  opts: BuildAppearanceInput, lines: string[], hasImage: boolean, hasText: boolean,
  box: AppearanceBox, rotation: PageRotation, first: number,
): Promise<BuiltAppearance> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const context = doc.context;
  // Drop the scratch catalog and page tree: only objects made from here on are ours.
  for (const [ref] of context.enumerateIndirectObjects()) context.delete(ref);
  context.largestObjectNumber = first - 1;

  const { image: imageArea, text: textArea } = areas(box, hasImage, hasText);
  const ops: string[] = ['q', `0 0 ${num(box.width)} ${num(box.height)} re W n`];
  const resources: Record<string, Record<string, PDFRef>> = {};

  if (hasImage && imageArea) {
    const image = await embedImage(doc, opts.image!.bytes);
    const [x, y, w, h] = placeImage(opts, imageArea);
    resources.XObject = { Im1: image.ref };
    ops.push('q', `${num(w)} 0 0 ${num(h)} ${num(x)} ${num(y)} cm`, '/Im1 Do', 'Q');
  }

  if (hasText && textArea) {
    const fontBytes = opts.font ?? (await loadDefaultFont());
    const metrics = createTextMeasurer(fontBytes);
    const missing = metrics.missingCharacters(lines.join(''));
    if (missing.length) {
      const codes = missing.map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);
      throw kysoError('ERR_SIG_APPEARANCE', `the font has no glyph for ${codes.join(', ')}`);
    }
    doc.registerFontkit(fontkit as unknown as Parameters<PDFDocument['registerFontkit']>[0]);
    const font = await doc.embedFont(fontBytes, {
      subset: true,
      features: { ...FONT_FEATURES },
      customName: subsetFontName(metrics.postscriptName, lines.join('\n')),
    });
    const plan = planText(opts, lines, metrics, textArea);
    resources.Font = { F1: font.ref };
    ops.push('BT', `/F1 ${num(plan.size)} Tf`, '0 g');
    for (const line of plan.lines) {
      if (!line.text) continue;
      ops.push(`1 0 0 1 ${num(line.x)} ${num(line.y)} Tm`, `${font.encodeText(line.text).toString()} Tj`);
    }
    ops.push('ET');
  }
  ops.push('Q');

  await doc.flush(); // the embedders write the font and image objects now
  const form = context.flateStream(ops.join('\n'), {
    Type: 'XObject',
    Subtype: 'Form',
    FormType: 1,
    BBox: [0, 0, box.width, box.height],
    Matrix: rotationMatrix(rotation, box),
    Resources: resources,
  });
  const xobject = context.register(form).objectNumber;

  const objects = context
    .enumerateIndirectObjects()
    .map(([ref, obj]) => {
      const body = new Uint8Array(obj.sizeInBytes());
      obj.copyBytesInto(body, 0);
      return { num: ref.objectNumber, body };
    })
    .sort((a, b) => a.num - b.num);
  const nextObjectNumber = context.largestObjectNumber + 1;
  // The writer appends these with a contiguous xref subsection: check it holds.
  if (objects.length !== nextObjectNumber - first || objects.some((o, i) => o.num !== first + i)) {
    throw kysoError('ERR_SIG_APPEARANCE', 'internal: appearance object numbers are not contiguous');
  }
  return { objects, xobject, nextObjectNumber, text: lines };
}
