import { execFileSync } from 'node:child_process';
import { PdfDocument, type PageInfo } from '../../src/pdf/document.js';
import { memorySource } from '../../src/pdf/byte-source.js';
import { minimalPdf } from '../pdf/minimal-pdf.js';

/** Opens a PDF held in memory and returns it with its pages. */
export function open(bytes: Uint8Array): { doc: PdfDocument; pages: PageInfo[] } {
  const doc = PdfDocument.open(memorySource(bytes));
  return { doc, pages: doc.pages() };
}

/** A string's bytes, one per UTF-16 unit (content streams here are Latin-1 or binary). */
export function latin1(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

/** Helvetica without /Widths, the way many writers use the standard 14 fonts. */
export const HELVETICA = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';

/**
 * A one-page PDF (595 × 842) with a classic xref. `objects` are numbered from
 * 5 on; object 4 is the page content. Bodies are Latin-1 strings, so binary
 * content survives.
 */
export function textPdf(content: string | Uint8Array, resources: string, objects: string[] = [], page = '', contents = '4 0 R', contentFilter = ''): Uint8Array {
  const body = typeof content === 'string' ? content : bytesToLatin1(content);
  const all = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${contents} /Resources ${resources}${page} >>`,
    stream(contentFilter, body),
    ...objects,
  ];
  return minimalPdf({ objects: all });
}

/** A stream object body with the right /Length. */
export function stream(dictEntries: string, data: string): string {
  return `<< /Length ${data.length} ${dictEntries} >>\nstream\n${data}\nendstream`;
}

/** Builds a long Latin-1 string from a Uint8Array without blowing the argument limit. */
export function bytesToLatin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

export interface PopplerWord {
  readonly page: number;
  readonly text: string;
  readonly xMin: number;
  readonly yMin: number;
  readonly xMax: number;
  readonly yMax: number;
  readonly pageHeight: number;
}

/** Word boxes from `pdftotext -bbox-layout` (top-left origin, as poppler writes them). */
export function popplerWords(path: string): PopplerWord[] {
  const xml = execFileSync('pdftotext', ['-bbox-layout', path, '-'], { encoding: 'utf8' });
  const out: PopplerWord[] = [];
  let page = 0;
  let pageHeight = 0;
  for (const line of xml.split('\n')) {
    const p = /<page width="([\d.]+)" height="([\d.]+)"/.exec(line);
    if (p) {
      page++;
      pageHeight = Number(p[2]);
      continue;
    }
    const w = /<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*)<\/word>/.exec(line);
    if (w) {
      const text = w[5]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'");
      out.push({ page, text, xMin: Number(w[1]), yMin: Number(w[2]), xMax: Number(w[3]), yMax: Number(w[4]), pageHeight });
    }
  }
  return out;
}

/**
 * Poppler's boxes for every run of consecutive words equal to `phrase`'s
 * words, joined, as `[x1, y1, x2, y2]` with poppler's top-left y turned into
 * PDF y (pageHeight − y).
 */
export function popplerPhrase(words: PopplerWord[], phrase: string, page = 1): [number, number, number, number][] {
  const want = phrase.normalize('NFC').split(/\s+/);
  const onPage = words.filter((w) => w.page === page);
  const out: [number, number, number, number][] = [];
  for (let i = 0; i + want.length <= onPage.length; i++) {
    const run = onPage.slice(i, i + want.length);
    if (!run.every((w, k) => w.text.normalize('NFC') === want[k])) continue;
    const h = run[0]!.pageHeight;
    out.push([
      Math.min(...run.map((w) => w.xMin)),
      h - Math.max(...run.map((w) => w.yMax)),
      Math.max(...run.map((w) => w.xMax)),
      h - Math.min(...run.map((w) => w.yMin)),
    ]);
  }
  return out;
}
