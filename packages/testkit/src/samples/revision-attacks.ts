/**
 * Hand-written PDF syntax for the attacks on what a signature covers that a
 * viewer draws differently from what was signed (the "PDF Insecurity" classes
 * that change rendering without touching page content): a form field drawn
 * from the form's defaults whose /DA or /DR font is changed later, objects
 * appended after the last %%EOF that only a reconstructing reader uses, and
 * signature dictionaries of an irregular form. Written byte by byte, not with
 * kyso's writer, the way other producers (PDFBox, qpdf) lay files out: a
 * classic xref table with whole-object rewrites, or a cross-reference stream
 * with the objects in an object stream.
 */
import type { TestPki } from '../pki/generate.js';
import type { LeafName } from '../pki/profile.js';
import { opensslCms } from './openssl-signed.js';

const latin1 = (s: string) => Buffer.from(s, 'latin1');
const text = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

/** One 20-byte cross-reference entry (ISO 32000-2 §7.5.4). */
const xrefEntry = (offset: number, gen: number, type: 'n' | 'f') => `${String(offset).padStart(10, '0')} ${String(gen).padStart(5, '0')} ${type}\r\n`;

/** An object of an update: a dictionary (or any value) written as text, with stream data when it is a stream. */
export interface RawObject {
  readonly num: number;
  /** The object's value as PDF text; for a stream, its dictionary without /Length. */
  readonly body: string;
  readonly stream?: string | Uint8Array;
}

/** Object numbers of {@link formDocument}. */
export const FORM_OBJECTS = {
  catalog: 1,
  pages: 2,
  page: 3,
  content: 4,
  pageFont: 5,
  /** Text field 'so_tien' with the value 1500000 and no /AP: viewers draw it from /DA and /DR. */
  amount: 6,
  /** Text field 'nguoi_nhan' with an appearance stream of its own, empty. */
  payee: 7,
  acroForm: 8,
  payeeAppearance: 9,
  /** /DR /Font /Helv: Helvetica, WinAnsiEncoding. */
  helv: 10,
  /** /DR /Font /TiRo: Times-Roman, WinAnsiEncoding. */
  tiro: 11,
  /** Text field 'ma_so' (value QD-15) whose appearance stream has no /Resources: it draws with /DR's /TiRo. */
  code: 12,
  codeAppearance: 13,
} as const;

/** The default appearance of the form (and so of 'so_tien'): Helvetica 18 pt, black. */
export const FORM_DA = '/Helv 18 Tf 0 g';

/** The font of /DR as the signed document has it. */
export const HELV = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';

/** Helvetica whose /Differences draw every digit as another one (1 as 7, 5 as 9, 0 as 8…): "1500000" reads "7988888". */
export const HELV_DIGITS_SWAPPED =
  '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding ' +
  '/Differences [48 /eight /seven /six /five /four /nine /two /one /zero /three] >> >>';

/** An appearance stream for the payee field that draws `value` with /Helv (the form's font) at 12 pt. */
export function payeeAppearance(value: string, extra = ''): string {
  return `/Tx BMC q BT /Helv 12 Tf 0 g 2 6 Td (${escape(value)}) Tj ET ${extra}Q EMC`;
}

/** The widget box of the payee field (its appearance's /BBox). */
const PAYEE_BBOX = '[0 0 300 24]';

