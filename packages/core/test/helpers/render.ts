import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** A rendered page: RGB pixels, top-left origin. */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
}

/** Renders one page with poppler's pdftoppm into a PPM and reads it back. */
export function renderPage(pdfPath: string, page: number, dpi: number, outDir: string, extraArgs: string[] = []): Raster {
  const prefix = join(outDir, `r-${Math.random().toString(36).slice(2)}`);
  execFileSync('pdftoppm', [...extraArgs, '-cropbox', '-r', String(dpi), '-f', String(page), '-l', String(page), pdfPath, prefix]);
  const file = readdirSync(outDir).find((f) => join(outDir, f).startsWith(prefix) && f.endsWith('.ppm'))!;
  return parsePpm(new Uint8Array(readFileSync(join(outDir, file))));
}

function parsePpm(b: Uint8Array): Raster {
  const text = new TextDecoder('latin1').decode(b.subarray(0, 64));
  const m = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(text);
  if (!m) throw new Error('not a binary PPM');
  const width = Number(m[1]), height = Number(m[2]);
  return { width, height, rgb: b.subarray(m[0].length, m[0].length + width * height * 3) };
}

/** Pixels that differ between two renders, as a bounding box in pixels (top-left origin), or null. */
export function diffBox(a: Raster, b: Raster): { x1: number; y1: number; x2: number; y2: number; count: number } | null {
  if (a.width !== b.width || a.height !== b.height) throw new Error('renders differ in size');
  let x1 = Infinity, y1 = Infinity, x2 = -1, y2 = -1, count = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const i = (y * a.width + x) * 3;
      if (a.rgb[i] !== b.rgb[i] || a.rgb[i + 1] !== b.rgb[i + 1] || a.rgb[i + 2] !== b.rgb[i + 2]) {
        count++;
        if (x < x1) x1 = x;
        if (y < y1) y1 = y;
        if (x > x2) x2 = x;
        if (y > y2) y2 = y;
      }
    }
  }
  return count ? { x1, y1, x2, y2, count } : null;
}
