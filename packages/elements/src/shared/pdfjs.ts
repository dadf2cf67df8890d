/**
 * Lazy access to pdf.js (pdfjs-dist 5.6.205). Nothing here is evaluated until an
 * element actually renders a page, so `<verify-badge>` stays small: pdf.js is a
 * dynamic import, and so is the default location of its worker.
 */
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist';

export type { PDFDocumentProxy, PDFPageProxy };
type PdfjsModule = typeof import('pdfjs-dist');

let workerSrc: string | undefined;
let loading: Promise<PdfjsModule> | undefined;
/**
 * One pdf.js worker for every document of the page: starting a worker means
 * fetching and compiling about 1 MB of script, and the signature panel opens
 * two documents (the signed revision and the current file) to compare them.
 */
let sharedWorker: InstanceType<PdfjsModule['PDFWorker']> | undefined;

/**
 * Sets the URL of pdf.js's worker script (`pdfjs-dist/build/pdf.worker.min.mjs`,
 * served by your page). Needed when the page is not built with Vite; under Vite
 * the default (an `?url` import of that file) works without this call. Call it
 * before the first page is rendered.
 */
export function setPdfWorkerSrc(url: string | URL): void {
  workerSrc = String(url);
  if (loading) void loading.then((pdfjs) => (pdfjs.GlobalWorkerOptions.workerSrc = workerSrc!));
}

/** pdf.js, loaded on first use, with its worker location set. */
export function loadPdfjs(): Promise<PdfjsModule> {
  return (loading ??= (async () => {
    const pdfjs = await import('pdfjs-dist');
    if (!pdfjs.GlobalWorkerOptions.workerSrc) {
      pdfjs.GlobalWorkerOptions.workerSrc = workerSrc ?? (await defaultWorkerSrc());
    }
    return pdfjs;
  })().catch((e: unknown) => {
    loading = undefined; // a later call may succeed (e.g. after setPdfWorkerSrc)
    throw e;
  }));
}

async function defaultWorkerSrc(): Promise<string> {
  try {
    return (await import('pdfjs-dist/build/pdf.worker.min.mjs?url')).default;
  } catch {
    throw new Error('pdf.js worker location unknown: call setPdfWorkerSrc(url) with the URL of pdfjs-dist/build/pdf.worker.min.mjs');
  }
}

/**
 * Opens a PDF in pdf.js's own worker. pdf.js takes ownership of (detaches) the
 * buffer it is given, so it gets a copy and the caller keeps `bytes`. No string
 * is ever evaluated as code (`isEvalSupported: false`: fonts are drawn without
 * `new Function`, which a strict Content-Security-Policy forbids anyway).
 * The caller must `destroy()` the document when done (the shared worker stays).
 */
export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  const pdfjs = await loadPdfjs();
  if (!sharedWorker || sharedWorker.destroyed) sharedWorker = new pdfjs.PDFWorker();
  const task = pdfjs.getDocument({
    data: bytes.slice(),
    worker: sharedWorker,
    isEvalSupported: false,
    enableXfa: false,
    // Scripts in the document are never run by the viewer layer we use (canvas only).
    stopAtErrors: false,
  });
  return task.promise;
}

/** Renders one page, annotations included, into a fresh canvas at `scale` CSS pixels per PDF point (times `pixelRatio` device pixels). */
export async function renderPageToCanvas(
  page: PDFPageProxy,
  scale: number,
  pixelRatio = 1,
  signal?: AbortSignal,
): Promise<HTMLCanvasElement> {
  const { AnnotationMode } = await loadPdfjs();
  const viewport = page.getViewport({ scale: scale * pixelRatio });
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(viewport.width));
  canvas.height = Math.max(1, Math.round(viewport.height));
  // Annotations (signature appearances, stamps, filled fields) are drawn into the canvas:
  // there is no separate HTML annotation layer, and a reader must see what was added.
  const task = page.render({ canvas, viewport, annotationMode: AnnotationMode.ENABLE });
  const cancel = () => task.cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    await task.promise;
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
  return canvas;
}
