import type { PageInfo } from '../pdf/document.js';

export type Box = readonly [number, number, number, number];

/**
 * The page as the reader sees it: `[0, 0, width, height]` of the crop box
 * after /Rotate (ISO 32000-2 §7.7.3.3, Table 31).
 */
export function visibleSize(page: PageInfo): { width: number; height: number } {
  const w = page.cropBox[2] - page.cropBox[0];
  const h = page.cropBox[3] - page.cropBox[1];
  return page.rotate === 90 || page.rotate === 270 ? { width: h, height: w } : { width: w, height: h };
}

/** Maps a rectangle `[x, y, w, h]` in visible coordinates to a /Rect `[x1 y1 x2 y2]` in default user space. */
export function visibleToUser(page: PageInfo, r: Box): [number, number, number, number] {
  const [cx0, cy0, cx1, cy1] = page.cropBox;
  const [x, y, w, h] = r;
  switch (page.rotate) {
    case 90:
      return [cx1 - y - h, cy0 + x, cx1 - y, cy0 + x + w];
    case 180:
      return [cx1 - x - w, cy1 - y - h, cx1 - x, cy1 - y];
    case 270:
      return [cx0 + y, cy1 - x - w, cx0 + y + h, cy1 - x];
    default:
      return [cx0 + x, cy0 + y, cx0 + x + w, cy0 + y + h];
  }
}

/** Inverse of {@link visibleToUser}: a user-space /Rect to `[x, y, w, h]` as the reader sees it. */
export function userToVisible(page: PageInfo, rect: readonly [number, number, number, number]): [number, number, number, number] {
  const [cx0, cy0, cx1, cy1] = page.cropBox;
  const [x1, y1, x2, y2] = rect;
  const uw = x2 - x1;
  const uh = y2 - y1;
  switch (page.rotate) {
    case 90:
      return [y1 - cy0, cx1 - x2, uh, uw];
    case 180:
      return [cx1 - x2, cy1 - y2, uw, uh];
    case 270:
      return [cy1 - y2, x1 - cx0, uh, uw];
    default:
      return [x1 - cx0, y1 - cy0, uw, uh];
  }
}
