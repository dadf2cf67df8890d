import type { PdfDocument, PageInfo } from './document.js';
import type { ObjectAllocator } from './incremental-writer.js';
import { PdfDict, PdfRef, type PdfValue } from './objects.js';

/**
 * Changes to the page tree and the interactive form that adding a signature
 * field needs (ISO 32000-2 §12.5.2, §12.7.3). Each change goes through `put`,
 * so the caller collects one incremental update.
 */

/** The page a widget sits on: its /P, else the page whose /Annots lists it, else page 1. */
export function pageOfWidget(doc: PdfDocument, pages: PageInfo[], widget: PdfDict, ref: PdfRef): PageInfo {
  const p = widget.get('P');
  if (p instanceof PdfRef) {
    const pg = pages.find((x) => x.ref.num === p.num);
    if (pg) return pg;
  }
  const pg = pages.find((x) => pageHasAnnot(doc, x, ref));
  if (pg) return pg;
  return pages[0]!;
}

export function pageHasAnnot(doc: PdfDocument, page: PageInfo, ref: PdfRef): boolean {
  const annots = doc.resolve(page.dict.get('Annots'));
  return Array.isArray(annots) && annots.some((a) => a instanceof PdfRef && a.num === ref.num);
}

/** Records a changed or new object for the update. */
export type Put = (ref: PdfRef, value: PdfValue) => void;

/** Adds a widget to the page's /Annots (rewriting the array object when /Annots is indirect). */
export function addToPageAnnots(doc: PdfDocument, page: PageInfo, widgetRef: PdfRef, put: Put): void {
  const raw = page.dict.get('Annots');
  if (raw instanceof PdfRef) {
    const arr = doc.resolve(raw);
    put(raw, [...(Array.isArray(arr) ? arr : []), widgetRef]);
    return;
  }
  const arr = Array.isArray(raw) ? raw : [];
  put(page.ref, page.dict.clone().set('Annots', [...arr, widgetRef]));
}

/** Adds a field to the AcroForm (creating one if needed) and sets /SigFlags 3. */
export function addToAcroForm(doc: PdfDocument, widgetRef: PdfRef, put: Put, alloc: ObjectAllocator): void {
  const catalog = doc.catalog();
  const raw = catalog.get('AcroForm');
  const acro = doc.dictOf(raw)?.clone() ?? new PdfDict();
  const fieldsRaw = acro.get('Fields');
  if (fieldsRaw instanceof PdfRef) {
    const arr = doc.resolve(fieldsRaw);
    put(fieldsRaw, [...(Array.isArray(arr) ? arr : []), widgetRef]);
  } else {
    acro.set('Fields', [...(Array.isArray(fieldsRaw) ? fieldsRaw : []), widgetRef]);
  }
  acro.set('SigFlags', 3); // SignaturesExist + AppendOnly (§12.7.3, Table 225)
  if (raw instanceof PdfRef) {
    put(raw, acro);
  } else {
    const ref = alloc.next();
    put(ref, acro);
    put(doc.rootRef, catalog.clone().set('AcroForm', ref));
  }
}

/** Sets /SigFlags 3 (SignaturesExist, AppendOnly; §12.7.3 Table 225) on an existing AcroForm. */
export function setSigFlags(doc: PdfDocument, put: Put): void {
  const catalog = doc.catalog();
  const raw = catalog.get('AcroForm');
  const acro = doc.dictOf(raw);
  if (!acro || acro.get('SigFlags') === 3) return;
  const next = acro.clone().set('SigFlags', 3);
  if (raw instanceof PdfRef) put(raw, next);
  else put(doc.rootRef, catalog.clone().set('AcroForm', next));
}
