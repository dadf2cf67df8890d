import { beforeAll, describe, expect, it } from 'vitest';
import { sign, type SigningAdapter } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, signatureImage, type TestPki } from '@kyso/testkit';
import { memorySource } from '../../../src/pdf/byte-source.js';
import { PdfDocument } from '../../../src/pdf/document.js';
import { type UpdateObject } from '../../../src/pdf/incremental-writer.js';
import { dict, name, PdfDict, PdfRef, PdfString, textString, type PdfValue } from '../../../src/pdf/objects.js';
import type { ModificationFacts } from '../../../src/verify/facts.js';
import { analyseModifications, type LaterSignature } from '../../../src/verify/modifications/index.js';
import { latin1, minimalPdf } from '../../pdf/minimal-pdf.js';
import { analyseAll, revisionsOf, signaturesOf } from './helpers.js';
import { appendUpdate as append, stream } from '../../helpers/pdf-update.js';

const T0 = new Date('2026-03-05T07:30:12Z');
let pki: TestPki;
let leader: SigningAdapter;
let seal: SigningAdapter;

beforeAll(async () => {
  pki = await ensurePki();
  const a = pki.entity('leader');
  leader = await fromPkcs8Pem(a.keyPem, a.certDer, a.chainDer);
  const b = pki.entity('seal');
  seal = await fromPkcs8Pem(b.keyPem, b.certDer, b.chainDer);
});

/**
 * A one-page document with text drawn in an embedded font, a text field 'so_van_ban' and a
 * square annotation, written by hand so each test can change one precise thing.
 */
function basePdf(): Uint8Array {
  const content = 'BT /F1 24 Tf 72 720 Td (Quyet dinh so 15) Tj ET';
  const fieldAp = '/Tx BMC EMC';
  const font = 'fake-font-program-v1';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /DA (/Helv 0 Tf 0 g) >> >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 6 0 R >> >> /Annots [5 0 R 10 0 R] >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /FT /Tx /T (so_van_ban) /Type /Annot /Subtype /Widget /Rect [72 600 300 620] /P 3 0 R /F 4 /DA (/Helv 12 Tf 0 g) /AP << /N 7 0 R >> >>',
    '<< /Type /Font /Subtype /TrueType /BaseFont /Demo /FirstChar 32 /LastChar 126 /FontDescriptor 8 0 R >>',
    `<< /Type /XObject /Subtype /Form /BBox [0 0 228 20] /Length ${fieldAp.length} >>\nstream\n${fieldAp}\nendstream`,
    '<< /Type /FontDescriptor /FontName /Demo /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 9 0 R >>',
    `<< /Length ${font.length} >>\nstream\n${font}\nendstream`,
    '<< /Type /Annot /Subtype /Square /Rect [400 400 450 450] /P 3 0 R /C [1 0 0] >>',
  ];
  return minimalPdf({ objects });
}



/** A modified copy of an object of the current document. */
function edit(doc: PdfDocument, num: number, change: (d: PdfDict) => void): UpdateObject {
  const d = (doc.get(num) as PdfDict).clone();
  change(d);
  return { num, value: d };
}

function pageNum(doc: PdfDocument, i = 0): number {
  return doc.pages()[i]!.ref.num;
}

/** Modification facts of the first signature of the file. */
function first(bytes: Uint8Array, extra: { laterSignatures?: LaterSignature[]; docMdp?: 1 | 2 | 3 | null } = {}): ModificationFacts {
  const revisions = revisionsOf(bytes);
  const sigs = signaturesOf(bytes, revisions);
  const sig = sigs[0]!;
  const later = sigs.filter((s) => s.revision! > sig.revision!).map((s) => ({ revision: s.revision!, object: s.object, field: s.field, kind: s.kind }));
  return analyseModifications(memorySource(bytes), revisions, { revision: sig.revision!, object: sig.object, field: sig.field }, {
    docMdp: extra.docMdp !== undefined ? extra.docMdp : sig.docMdp,
    fieldLocks: sig.locks,
    laterSignatures: extra.laterSignatures ?? later,
  });
}

const disallowed = (f: ModificationFacts) => f.changes.filter((c) => !c.allowed).map((c) => c.label.en);

