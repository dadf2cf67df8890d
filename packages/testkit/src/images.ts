import { crc32, deflateSync } from 'node:zlib';

/**
 * Generated stand-ins for the images Decree 30 asks for: a blue handwritten
 * signature and a red round seal, both PNG with transparency. Test data is
 * drawn here, never downloaded.
 */

/** Encodes 8-bit RGBA pixels as PNG (RFC 2083), with a pHYs chunk when `dpi` is given. */
export function encodePng(width: number, height: number, rgba: Uint8Array, dpi?: number): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    out.set(data, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (dpi) {
    const phys = Buffer.alloc(9);
    const ppm = Math.round(dpi / 0.0254);
    phys.writeUInt32BE(ppm, 0);
    phys.writeUInt32BE(ppm, 4);
    phys[8] = 1; // unit: metre
    parts.push(chunk('pHYs', phys));
  }
  parts.push(chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0)));
  return new Uint8Array(Buffer.concat(parts));
}

function plot(rgba: Uint8Array, w: number, h: number, x: number, y: number, r: number, color: [number, number, number]): void {
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      const d = Math.hypot(dx, dy);
      if (d > r) continue;
      const px = Math.round(x + dx), py = Math.round(y + dy);
      if (px < 0 || py < 0 || px >= w || py >= h) continue;
      const i = (py * w + px) * 4;
      const a = Math.round(255 * Math.min(1, r + 0.5 - d));
      if (a > rgba[i + 3]!) rgba.set([...color, a], i);
    }
  }
}

/** A blue signature-like stroke (Decree 30/2020 App. I §II.7d: blue, transparent PNG). */
export function signatureImage(width = 480, height = 180): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  const blue: [number, number, number] = [20, 40, 170];
  for (let t = 0; t <= 1; t += 0.0004) {
    const x = 30 + t * (width - 60);
    const y = height / 2 + Math.sin(t * 19) * (height * 0.28) * (1 - t * 0.5) + Math.cos(t * 47) * 10;
    plot(rgba, width, height, x, y, 3, blue);
  }
  for (let t = 0; t <= 1; t += 0.001) plot(rgba, width, height, 60 + t * (width - 140), height * 0.8 - t * 12, 2, blue);
  return encodePng(width, height, rgba, 200);
}

/** A red round seal, `diameterMm` across at 300 dpi (App. I §II.8a: red, real size, transparent PNG). */
export function sealImage(diameterMm = 36): Uint8Array {
  const dpi = 300;
  const size = Math.round((diameterMm / 25.4) * dpi);
  const rgba = new Uint8Array(size * size * 4);
  const red: [number, number, number] = [210, 20, 20];
  const c = size / 2;
  for (let a = 0; a < Math.PI * 2; a += 0.0015) {
    plot(rgba, size, size, c + Math.cos(a) * (c - 8), c + Math.sin(a) * (c - 8), 5, red);
    plot(rgba, size, size, c + Math.cos(a) * (c * 0.62), c + Math.sin(a) * (c * 0.62), 3, red);
  }
  // A five-pointed star in the middle.
  const pts: [number, number][] = [];
  for (let k = 0; k < 10; k++) {
    const r = k % 2 === 0 ? c * 0.42 : c * 0.17;
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    pts.push([c + Math.cos(a) * r, c + Math.sin(a) * r]);
  }
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let inside = false;
      for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
        const [xi, yi] = pts[i]!, [xj, yj] = pts[j]!;
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
      if (inside) rgba.set([...red, 255], (y * size + x) * 4);
    }
  }
  return encodePng(size, size, rgba, dpi);
}
