/**
 * Later revisions appended to signed fixtures: validation data (/DSS), an
 * annotation (a change DocMDP P=3 and approval signatures allow) and a
 * replaced page content stream (a change no signature allows).
 */
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFPageLeaf, PDFRef } from 'pdf-lib';
import { ANNOTATION_RECT } from './catalog.js';
import { appendUpdate, catalogOf, copyDict, objectBody, refArray, streamBody, type UpdateObject } from './append.js';

/** Validation data for the Document Security Store. */
export interface DssData {
  /** DER certificates (e.g. the chain up to the root). */
  readonly certs?: readonly Uint8Array[];
  /** DER OCSPResponse values. */
  readonly ocsps?: readonly Uint8Array[];
  /** DER CertificateList values. */
  readonly crls?: readonly Uint8Array[];
}

/**
 * Appends a Document Security Store (ISO 32000-2 §12.8.4.3; ETSI EN 319 142-1
 * §5.4.2): the catalog gains /DSS with /Certs, /OCSPs and /CRLs arrays of
 * streams, the way PAdES-LT files carry revocation data for their signatures.
 * No /VRI: the data serves every signature (readers look in the lists).
 */
export async function appendDss(pdf: Uint8Array, data: DssData): Promise<Uint8Array> {
  return appendUpdate(pdf, ({ doc, next }) => {
    const objects: UpdateObject[] = [];
    const list = (items: readonly Uint8Array[] | undefined): number[] =>
      (items ?? []).map((bytes) => {
        const num = next();
        objects.push({ num, body: streamBody('', bytes) });
        return num;
      });
    const certs = list(data.certs);
    const ocsps = list(data.ocsps);
    const crls = list(data.crls);
    const dss = doc.context.obj({}) as PDFDict;
    dss.set(PDFName.of('Type'), PDFName.of('DSS'));
    if (certs.length) dss.set(PDFName.of('Certs'), refArray(doc, certs));
    if (ocsps.length) dss.set(PDFName.of('OCSPs'), refArray(doc, ocsps));
    if (crls.length) dss.set(PDFName.of('CRLs'), refArray(doc, crls));
    const dssNum = next();
    objects.push({ num: dssNum, body: objectBody(dss) });
    const catalog = catalogOf(doc);
    catalog.dict.set(PDFName.of('DSS'), PDFRef.of(dssNum));
    objects.push({ num: catalog.ref.objectNumber, body: objectBody(catalog.dict) });
    return objects;
  });
}

/** The reference and a copy of the dictionary of page `index` (0-based). */
function pageOf(doc: Parameters<Parameters<typeof appendUpdate>[1]>[0]['doc'], index: number): { ref: PDFRef; dict: PDFDict } {
  const page = doc.getPage(index);
  return { ref: page.ref, dict: copyDict(doc, page.node as PDFPageLeaf) };
}


/**
 * Appends a square annotation with a visible appearance (ISO 32000-2 §12.5.6.8)
 * at {@link ANNOTATION_RECT} on page 1: a reviewer's mark after signing, which
 * DocMDP P=3 (§12.8.2.2.2) and plain approval signatures permit.
 */
export async function appendAnnotation(pdf: Uint8Array, note: string): Promise<Uint8Array> {
  const [x, y, w, h] = ANNOTATION_RECT;
  return appendUpdate(pdf, ({ doc, next }) => {
    const apNum = next();
    const annotNum = next();
    // A red frame, 2 pt wide, drawn inside the annotation's box.
    const ap = streamBody(`/Type /XObject /Subtype /Form /BBox [0 0 ${w} ${h}]`, `1 0 0 RG 2 w 1 1 ${w - 2} ${h - 2} re S`);
    const annot = doc.context.obj({
      Type: 'Annot',
      Subtype: 'Square',
      Rect: [x, y, x + w, y + h],
      F: 4,
      C: [1, 0, 0],
      Border: [0, 0, 2],
    }) as PDFDict;
    annot.set(PDFName.of('Contents'), PDFHexString.fromText(note));
    const apDict = doc.context.obj({}) as PDFDict;
    apDict.set(PDFName.of('N'), PDFRef.of(apNum));
    annot.set(PDFName.of('AP'), apDict);
    const page = pageOf(doc, 0);
    annot.set(PDFName.of('P'), page.ref);
    const existing = page.dict.lookupMaybe(PDFName.of('Annots'), PDFArray);
    const annots = doc.context.obj([]) as PDFArray;
    for (const item of existing?.asArray() ?? []) annots.push(item);
    annots.push(PDFRef.of(annotNum));
    page.dict.set(PDFName.of('Annots'), annots);
    return [
      { num: apNum, body: ap },
      { num: annotNum, body: objectBody(annot) },
      { num: page.ref.objectNumber, body: objectBody(page.dict) },
    ];
  });
}

/**
 * Appends a new content stream for page 1 that paints over the text (a white
 * box and a new line): what a forger would do, and no DocMDP level allows
 * (ISO 32000-2 §12.8.2.2.2; Acrobat: "document modified after signing").
 */
export async function appendPageContentChange(pdf: Uint8Array): Promise<Uint8Array> {
  return appendUpdate(pdf, ({ doc, next }) => {
    const contentNum = next();
    const fontNum = next();
    const page = pageOf(doc, 0);
    const old = page.dict.get(PDFName.of('Contents'));
    const contents = doc.context.obj([]) as PDFArray;
    if (old instanceof PDFArray) for (const item of old.asArray()) contents.push(item);
    else if (old) contents.push(old);
    contents.push(PDFRef.of(contentNum));
    page.dict.set(PDFName.of('Contents'), contents);
    // The page's resources gain a standard font for the forged line (Helvetica needs no embedding).
    const resources = page.dict.lookupMaybe(PDFName.of('Resources'), PDFDict);
    const res = resources ? copyDict(doc, resources) : (doc.context.obj({}) as PDFDict);
    const fonts = res.lookupMaybe(PDFName.of('Font'), PDFDict);
    const fontDict = fonts ? copyDict(doc, fonts) : (doc.context.obj({}) as PDFDict);
    fontDict.set(PDFName.of('KysoForged'), PDFRef.of(fontNum));
    res.set(PDFName.of('Font'), fontDict);
    page.dict.set(PDFName.of('Resources'), res);
    const text = 'q 1 1 1 rg 50 700 300 40 re f Q BT /KysoForged 14 Tf 0 0 0 rg 56 714 Td (AMOUNT: 9,999,999) Tj ET';
    return [
      { num: contentNum, body: streamBody('', text) },
      { num: fontNum, body: objectBody(doc.context.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica', Encoding: 'WinAnsiEncoding' })) },
      { num: page.ref.objectNumber, body: objectBody(page.dict) },
    ];
  });
}
