import { it } from 'vitest';
import { loadPdfjs } from '../../../src/shared/pdfjs.js';
it('debug', async () => {
  let t = performance.now();
  const lap = (s: string) => { const n = performance.now(); console.log(s, Math.round(n - t)); t = n; };
  const p = await loadPdfjs(); lap('load');
  const src = p.GlobalWorkerOptions.workerSrc;
  const r = await fetch(src); const txt = await r.text(); lap('fetch ' + txt.length + ' ' + r.headers.get('cache-control'));
  const r2 = await fetch(src); await r2.text(); lap('fetch2');
  const w = new p.PDFWorker(); await w.promise; lap('pdfworker ' + (w as any)._webWorker);
  const w2 = new p.PDFWorker(); await w2.promise; lap('pdfworker2');
}, 60000);
