import { kysoError } from '../errors/index.js';
import type { PdfDocument } from './document.js';
import { PdfDict, PdfName, PdfRef, PdfString, type PdfValue } from './objects.js';
import { ByteWriter, writeValue } from './serialize.js';

/** An object to append: a value to serialise, or a body already serialised. */
export interface UpdateObject {
  readonly num: number;
  readonly gen?: number;
  /** Written through the document's security handler when it is encrypted (ISO 32000-2 §7.6.2). */
  readonly value?: PdfValue;
  /**
   * The bytes between `N G obj\n` and `\nendobj`, written as they are: in an
   * encrypted document the maker must have encrypted its strings and streams.
   */
  readonly body?: Uint8Array;
}

export interface IncrementResult {
  /** The bytes to append to the input. */
  readonly bytes: Uint8Array;
  /** Offset of each object's `N G obj` within `bytes`. */
  readonly offsets: ReadonlyMap<number, number>;
  /** Offset of each object's body start within `bytes`. */
  readonly bodyOffsets: ReadonlyMap<number, number>;
}

/**
 * Builds one incremental update (ISO 32000-2 §7.5.6): the new and changed
 * objects, a cross-reference section of the same kind as the file's last one
 * (table or stream, §7.5.8), and a trailer chained by /Prev. Existing bytes
 * are never touched: the update is only appended. In an encrypted document,
 * `value` objects are encrypted with their own object key, and the trailer
 * keeps /Encrypt and the first /ID (the file key depends on it, §7.6.4.3.2).
 */
export function buildIncrement(
  doc: PdfDocument,
  objects: readonly UpdateObject[],
  options: { readonly newId: Uint8Array; readonly lastByte: number },
): IncrementResult {
  const w = new ByteWriter();
  const base = doc.source.length;
  // §7.5.6: the update follows the previous %%EOF; make sure it starts on a new line.
  if (options.lastByte !== 0x0a && options.lastByte !== 0x0d) w.text('\n');
  const offsets = new Map<number, number>();
  const bodyOffsets = new Map<number, number>();
  const sorted = [...objects].sort((a, b) => a.num - b.num);
  for (const o of sorted) {
    if (offsets.has(o.num)) throw kysoError('ERR_INVALID_ARGUMENT', `object ${o.num} written twice in one update`);
    offsets.set(o.num, w.length);
    w.text(`${o.num} ${o.gen ?? 0} obj\n`);
    bodyOffsets.set(o.num, w.length);
    if (o.body) w.bytes(o.body);
    else if (doc.encryption) writeValue(w, doc.encryption.encryptObject(o.num, o.gen ?? 0, o.value ?? null));
    else writeValue(w, o.value ?? null);
    w.text('\nendobj\n');
  }

  const old = doc.trailer;
  const maxNum = sorted.length ? sorted[sorted.length - 1]!.num : 0;
  const trailer = new PdfDict();
  const last = doc.xref.sections[0]!;
  const ids = old.get('ID');
  // An encrypted file without /ID derived its key from an empty ID: keep it empty.
  const firstId = Array.isArray(ids) && ids[0] instanceof PdfString ? ids[0]
    : new PdfString(doc.encryption ? new Uint8Array(0) : options.newId, true);
  const id: PdfValue = [new PdfString(firstId.bytes, true), new PdfString(options.newId, true)];
  const copy = (k: string) => {
    const v = old.get(k);
    if (v !== undefined) trailer.set(k, v);
  };

  if (last.kind === 'stream') {
    // A cross-reference stream lists itself (§7.5.8.1).
    const xrefNum = Math.max(doc.size, maxNum + 1);
    const xrefOffset = w.length;
    offsets.set(xrefNum, xrefOffset);
    const all = [...offsets.entries()].sort((a, b) => a[0] - b[0]);
    const maxOff = base + xrefOffset;
    const ow = maxOff < 2 ** 32 ? 4 : 5;
    const data = new Uint8Array(all.length * (1 + ow + 2));
    const index: number[] = [];
    let p = 0;
    for (let i = 0; i < all.length; i++) {
      const [num, off] = all[i]!;
      if (i === 0 || num !== all[i - 1]![0] + 1) index.push(num, 0);
      index[index.length - 1]!++;
      data[p++] = 1;
      const abs = base + off;
      for (let k = ow - 1; k >= 0; k--) data[p++] = Math.floor(abs / 2 ** (8 * k)) & 0xff;
      data[p++] = 0;
      data[p++] = 0;
    }
    trailer.set('Type', PdfName.of('XRef')).set('Size', xrefNum + 1).set('W', [1, ow, 2]).set('Index', index);
    copy('Root');
    copy('Encrypt');
    copy('Info');
    trailer.set('ID', id).set('Prev', doc.xref.startxref).set('Length', data.length);
    w.text(`${xrefNum} 0 obj\n`);
    writeValue(w, trailer);
    w.text('\nstream\n').bytes(data).text('\nendstream\nendobj\n');
    w.text(`startxref\n${base + xrefOffset}\n%%EOF\n`);
  } else {
    const xrefOffset = w.length;
    w.text('xref\n');
    const nums = [...offsets.keys()].sort((a, b) => a - b);
    for (let i = 0; i < nums.length; ) {
      let j = i;
      while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
      w.text(`${nums[i]} ${j - i + 1}\n`);
      for (let k = i; k <= j; k++) {
        const abs = base + offsets.get(nums[k]!)!;
        w.text(`${String(abs).padStart(10, '0')} 00000 n\r\n`);
      }
      i = j + 1;
    }
    trailer.set('Size', Math.max(doc.size, maxNum + 1));
    copy('Root');
    copy('Encrypt');
    copy('Info');
    trailer.set('ID', id).set('Prev', doc.xref.startxref);
    w.text('trailer\n');
    writeValue(w, trailer);
    w.text(`\nstartxref\n${base + xrefOffset}\n%%EOF\n`);
  }
  return { bytes: w.result(), offsets, bodyOffsets };
}

