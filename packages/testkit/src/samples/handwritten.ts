import { fileId } from './pdf-lib-helpers.js';

const latin1 = (s: string) => Buffer.from(s, 'latin1');

/** One 20-byte cross-reference entry (ISO 32000-2 §7.5.4). */
const xrefEntry = (offset: number, gen: number, type: 'n' | 'f') =>
  `${String(offset).padStart(10, '0')} ${String(gen).padStart(5, '0')} ${type} \n`;

/** Collects numbered objects and knows where each one starts. */
class Writer {
  readonly parts: Buffer[] = [];
  length = 0;
  readonly offsets = new Map<number, number>();

  raw(s: string | Buffer): void {
    const b = typeof s === 'string' ? latin1(s) : s;
    this.parts.push(b);
    this.length += b.length;
  }

  obj(num: number, body: string): void {
    this.offsets.set(num, this.length);
    this.raw(`${num} 0 obj\n${body}\nendobj\n`);
  }

  stream(num: number, dict: string, data: Buffer): void {
    this.offsets.set(num, this.length);
    this.raw(`${num} 0 obj\n<< ${dict} /Length ${data.length} >>\nstream\n`);
    this.raw(data);
    this.raw('\nendstream\nendobj\n');
  }

  bytes(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.parts));
  }
}

/**
 * A hybrid-reference file (ISO 32000-2 §7.5.8.4): a classic xref table whose
 * trailer has /XRefStm pointing to a cross-reference stream; that stream is
 * the only place listing the font (5) and the Info dictionary (7), both
 * stored in the object stream 6. Readers that ignore /XRefStm lose them.
 */
export function buildHybrid(): Uint8Array {
  const w = new Writer();
  w.raw('%PDF-1.5\n%\xE2\xE3\xCF\xD3\n');
  w.obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
  w.obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  w.obj(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>');
  w.stream(4, '', latin1('BT /F1 18 Tf 72 770 Td (kyso TEST: hybrid-reference file) Tj ET'));

  // Object stream (§7.5.7): "objnum offset" pairs, then the objects.
  const objs = [
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Title (kyso TEST hybrid) /Producer (kyso testkit) /CreationDate (D:20260105080000Z) >>',
  ];
  const header = `5 0 7 ${objs[0]!.length + 1} `;
  const objStm = latin1(header + objs[0] + '\n' + objs[1] + '\n');
  w.stream(6, `/Type /ObjStm /N 2 /First ${header.length}`, objStm);

  // Cross-reference stream (§7.5.8): /W [1 4 2]; type 2 = compressed (stream, index).
  const rows = Buffer.alloc(14);
  rows.writeUInt8(2, 0);
  rows.writeUInt32BE(6, 1);
  rows.writeUInt16BE(0, 5);
  rows.writeUInt8(2, 7);
  rows.writeUInt32BE(6, 8);
  rows.writeUInt16BE(1, 12);
  const [id0, id1] = fileId('hybrid');
  w.stream(8, `/Type /XRef /Size 9 /W [1 4 2] /Index [5 1 7 1] /Root 1 0 R /Info 7 0 R /ID [<${id0}> <${id1}>]`, rows);

  const xrefAt = w.length;
  let table = 'xref\n0 5\n' + xrefEntry(0, 65535, 'f');
  for (let n = 1; n <= 4; n++) table += xrefEntry(w.offsets.get(n)!, 0, 'n');
  table += '6 1\n' + xrefEntry(w.offsets.get(6)!, 0, 'n');
  table += '8 1\n' + xrefEntry(w.offsets.get(8)!, 0, 'n');
  w.raw(table);
  w.raw(`trailer\n<< /Size 9 /Root 1 0 R /Info 7 0 R /XRefStm ${w.offsets.get(8)} /ID [<${id0}> <${id1}>] >>\nstartxref\n${xrefAt}\n%%EOF\n`);
  return w.bytes();
}

/**
 * Appends one incremental update (ISO 32000-2 §7.5.6) to a classic-xref file:
 * a new version of the Info dictionary, an xref section for it and a
 * trailer with /Prev.
 */
export function appendInfoUpdate(base: Uint8Array, name: string): Uint8Array {
  const text = Buffer.from(base).toString('latin1');
  const sx = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text);
  const tr = text.lastIndexOf('trailer');
  if (!sx || tr < 0) throw new Error('testkit: base PDF has no classic trailer');
  const trailer = text.slice(tr);
  const size = /\/Size (\d+)/.exec(trailer);
  const root = /\/Root (\d+ \d+ R)/.exec(trailer);
  const info = /\/Info (\d+) (\d+) R/.exec(trailer);
  if (!size || !root || !info) throw new Error('testkit: base trailer lacks /Size, /Root or /Info');
  const infoNum = Number(info[1]);

  const w = new Writer();
  w.length = base.length;
  w.raw(base.at(-1) === 0x0a ? '' : '\n');
  w.obj(
    infoNum,
    '<< /Title (kyso TEST incremental, revision 2) /Author (kyso testkit \\(TEST\\)) /Producer (kyso testkit) ' +
      '/CreationDate (D:20260105080000Z) /ModDate (D:20260106080000Z) >>',
  );
  const xrefAt = w.length;
  const [id0, id1] = fileId(name, 1);
  w.raw(`xref\n${infoNum} 1\n${xrefEntry(w.offsets.get(infoNum)!, 0, 'n')}`);
  w.raw(
    `trailer\n<< /Size ${size[1]} /Root ${root[1]} /Info ${infoNum} 0 R /Prev ${sx[1]} /ID [<${id0}> <${id1}>] >>\n` +
      `startxref\n${xrefAt}\n%%EOF\n`,
  );
  return new Uint8Array(Buffer.concat([Buffer.from(base), ...w.parts]));
}
