// @ts-check
// Measures what the demo renders, the way a clerk looks at it: page 1 of a PDF is drawn by poppler's pdftoppm
// at 72 dpi (one pixel per point) and its pixels are sorted by colour. Decree 30/2020 Appendix I asks for the
// leader's signature image in blue (§II.7d), the agency's seal in red over the left third of it (§II.8a), and
// for separate-file appendices and electronic copies a 10 pt black text at the top right of page 1 (§II.8b,
// Part II §I box 14). Used by the end-to-end test and by `npm start -- --check`.
import { execFileSync } from 'node:child_process';

/** @typedef {{ x0: number, y0: number, x1: number, y1: number, pixels: number }} Box  pixel box, origin top left, x1/y1 exclusive */
/** @typedef {{ width: number, height: number, rgb: Uint8Array }} Raster */

/**
 * Page `page` of `pdfPath` as RGB pixels, one per point.
 * @param {string} pdfPath @param {number} [page]
 * @returns {Raster}
 */
export function renderPage(pdfPath, page = 1) {
  const ppm = execFileSync('pdftoppm', ['-r', '72', '-f', String(page), '-l', String(page), '-singlefile', pdfPath], { maxBuffer: 64 << 20 });
  // Binary PPM (P6): "P6\n<width> <height>\n<maxval>\n" then RGB bytes.
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not write a binary PPM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, rgb: new Uint8Array(ppm.buffer, ppm.byteOffset + header[0].length, width * height * 3) };
}

/** The seal's red (testkit's seal is 210,20,20; its anti-aliased edge is lighter). @param {number} r @param {number} g @param {number} b */
export const isRed = (r, g, b) => r > 150 && g < 110 && b < 110 && r - g > 90;
/** The signature's blue (testkit's strokes are 20,40,170). @param {number} r @param {number} g @param {number} b */
export const isBlue = (r, g, b) => b > 110 && r < 110 && b - r > 60 && b - g > 40;
/** Text black. @param {number} r @param {number} g @param {number} b */
export const isDark = (r, g, b) => r < 110 && g < 110 && b < 110;

/**
 * The bounding box of the pixels `match` accepts, or null when fewer than `minPixels` do
 * (a few stray anti-aliased pixels are no image).
 * @param {Raster} raster @param {(r: number, g: number, b: number) => boolean} match @param {number} [minPixels]
 * @returns {Box | null}
 */
export function boxOf(raster, match, minPixels = 30) {
  const { width, height, rgb } = raster;
  let x0 = width, y0 = height, x1 = 0, y1 = 0, pixels = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      if (!match(rgb[i], rgb[i + 1], rgb[i + 2])) continue;
      pixels++;
      if (x < x0) x0 = x;
      if (y < y0) y0 = y;
      if (x >= x1) x1 = x + 1;
      if (y >= y1) y1 = y + 1;
    }
  }
  return pixels >= minPixels ? { x0, y0, x1, y1, pixels } : null;
}

/**
 * Where the seal sits on the leader's signature, from the rendered page: `covered` is the share of the
 * signature's width, from its left edge, under the seal (Decree 30: about a third); `verticalOffset` is the
 * distance between the two centres as a share of the signature's height.
 * @param {string} pdfPath
 */
export function measureSeal(pdfPath) {
  const raster = renderPage(pdfPath, 1);
  const seal = boxOf(raster, isRed);
  const signature = boxOf(raster, isBlue);
  if (!seal || !signature) return { seal, signature, covered: 0, verticalOffset: Infinity, overlaps: false };
  const overlaps = seal.x0 < signature.x1 && signature.x0 < seal.x1 && seal.y0 < signature.y1 && signature.y0 < seal.y1;
  const width = signature.x1 - signature.x0;
  const covered = overlaps ? (Math.min(seal.x1, signature.x1) - Math.max(seal.x0, signature.x0)) / width : 0;
  const centre = (/** @type {Box} */ b) => (b.y0 + b.y1) / 2;
  return { seal, signature, covered, verticalOffset: Math.abs(centre(seal) - centre(signature)) / (signature.y1 - signature.y0), overlaps };
}

/**
 * Checks the Decree 30 geometry of the seal: it overlaps the signature, starting at or left of the
 * signature's left edge and covering between a fifth and a half of its width (a third by the layout; the
 * strokes do not reach the edges of the image), with the centres on about the same line.
 * Returns the problems found (none: the layout holds).
 * @param {ReturnType<typeof measureSeal>} m
 * @returns {string[]}
 */
export function sealProblems(m) {
  const problems = [];
  if (!m.signature) problems.push('no blue signature image on page 1');
  if (!m.seal) problems.push('no red seal on page 1');
  if (!m.seal || !m.signature) return problems;
  if (!m.overlaps) problems.push(`the seal ${fmt(m.seal)} does not overlap the signature ${fmt(m.signature)}`);
  else {
    if (m.seal.x0 > m.signature.x0 + 2) problems.push(`the seal starts ${m.seal.x0 - m.signature.x0} pt right of the signature's left edge`);
    if (m.covered < 0.2 || m.covered > 0.5) problems.push(`the seal covers ${(m.covered * 100).toFixed(0)}% of the signature's width, not its left third`);
    if (m.verticalOffset > 0.5) problems.push(`the seal's centre is ${(m.verticalOffset * 100).toFixed(0)}% of the signature's height off its centre`);
  }
  return problems;
}

/** @param {Box} b */
const fmt = (b) => `[${b.x0},${b.y0}–${b.x1},${b.y1}]`;
