/**
 * Where two renderings of a page differ: the pixels are compared, differing
 * pixels are gathered in small cells, touching cells form regions, and regions
 * closer than a gap are merged, so that one added stamp or line of text gives
 * one box rather than one per glyph. Pure: no DOM, no pdf.js.
 */

/** RGBA pixels, row by row (the shape of `ImageData`). */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray | Uint8Array;
}

/** A rectangle in pixels, origin at the top left. */
export interface PixelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface DiffOptions {
  /** A pixel differs when one of its channels differs by more than this (0–255); default 24, above anti-aliasing noise. */
  readonly tolerance?: number;
  /** Cell size in pixels; default 4. */
  readonly cell?: number;
  /** Regions this close (pixels) are merged; default 12. */
  readonly gap?: number;
}

/**
 * The regions where `a` and `b` differ, as boxes in pixels of `b`. Rasters of
 * different sizes (a page resized or rotated) differ everywhere: one box covering both.
 */
export function diffBoxes(a: Raster, b: Raster, options: DiffOptions = {}): PixelBox[] {
  if (a.width !== b.width || a.height !== b.height) {
    return [{ x: 0, y: 0, width: Math.max(a.width, b.width), height: Math.max(a.height, b.height) }];
  }
  const tolerance = options.tolerance ?? 24;
  const cell = Math.max(1, Math.floor(options.cell ?? 4));
  const gap = Math.max(0, options.gap ?? 12);
  const { width, height } = a;
  const cols = Math.ceil(width / cell);
  const rows = Math.ceil(height / cell);
  const marked = new Uint8Array(cols * rows);

  for (let y = 0; y < height; y++) {
    const rowCell = Math.floor(y / cell) * cols;
    let i = y * width * 4;
    for (let x = 0; x < width; x++, i += 4) {
      if (
        Math.abs(a.data[i]! - b.data[i]!) > tolerance ||
        Math.abs(a.data[i + 1]! - b.data[i + 1]!) > tolerance ||
        Math.abs(a.data[i + 2]! - b.data[i + 2]!) > tolerance ||
        Math.abs(a.data[i + 3]! - b.data[i + 3]!) > tolerance
      ) {
        marked[rowCell + Math.floor(x / cell)] = 1;
      }
    }
  }

  const boxes = components(marked, cols, rows).map((c) => ({
    x: c.x0 * cell,
    y: c.y0 * cell,
    width: Math.min(width, (c.x1 + 1) * cell) - c.x0 * cell,
    height: Math.min(height, (c.y1 + 1) * cell) - c.y0 * cell,
  }));
  return mergeClose(boxes, gap);
}

interface Component {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** 8-connected components of marked cells, each as its bounding cells (an explicit stack: no recursion depth limit). */
function components(marked: Uint8Array, cols: number, rows: number): Component[] {
  const out: Component[] = [];
  const stack: number[] = [];
  for (let start = 0; start < marked.length; start++) {
    if (marked[start] !== 1) continue;
    marked[start] = 2;
    stack.push(start);
    const c: Component = { x0: cols, y0: rows, x1: -1, y1: -1 };
    while (stack.length) {
      const k = stack.pop()!;
      const cx = k % cols;
      const cy = (k - cx) / cols;
      if (cx < c.x0) c.x0 = cx;
      if (cx > c.x1) c.x1 = cx;
      if (cy < c.y0) c.y0 = cy;
      if (cy > c.y1) c.y1 = cy;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = cy + dy;
        if (ny < 0 || ny >= rows) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = cx + dx;
          if (nx < 0 || nx >= cols) continue;
          const n = ny * cols + nx;
          if (marked[n] === 1) {
            marked[n] = 2;
            stack.push(n);
          }
        }
      }
    }
    out.push(c);
  }
  return out;
}

/** Merges boxes whose distance is at most `gap`, until no two are that close. */
export function mergeClose(boxes: readonly PixelBox[], gap: number): PixelBox[] {
  const out = boxes.map((b) => ({ ...b }));
  let merged = true;
  while (merged) {
    merged = false;
    outer: for (let i = 0; i < out.length; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const a = out[i]!;
        const b = out[j]!;
        const apart = Math.max(b.x - (a.x + a.width), a.x - (b.x + b.width), b.y - (a.y + a.height), a.y - (b.y + b.height));
        if (apart <= gap) {
          const x = Math.min(a.x, b.x);
          const y = Math.min(a.y, b.y);
          out[i] = { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
          out.splice(j, 1);
          merged = true;
          break outer;
        }
      }
    }
  }
  return out.sort((p, q) => p.y - q.y || p.x - q.x);
}
