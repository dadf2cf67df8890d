/** pdfjs-dist ships no type declarations for its worker module: it is imported only for its effect (see pdf-worker.ts). */
declare module 'pdfjs-dist/build/pdf.worker.min.mjs';