/** Fills the text field: a new value and a new appearance showing it. */
function fill(bytes: Uint8Array, value = '15/QD-UBND'): Uint8Array {
  return append(bytes, (doc, next) => {
    const ap = next();
    return [
      edit(doc, 5, (d) => d.set('V', textString(value)).set('AP', dict({ N: ap }))),
      { num: ap.num, value: stream({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, 228, 20] }, `/Tx BMC BT /Helv 12 Tf 2 5 Td (${value}) Tj ET EMC`) },
    ];
  });
}

/** A signature-shaped dictionary whose ByteRange is not checked here (the analysis trusts the verifier's list). */
function fakeSignature(type: 'Sig' | 'DocTimeStamp'): PdfDict {
  return dict({
    Type: name(type), Filter: name('Adobe.PPKLite'), SubFilter: name(type === 'Sig' ? 'ETSI.CAdES.detached' : 'ETSI.RFC3161'),
    ByteRange: [0, 0, 0, 0], Contents: new PdfString(new Uint8Array(64), true),
  });
}

/** Adds a new signature field (invisible widget on page 1) whose value is `value`. */
function addSignatureField(bytes: Uint8Array, fieldName: string, value: PdfDict | null, appearance?: string, extra?: (field: PdfDict) => void): { bytes: Uint8Array; sigObject: number; revision: number } {
  let sigObject = -1;
  const out = append(bytes, (doc, next) => {
    const field = next();
    const objs: UpdateObject[] = [];
    const fd = dict({ FT: name('Sig'), T: textString(fieldName), Type: name('Annot'), Subtype: name('Widget'), F: 132, P: doc.pages()[0]!.ref,
      Rect: appearance ? [100, 100, 300, 200] : [0, 0, 0, 0] });
    extra?.(fd);
    if (value) {
      const v = next();
      sigObject = v.num;
      fd.set('V', v);
      objs.push({ num: v.num, value });
    }
    if (appearance) {
      const ap = next();
      fd.set('AP', dict({ N: ap }));
      objs.push({ num: ap.num, value: stream({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, 200, 100] }, appearance) });
    }
    objs.push({ num: field.num, value: fd });
    const root = doc.rootRef.num;
    const cat = (doc.get(root) as PdfDict).clone();
    const af = (doc.dictOf(cat.get('AcroForm')) ?? new PdfDict()).clone();
    af.set('Fields', [...((doc.resolve(af.get('Fields')) as PdfValue[]) ?? []), field]).set('SigFlags', 3);
    const acroRef = cat.get('AcroForm');
    if (acroRef instanceof PdfRef) objs.push({ num: acroRef.num, value: af });
    else cat.set('AcroForm', af);
    if (!(acroRef instanceof PdfRef)) objs.push({ num: root, value: cat });
    const page = pageNum(doc);
    objs.push(edit(doc, page, (d) => d.set('Annots', [...((doc.resolve(d.get('Annots')) as PdfValue[] | null) ?? []), field])));
    return objs;
  });
  return { bytes: out, sigObject, revision: revisionsOf(out).length - 1 };
}

describe('no later revision', () => {
  it("a signature over the last revision reports 'none'", async () => {
    const signed = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    expect(first(signed)).toEqual({ verdict: 'none', changes: [] });
  });
});

