import { kysoError } from '../../errors/index.js';
import { bytesToLatin1 } from '../../util/bytes.js';

/** What the appearance code needs to know about an image before embedding it. */
export interface ImageInfo {
  readonly format: 'png' | 'jpeg';
  /** Pixels. */
  readonly width: number;
  readonly height: number;
  /**
   * Millimetres per pixel along x and y, when the file records a physical
   * resolution (PNG `pHYs` in pixels per metre, JPEG JFIF density in dpi or
   * dots per cm). Absent when it records only an aspect ratio or nothing.
   */
  readonly mmPerPixel?: { readonly x: number; readonly y: number };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const u32 = (b: Uint8Array, at: number): number =>
  ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
const u16 = (b: Uint8Array, at: number): number => (b[at] << 8) | b[at + 1];

function bad(detail: string): never {
  throw kysoError('ERR_SIG_APPEARANCE', detail);
}

/** True when the bytes start with the PNG signature (PNG spec §5.2). */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((v, i) => bytes[i] === v);
}

/** True when the bytes start with a JPEG SOI marker (ITU T.81 §B.1.1.3). */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

function readPng(bytes: Uint8Array): ImageInfo {
  let at = 8;
  let width = 0;
  let height = 0;
  let mmPerPixel: ImageInfo['mmPerPixel'];
  while (at + 8 <= bytes.length) {
    const length = u32(bytes, at);
    const type = String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]);
    const data = at + 8;
    if (data + length > bytes.length) bad('PNG chunk runs past the end of the image');
    if (type === 'IHDR' && length >= 8) {
      width = u32(bytes, data);
      height = u32(bytes, data + 4);
    } else if (type === 'pHYs' && length >= 9) {
      // PNG spec §11.3.5.3: pixels per unit; unit 1 = metre, 0 = aspect ratio only.
      const ppx = u32(bytes, data);
      const ppy = u32(bytes, data + 4);
      if (bytes[data + 8] === 1 && ppx > 0 && ppy > 0) mmPerPixel = { x: 1000 / ppx, y: 1000 / ppy };
    } else if (type === 'IDAT' || type === 'IEND') {
      break; // pHYs must precede IDAT (PNG spec §5.6)
    }
    at = data + length + 4; // skip data and CRC
  }
  if (width <= 0 || height <= 0) bad('PNG without a valid IHDR');
  return { format: 'png', width, height, ...(mmPerPixel ? { mmPerPixel } : {}) };
}

function readJpeg(bytes: Uint8Array): ImageInfo {
  let at = 2;
  let width = 0;
  let height = 0;
  let mmPerPixel: ImageInfo['mmPerPixel'];
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) bad('JPEG marker expected');
    const marker = bytes[at + 1];
    if (marker === 0xff) { at += 1; continue; } // fill byte (T.81 §B.1.1.2)
    if (marker === 0xd9 || marker === 0xda) break; // EOI / start of scan
    if (marker >= 0xd0 && marker <= 0xd7) { at += 2; continue; }
    const length = u16(bytes, at + 2);
    const data = at + 4;
    if (length < 2 || at + 2 + length > bytes.length) bad('JPEG segment runs past the end of the image');
    if (marker === 0xe0 && length >= 14 && bytesToLatin1(bytes.subarray(data, data + 5)) === 'JFIF\0') {
      // JFIF 1.02 APP0: units 1 = dots per inch, 2 = dots per cm, 0 = aspect only.
      const units = bytes[data + 7];
      const dx = u16(bytes, data + 8);
      const dy = u16(bytes, data + 10);
      const mmPerUnit = units === 1 ? 25.4 : units === 2 ? 10 : 0;
      if (mmPerUnit && dx > 0 && dy > 0) mmPerPixel = { x: mmPerUnit / dx, y: mmPerUnit / dy };
    } else if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      // SOFn (T.81 §B.2.2): precision, then height and width.
      height = u16(bytes, data + 1);
      width = u16(bytes, data + 3);
      break;
    }
    at += 2 + length;
  }
  if (width <= 0 || height <= 0) bad('JPEG without a frame header (SOF)');
  return { format: 'jpeg', width, height, ...(mmPerPixel ? { mmPerPixel } : {}) };
}

/**
 * Reads the size and physical resolution of a PNG or JPEG without decoding it.
 *
 * @throws `ERR_SIG_APPEARANCE` for other formats or a damaged header.
 */
export function readImageInfo(bytes: Uint8Array): ImageInfo {
  if (isPng(bytes)) return readPng(bytes);
  if (isJpeg(bytes)) return readJpeg(bytes);
  return bad('the appearance image must be PNG or JPEG');
}
