import { zlibSync } from 'fflate';

/** A raw RGBA image, 8 bits per channel, rows top to bottom. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes RGBA pixels as a PNG (colour type 6, 8 bits, filter 0 on every row).
 * `pixelsPerMetre` adds a `pHYs` chunk (PNG spec §11.3.5.3), e.g. for a seal
 * whose physical size matters. Test and sample-generator helper, not shipped.
 */
export function encodePng(image: RgbaImage, pixelsPerMetre?: number): Uint8Array {
  const { width, height, rgba } = image;
  if (rgba.length !== width * height * 4) throw new Error('rgba length must be width * height * 4');
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = new Uint8Array(height * (1 + width * 4));
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (1 + width * 4) + 1);
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (pixelsPerMetre !== undefined) {
    const phys = new Uint8Array(9);
    const pv = new DataView(phys.buffer);
    pv.setUint32(0, Math.round(pixelsPerMetre));
    pv.setUint32(4, Math.round(pixelsPerMetre));
    phys[8] = 1; // unit: metre
    parts.push(chunk('pHYs', phys));
  }
  parts.push(chunk('IDAT', zlibSync(raw)), chunk('IEND', new Uint8Array(0)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** An image filled by `paint(x, y)` → `[r, g, b, a]`. */
export function paintImage(width: number, height: number, paint: (x: number, y: number) => readonly [number, number, number, number]): RgbaImage {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rgba.set(paint(x, y), (y * width + x) * 4);
  }
  return { width, height, rgba };
}

/** A blue handwritten-looking stroke on a transparent background (the leader's signature, Appendix I §II.7d). */
export function signaturePng(width = 240, height = 80): Uint8Array {
  return encodePng(paintImage(width, height, (x, y) => {
    const curve = height / 2 + (height / 3) * Math.sin((x / width) * Math.PI * 3);
    return Math.abs(y - curve) < 3 ? [20, 40, 200, 255] : [0, 0, 0, 0];
  }));
}

/**
 * A red seal ring on a transparent background, `diameterMm` across, written
 * at 5000 pixels per metre (127 dpi) so its `pHYs` gives the real size.
 */
export function sealPng(diameterMm = 36): Uint8Array {
  const ppm = 5000;
  const size = Math.round((diameterMm / 1000) * ppm);
  const r = size / 2;
  return encodePng(paintImage(size, size, (x, y) => {
    const d = Math.hypot(x + 0.5 - r, y + 0.5 - r);
    return (d < r - 1 && d > r - 8) || d < r / 4 ? [220, 20, 30, 255] : [0, 0, 0, 0];
  }), ppm);
}