/** The objects of {@link formDocument} as first written, by number. */
export const FORM_BODIES: Readonly<Record<number, RawObject>> = Object.fromEntries(
  [
    { num: 1, body: '<< /Type /Catalog /Pages 2 0 R /AcroForm 8 0 R >>' },
    { num: 2, body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    { num: 3, body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R 7 0 R 12 0 R] >>' },
    {
      num: 4, body: '<< >>',
      stream: 'BT /F1 16 Tf 72 780 Td (kyso TEST: de nghi thanh toan) Tj 0 -60 Td (So tien:) Tj 0 -60 Td (Nguoi nhan:) Tj 0 -60 Td (Ma so:) Tj ET',
    },
    { num: 5, body: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>' },
    { num: 6, body: '<< /FT /Tx /T (so_tien) /V (1500000) /Type /Annot /Subtype /Widget /Rect [180 700 480 730] /P 3 0 R /F 4 >>' },
    { num: 7, body: '<< /FT /Tx /T (nguoi_nhan) /Type /Annot /Subtype /Widget /Rect [180 640 480 664] /P 3 0 R /F 4 /DA (/Helv 12 Tf 0 g) /AP << /N 9 0 R >> >>' },
    { num: 8, body: `<< /Fields [6 0 R 7 0 R 12 0 R] /DA (${FORM_DA}) /DR << /Font << /Helv 10 0 R /TiRo 11 0 R >> >> >>` },
    { num: 9, body: `<< /Type /XObject /Subtype /Form /BBox ${PAYEE_BBOX} /Resources << /Font << /Helv 10 0 R >> >> >>`, stream: '/Tx BMC EMC' },
    { num: 10, body: HELV },
    { num: 11, body: '<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>' },
    { num: 12, body: '<< /FT /Tx /T (ma_so) /V (QD-15) /Type /Annot /Subtype /Widget /Rect [180 580 480 604] /P 3 0 R /F 4 /DA (/TiRo 12 Tf 0 g) /AP << /N 13 0 R >> >>' },
    // An appearance without /Resources: viewers take /TiRo from the form's /DR.
    { num: 13, body: `<< /Type /XObject /Subtype /Form /BBox ${PAYEE_BBOX} >>`, stream: '/Tx BMC BT /TiRo 12 Tf 0 g 2 6 Td (QD-15) Tj ET EMC' },
  ].map((o) => [o.num, o]),
);

/**
 * A one-page form written by hand: text on the page, a text field 'so_tien'
 * (value 1500000) without an appearance stream, so every viewer draws it from
 * the form's /DA and /DR, an empty text field 'nguoi_nhan' with its own
 * (empty) appearance, and a text field 'ma_so' whose appearance has no
 * resources of its own. `layout` 'table' writes a classic cross-reference
 * table; 'stream' puts the dictionaries into an object stream listed by a
 * cross-reference stream (objects 14 and 15).
 */
export function formDocument(layout: 'table' | 'stream' = 'table'): Uint8Array {
  const objects = Object.values(FORM_BODIES);
  const parts: Buffer[] = [latin1('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n')];
  let length = parts[0]!.length;
  const offsets = new Map<number, number>();
  const packed = layout === 'stream' ? objects.filter((o) => o.stream === undefined) : [];
  const write = (o: RawObject) => {
    offsets.set(o.num, length);
    const b = objectBytes(o);
    parts.push(b);
    length += b.length;
  };
  for (const o of objects) if (!packed.includes(o)) write(o);
  if (layout === 'table') {
    let table = `xref\n0 ${objects.length + 1}\n${xrefEntry(0, 65535, 'f')}`;
    for (let n = 1; n <= objects.length; n++) table += xrefEntry(offsets.get(n)!, 0, 'n');
    parts.push(latin1(`${table}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`));
    return new Uint8Array(Buffer.concat(parts));
  }
  const stm = objects.length + 1;
  const self = stm + 1;
  let header = '';
  let body = '';
  for (const o of packed) {
    header += `${o.num} ${body.length} `;
    body += `${o.body}\n`;
  }
  write({ num: stm, body: `<< /Type /ObjStm /N ${packed.length} /First ${header.length} >>`, stream: header + body });
  const xrefAt = length;
  offsets.set(self, xrefAt);
  const rows = Buffer.alloc((self + 1) * 7);
  rows.writeUInt16BE(65535, 5); // object 0: free, generation 65535
  for (let n = 1; n <= self; n++) {
    const i = packed.findIndex((o) => o.num === n);
    rows.writeUInt8(i >= 0 ? 2 : 1, n * 7);
    rows.writeUInt32BE(i >= 0 ? stm : offsets.get(n)!, n * 7 + 1);
    rows.writeUInt16BE(i >= 0 ? i : 0, n * 7 + 5);
  }
  write({ num: self, body: `<< /Type /XRef /Size ${self + 1} /W [1 4 2] /Root 1 0 R >>`, stream: rows });
  parts.push(latin1(`startxref\n${xrefAt}\n%%EOF\n`));
  return new Uint8Array(Buffer.concat(parts));
}

/** The first object number no revision of the file has used yet (the newest /Size). */
export function nextObjectNumber(bytes: Uint8Array): number {
  return lastTrailer(bytes).size;
}

function objectBytes(o: RawObject): Buffer {
  if (o.stream === undefined) return latin1(`${o.num} 0 obj\n${o.body}\nendobj\n`);
  const data = typeof o.stream === 'string' ? latin1(o.stream) : Buffer.from(o.stream);
  const dict = o.body.replace(/>>\s*$/, ` /Length ${data.length} >>`);
  return Buffer.concat([latin1(`${o.num} 0 obj\n${dict}\nstream\n`), data, latin1('\nendstream\nendobj\n')]);
}

function escape(s: string): string {
  return s.replace(/[\\()]/g, (c) => `\\${c}`);
}

/**
 * The text of the newest plain definition `num 0 obj … endobj` in the file (a
 * dictionary or other value, not a stream, not inside an object stream), found
 * by scanning, as a reconstructing reader would.
 */
export function lastObject(bytes: Uint8Array, num: number): string {
  const s = text(bytes);
  const re = new RegExp(`(?<![0-9])${num}\\s+0\\s+obj\\b`, 'g');
  let at = -1;
  for (let m = re.exec(s); m; m = re.exec(s)) at = m.index + m[0].length;
  if (at < 0) throw new Error(`testkit: object ${num} is not written as a plain object`);
  const end = s.indexOf('endobj', at);
  const body = s.slice(at, end).trim();
  if (/\bstream\s*$/.test(body) || body.includes('\nstream')) throw new Error(`testkit: object ${num} is a stream`);
  return body;
}

/** The trailer facts of the newest revision: /Size, /Root and the offset of its cross-reference section. */
function lastTrailer(bytes: Uint8Array): { size: number; root: string; startxref: number } {
  const s = text(bytes);
  const sx = [...s.matchAll(/startxref\s+(\d+)\s+%%EOF/g)].pop();
  if (!sx) throw new Error('testkit: no startxref');
  const sizes = [...s.matchAll(/\/Size\s+(\d+)/g)];
  const roots = [...s.matchAll(/\/Root\s+(\d+\s+\d+\s+R)/g)];
  if (!sizes.length || !roots.length) throw new Error('testkit: no /Size or /Root');
  return { size: Math.max(...sizes.map((m) => Number(m[1]))), root: roots.pop()![1]!, startxref: Number(sx[1]) };
}

/** How {@link appendRevision} writes the update. */
export interface RevisionLayout {
  /** 'table': a classic xref section and trailer (§7.5.4–5); 'stream': a cross-reference stream (§7.5.8). */
  readonly xref: 'table' | 'stream';
  /** With a cross-reference stream: the non-stream objects go into an object stream (§7.5.7). */
  readonly objectStream?: boolean;
}

/**
 * Appends one incremental update (ISO 32000-2 §7.5.6) that rewrites or adds
 * the given objects whole, chained with /Prev to the newest revision.
 */
export function appendRevision(bytes: Uint8Array, objects: readonly RawObject[], layout: RevisionLayout = { xref: 'table' }): Uint8Array {
  const prev = lastTrailer(bytes);
  const parts: Buffer[] = [];
  let length = bytes.length;
  const push = (b: Buffer) => {
    parts.push(b);
    length += b.length;
  };
  if (bytes[bytes.length - 1] !== 0x0a) push(latin1('\n'));
  const plain = new Map<number, number>();
  const compressed = new Map<number, [number, number]>();
  let size = Math.max(prev.size, ...objects.map((o) => o.num + 1));
  const packed = layout.xref === 'stream' && layout.objectStream ? objects.filter((o) => o.stream === undefined) : [];
  for (const o of objects) {
    if (packed.includes(o)) continue;
    plain.set(o.num, length);
    push(objectBytes(o));
  }
  if (packed.length) {
    const stm = size++;
    let header = '';
    let body = '';
    packed.forEach((o, i) => {
      header += `${o.num} ${body.length} `;
      body += `${o.body}\n`;
      compressed.set(o.num, [stm, i]);
    });
    plain.set(stm, length);
    push(objectBytes({ num: stm, body: `<< /Type /ObjStm /N ${packed.length} /First ${header.length} >>`, stream: header + body }));
  }
  if (layout.xref === 'table') {
    const nums = [...plain.keys()].sort((a, b) => a - b);
    let table = 'xref\n';
    for (const n of nums) table += `${n} 1\n${xrefEntry(plain.get(n)!, 0, 'n')}`;
    const at = length;
    push(latin1(`${table}trailer\n<< /Size ${size} /Root ${prev.root} /Prev ${prev.startxref} >>\nstartxref\n${at}\n%%EOF\n`));
  } else {
    const self = size++;
    const at = length;
    plain.set(self, at);
    const nums = [...new Set([...plain.keys(), ...compressed.keys()])].sort((a, b) => a - b);
    const rows = Buffer.alloc(nums.length * 7);
    nums.forEach((n, i) => {
      const c = compressed.get(n);
      rows.writeUInt8(c ? 2 : 1, i * 7);
      rows.writeUInt32BE(c ? c[0] : plain.get(n)!, i * 7 + 1);
      rows.writeUInt16BE(c ? c[1] : 0, i * 7 + 5);
    });
    const index = nums.map((n) => `${n} 1`).join(' ');
    push(objectBytes({ num: self, body: `<< /Type /XRef /Size ${size} /W [1 4 2] /Index [${index}] /Root ${prev.root} /Prev ${prev.startxref} >>`, stream: rows }));
    push(latin1(`startxref\n${at}\n%%EOF\n`));
  }
  return new Uint8Array(Buffer.concat([Buffer.from(bytes), ...parts]));
}

/** `bytes` followed by `tail` as is: what some tools leave after the last %%EOF. */
export function appendAfterEof(bytes: Uint8Array, tail: string | Uint8Array): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from(bytes), typeof tail === 'string' ? latin1(tail) : Buffer.from(tail)]));
}

