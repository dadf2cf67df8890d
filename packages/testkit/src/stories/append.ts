/**
 * A small incremental-update writer for test fixtures (ISO 32000-2 §7.5.6):
 * appends new or redefined objects, a classic cross-reference section and a
 * trailer whose /Prev points at the previous section. The earlier bytes are
 * never touched, so earlier signatures keep covering exactly what they covered.
 *
 * pdf-lib reads the existing objects (it resolves object streams too); the
 * writing is ours because pdf-lib can only rewrite a whole file.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, type PDFObject } from 'pdf-lib';

/** One object of the update: its number (generation 0) and its serialised body. */
export interface UpdateObject {
  readonly num: number;
  /** Everything between `N 0 obj` and `endobj`. */
  readonly body: Uint8Array;
}

/** What a builder of an update may read and allocate. */
export interface UpdateContext {
  /** The document as it is before the update (read it, do not save it). */
  readonly doc: PDFDocument;
  /** A fresh object number, above every number in use. */
  next(): number;
}

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

/** The serialised body of a direct object (dictionary, array, name...). */
export function objectBody(value: PDFObject): Uint8Array {
  return latin1(value.toString());
}

/**
 * The serialised body of a stream (ISO 32000-2 §7.3.8): `extra` dictionary
 * entries in PDF syntax (e.g. `/Type /XObject`), /Length set from `data`.
 * Unfiltered: fixtures stay readable with a text editor.
 */
export function streamBody(extra: string, data: Uint8Array | string): Uint8Array {
  const bytes = typeof data === 'string' ? latin1(data) : data;
  const head = latin1(`<< ${extra} /Length ${bytes.length} >>\nstream\n`);
  const tail = latin1('\nendstream');
  const out = new Uint8Array(head.length + bytes.length + tail.length);
  out.set(head, 0);
  out.set(bytes, head.length);
  out.set(tail, head.length + bytes.length);
  return out;
}

/** A copy of `dict` (shallow), so an update can redefine an object without mutating the reader's view. */
export function copyDict(doc: PDFDocument, dict: PDFDict): PDFDict {
  const out = doc.context.obj({}) as PDFDict;
  for (const [key, value] of dict.entries()) out.set(key, value);
  return out;
}

/** The `startxref` offset of the last revision (ISO 32000-2 §7.5.5). */
function lastStartXref(pdf: Uint8Array): number {
  const tail = new TextDecoder('latin1').decode(pdf.subarray(Math.max(0, pdf.length - 1024)));
  const all = [...tail.matchAll(/startxref\s+(\d+)\s+%%EOF/g)];
  const last = all[all.length - 1];
  if (!last) throw new Error('testkit append: no startxref/%%EOF at the end of the file');
  return Number(last[1]);
}

/**
 * Appends one incremental update made by `make` and returns the new file
 * (`pdf` followed by the update). The trailer keeps /Root, /Info and /ID of
 * the last trailer; /Size grows with the new object numbers.
 */
export async function appendUpdate(pdf: Uint8Array, make: (ctx: UpdateContext) => UpdateObject[] | Promise<UpdateObject[]>): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: false });
  let size = doc.context.largestObjectNumber + 1;
  const objects = await make({ doc, next: () => size++ });
  if (objects.length === 0) throw new Error('testkit append: an update needs at least one object');

  const chunks: Uint8Array[] = [];
  let offset = pdf.length;
  const push = (b: Uint8Array) => {
    chunks.push(b);
    offset += b.length;
  };
  // The previous revision may end without an end-of-line after %%EOF.
  if (pdf[pdf.length - 1] !== 0x0a) push(latin1('\n'));
  const offsets = new Map<number, number>();
  for (const o of [...objects].sort((a, b) => a.num - b.num)) {
    offsets.set(o.num, offset);
    push(latin1(`${o.num} 0 obj\n`));
    push(o.body);
    push(latin1('\nendobj\n'));
  }

  // One subsection per run of consecutive numbers (§7.5.4); each entry exactly 20 bytes.
  const xrefAt = offset;
  const nums = [...offsets.keys()];
  let xref = 'xref\n';
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
    xref += `${nums[i]} ${j - i + 1}\n`;
    for (let k = i; k <= j; k++) xref += `${String(offsets.get(nums[k]!)).padStart(10, '0')} 00000 n\r\n`;
    i = j + 1;
  }
  const info = doc.context.trailerInfo;
  const trailer = doc.context.obj({}) as PDFDict;
  trailer.set(PDFName.of('Size'), doc.context.obj(size));
  if (info.Root) trailer.set(PDFName.of('Root'), info.Root);
  if (info.Info) trailer.set(PDFName.of('Info'), info.Info);
  if (info.ID) trailer.set(PDFName.of('ID'), info.ID);
  trailer.set(PDFName.of('Prev'), doc.context.obj(lastStartXref(pdf)));
  push(latin1(`${xref}trailer\n${trailer.toString()}\nstartxref\n${xrefAt}\n%%EOF\n`));

  const out = new Uint8Array(offset);
  out.set(pdf, 0);
  let at = pdf.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The catalog's reference and a copy of its dictionary, ready to be redefined. */
export function catalogOf(doc: PDFDocument): { ref: PDFRef; dict: PDFDict } {
  const ref = doc.context.trailerInfo.Root;
  if (!(ref instanceof PDFRef)) throw new Error('testkit append: the trailer has no indirect /Root');
  return { ref, dict: copyDict(doc, doc.context.lookup(ref, PDFDict)) };
}

/** A PDF array of references to the given object numbers. */
export function refArray(doc: PDFDocument, nums: readonly number[]): PDFArray {
  return doc.context.obj(nums.map((n) => PDFRef.of(n))) as PDFArray;
}
