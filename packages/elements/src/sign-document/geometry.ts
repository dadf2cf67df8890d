/**
 * The placement box's arithmetic, kept apart from the element so that it reads
 * (and is checked) on its own.
 *
 * Coordinates are core's placement space (`Placement.rect`): points, origin at
 * the bottom left of the page as the reader sees it (crop box, after
 * `/Rotate`), y upwards. The screen has y downwards; `scale` is CSS pixels per
 * point.
 */

/** `[x, y, width, height]` in points. */
export type Box = readonly [number, number, number, number];

/** A page's visible size in points. */
export interface PageSize {
  readonly width: number;
  readonly height: number;
}

/** 1 mm in points (ISO 32000-2 §8.3.2.3: 1 pt = 1/72 in). */
export const PT_PER_MM = 72 / 25.4;

/** Keeps a box on its page (moving it, never resizing it unless it is larger than the page). */
export function clampBox(box: Box, page: PageSize): Box {
  const w = Math.min(box[2], page.width);
  const h = Math.min(box[3], page.height);
  const x = Math.min(Math.max(0, box[0]), page.width - w);
  const y = Math.min(Math.max(0, box[1]), page.height - h);
  return [round(x), round(y), round(w), round(h)];
}

/** A box of `size` centred on a point of the page. */
export function boxAround(point: { readonly x: number; readonly y: number }, size: PageSize, page: PageSize): Box {
  return clampBox([point.x - size.width / 2, point.y - size.height / 2, size.width, size.height], page);
}

/** Moves a box by `dx`, `dy` points (dy upwards), staying on the page. */
export function moveBox(box: Box, dx: number, dy: number, page: PageSize): Box {
  return clampBox([box[0] + dx, box[1] + dy, box[2], box[3]], page);
}

/** A point on the rendered page (CSS pixels from its top left) in points. */
export function screenToPage(px: number, py: number, scale: number, page: PageSize): { x: number; y: number } {
  return { x: px / scale, y: page.height - py / scale };
}

/** Where a box is drawn on the rendered page: CSS pixels from its top left. */
export function pageToScreen(box: Box, scale: number, page: PageSize): { left: number; top: number; width: number; height: number } {
  return { left: box[0] * scale, top: (page.height - box[1] - box[3]) * scale, width: box[2] * scale, height: box[3] * scale };
}

/** A rectangle given in `unit` in points. */
export function toPoints(rect: Box, unit: 'pt' | 'mm' | undefined): Box {
  if (unit !== 'mm') return rect;
  return [rect[0] * PT_PER_MM, rect[1] * PT_PER_MM, rect[2] * PT_PER_MM, rect[3] * PT_PER_MM];
}

/** Hundredths of a point: finer than any printer, and stable in the output's `/Rect`. */
function round(v: number): number {
  return Math.round(v * 100) / 100;
}
