import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzlibSync } from 'fflate';
import type { BuiltAppearance, PageRotation } from '../../src/pdf/appearance/index.js';

/** DejaVu Sans, the default appearance font (Vietnamese coverage). */
export const DEJAVU = new Uint8Array(readFileSync(new URL('../../../../node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf', import.meta.url)));

/** A 16×8 px baseline JPEG (JFIF, 72 dpi): green left half, yellow right half. Made with pdftoppm -jpeg. */
export const TWO_TONE_JPEG = new Uint8Array(Buffer.from('/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+MzZGNywtQFdBRkxOUlNSMj5aYVpQYEpRUk//2wBDAQ4ODhMREyYVFSZPNS01T09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT0//wAARCAAIABADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDIr0Giivkcw+z8/wBDHJP+Xny/U//Z', 'base64'));

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/** The dictionary text and decoded stream data of an object body. */
export function readStream(body: Uint8Array): { dict: string; data: Uint8Array } {
  const text = latin1(body);
  const start = text.indexOf('stream\n');
  const end = text.lastIndexOf('\nendstream');
  if (start < 0 || end < 0) return { dict: text, data: new Uint8Array(0) };
  const dict = text.slice(0, start);
  const raw = body.subarray(start + 'stream\n'.length, end);
  return { dict, data: /\/Filter\s*\/FlateDecode/.test(dict) ? unzlibSync(raw) : raw };
}

/** Numbers of a `/Key [ … ]` array in a dictionary's text. */
export function numberArray(dict: string, key: string): number[] {
  const m = new RegExp(`/${key}\\s*\\[([^\\]]*)\\]`).exec(dict);
  if (!m) throw new Error(`no /${key} array`);
  return m[1].trim().split(/\s+/).map(Number);
}

export function objectBody(built: BuiltAppearance, num: number): Uint8Array {
  const o = built.objects.find((x) => x.num === num);
  if (!o) throw new Error(`object ${num} not in the appearance`);
  return o.body;
}

/** Page objects the test PDF adds before the appearance's: catalog, pages, page, contents, widget. */
export const FIRST_FREE = 6;

export interface TestPage {
  /** Unrotated media box size. */
  readonly width: number;
  readonly height: number;
  readonly rotate: PageRotation;
  /** The rectangle as the reader sees it (origin bottom-left of the rotated page). */
  readonly rect: readonly [number, number, number, number];
  /** `content`: the page content paints the XObject (for pdftotext); `widget`: a signature widget shows it via /AP. */
  readonly mode: 'content' | 'widget';
}

/** Visible (reader) coordinates → default user space, for a page rotated clockwise by `rotate` when shown. */
function toUser(page: TestPage, u: number, v: number): [number, number] {
  const { width: W, height: H } = page;
  switch (page.rotate) {
    case 0: return [u, v];
    case 90: return [W - v, u];
    case 180: return [W - u, H - v];
    case 270: return [v, H - u];
  }
}

/** The rect in default user space (what /Rect holds). */
export function userRect(page: TestPage): [number, number, number, number] {
  const [x, y, w, h] = page.rect;
  const a = toUser(page, x, y);
  const b = toUser(page, x + w, y + h);
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])];
}

/**
 * A whole PDF, written by hand (no pdf-lib writer) so the appearance bodies
 * are used byte for byte, as the incremental writer will: objects 1–5 are the
 * page's, the appearance's follow from `FIRST_FREE`.
 */