describe('allowed after an approval signature', () => {
  it('a second signature (kyso, visible)', async () => {
    const once = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    const twice = await sign(once, { adapter: seal, signingTime: T0, appearance: { role: 'issue', image: { bytes: signatureImage() } }, placement: { rect: [300, 80, 120, 60] } });
    const all = analyseAll(twice);
    expect(all.map((r) => r.facts.verdict)).toEqual(['allowed', 'none']);
    expect(all[0]!.facts.changes.map((c) => c.kind)).toContain('signature-added');
  });

  it('a DSS dictionary with its streams', async () => {
    const signed = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    const withDss = append(signed, (doc, next) => {
      const cert = next();
      const dss = next();
      return [
        { num: cert.num, value: stream({}, 'certificate-bytes') },
        { num: dss.num, value: dict({ Type: name('DSS'), Certs: [cert], VRI: dict({}) }) },
        edit(doc, doc.rootRef.num, (d) => d.set('DSS', dss)),
      ];
    });
    const f = first(withDss);
    expect(f.verdict).toBe('allowed');
    expect(f.changes.map((c) => [c.kind, c.label.en])).toEqual([['dss-added', 'validation data (DSS) added or updated']]);
  });

  it('a document timestamp in a new field', async () => {
    const signed = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    const { bytes, sigObject, revision } = addSignatureField(signed, 'DocTS1', fakeSignature('DocTimeStamp'));
    const later = [{ revision, object: sigObject, field: 'DocTS1', kind: 'document-timestamp' as const }];
    const f = first(bytes, { laterSignatures: later });
    expect(f.verdict).toBe('allowed');
    expect(f.changes.map((c) => c.kind)).toEqual(['document-timestamp-added']);
    // Not the verifier's signature of that revision (its ByteRange failed): never allowed.
    expect(first(bytes, { laterSignatures: [] }).verdict).toBe('disallowed');
  });

  it("filling the unlocked form field 'so_van_ban'", async () => {
    const signed = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    const f = first(fill(signed));
    expect(f.verdict).toBe('allowed');
    expect(f.changes.map((c) => [c.kind, c.label])).toEqual([['form-filled', { vi: "điền trường biểu mẫu 'so_van_ban'", en: "form field 'so_van_ban' filled" }]]);
  });
});

