import { latin1, minimalPdf, text } from './minimal-pdf.js';

/**
 * The table of hostile PDFs: each input and the error code every kyso entry that reads a PDF must answer with
 * ('TRUNCATED_OR_MALFORMED': either ERR_PDF_TRUNCATED or ERR_PDF_MALFORMED). Run by core's hostile.test.ts against
 * signing and the parser, and by other packages' tests against their own doors (the service, the CLI).
 */

const good = minimalPdf();
const goodText = text(good);
const xrefAt = goodText.lastIndexOf('xref\n0 ');

function replace(from: string | RegExp, to: string): Uint8Array {
  return latin1(goodText.replace(from, to));
}

/** Each hostile input and the error code it must produce. */
export const HOSTILE_PDF_CASES: [name: string, make: () => Uint8Array, code: string][] = [
  ['empty file', () => new Uint8Array(0), 'ERR_PDF_MALFORMED'],
  ['one zero byte', () => new Uint8Array(1), 'ERR_PDF_MALFORMED'],
  ['a megabyte of zero bytes', () => new Uint8Array(1 << 20), 'ERR_PDF_MALFORMED'],
  ['not a PDF (PNG signature)', () => latin1('\x89PNG\r\n\x1a\n' + 'x'.repeat(100)), 'ERR_PDF_MALFORMED'],
  ['text file', () => latin1('hello world\n'.repeat(100)), 'ERR_PDF_MALFORMED'],
  ['random garbage after a PDF header', () => latin1('%PDF-1.7\n' + Array.from({ length: 5000 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('')), 'ERR_PDF_TRUNCATED'],
  ['header only', () => latin1('%PDF-1.7\n'), 'ERR_PDF_TRUNCATED'],
  ['no trailer, no startxref', () => good.subarray(0, xrefAt), 'ERR_PDF_TRUNCATED'],
  ['no %%EOF', () => latin1(goodText.replace('%%EOF', '')), 'ERR_PDF_TRUNCATED'],
  ['startxref without number', () => replace(/startxref\n\d+/, 'startxref\n'), 'ERR_PDF_TRUNCATED'],
  ['startxref beyond the end', () => replace(/startxref\n\d+/, 'startxref\n999999999'), 'ERR_PDF_MALFORMED'],
  ['startxref pointing into an object', () => replace(/startxref\n\d+/, 'startxref\n20'), 'ERR_PDF_MALFORMED'],
  ['xref entry garbage', () => replace(/0000000000 65535 f/, 'zzzzzzzzzz 65535 f'), 'ERR_PDF_MALFORMED'],
  ['xref entry offset beyond the file', () => replace(/\n0000000\d\d\d 00000 n\r\n/, '\n0999999999 00000 n\r\n'), 'ERR_PDF_MALFORMED'],
  ['xref offsets all wrong by far', () => latin1(goodText.replace(/(\d{10}) 00000 n/g, (_m, o: string) => `${String(Number(o) + 5000).padStart(10, '0')} 00000 n`)), 'ERR_PDF_MALFORMED'],
  ['/Prev pointing to itself', () => replace('/Root 1 0 R', `/Root 1 0 R /Prev ${xrefAt}`), 'ERR_PDF_MALFORMED'],
  ['/Prev beyond the end', () => replace('/Root 1 0 R', '/Root 1 0 R /Prev 99999999'), 'ERR_PDF_MALFORMED'],
  ['/Prev cycle of two sections', () => prevCycle(), 'ERR_PDF_MALFORMED'],
  ['huge /Size', () => replace(/\/Size \d+/, '/Size 2147483647'), 'ERR_PDF_LIMIT'],
  ['negative /Size', () => replace(/\/Size \d+/, '/Size -5'), 'ERR_PDF_MALFORMED'],
  ['missing /Size', () => replace(/\/Size \d+/, ''), 'ERR_PDF_MALFORMED'],
  ['huge xref subsection', () => replace(/xref\n0 (\d+)/, 'xref\n0 99999999'), 'ERR_PDF_LIMIT'],
  ['missing /Root', () => replace('/Root 1 0 R', ''), 'ERR_PDF_MALFORMED'],
  ['/Root not a dictionary', () => minimalPdf({ objects: ['42', '<< /Type /Pages /Kids [] /Count 0 >>'] }), 'ERR_PDF_MALFORMED'],
  ['encrypted', () => replace('/Root 1 0 R', '/Root 1 0 R /Encrypt << /Filter /Standard /V 1 /R 2 /O (x) /U (y) /P -4 >>'), 'ERR_PDF_ENCRYPTED'],
  ['deep array nesting', () => minimalPdf({ objects: [`<< /Type /Catalog /Pages 2 0 R /X ${'['.repeat(5000)}${']'.repeat(5000)} >>`, '<< /Type /Pages /Kids [] /Count 0 >>'] }), 'ERR_PDF_LIMIT'],
  ['deep dictionary nesting', () => minimalPdf({ objects: [`<< /Type /Catalog /Pages 2 0 R /X ${'<< /A '.repeat(3000)}1${' >>'.repeat(3000)} >>`, '<< /Type /Pages /Kids [] /Count 0 >>'] }), 'ERR_PDF_LIMIT'],
  ['unbalanced dictionary', () => minimalPdf({ objects: ['<< /Type /Catalog /Pages 2 0 R ]', '<< /Type /Pages /Kids [] /Count 0 >>'] }), 'ERR_PDF_MALFORMED'],
  ['page tree cycle', () => minimalPdf({ objects: ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [2 0 R] /Count 1 >>'] }), 'ERR_PDF_MALFORMED'],
  ['no pages', () => minimalPdf({ objects: ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>'] }), 'ERR_PDF_PAGE_NOT_FOUND'],
  ['/Pages not a reference', () => minimalPdf({ objects: ['<< /Type /Catalog /Pages 7 >>'] }), 'ERR_PDF_MALFORMED'],
  ['reference loop in /AcroForm', () => minimalPdf({ objects: ['<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>', '1', '6 0 R', '5 0 R'] }), 'ERR_PDF_MALFORMED'],
  ['form field tree cycle', () => minimalPdf({ objects: ['<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>', '<< /T (a) /Kids [5 0 R] >>', '<< /T (b) /Kids [4 0 R] >>'] }), 'ERR_PDF_MALFORMED'],
  ['unterminated string', () => minimalPdf({ objects: ['<< /Type /Catalog /Pages 2 0 R /X (abc'] }), 'ERR_PDF_MALFORMED'],
  ['xref stream with bad /W', () => xrefStreamPdf('/W [1 99 1]'), 'ERR_PDF_MALFORMED'],
  ['xref stream with corrupt Flate data', () => xrefStreamPdf('/W [1 2 1] /Filter /FlateDecode'), 'ERR_PDF_MALFORMED'],
];

// Truncations at many offsets: every one must be refused with a code, never crash or hang.
for (const cut of [1, 9, 30, 100, 200, xrefAt - 1, xrefAt + 5, good.length - 30, good.length - 8, good.length - 2]) {
  HOSTILE_PDF_CASES.push([`truncated at ${cut} of ${good.length}`, () => good.subarray(0, cut), 'TRUNCATED_OR_MALFORMED']);
}

function prevCycle(): Uint8Array {
  // Two sections that point at each other through /Prev.
  const first = goodText;
  const second = `xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 5 /Root 1 0 R /Prev ${xrefAt} >>\nstartxref\n`;
  const secondAt = first.length;
  const body = first.replace('/Root 1 0 R >>', `/Root 1 0 R /Prev ${secondAt} >>`);
  const shift = body.length - first.length;
  return latin1(body + second.replace(`/Prev ${xrefAt}`, `/Prev ${xrefAt}`) + `${secondAt + shift}\n%%EOF\n`);
}

function xrefStreamPdf(dictExtra: string): Uint8Array {
  let out = '%PDF-1.7\n';
  const o1 = out.length;
  out += '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n';
  const o2 = out.length;
  out += '2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n';
  const x = out.length;
  const data = 'garbage-not-deflate';
  out += `3 0 obj\n<< /Type /XRef /Size 4 /Root 1 0 R ${dictExtra} /Length ${data.length} >>\nstream\n${data}\nendstream\nendobj\n`;
  out += `startxref\n${x}\n%%EOF\n`;
  void o1; void o2;
  return latin1(out);
}