export function assemblePdf(built: BuiltAppearance, page: TestPage): Uint8Array {
  const [x0, y0, x1, y1] = userRect(page);
  let content = '';
  if (page.mode === 'content') {
    // Draw the form the way a viewer does for an annotation (ISO 32000-2 §12.5.5): map its transformed BBox onto the rect.
    content = `q 1 0 0 1 ${x0} ${y0} cm /X0 Do Q`;
  }
  const bodies = new Map<number, Uint8Array>();
  const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
  bodies.set(1, enc(`<< /Type /Catalog /Pages 2 0 R${page.mode === 'widget' ? ' /AcroForm << /Fields [5 0 R] /SigFlags 1 >>' : ''} >>`));
  bodies.set(2, enc('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'));
  bodies.set(3, enc(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${page.width} ${page.height}] /Rotate ${page.rotate} ` +
    `/Resources << /XObject << /X0 ${built.xobject} 0 R >> >> /Contents 4 0 R${page.mode === 'widget' ? ' /Annots [5 0 R]' : ''} >>`));
  bodies.set(4, enc(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`));
  bodies.set(5, enc(`<< /Type /Annot /Subtype /Widget /FT /Sig /T (Sig1) /F 4 /P 3 0 R /Rect [${x0} ${y0} ${x1} ${y1}] /AP << /N ${built.xobject} 0 R >> >>`));
  for (const o of built.objects) bodies.set(o.num, o.body);
  const max = Math.max(...bodies.keys());
  const parts: Uint8Array[] = [enc('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
  let offset = parts[0].length;
  const offsets: number[] = [];
  for (let n = 1; n <= max; n++) {
    const body = bodies.get(n);
    if (!body) throw new Error(`object ${n} missing`);
    offsets[n] = offset;
    for (const p of [enc(`${n} 0 obj\n`), body, enc('\nendobj\n')]) { parts.push(p); offset += p.length; }
  }
  let xref = `xref\n0 ${max + 1}\n0000000000 65535 f \n`;
  for (let n = 1; n <= max; n++) xref += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
  parts.push(enc(`${xref}trailer\n<< /Size ${max + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`));
  return new Uint8Array(Buffer.concat(parts));
}

function withTempFile<T>(pdf: Uint8Array, run: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'kyso-appearance-'));
  try {
    const file = join(dir, 'a.pdf');
    writeFileSync(file, pdf);
    return run(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Text of page 1 as poppler's pdftotext reads it (through the ToUnicode CMap). */
export function pdfToText(pdf: Uint8Array): string {
  return withTempFile(pdf, (file) => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
}

/** `qpdf --check` output (throws when qpdf finds errors). */
export function qpdfCheck(pdf: Uint8Array): string {
  return withTempFile(pdf, (file) => execFileSync('qpdf', ['--check', file], { encoding: 'utf8' }));
}

export interface Raster {
  readonly width: number;
  readonly height: number;
  /** RGB at pixel (x, y), y from the top. */
  pixel(x: number, y: number): [number, number, number];
}

/** Page 1 rendered by pdftoppm at 72 dpi (1 px = 1 pt), annotations included. */
export function render(pdf: Uint8Array): Raster {
  return withTempFile(pdf, (file, dir) => {
    execFileSync('pdftoppm', ['-r', '72', '-f', '1', '-l', '1', file, join(dir, 'p')]);
    const ppm = readFileSync(join(dir, 'p-1.ppm'));
    // Binary PPM: "P6", width, height, maxval, each after whitespace, then one byte of whitespace.
    const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 64).toString('latin1'));
    if (!header) throw new Error('not a binary PPM');
    const width = Number(header[1]);
    const height = Number(header[2]);
    const data = ppm.subarray(header[0].length);
    return {
      width, height,
      pixel: (x, y) => {
        const i = (y * width + x) * 3;
        return [data[i], data[i + 1], data[i + 2]];
      },
    };
  });
}

/** Bounding box `[minX, minY, maxX, maxY]` (pixels, y from the top) of the non-white pixels, or null. */
export function inkBounds(r: Raster, threshold = 250): [number, number, number, number] | null {
  let minX = Infinity, minY = Infinity, maxX = -1, maxY = -1;
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      const [R, G, B] = r.pixel(x, y);
      if (R < threshold || G < threshold || B < threshold) {
        minX = Math.min(minX, x); maxX = Math.max(maxX, x);
        minY = Math.min(minY, y); maxY = Math.max(maxY, y);
      }
    }
  }
  return maxX < 0 ? null : [minX, minY, maxX, maxY];
}