/**
 * Object definitions appended after the last %%EOF with no xref section,
 * trailer or startxref: page `page`'s content stream `content` redefined to
 * show `shown`, padded past the 1 KiB that readers search for `startxref`,
 * so that a reader looking for the last `startxref` no longer finds it and
 * rebuilds the file from its object headers.
 */
export function objectsAfterEof(bytes: Uint8Array, content: number, shown: string, pad = 2048): Uint8Array {
  const data = `BT /F1 16 Tf 72 780 Td (${escape(shown)}) Tj ET\n${'%'.padEnd(pad, ' ')}`;
  return appendAfterEof(bytes, `${content} 0 obj\n<< /Length ${data.length} >>\nstream\n${data}\nendstream\nendobj\n`);
}

/** The irregular forms of signature dictionary {@link handSignedPdf} can write. */
export interface SignatureDictionaryForm {
  /** 'direct' (regular), 'indirect' (/ByteRange N 0 R) or 'indirect-element' (one number of the array is a reference). */
  readonly byteRange?: 'direct' | 'indirect' | 'indirect-element';
  /** The /Type entry as written (e.g. '/Sig', '/XObject', '(Sig)'), or null for none. Default '/Sig'. */
  readonly type?: string | null;
  /** The /Filter entry as written, or null for none. Default '/Adobe.PPKLite'. */
  readonly filter?: string | null;
  /** The /SubFilter entry as written, or null for none. Default '/adbe.pkcs7.detached'. */
  readonly subFilter?: string | null;
}

