import type { PdfPageView } from '../pdf-page-view/pdf-page-view.js';
import type { PageSize } from './geometry.js';

/**
 * Where a pointer is on a page of a `<pdf-page-view>`, found from the event's
 * composed path (the view's shadow root is open): the page's number, its size
 * in points as the reader sees it, and the point in core's placement space
 * (points, origin bottom left of the visible page, y upwards).
 */
export interface PagePoint {
  readonly page: number;
  readonly size: PageSize;
  readonly x: number;
  readonly y: number;
  /** The page element, to measure later moves of the same drag against. */
  readonly element: HTMLElement;
}

/** The page under a pointer event, or null when it is not over a page. */
export function pagePointOf(event: PointerEvent | MouseEvent, view: PdfPageView): PagePoint | null {
  for (const node of event.composedPath()) {
    if (node instanceof HTMLElement && node.dataset['page'] && node.getAttribute('part')?.split(' ').includes('page')) {
      return pointOn(node, Number(node.dataset['page']), event.clientX, event.clientY, view.scale);
    }
  }
  return null;
}

/** A client point measured against a page element already found (during a drag). */
export function pointOn(element: HTMLElement, page: number, clientX: number, clientY: number, scale: number): PagePoint {
  const r = element.getBoundingClientRect();
  const size = { width: r.width / scale, height: r.height / scale };
  return { page, size, x: (clientX - r.left) / scale, y: size.height - (clientY - r.top) / scale, element };
}

/** The visible size of page `page` in points, once the view has laid it out; null before. */
export function pageSizeOf(view: PdfPageView, page: number): PageSize | null {
  const element = view.shadowRoot?.querySelector<HTMLElement>(`[part~="page"][data-page="${page}"]`);
  if (!element) return null;
  const r = element.getBoundingClientRect();
  if (!r.width || !r.height) return null;
  return { width: r.width / view.scale, height: r.height / view.scale };
}
