import { PdfPageView } from './pdf-page-view.js';

/** Registers `<pdf-page-view>` unless the page already has it (two bundles on one page). */
if (!customElements.get('pdf-page-view')) customElements.define('pdf-page-view', PdfPageView);

export { PdfPageView };
export type { PageOverlay } from './overlay.js';
export { setPdfWorkerSrc } from '../shared/pdfjs.js';
export type { DocumentLoadedDetail, PageDetail, PageClickDetail } from './pdf-page-view.js';
export type { PageGeometry, PageSpace, ViewBox, VisiblePoint } from './page-geometry.js';

declare global {
  interface HTMLElementTagNameMap {
    'pdf-page-view': PdfPageView;
  }
}