/** Options of {@link handSignedPdf}. */
export interface HandSignedPdfOptions extends SignatureDictionaryForm {
  readonly pki: TestPki;
  /** Default 'leader'. */
  readonly signer?: LeafName;
}

/**
 * A one-page PDF with one signature, written by hand and signed with
 * `openssl cms` (adbe.pkcs7.detached over the ByteRange), whose signature
 * dictionary has the given form. With the defaults it is a regular signed
 * file; the other forms are what ISO 32000-2 §12.8.1 does not allow, with a
 * signature value that is cryptographically sound over the ranges.
 */
export async function handSignedPdf(options: HandSignedPdfOptions): Promise<Uint8Array> {
  const signer = options.pki.entity(options.signer ?? 'leader');
  const form = options.byteRange ?? 'direct';
  const pad = '0000000000';
  const contentsHex = '0'.repeat(16384 * 2);
  const entry = (key: string, v: string | null | undefined, dflt: string) => {
    const value = v === undefined ? dflt : v;
    return value === null ? '' : `/${key} ${value} `;
  };
  const brArray = form === 'indirect-element' ? `[0 ${pad} 8 0 R ${pad}]` : `[0 ${pad} ${pad} ${pad}]`;
  const sigDict =
    `<< ${entry('Type', options.type, '/Sig')}${entry('Filter', options.filter, '/Adobe.PPKLite')}${entry('SubFilter', options.subFilter, '/adbe.pkcs7.detached')}` +
    `/ByteRange ${form === 'indirect' ? '7 0 R' : brArray} /Contents <${contentsHex}> /M (D:20260105080000Z) >>`;
  const objects: RawObject[] = [
    { num: 1, body: '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /SigFlags 3 >> >>' },
    { num: 2, body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    { num: 3, body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [5 0 R] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>' },
    { num: 4, body: '<< >>', stream: 'BT /F1 16 Tf 72 780 Td (kyso TEST: signed by hand) Tj ET' },
    { num: 5, body: '<< /FT /Sig /T (SigHand) /V 6 0 R /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R >>' },
    { num: 6, body: sigDict },
    { num: 7, body: form === 'indirect' ? `[0 ${pad} ${pad} ${pad}]` : 'null' },
    { num: 8, body: form === 'indirect-element' ? pad : '0' },
  ];
  const parts: Buffer[] = [latin1('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n')];
  let length = parts[0]!.length;
  const offsets = new Map<number, number>();
  for (const o of objects) {
    offsets.set(o.num, length);
    const b = objectBytes(o);
    parts.push(b);
    length += b.length;
  }
  let table = `xref\n0 ${objects.length + 1}\n${xrefEntry(0, 65535, 'f')}`;
  for (let n = 1; n <= objects.length; n++) table += xrefEntry(offsets.get(n)!, 0, 'n');
  parts.push(latin1(`${table}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`));
  const bytes = Buffer.concat(parts);

  const s = bytes.toString('latin1');
  const start = s.indexOf(`/Contents <${contentsHex.slice(0, 16)}`) + '/Contents '.length;
  const end = s.indexOf('>', start) + 1;
  const range = [0, start, end, bytes.length - end];
  // Fill the placeholders where this form keeps the numbers (same widths: nothing moves).
  const fill = (at: number, n: number) => bytes.write(String(n).padStart(10, '0'), at, 'latin1');
  const numbersAt = (from: number) => {
    const open = s.indexOf('[0 ', from);
    return [open + 3, open + 14, open + 25];
  };
  if (form === 'indirect') {
    const [b, c, d] = numbersAt(offsets.get(7)!);
    fill(b!, range[1]!);
    fill(c!, range[2]!);
    fill(d!, range[3]!);
  } else {
    const open = s.indexOf('[0 ', offsets.get(6)!);
    fill(open + 3, range[1]!);
    if (form === 'indirect-element') {
      fill(s.indexOf(pad, offsets.get(8)!), range[2]!);
      fill(open + 14 + '8 0 R '.length, range[3]!);
    } else {
      fill(open + 14, range[2]!);
      fill(open + 25, range[3]!);
    }
  }

  const cms = await opensslCms(signer, Buffer.concat([bytes.subarray(0, start), bytes.subarray(end)]), 'kyso-hsign-');
  bytes.write(cms.toString('hex').toUpperCase(), start + 1, 'latin1');
  return new Uint8Array(bytes);
}
