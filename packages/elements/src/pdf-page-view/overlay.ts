import type { PageSpace } from './page-geometry.js';

/**
 * A rectangle drawn over a page, in the page's PDF user space (ISO 32000-2
 * §8.3.2.3: origin at the bottom left of the MediaBox, y upwards, 1/72 inch)
 * or in visible page space (the page as the reader sees it: origin at the
 * bottom left of the crop box after `/Rotate`, y upwards; core's placement
 * space), so that callers (the signature panel's changed regions, the signing
 * element's placement box) never deal with the zoom or the rotation of the view.
 */
export interface PageOverlay {
  /** 1-based page number. */
  readonly page: number;
  /** `[x1, y1, x2, y2]`, any two opposite corners, in `space`. */
  readonly rect: readonly [number, number, number, number];
  /** The space of `rect`: `user` (default) or `visible`. */
  readonly space?: PageSpace;
  /** What the region is, read by screen readers and shown as a tooltip. */
  readonly label?: string;
  /** Styling hook: the overlay gets the parts `overlay` and `overlay-<kind>`. Default `mark`. */
  readonly kind?: string;
}

/** Normalises two opposite corners to `[left, top, width, height]`. */
export function cornersToBox(a: readonly number[]): [number, number, number, number] {
  const [x1, y1, x2, y2] = a as [number, number, number, number];
  return [Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1)];
}