describe('disallowed after an approval signature', () => {
  it('page content replaced by a new stream', async () => {
    const signed = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    const changed = append(signed, (doc, next) => {
      const c = next();
      return [
        { num: c.num, value: stream({}, 'BT /F1 24 Tf 72 720 Td (Quyet dinh so 99) Tj ET') },
        edit(doc, pageNum(doc), (d) => d.set('Contents', c)),
      ];
    });
    const f = first(changed);
    expect(f.verdict).toBe('disallowed');
    expect(f.changes.find((c) => c.kind === 'page-content-changed')?.label).toEqual({ vi: 'nội dung trang 1 bị thay thế', en: 'page 1 content replaced' });
  });

  it('Incremental Saving Attack: the content stream redefined under the same object number', async () => {
    const signed = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    const changed = append(signed, () => [{ num: 4, value: stream({}, 'BT /F1 24 Tf 72 720 Td (Quyet dinh so 99) Tj ET') }]);
    const f = first(changed);
    expect(f.verdict).toBe('disallowed');
    expect(disallowed(f)).toEqual(['page 1 content replaced']);
    expect(f.changes[0]!.objects).toEqual([4]);
  });

  it('Shadow replace: the embedded font program redefined', async () => {
    const signed = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    const changed = append(signed, () => [{ num: 9, value: stream({}, 'fake-font-program-v2') }]);
    const f = first(changed);
    expect(f.verdict).toBe('disallowed');
    expect(f.changes.map((c) => [c.kind, c.label.en])).toEqual([['resources-changed', 'page 1 resources (fonts, images) changed']]);
  });

  it('a page added', async () => {
    const signed = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    const changed = append(signed, (doc, next) => {
      const p = next();
      const c = next();
      const pages = (doc.catalog().get('Pages') as PdfRef).num;
      return [
        { num: c.num, value: stream({}, 'BT /F1 24 Tf 72 720 Td (Phu luc) Tj ET') },
        { num: p.num, value: dict({ Type: name('Page'), Parent: new PdfRef(pages, 0), MediaBox: [0, 0, 595, 842], Contents: c }) },
        edit(doc, pages, (d) => d.set('Kids', [...(d.get('Kids') as PdfValue[]), p]).set('Count', 2)),
      ];
    });
    const f = first(changed);
    expect(f.verdict).toBe('disallowed');
    expect(f.changes.map((c) => [c.kind, c.label.en])).toEqual([['page-added', 'page 2 added']]);
  });

  it('an annotation added (Evil Annotation when certified P=2); allowed only under P=3', async () => {
    const addNote = (bytes: Uint8Array) => append(bytes, (doc, next) => {
      const a = next();
      const ap = next();
      return [
        { num: ap.num, value: stream({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, 300, 40] }, '1 1 1 rg 0 0 300 40 re f') },
        { num: a.num, value: dict({ Type: name('Annot'), Subtype: name('FreeText'), Rect: [72, 700, 372, 740], AP: dict({ N: ap }), DA: new PdfString(latin1('/Helv 12 Tf 0 g')) }) },
        edit(doc, pageNum(doc), (d) => d.set('Annots', [...(doc.resolve(d.get('Annots')) as PdfValue[]), a])),
      ];
    });
    const approval = addNote(await sign(basePdf(), { adapter: leader, signingTime: T0 }));
    const f = first(approval);
    expect(f.verdict).toBe('disallowed');
    expect(f.changes.map((c) => c.label)).toEqual([{ vi: 'thêm chú thích trên trang 1', en: 'annotation added on page 1' }]);
    expect(first(addNote(await sign(basePdf(), { adapter: seal, certify: 2, signingTime: T0 }))).verdict).toBe('disallowed');
    expect(first(addNote(await sign(basePdf(), { adapter: seal, certify: 3, signingTime: T0 }))).verdict).toBe('allowed');
  });

  it('an existing annotation changed or removed: allowed only under P=3', async () => {
    for (const p of [2, 3] as const) {
      const signed = await sign(basePdf(), { adapter: seal, certify: p, signingTime: T0 });
      const moved = append(signed, (doc) => [edit(doc, 10, (d) => d.set('Rect', [40, 700, 550, 800]))]);
      const removed = append(signed, (doc) => [edit(doc, pageNum(doc), (d) =>
        d.set('Annots', (doc.resolve(d.get('Annots')) as PdfRef[]).filter((r) => r.num !== 10)))]);
      expect(first(moved).verdict, `P=${p}`).toBe(p === 3 ? 'allowed' : 'disallowed');
      expect(first(removed).verdict, `P=${p}`).toBe(p === 3 ? 'allowed' : 'disallowed');
    }
  });

  it('/OpenAction added to the catalog', async () => {
    const signed = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    const changed = append(signed, (doc) => [edit(doc, doc.rootRef.num, (d) => d.set('OpenAction', dict({ S: name('JavaScript'), JS: new PdfString(latin1('app.alert(1)')) })))]);
    const f = first(changed);
    expect(f.changes.map((c) => [c.kind, c.allowed, c.label.en])).toEqual([['catalog-changed', false, 'document catalog /OpenAction changed']]);
  });

  it('/NeedAppearances set on the form', async () => {
    const signed = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    const changed = append(signed, (doc) => {
      const cat = (doc.get(doc.rootRef.num) as PdfDict).clone();
      const af = doc.dictOf(cat.get('AcroForm'))!.clone().set('NeedAppearances', true);
      const ref = cat.get('AcroForm');
      return ref instanceof PdfRef ? [{ num: ref.num, value: af }] : [{ num: doc.rootRef.num, value: cat.set('AcroForm', af) }];
    });
    expect(disallowed(first(changed))).toEqual(['form /NeedAppearances changed']);
  });

  it('Shadow replace via form: an appearance replaced while the value stays', async () => {
    const signed = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    const changed = append(signed, (doc, next) => {
      const ap = next();
      return [
        edit(doc, 5, (d) => d.set('AP', dict({ N: ap }))),
        { num: ap.num, value: stream({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, 228, 20] }, '1 1 1 rg 0 0 228 20 re f') },
      ];
    });
    expect(disallowed(first(changed))).toEqual(["appearance of form field 'so_van_ban' replaced without a value change"]);
  });

  it('a field hidden after signing (flags that do more than lock)', async () => {
    const signed = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    expect(first(append(signed, (doc) => [edit(doc, 5, (d) => d.set('F', 6))])).verdict).toBe('disallowed');
    expect(first(append(signed, (doc) => [edit(doc, 5, (d) => d.set('F', 4 | 128).set('Ff', 1))])).verdict).toBe('allowed');
  });

  it('the signature dictionary rewritten', async () => {
    const signed = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    const sigNum = signaturesOf(signed, revisionsOf(signed))[0]!.object;
    const changed = append(signed, (doc) => [edit(doc, sigNum, (d) => d.set('Reason', textString('Đồng ý')))]);
    expect(disallowed(first(changed))).toEqual(["signature dictionary of field 'Signature1' rewritten"]);
  });

  it('an object freed', async () => {
    const signed = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    // Hand-written update: object 9 (the font program) marked free.
    const doc = PdfDocument.open(memorySource(signed));
    const tail = `\nxref\n9 1\n0000000000 00001 f\r\ntrailer\n<< /Size ${doc.size} /Root ${doc.rootRef.num} 0 R /Prev ${doc.xref.startxref} >>\nstartxref\n${signed.length + 1}\n%%EOF\n`;
    const changed = new Uint8Array([...signed, ...latin1(tail)]);
    expect(disallowed(first(changed))).toEqual(['page 1 resources (fonts, images) changed']);
  });

  it('a later revision that cannot be read is never unmodified', async () => {
    const signed = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    const broken = new Uint8Array([...signed, ...latin1('\n4 0 obj\n<< /Length 3 >>\nstream\nabc\nendstream\nendobj\nxref\n4 1\n0000000001 00000 n\r\ntrailer\n<< /Size 9 /Prev 1 >>\nstartxref\n99999999\n%%EOF\n')]);
    const before = revisionsOf(signed);
    const revisions = [...before, { index: before.length, end: broken.length, startxref: 99999999, xrefKind: 'table' as const }];
    const sig = signaturesOf(signed, before)[0]!;
    const f = analyseModifications(memorySource(broken), revisions, { revision: sig.revision!, object: sig.object, field: sig.field }, { docMdp: null, fieldLocks: [], laterSignatures: [] });
    expect(f.verdict).toBe('disallowed');
    expect(f.changes).toEqual([{ revision: 2, kind: 'other', allowed: false, label: { vi: 'không đọc được bản sửa đổi 2', en: 'revision 2 could not be read' }, objects: [] }]);
  });
});

