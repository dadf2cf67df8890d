// Attack uploads for the VGCA checks, built with core's own PDF layer and incremental writer: the draft the
// integrator sent, one or more revisions an attacker (a compromised signing agent, a malicious page feeding the
// service another file) appends, then a valid signature by a trusted key over the whole file, made with core's sign.
import { createHash } from 'node:crypto';
import { sign, type SigningAdapter } from '@kyso/core';
import { buildSignedAttributes } from '../../core/src/crypto/signed-attributes.js';
import { assembleSignedData } from '../../core/src/crypto/signed-data.js';
import { memorySource } from '../../core/src/pdf/byte-source.js';
import { PdfDocument } from '../../core/src/pdf/document.js';
import { buildIncrement, type UpdateObject } from '../../core/src/pdf/incremental-writer.js';
import { dict, name, PdfDict, PdfRef, PdfStream, PdfString, textString, type PdfValue } from '../../core/src/pdf/objects.js';
import { pdfDate } from '../../core/src/sign/prepare.js';

const latin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const concat = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
};

function stream(entries: Record<string, PdfValue>, data: string): PdfStream {
  const bytes = latin1(data);
  return new PdfStream(dict(entries), -1, bytes.length, bytes);
}

function edit(doc: PdfDocument, num: number, change: (d: PdfDict) => void): UpdateObject {
  const d = (doc.get(num) as PdfDict).clone();
  change(d);
  return { num, value: d };
}

/** Appends one incremental update (ISO 32000-2 §7.5.6) whose objects `make` returns; `next` allocates numbers. */
export function appendUpdate(bytes: Uint8Array, make: (doc: PdfDocument, next: () => PdfRef) => UpdateObject[]): Uint8Array {
  const doc = PdfDocument.open(memorySource(bytes));
  let n = doc.size;
  const objects = make(doc, () => new PdfRef(n++, 0));
  const inc = buildIncrement(doc, objects, { newId: new Uint8Array(16).fill(7), lastByte: bytes[bytes.length - 1]! });
  return concat(bytes, inc.bytes);
}

const firstPage = (doc: PdfDocument) => doc.pages()[0]!.ref.num;
/** The name of a font in page 1's resources, so a new content stream can show text with it. */
function fontName(doc: PdfDocument): string {
  const page = doc.get(firstPage(doc)) as PdfDict;
  const resources = doc.dictOf(page.get('Resources'));
  const fonts = resources ? doc.dictOf(resources.get('Font')) : null;
  const key = fonts ? [...fonts.map.keys()][0] : undefined;
  if (!key) throw new Error('attack: page 1 has no font');
  return key;
}

/** The changes an attacker slips in with the signature; each returns the objects of one update. */
export const CHANGES = {
  /** Page 1 shows other text: its /Contents points at a new stream. */
  'page 1 content replaced': (doc: PdfDocument, next: () => PdfRef): UpdateObject[] => {
    const ref = next();
    const text = `BT /${fontName(doc)} 24 Tf 72 700 Td (So tien: 9.000.000.000 dong - da duyet) Tj ET`;
    return [{ num: ref.num, value: stream({}, text) }, edit(doc, firstPage(doc), (d) => d.set('Contents', ref))];
  },
  /** A new square annotation with a visible appearance, painted over page 1. */
  'annotation added': (doc: PdfDocument, next: () => PdfRef): UpdateObject[] => {
    const ap = next();
    const annot = next();
    const page = firstPage(doc);
    const annots = doc.resolve((doc.get(page) as PdfDict).get('Annots'));
    return [
      { num: ap.num, value: stream({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, 400, 60] }, '1 1 1 rg 0 0 400 60 re f') },
      { num: annot.num, value: dict({ Type: name('Annot'), Subtype: name('Square'), Rect: [60, 680, 460, 740], P: new PdfRef(page, 0), AP: dict({ N: ap }) }) },
      edit(doc, page, (d) => d.set('Annots', [...(Array.isArray(annots) ? annots : []), annot])),
    ];
  },
  /** A second page appended to the page tree. */
  'page added': (doc: PdfDocument, next: () => PdfRef): UpdateObject[] => {
    const content = next();
    const page = next();
    const pagesRef = doc.catalog().get('Pages') as PdfRef;
    const pages = doc.get(pagesRef) as PdfDict;
    const first = doc.get(firstPage(doc)) as PdfDict;
    return [
      { num: content.num, value: stream({}, `BT /${fontName(doc)} 18 Tf 72 720 Td (Phu luc: dieu khoan bo sung) Tj ET`) },
      { num: page.num, value: dict({ Type: name('Page'), Parent: pagesRef, MediaBox: [0, 0, 595, 842], Contents: content, Resources: first.get('Resources') ?? dict({}) }) },
      edit(doc, pagesRef.num, (d) => d.set('Kids', [...(doc.resolve(pages.get('Kids')) as PdfValue[]), page]).set('Count', (doc.resolve(pages.get('Count')) as number) + 1)),
    ];
  },
  /** Page 1's font resource pointed at another font (a Shadow "replace": same content, other glyphs). */
  'font resource swapped': (doc: PdfDocument, next: () => PdfRef): UpdateObject[] => {
    const font = next();
    const page = firstPage(doc);
    const key = fontName(doc);
    const resources = (doc.dictOf((doc.get(page) as PdfDict).get('Resources')) as PdfDict).clone();
    const fonts = (doc.dictOf(resources.get('Font')) as PdfDict).clone();
    fonts.set(key, font);
    resources.set('Font', fonts);
    return [
      { num: font.num, value: dict({ Type: name('Font'), Subtype: name('Type1'), BaseFont: name('Courier-Bold') }) },
      edit(doc, page, (d) => d.set('Resources', resources)),
    ];
  },
} as const;

