import { describe, expect, it } from 'vitest';
import { diffBoxes, mergeClose, type Raster } from '../../src/signature-panel/visual-diff.js';

/** A white RGBA raster with the given rectangles filled black. */
function raster(width: number, height: number, fills: readonly [number, number, number, number][] = [], grey = 0): Raster {
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  for (const [x0, y0, w, h] of fills) {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) data.set([grey, grey, grey, 255], (y * width + x) * 4);
  }
  return { width, height, data };
}

describe('diffBoxes', () => {
  it('finds nothing between identical renderings', () => {
    expect(diffBoxes(raster(100, 80, [[10, 10, 20, 5]]), raster(100, 80, [[10, 10, 20, 5]]))).toEqual([]);
  });

  it('ignores differences within the tolerance (anti-aliasing noise)', () => {
    expect(diffBoxes(raster(50, 50), raster(50, 50, [[5, 5, 10, 10]], 240))).toEqual([]);
  });

  it('boxes one added shape, to the cell (4 px) around it', () => {
    const boxes = diffBoxes(raster(200, 100), raster(200, 100, [[41, 22, 30, 10]]));
    expect(boxes).toEqual([{ x: 40, y: 20, width: 32, height: 12 }]);
  });

  it('merges close shapes (the glyphs of a line of text) and keeps distant ones apart', () => {
    const glyphs: [number, number, number, number][] = [[10, 10, 6, 8], [20, 10, 6, 8], [30, 10, 6, 8]];
    const boxes = diffBoxes(raster(300, 200), raster(300, 200, [...glyphs, [200, 150, 10, 10]]));
    expect(boxes).toEqual([
      { x: 8, y: 8, width: 28, height: 12 },
      { x: 200, y: 148, width: 12, height: 12 },
    ]);
  });

  it('a removed shape is a difference too', () => {
    expect(diffBoxes(raster(64, 64, [[8, 8, 8, 8]]), raster(64, 64))).toEqual([{ x: 8, y: 8, width: 8, height: 8 }]);
  });

  it('clips boxes at the raster edge', () => {
    expect(diffBoxes(raster(10, 10), raster(10, 10, [[8, 8, 2, 2]]))).toEqual([{ x: 8, y: 8, width: 2, height: 2 }]);
  });

  it('rasters of different sizes (page resized or rotated) differ everywhere', () => {
    expect(diffBoxes(raster(10, 20), raster(20, 10))).toEqual([{ x: 0, y: 0, width: 20, height: 20 }]);
  });
});

describe('mergeClose', () => {
  it('merges transitively until no two boxes are within the gap', () => {
    const merged = mergeClose([
      { x: 0, y: 0, width: 10, height: 10 },
      { x: 40, y: 0, width: 10, height: 10 },
      { x: 20, y: 0, width: 10, height: 10 },
    ], 10);
    expect(merged).toEqual([{ x: 0, y: 0, width: 50, height: 10 }]);
  });
});