/** Allocates object numbers for an update, starting at the file's /Size. */
export class ObjectAllocator {
  private nextNum: number;
  constructor(start: number) {
    this.nextNum = start;
  }
  next(): PdfRef {
    return new PdfRef(this.nextNum++, 0);
  }
  get peek(): number {
    return this.nextNum;
  }
  /** After an external builder used numbers up to `n - 1`. */
  advanceTo(n: number): void {
    if (n < this.nextNum) throw kysoError('ERR_INVALID_ARGUMENT', 'object numbers went backwards');
    this.nextNum = n;
  }
}

/**
 * The objects of one incremental update while its steps assemble it (field,
 * appearance, catalog…): numbers come from one allocator, and a later write of
 * an object replaces an earlier one, so each step may rewrite what a previous
 * step put (the catalog most often).
 */
export class PendingUpdate {
  readonly alloc: ObjectAllocator;
  private readonly objects = new Map<number, UpdateObject>();

  constructor(private readonly doc: PdfDocument) {
    this.alloc = new ObjectAllocator(doc.size);
  }

  /** Writes `value` as object `ref` (a `Put` for the form updaters). */
  readonly put = (ref: PdfRef, value: PdfValue): void => {
    this.objects.set(ref.num, { num: ref.num, gen: ref.gen, value });
  };

  /** Writes an object given as a value or as a serialised body. */
  add(object: UpdateObject): void {
    this.objects.set(object.num, object);
  }

  /** The catalog as this update rewrites it: the version an earlier step put, else a copy of the file's. */
  catalog(): PdfDict {
    const current = this.objects.get(this.doc.rootRef.num)?.value;
    const catalog = current instanceof PdfDict ? current : this.doc.catalog().clone();
    this.put(this.doc.rootRef, catalog);
    return catalog;
  }

  /** The objects written so far, for {@link buildIncrement}. */
  list(): UpdateObject[] {
    return [...this.objects.values()];
  }
}
