/**
 * Rendering cross-check of decision 0016: for every attack and every
 * legitimate file of the test set, poppler (`pdftoppm -r 50 -png`) renders
 * page 1 (the page of the form fields) of the signed revision and of the
 * whole file, and the pixels are compared. Whenever they differ, kyso must
 * report modifications other than 'none', and a TOTAL_PASSED may stand only
 * where an allowed change explains the difference (a field filled with its
 * value's appearance, a new signature's appearance). Files the set expects
 * to render differently are checked to do so, so the cross-check has teeth.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KysoError, verify, type VerificationReport, type VerifyOptions } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, run, startPkiRevocation } from '@kyso/testkit';
import { memorySource } from '../../src/pdf/byte-source.js';
import { readRevisions } from '../../src/verify/structure/index.js';
import { buildRenderingCases, type RenderingCase } from './rendering-cases.js';

const AT = new Date('2030-01-01T00:00:00Z');
const pki = await ensurePki();
const adapter = async (name: 'leader' | 'seal') => {
  const e = pki.entity(name);
  return fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
};
const CASES = await buildRenderingCases(await adapter('leader'), await adapter('seal'));

/**
 * Cases whose whole file poppler draws differently from the signed revision (what the attack or the change shows).
 * Not in the list, and still attacks for other readers: digits swapped by the /DR font's /Differences (poppler
 * encodes the value through the font's encoding, so the glyphs stay right; a viewer that shows the codes does not),
 * a /DR font replaced under an appearance stream without resources (poppler does not fall back to /DR; viewers
 * following the PDF 1.1 rule do), and objects after %%EOF while the last startxref still works (a reader that
 * rebuilds the file uses them).
 */
const RENDERS_DIFFERENTLY = [
  'form /DA: the amount drawn in white (classic xref)',
  'form /DA: the amount drawn in white (xref stream, object stream)',
  '/DR font: Helvetica replaced by Times-Bold (classic xref)',
  '/DR /Helv pointed at another font (classic xref)',
  "field /DA added: the amount in red at 30 pt",
  'field /Q: the amount right-aligned',
  'form /Q: every default-drawn field centred',
  'the amount changed with no appearance (viewers draw it from the defaults)',
  'payee filled, its appearance draws another name',
  'payee filled, its appearance draws the value with a digit-swapping font',
  // poppler rebuilds the file when the last startxref is wrong; with none after the appended objects it keeps the last one
  'page content redefined after %%EOF with a startxref that points nowhere',
  'payee filled with its value (classic xref)',
  'payee filled with its value (xref stream, object stream)',
  'a second signature, visible (kyso)',
];

let dir: string;
let options: VerifyOptions;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kyso-render-crosscheck-'));
  const revocation = await startPkiRevocation(pki);
  closers.push(() => revocation.close());
  options = { trust: [pki.rootDer], revocation: 'online', fetch: revocation.fetch, at: AT, timeoutMs: 2000 };
});

afterAll(async () => {
  for (const close of closers) await close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** RGB pixels of page `page` of `pdf` as poppler draws it at 50 dpi. */
async function render(pdf: Uint8Array, name: string, page = 1): Promise<{ width: number; height: number; rgb: Uint8Array }> {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const out = join(dir, name);
  await run('pdftoppm', ['-r', '50', '-png', '-f', String(page), '-l', String(page), '-singlefile', file, out]);
  return decodePng(new Uint8Array(readFileSync(`${out}.png`)));
}

/** A minimal PNG reader for what pdftoppm writes: 8-bit RGB or grey, not interlaced (RFC 2083 §6 filters). */
function decodePng(png: Uint8Array): { width: number; height: number; rgb: Uint8Array } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  let width = 0;
  let height = 0;
  let channels = 3;
  const idat: Uint8Array[] = [];
  while (at < png.length) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('test: unexpected PNG depth or interlace');
      channels = data[9] === 2 ? 3 : data[9] === 0 ? 1 : data[9] === 6 ? 4 : 0;
      if (!channels) throw new Error(`test: unexpected PNG colour type ${data[9]}`);
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[y * stride + x - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels]! : 0;
      let v = line[x]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + x] = v & 0xff;
    }
  }
  return { width, height, rgb: out };
}

function samePixels(x: { width: number; height: number; rgb: Uint8Array }, y: { width: number; height: number; rgb: Uint8Array }): boolean {
  if (x.width !== y.width || x.height !== y.height || x.rgb.length !== y.rgb.length) return false;
  for (let i = 0; i < x.rgb.length; i++) if (x.rgb[i] !== y.rgb[i]) return false;
  return true;
}

/** The bytes of the revision the first signature covers (what its signer saw). */
function signedRevision(bytes: Uint8Array, r: VerificationReport | null): Uint8Array {
  const br = r?.signatures[0]?.byteRange;
  if (br) return bytes.subarray(0, br[2]! + br[3]!);
  // No report (the file does not open as written): the first revision that holds a signature, found independently.
  const revisions = readRevisions(memorySource(bytes));
  const first = revisions.find((x) => /\/ByteRange/.test(Buffer.from(bytes.subarray(0, x.end)).toString('latin1')));
  return bytes.subarray(0, (first ?? revisions[0]!).end);
}

describe('what poppler draws agrees with what kyso reports', () => {
  it('the set renders differently where it says it does', () => {
    for (const name of RENDERS_DIFFERENTLY) expect(CASES.map((c) => c.name), name).toContain(name);
  });

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', async (name, c: RenderingCase, i) => {
    let report: VerificationReport | null = null;
    try {
      report = await verify(c.bytes, options);
    } catch (e) {
      expect(e).toBeInstanceOf(KysoError);
    }
    const before = await render(signedRevision(c.bytes, report), `${i}-signed`);
    const after = await render(c.bytes, `${i}-file`);
    const differs = !samePixels(before, after);
    expect(differs, `${name}: poppler draws the file ${differs ? 'differently from' : 'as'} the signed revision`).toBe(RENDERS_DIFFERENTLY.includes(name));
    if (!differs || !report) return;
    for (const s of report.signatures) {
      const says = `${s.field}: ${s.indication} ${s.modifications.verdict} ${s.modifications.changes.map((x) => x.label.en).join('; ')}`;
      // A signature over the whole file is not concerned by what follows it.
      if (s.coversWholeFile) continue;
      expect(s.modifications.verdict, says).not.toBe('none');
      if (s.indication === 'TOTAL_PASSED') {
        expect(s.modifications.verdict, says).toBe('allowed');
        expect(c.explained === true, `${says}: a pass over a different drawing that no allowed change explains`).toBe(true);
      }
    }
  });
});
