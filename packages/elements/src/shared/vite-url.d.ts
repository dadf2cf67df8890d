/**
 * Vite's `?url` imports (https://vite.dev/guide/assets#explicit-url-imports):
 * the module's default export is the URL of the emitted asset. Only the
 * default pdf.js worker location uses one, behind a dynamic import, so a page
 * built without Vite never evaluates it unless it skips `setPdfWorkerSrc`.
 */
declare module 'pdfjs-dist/build/pdf.worker.min.mjs?url' {
  const url: string;
  export default url;
}
