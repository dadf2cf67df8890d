import { createCipheriv, createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileId } from './pdf-lib-helpers.js';

/** Width of the RGB image on every page; a full page's image is 1024² × 3 bytes = 3 MiB. */
const IMAGE_SIDE = 1024;
const ROW_BYTES = IMAGE_SIDE * 3;
const IMAGE_BYTES = IMAGE_SIDE * ROW_BYTES;
const CHUNK = 1 << 20;

/**
 * Writes a PDF of at least `sizeBytes` (and at most a few KB more) to `path`
 * without holding it in memory: one page per uncompressed, incompressible
 * (AES-CTR keystream) RGB image, the last image only as tall as the size
 * needs, offsets recorded as objects are written, xref table at the end.
 * Byte-deterministic for a given size.
 */
export async function writeLargePdf(path: string, sizeBytes: number): Promise<void> {
  const pages = Math.max(1, Math.ceil(sizeBytes / IMAGE_BYTES));
  // Image rows per page: full pages, then enough rows on the last one to reach the size.
  const heights = Array.from({ length: pages }, (_, i) =>
    i < pages - 1 ? IMAGE_SIDE : Math.max(1, Math.ceil((sizeBytes - (pages - 1) * IMAGE_BYTES) / ROW_BYTES)));
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fh = await open(tmp, 'w');
  try {
    let offset = 0;
    const offsets: number[] = [];
    const write = async (b: Buffer | string) => {
      const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
      await fh.write(buf, 0, buf.length, offset);
      offset += buf.length;
    };
    const begin = (num: number) => {
      offsets[num] = offset;
      return `${num} 0 obj\n`;
    };
    // A fixed key: deterministic, yet no compressor can shrink it.
    const key = createHash('sha256').update('kyso-test-sample/large').digest();
    const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
    const zeros = Buffer.alloc(CHUNK);

    await write('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n');
    // Objects: 1 catalog, 2 pages, 3 info, then per page i: image 4+3i, content 5+3i, page 6+3i.
    const kids: string[] = [];
    for (let i = 0; i < pages; i++) {
      const img = 4 + 3 * i;
      const content = img + 1;
      const page = img + 2;
      const height = heights[i]!;
      const imageBytes = height * ROW_BYTES;
      await write(begin(img) + `<< /Type /XObject /Subtype /Image /Width ${IMAGE_SIDE} /Height ${height} ` +
        `/ColorSpace /DeviceRGB /BitsPerComponent 8 /Length ${imageBytes} >>\nstream\n`);
      for (let done = 0; done < imageBytes; done += CHUNK) {
        await write(cipher.update(zeros.subarray(0, Math.min(CHUNK, imageBytes - done))));
      }
      await write('\nendstream\nendobj\n');
      const ops = `q 480 0 0 480 57 250 cm /Im0 Do Q BT /F1 14 Tf 57 780 Td (kyso TEST large file, page ${i + 1} of ${pages}) Tj ET`;
      await write(begin(content) + `<< /Length ${ops.length} >>\nstream\n${ops}\nendstream\nendobj\n`);
      await write(begin(page) + `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Contents ${content} 0 R ` +
        `/Resources << /XObject << /Im0 ${img} 0 R >> /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>\nendobj\n`);
      kids.push(`${page} 0 R`);
    }
    await write(begin(1) + '<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');
    await write(begin(2) + `<< /Type /Pages /Count ${pages} /Kids [${kids.join(' ')}] >>\nendobj\n`);
    await write(begin(3) + '<< /Title (kyso TEST large) /Producer (kyso testkit) /CreationDate (D:20260105080000Z) >>\nendobj\n');
    const size = 4 + 3 * pages;
    const xrefAt = offset;
    let table = `xref\n0 ${size}\n0000000000 65535 f \n`;
    for (let n = 1; n < size; n++) table += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
    const [id0, id1] = fileId(`large-${sizeBytes}`);
    table += `trailer\n<< /Size ${size} /Root 1 0 R /Info 3 0 R /ID [<${id0}> <${id1}>] >>\nstartxref\n${xrefAt}\n%%EOF\n`;
    await write(table);
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

/** Whether `path` is a finished large sample of at least `sizeBytes`. */
export async function isLargeSampleReady(path: string, sizeBytes: number): Promise<boolean> {
  if (!existsSync(path)) return false;
  const s = await stat(path);
  // Files of earlier generators overshot small sizes by up to a whole 3 MiB page.
  if (s.size < sizeBytes || s.size > sizeBytes + 64 * 1024) return false;
  const fh = await open(path, 'r');
  try {
    const tail = Buffer.alloc(6);
    await fh.read(tail, 0, 6, s.size - 6);
    return tail.toString('latin1') === '%%EOF\n';
  } finally {
    await fh.close();
  }
}

