import { beforeAll, describe, expect, it } from 'vitest';
import { annotationRule, defaultModificationPolicy, gatherFacts, sign, verify, type ModificationRule, type SigningAdapter } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki } from '@kyso/testkit';
import { dict, name, PdfDict, textString, type PdfValue } from '../../../src/pdf/objects.js';
import { minimalPdf } from '../../pdf/minimal-pdf.js';
import { appendUpdate, stream } from '../../helpers/pdf-update.js';

const T0 = new Date('2026-03-05T07:30:12Z');
let approver: SigningAdapter;

beforeAll(async () => {
  const pki = await ensurePki();
  const a = pki.entity('leader');
  approver = await fromPkcs8Pem(a.keyPem, a.certDer, a.chainDer);
});

/** A one-page document with an (empty) form, signed by an approval signature (no DocMDP). */
async function approved(): Promise<Uint8Array> {
  const content = 'BT /F1 24 Tf 72 720 Td (Quyet dinh so 15) Tj ET';
  const pdf = minimalPdf({
    objects: [
      '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /DA (/Helv 0 Tf 0 g) >> >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> /Annots [] >>',
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ],
  });
  return sign(pdf, { adapter: approver, signingTime: T0 });
}

/** Appends a new text field 'ghi_chu' (a note box the workflow adds after approval), with its widget on page 1. */
function withNoteField(bytes: Uint8Array, fieldType = 'Tx'): Uint8Array {
  return appendUpdate(bytes, (doc, next) => {
    const field = next();
    const ap = next();
    const page = doc.pages()[0]!;
    const catalog = (doc.get(doc.rootRef.num) as PdfDict).clone();
    const form = doc.dictOf(catalog.get('AcroForm'))!.clone();
    form.set('Fields', [...(doc.resolve(form.get('Fields')) as PdfValue[]), field]);
    catalog.set('AcroForm', form);
    const pageDict = page.dict.clone();
    pageDict.set('Annots', [...((doc.resolve(pageDict.get('Annots')) as PdfValue[] | null) ?? []), field]);
    return [
      { num: ap.num, value: stream({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, 200, 20] }, '/Tx BMC EMC') },
      { num: field.num, value: dict({
        FT: name(fieldType), T: textString('ghi_chu'), Type: name('Annot'), Subtype: name('Widget'), Rect: [72, 100, 272, 120], P: page.ref, F: 4, AP: dict({ N: ap }),
      }) },
      { num: doc.rootRef.num, value: catalog },
      { num: page.ref.num, value: pageDict },
    ];
  });
}

/** Appends a non-widget annotation of the given subtype on page 1. */
function withAnnotation(bytes: Uint8Array, subtype: 'Text' | 'Square'): Uint8Array {
  return appendUpdate(bytes, (doc, next) => {
    const annotation = next();
    const page = doc.pages()[0]!;
    const pageDict = page.dict.clone();
    pageDict.set('Annots', [...((doc.resolve(pageDict.get('Annots')) as PdfValue[] | null) ?? []), annotation]);
    return [
      { num: annotation.num, value: dict({ Type: name('Annot'), Subtype: name(subtype), Rect: [400, 400, 420, 420], P: page.ref, Contents: textString('Đã xem'), C: [1, 1, 0] }) },
      { num: page.ref.num, value: pageDict },
    ];
  });
}

/** An integrator's rule: the workflow may add the text field 'ghi_chu' after approval signatures. */
const noteField: ModificationRule = {
  name: 'note-field',
  permits: (change) => change.type === 'form-field-added' && change.field === 'ghi_chu' && change.fieldType === 'Tx',
};

describe('modificationPolicy option of verify and gatherFacts', () => {
  it('an integrator rule allows its one extra change; the same file is disallowed without it', async () => {
    const file = withNoteField(await approved());
    const plain = (await gatherFacts(file)).signatures[0]!.modifications;
    expect(plain.verdict).toBe('disallowed');
    expect(plain.changes.filter((c) => !c.allowed).map((c) => c.label.en)).toEqual(["form field 'ghi_chu' added"]);

    const modificationPolicy = defaultModificationPolicy().with(noteField, [null]);
    const extended = (await gatherFacts(file, { modificationPolicy })).signatures[0]!.modifications;
    expect(extended.verdict).toBe('allowed');
    expect(extended.changes.find((c) => c.label.en === "form field 'ghi_chu' added")?.allowed).toBe(true);
    const report = await verify(file, { modificationPolicy });
    expect(report.signatures[0]!.modifications.verdict).toBe('allowed');
    expect((await verify(file)).signatures[0]!.modifications.verdict).toBe('disallowed');
  });

  it('the integrator rule allows nothing beyond what it names: a check box of the same name stays disallowed', async () => {
    const file = withNoteField(await approved(), 'Btn');
    const modificationPolicy = defaultModificationPolicy().with(noteField, [null]);
    expect((await gatherFacts(file, { modificationPolicy })).signatures[0]!.modifications.verdict).toBe('disallowed');
  });

  it('annotations of listed types: sticky notes allowed after approval, a square still disallowed', async () => {
    const signed = await approved();
    const modificationPolicy = defaultModificationPolicy().with(annotationRule({ subtypes: ['Text'] }), [null]);
    const note = withAnnotation(signed, 'Text');
    const square = withAnnotation(signed, 'Square');
    expect((await gatherFacts(note)).signatures[0]!.modifications.verdict).toBe('disallowed');
    expect((await gatherFacts(note, { modificationPolicy })).signatures[0]!.modifications.verdict).toBe('allowed');
    const squareFacts = (await gatherFacts(square, { modificationPolicy })).signatures[0]!.modifications;
    expect(squareFacts.verdict).toBe('disallowed');
    expect(squareFacts.changes.filter((c) => !c.allowed).map((c) => c.label.en)).toEqual(['annotation added on page 1']);
  });

  it('a stricter policy: /DSS stays allowed without the document-timestamp rule, and is disallowed without the dss rule', async () => {
    const signed = await approved();
    const withDss = appendUpdate(signed, (doc, next) => {
      const dss = next();
      const catalog = (doc.get(doc.rootRef.num) as PdfDict).clone().set('DSS', dss);
      return [{ num: dss.num, value: dict({ Type: name('DSS'), Certs: [] }) }, { num: doc.rootRef.num, value: catalog }];
    });
    expect((await gatherFacts(withDss, { modificationPolicy: defaultModificationPolicy().without('document-timestamp') })).signatures[0]!.modifications.verdict).toBe('allowed');
    const noDss = defaultModificationPolicy().without('dss');
    const facts = (await gatherFacts(withDss, { modificationPolicy: noDss })).signatures[0]!.modifications;
    expect(facts.verdict).toBe('disallowed');
    expect(facts.changes.map((c) => [c.kind, c.allowed, c.label.en])).toEqual([['dss-added', false, 'validation data (DSS) added or updated']]);
  });
});
