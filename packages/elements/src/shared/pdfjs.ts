/**
 * Lazy access to pdf.js (pdfjs-dist 6.5.438; 5.6.205 works too). Nothing here is evaluated until an
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
/** Set when the shared worker's script could not be loaded or crashed: every document waiting on it fails. */
let workerFailure: Promise<never> | undefined;

/**
 * Sets the URL of pdf.js's worker script (`pdfjs-dist/build/pdf.worker.min.mjs`,
 * served by your page). Not needed with a bundler that follows
 * `new Worker(new URL(…, import.meta.url))` (Vite, webpack 5, Rollup or
 * Rolldown with a worker plugin): the elements then start their own copy of
 * that worker (`pdf-worker.js` beside this module). Call it before the first
 * page is rendered, e.g. for a page built without such a bundler.
 */
export function setPdfWorkerSrc(url: string | URL): void {
  workerSrc = String(url);
  if (loading) void loading.then((pdfjs) => (pdfjs.GlobalWorkerOptions.workerSrc = workerSrc!));
}

/** pdf.js, loaded on first use (a dynamic import: a page that never shows a page never downloads it). */
export function loadPdfjs(): Promise<PdfjsModule> {
  return (loading ??= (async () => {
    const pdfjs = await import('pdfjs-dist');
    if (workerSrc !== undefined && !pdfjs.GlobalWorkerOptions.workerSrc) pdfjs.GlobalWorkerOptions.workerSrc = workerSrc;
    return pdfjs;
  })().catch((e: unknown) => {
    loading = undefined; // a later call may succeed
    throw e;
  }));
}

/**
 * The page's pdf.js worker: the script given to {@link setPdfWorkerSrc}, else
 * `pdf-worker.js` started as a module worker and handed to pdf.js as its
 * port. Kept to the literal `new Worker(new URL('./pdf-worker.js',
 * import.meta.url), { type: 'module' })` on purpose: that is the form
 * bundlers recognise (and Vite's dependency pre-bundling rebases).
 */
function pdfWorker(pdfjs: PdfjsModule): InstanceType<PdfjsModule['PDFWorker']> {
  if (sharedWorker && !sharedWorker.destroyed) return sharedWorker;
  workerFailure = undefined;
  if (workerSrc !== undefined || pdfjs.GlobalWorkerOptions.workerSrc || pdfjs.GlobalWorkerOptions.workerPort) {
    return (sharedWorker = new pdfjs.PDFWorker());
  }
  const port = new Worker(new URL('./pdf-worker.js', import.meta.url), { type: 'module' });
  workerFailure = new Promise<never>((_, reject) => {
    port.addEventListener('error', (event) => {
      sharedWorker?.destroy();
      sharedWorker = undefined;
      reject(new Error(`pdf.js worker could not start (${event.message || 'script not loaded'}): serve it, or call setPdfWorkerSrc(url) with the URL of pdfjs-dist/build/pdf.worker.min.mjs`));
    });
  });
  workerFailure.catch(() => undefined); // observed by the documents that wait on it
  // pdf.js's declarations type `port` as `null | undefined` (a JSDoc slip); its code takes a Worker (PDFWorker#initializeFromPort).
  return (sharedWorker = new pdfjs.PDFWorker({ port } as unknown as ConstructorParameters<PdfjsModule['PDFWorker']>[0]));
}

/**
 * Opens a PDF in pdf.js's own worker. pdf.js takes ownership of (detaches) the
 * buffer it is given, so it gets a copy and the caller keeps `bytes`. No string
 * is ever evaluated as code (`isEvalSupported: false`: pdf.js 5 then draws
 * fonts without `new Function`, which a strict Content-Security-Policy forbids
 * anyway; pdf.js 6 has no eval path left and no such option).
 * The caller must `doc.loadingTask.destroy()` the document when done (the
 * shared worker stays).
 */
export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  const pdfjs = await loadPdfjs();
  const worker = pdfWorker(pdfjs);
  // Typed apart so that the literal also type-checks against pdf.js 6's parameters, which dropped `isEvalSupported`.
  const params: Parameters<PdfjsModule['getDocument']>[0] & { isEvalSupported?: boolean } = {
    data: bytes.slice(),
    worker,
    isEvalSupported: false,
    enableXfa: false,
    // Scripts in the document are never run by the viewer layer we use (canvas only).
    stopAtErrors: false,
  };
  const task = pdfjs.getDocument(params);
  if (!workerFailure) return task.promise;
  return Promise.race([task.promise, workerFailure.catch((e: unknown) => {
    void task.destroy();
    throw e;
  })]);
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
