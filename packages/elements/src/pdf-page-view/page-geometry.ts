/**
 * A page's geometry in the two coordinate spaces callers use, and the view's
 * CSS pixels.
 *
 * - `user`: the page's PDF user space (ISO 32000-2 §8.3.2.3: origin at the
 *   bottom left of the MediaBox, y upwards, 1/72 inch). Widget `/Rect`s and
 *   pdf.js's annotation rectangles are in this space.
 * - `visible`: the page as the reader sees it: points, origin at the bottom
 *   left of the crop box after `/Rotate` (ISO 32000-2 §7.7.3.3, Table 31),
 *   y upwards. Core's signature placement (`Placement.rect`) is in this space.
 *
 * The two differ on pages with `/Rotate` or a crop box that does not start at
 * 0,0. pdf.js's viewport already maps user space to the visible page (its
 * `viewBox` is the crop box, its transform applies `/Rotate`), with y downwards
 * from the top left; the visible space is that, flipped vertically. So the only
 * user↔visible arithmetic here is pdf.js's own, not a second copy of core's.
 */

/** The space of a rectangle or point given to, or taken from, the view. */
export type PageSpace = 'user' | 'visible';

/** A box in CSS pixels from the top left of the page's element (at the current zoom). */
export interface ViewBox {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** A point of a page in visible page space (points, origin bottom left of the page as shown, y upwards). */
export interface VisiblePoint {
  /** 1-based page number. */
  readonly page: number;
  readonly x: number;
  readonly y: number;
}

/**
 * A page's geometry at the view's zoom when it was asked for
 * (`PdfPageView.pageGeometry(page)`); ask again after a zoom change.
 */
export interface PageGeometry {
  readonly page: number;
  /** Width of the page as the reader sees it, in points (crop box, after `/Rotate`). */
  readonly viewWidth: number;
  /** Height of the page as the reader sees it, in points. */
  readonly viewHeight: number;
  /** The page's `/Rotate`, normalised to 0, 90, 180 or 270. */
  readonly rotation: number;
  /** CSS pixels per point. */
  readonly scale: number;
  /** Where a rectangle (`[x1, y1, x2, y2]`, any two opposite corners) is drawn, in CSS pixels from the page's top left. */
  toView(rect: readonly number[], space: PageSpace): ViewBox;
  /** A point in CSS pixels from the page's top left, in visible page space. */
  fromView(point: { readonly x: number; readonly y: number }): VisiblePoint;
  /** A rectangle in visible page space (`[x1, y1, x2, y2]`) in PDF user space (`[x1, y1, x2, y2]`, normalised). */
  visibleToUser(rect: readonly number[]): [number, number, number, number];
  /** A rectangle in PDF user space in visible page space (`[x1, y1, x2, y2]`, normalised). */
  userToVisible(rect: readonly number[]): [number, number, number, number];
}

/**
 * What the view keeps of pdf.js's viewport at scale 1 (`PageViewport`): the
 * visible size, the rotation, and its two conversions between user space and
 * viewport units (points, y downwards from the top left of the visible page).
 */
export interface PageFrame {
  readonly width: number;
  readonly height: number;
  readonly rotation: number;
  userToViewport(x: number, y: number): readonly [number, number];
  viewportToUser(x: number, y: number): readonly [number, number];
}

/** The public geometry of page `page` drawn at `scale` CSS pixels per point. */
export function pageGeometry(page: number, frame: PageFrame, scale: number): PageGeometry {
  const H = frame.height;
  /** Two opposite corners in viewport units (y down), normalised to a box. */
  const box = (x1: number, y1: number, x2: number, y2: number): ViewBox => ({
    left: Math.min(x1, x2) * scale,
    top: Math.min(y1, y2) * scale,
    width: Math.abs(x2 - x1) * scale,
    height: Math.abs(y2 - y1) * scale,
  });
  const corners = (rect: readonly number[]): [number, number, number, number] => {
    const [x1, y1, x2, y2] = rect;
    if (![x1, y1, x2, y2].every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new TypeError('a page rectangle is [x1, y1, x2, y2], four finite numbers');
    }
    return [x1!, y1!, x2!, y2!];
  };
  const normalise = (a: readonly [number, number], b: readonly [number, number]): [number, number, number, number] => [
    Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]),
  ];
  return {
    page,
    viewWidth: frame.width,
    viewHeight: H,
    rotation: frame.rotation,
    scale,
    toView(rect, space) {
      const [x1, y1, x2, y2] = corners(rect);
      if (space === 'visible') return box(x1, H - y1, x2, H - y2);
      const a = frame.userToViewport(x1, y1);
      const b = frame.userToViewport(x2, y2);
      return box(a[0], a[1], b[0], b[1]);
    },
    fromView(point) {
      return { page, x: point.x / scale, y: H - point.y / scale };
    },
    visibleToUser(rect) {
      const [x1, y1, x2, y2] = corners(rect);
      return normalise(frame.viewportToUser(x1, H - y1), frame.viewportToUser(x2, H - y2));
    },
    userToVisible(rect) {
      const [x1, y1, x2, y2] = corners(rect);
      const a = frame.userToViewport(x1, y1);
      const b = frame.userToViewport(x2, y2);
      return normalise([a[0], H - a[1]], [b[0], H - b[1]]);
    },
  };
}