export type ChangeName = keyof typeof CHANGES;

/**
 * The draft, an update making `change`, then a valid signature over the whole file by `adapter` at `signingTime`
 * (core's `sign`). `sameRevision`: the change and the signature are written as ONE incremental update instead,
 * signed here with core's CMS builder, as a compromised signing agent would write it.
 */
export async function signedWithChange(
  draft: Uint8Array, change: ChangeName, adapter: SigningAdapter, signingTime: Date, sameRevision = false,
): Promise<Uint8Array> {
  if (sameRevision) return handSigned(draft, { change, adapter, signingTime });
  return sign(appendUpdate(draft, CHANGES[change]), { adapter, level: 'B-B', signingTime });
}

const PLACEHOLDER_RANGE = [0, 1111111111, 2222222222, 3333333333];
const CONTENTS_BYTES = 12_000;

/**
 * One update holding `change` (if any), a signature field on page 1 and its value, signed by `adapter` (PAdES B-B,
 * ISO 32000-2 §12.8.1), its widget running `pageOpenScript` when given. `noFinalEol`: the file ends right after `%%EOF`, as some signers write it, so the next
 * update starts with the end-of-line that revision lacked.
 */
export async function handSigned(
  draft: Uint8Array, how: { change?: ChangeName; adapter: SigningAdapter; signingTime: Date; noFinalEol?: boolean; pageOpenScript?: string },
): Promise<Uint8Array> {
  const { change, adapter, signingTime } = how;
  const [entry] = await adapter.listCertificates();
  const certificate = entry!.certificate;
  const doc = PdfDocument.open(memorySource(draft));
  let next = doc.size;
  const alloc = () => new PdfRef(next++, 0);
  const objects = change ? CHANGES[change](doc, alloc) : [];
  const page = firstPage(doc);
  const field = alloc();
  const sig = alloc();
  objects.push({
    num: sig.num,
    value: dict({
      Type: name('Sig'), Filter: name('Adobe.PPKLite'), SubFilter: name('ETSI.CAdES.detached'), ByteRange: PLACEHOLDER_RANGE,
      Contents: new PdfString(new Uint8Array(CONTENTS_BYTES), true), M: pdfDate(signingTime),
    }),
  });
  objects.push({
    num: field.num,
    value: dict({ FT: name('Sig'), T: textString('Signature1'), V: sig, Type: name('Annot'), Subtype: name('Widget'), Rect: [0, 0, 0, 0], F: 132, P: new PdfRef(page, 0) }),
  });
  // A page-open action on the signature's own widget (ISO 32000-2 §12.6.3, Table 195 /PO).
  if (how.pageOpenScript) (objects.at(-1)!.value as PdfDict).set('AA', dict({ PO: dict({ S: name('JavaScript'), JS: textString(how.pageOpenScript) }) }));
  // The page may be edited by the change already: add the widget to that edit.
  let pageEdit = objects.find((o) => o.num === page);
  if (!pageEdit) {
    pageEdit = edit(doc, page, () => {});
    objects.push(pageEdit);
  }
  const pageDict = pageEdit.value as PdfDict;
  const annots = doc.resolve(pageDict.get('Annots'));
  pageDict.set('Annots', [...(Array.isArray(annots) ? annots : []), field]);
  objects.push(edit(doc, doc.rootRef.num, (d) => d.set('AcroForm', dict({ Fields: [field], SigFlags: 3 }))));

  const inc = buildIncrement(doc, objects, { newId: new Uint8Array(16).fill(9), lastByte: draft[draft.length - 1]! });
  let update = inc.bytes;
  while (how.noFinalEol && (update.at(-1) === 0x0a || update.at(-1) === 0x0d)) update = update.subarray(0, -1);
  const out = Buffer.from(concat(draft, update));
  const text = out.toString('latin1');
  const placeholder = `[${PLACEHOLDER_RANGE.join(' ')}]`;
  const brAt = text.indexOf(placeholder, draft.length);
  const contentsAt = text.indexOf('/Contents <', draft.length) + '/Contents '.length;
  const contentsEnd = text.indexOf('>', contentsAt) + 1;
  if (brAt < 0 || contentsAt < '/Contents '.length) throw new Error('attack: placeholders not found');
  const range = [0, contentsAt, contentsEnd, out.length - contentsEnd];
  out.write(`[${range.join(' ')}]`.padEnd(placeholder.length, ' '), brAt, 'latin1');
  const digest = createHash('sha256').update(out.subarray(0, contentsAt)).update(out.subarray(contentsEnd)).digest();
  const signedAttributes = buildSignedAttributes({ digestAlgorithm: 'SHA-256', contentDigest: digest, signerCertificate: certificate, subFilter: 'ETSI.CAdES.detached' });
  const algorithm = { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
  const signatureValue = await adapter.sign({
    certificateId: entry!.id, algorithm, data: signedAttributes, digest: createHash('sha256').update(signedAttributes).digest(),
  });
  const cms = assembleSignedData({ signedAttributes, signatureValue, algorithm, signerCertificate: certificate, certificates: [certificate, ...entry!.chain] });
  out.write(Buffer.from(cms).toString('hex').toUpperCase(), contentsAt + 1, 'latin1');
  return new Uint8Array(out);
}