describe('DocMDP and FieldMDP', () => {
  it('certified P=1: a new signature is disallowed, a document timestamp is not', async () => {
    const certified = await sign(basePdf(), { adapter: seal, certify: 1, signingTime: T0 });
    const sig = addSignatureField(certified, 'Signature2', fakeSignature('Sig'));
    const f = first(sig.bytes, { laterSignatures: [{ revision: sig.revision, object: sig.sigObject, field: 'Signature2', kind: 'signature' }] });
    expect(f.verdict).toBe('disallowed');
    expect(disallowed(f)).toEqual(["signature added in field 'Signature2' of a document certified with no changes allowed"]);
    const ts = addSignatureField(certified, 'DocTS1', fakeSignature('DocTimeStamp'));
    expect(first(ts.bytes, { laterSignatures: [{ revision: ts.revision, object: ts.sigObject, field: 'DocTS1', kind: 'document-timestamp' }] }).verdict).toBe('allowed');
  });

  it('certified P=1: form filling is disallowed', async () => {
    const certified = await sign(basePdf(), { adapter: seal, certify: 1, signingTime: T0 });
    expect(disallowed(first(fill(certified)))).toEqual(["form field 'so_van_ban' filled in a document certified with no changes allowed"]);
  });

  it('certified P=2: form filling and a later approval signature are allowed', async () => {
    const certified = await sign(basePdf(), { adapter: seal, certify: 2, signingTime: T0 });
    const filled = fill(certified);
    const signed = await sign(filled, { adapter: leader, signingTime: T0 });
    const all = analyseAll(signed);
    expect(all.map((r) => r.facts.verdict)).toEqual(['allowed', 'none']);
    expect(all[0]!.facts.changes.map((c) => c.kind)).toEqual(['form-filled', 'signature-added']);
  });

  it('a FieldMDP lock on the field makes filling it disallowed', async () => {
    for (const lock of [{ action: 'All' } as const, { action: 'Include', fields: ['so_van_ban'] } as const]) {
      const signed = await sign(basePdf(), { adapter: leader, lock, signingTime: T0 });
      expect(disallowed(first(fill(signed))), lock.action).toEqual(["locked form field 'so_van_ban' filled"]);
    }
    const excluded = await sign(basePdf(), { adapter: leader, lock: { action: 'Exclude', fields: ['so_van_ban'] }, signingTime: T0 });
    expect(first(fill(excluded)).verdict).toBe('allowed');
  });

  it('Sneaky Signature: an unsigned signature field that paints over the page', async () => {
    const signed = await sign(basePdf(), { adapter: seal, certify: 2, signingTime: T0 });
    const sneaky = addSignatureField(signed, 'Signature9', null, '1 1 1 rg 0 0 200 100 re f BT /Helv 24 Tf 10 40 Td (99) Tj ET');
    expect(disallowed(first(sneaky.bytes))).toEqual(["empty signature field 'Signature9' added with a visible appearance (may cover content)"]);
    const honest = addSignatureField(signed, 'Signature9', null);
    expect(first(honest.bytes).verdict).toBe('allowed');
  });

  it('a new signature field whose widget carries an action (page-open JavaScript, a link) after an approval', async () => {
    const signed = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    const script = dict({ S: name('JavaScript'), JS: new PdfString(latin1('this.getField("so_van_ban").value = "99";')) });
    const onOpen = addSignatureField(signed, 'Signature9', null, undefined, (f) => f.set('AA', dict({ PO: script })));
    expect(disallowed(first(onOpen.bytes))).toEqual(["signature field 'Signature9' added with an action (/A, /AA)"]);
    const link = addSignatureField(signed, 'Signature9', null, undefined, (f) => f.set('A', dict({ S: name('URI'), URI: new PdfString(latin1('http://x.test/')) })));
    expect(disallowed(first(link.bytes))).toEqual(["signature field 'Signature9' added with an action (/A, /AA)"]);
    const sig = addSignatureField(signed, 'Signature2', fakeSignature('Sig'), undefined, (f) => f.set('AA', dict({ PO: script })));
    const f = first(sig.bytes, { laterSignatures: [{ revision: sig.revision, object: sig.sigObject, field: 'Signature2', kind: 'signature' }] });
    expect(disallowed(f)).toEqual(["signature field 'Signature2' added with an action (/A, /AA)"]);
    expect(first(addSignatureField(signed, 'Signature9', null).bytes).verdict).toBe('allowed');
  });

  it('a new signature field reusing an object of the signed revision', async () => {
    const signed = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    // Object 10 (the square annotation) is turned into a signature field's widget.
    const changed = append(signed, (doc) => {
      const af = doc.dictOf(doc.catalog().get('AcroForm'))!;
      const acro = doc.catalog().get('AcroForm');
      const newAf = af.clone().set('Fields', [...(doc.resolve(af.get('Fields')) as PdfValue[]), new PdfRef(10, 0)]);
      return [
        { num: 10, value: dict({ FT: name('Sig'), T: textString('Signature9'), Type: name('Annot'), Subtype: name('Widget'), Rect: [0, 0, 0, 0], P: doc.pages()[0]!.ref }) },
        acro instanceof PdfRef ? { num: acro.num, value: newAf } : edit(doc, doc.rootRef.num, (d) => d.set('AcroForm', newAf)),
      ];
    });
    const f = first(changed);
    expect(f.verdict).toBe('disallowed');
    expect(disallowed(f)).toContain("existing object 10 reused for field 'Signature9'");
  });
});

describe('bounded on hostile input', () => {
  it('stops at the object limit with a disallowed change', async () => {
    const signed = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    const revisions = revisionsOf(fill(signed));
    const sig = signaturesOf(signed, revisionsOf(signed))[0]!;
    const f = analyseModifications(memorySource(fill(signed)), revisions, { revision: sig.revision!, object: sig.object, field: sig.field },
      { docMdp: null, fieldLocks: [], laterSignatures: [], limits: { objectsPerRevision: 5 } });
    expect(f.verdict).toBe('disallowed');
    expect(f.changes.map((c) => c.label.en)).toEqual(['analysis of revision 2 stopped: limit reached']);
  });

  it('a reference cycle in a redefined object ends', async () => {
    const signed = await sign(basePdf(), { adapter: leader, signingTime: T0 });
    const changed = append(signed, () => [{ num: 9, value: dict({ Self: new PdfRef(9, 0), Next: [new PdfRef(9, 0)] }) }]);
    expect(first(changed).verdict).toBe('disallowed');
  });
});
