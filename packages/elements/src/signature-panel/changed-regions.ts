/**
 * "What changed after signing", drawn: the signed revision and the current
 * file are rendered by pdf.js at the same scale, page by page, and the regions
 * whose pixels differ are returned in the current page's PDF user space. This
 * shows what a reader sees differently, whatever object-level change caused it
 * (the report's `modifications` says which changes were made and whether they
 * were allowed; this says where they show).
 */
import type { PageOverlay } from '../pdf-page-view/overlay.js';
import { openPdf, renderPageToCanvas, type PDFDocumentProxy, type PDFPageProxy } from '../shared/pdfjs.js';
import { diffBoxes, type DiffOptions } from './visual-diff.js';

export interface ChangedRegions {
  /** Regions to outline over the current document. */
  readonly regions: readonly PageOverlay[];
  /** Pages present in both and compared. */
  readonly comparedPages: number;
  /** Pages of the current document that the signed revision did not have (outlined whole). */
  readonly addedPages: readonly number[];
  /** Pages of the signed revision that the current document no longer has. */
  readonly removedPages: readonly number[];
}

export interface ChangedRegionsOptions extends DiffOptions {
  /** Pixels per PDF point for the comparison; default 1.5 (108 dpi: enough to see a changed glyph). */
  readonly scale?: number;
  readonly signal?: AbortSignal;
  /** Called after each page with (pages done, pages to do). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Labels of the regions. */
  readonly labels?: { readonly changed: string; readonly added: string };
}

/** Compares the rendering of `signed` (a revision, bytes 0..end) with `current`, page by page. */
export async function changedRegions(signed: Uint8Array, current: Uint8Array, options: ChangedRegionsOptions = {}): Promise<ChangedRegions> {
  const scale = options.scale ?? 1.5;
  const labels = options.labels ?? { changed: 'changed', added: 'added' };
  let before: PDFDocumentProxy | undefined;
  let after: PDFDocumentProxy | undefined;
  try {
    [before, after] = await Promise.all([openPdf(signed), openPdf(current)]);
    const common = Math.min(before.numPages, after.numPages);
    const regions: PageOverlay[] = [];
    for (let p = 1; p <= common; p++) {
      options.signal?.throwIfAborted();
      const [a, b] = await Promise.all([before.getPage(p), after.getPage(p)]);
      const [ra, rb] = await Promise.all([raster(a, scale, options.signal), raster(b, scale, options.signal)]);
      const viewport = b.getViewport({ scale });
      for (const box of diffBoxes(ra, rb, options)) {
        const [x1, y1] = viewport.convertToPdfPoint(box.x, box.y) as [number, number];
        const [x2, y2] = viewport.convertToPdfPoint(box.x + box.width, box.y + box.height) as [number, number];
        regions.push({ page: p, rect: [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)], label: labels.changed, kind: 'changed' });
      }
      options.onProgress?.(p, after.numPages);
    }
    const addedPages: number[] = [];
    for (let p = common + 1; p <= after.numPages; p++) {
      const view = (await after.getPage(p)).view as [number, number, number, number];
      regions.push({ page: p, rect: view, label: labels.added, kind: 'added' });
      addedPages.push(p);
    }
    const removedPages = Array.from({ length: Math.max(0, before.numPages - after.numPages) }, (_, i) => common + 1 + i);
    return { regions, comparedPages: common, addedPages, removedPages };
  } finally {
    void before?.loadingTask.destroy(); // pdf.js 6 has no PDFDocumentProxy.destroy(); the loading task ends it in 5.x and 6.x
    void after?.loadingTask.destroy();
  }
}

async function raster(page: PDFPageProxy, scale: number, signal?: AbortSignal): Promise<ImageData> {
  const canvas = await renderPageToCanvas(page, scale, 1, signal);
  return canvas.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, canvas.width, canvas.height);
}
