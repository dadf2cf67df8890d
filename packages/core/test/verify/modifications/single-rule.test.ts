import { beforeAll, describe, expect, it } from 'vitest';
import { gatherFacts, MODIFICATION_RULES, ModificationPolicy, sign, type ModificationRule, type SigningAdapter } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki } from '@kyso/testkit';
import type { UpdateObject } from '../../../src/pdf/incremental-writer.js';
import { dict, name, PdfDict, textString, type PdfRef } from '../../../src/pdf/objects.js';
import { minimalPdf } from '../../pdf/minimal-pdf.js';
import { appendUpdate, stream } from '../../helpers/pdf-update.js';

/**
 * Each built-in rule, alone in a policy, on a real file: a signed document
 * changed in one way is allowed by a policy made of that rule only, and
 * disallowed by a policy with no rules (reject by default); a near miss of the
 * same change stays disallowed with the rule.
 */
const T0 = new Date('2026-03-05T07:30:12Z');
let signed: Uint8Array;

beforeAll(async () => {
  const pki = await ensurePki();
  const a = pki.entity('leader');
  const approver: SigningAdapter = await fromPkcs8Pem(a.keyPem, a.certDer, a.chainDer);
  const fieldAp = '/Tx BMC EMC';
  const pdf = minimalPdf({
    objects: [
      '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /DA (/Helv 0 Tf 0 g) >> >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> /Annots [5 0 R] >>',
      '<< /Length 0 >>\nstream\n\nendstream',
      '<< /FT /Tx /T (so_van_ban) /Type /Annot /Subtype /Widget /Rect [72 600 300 620] /P 3 0 R /F 4 /DA (/Helv 12 Tf 0 g) /AP << /N 6 0 R >> >>',
      `<< /Type /XObject /Subtype /Form /BBox [0 0 228 20] /Length ${fieldAp.length} >>\nstream\n${fieldAp}\nendstream`,
    ],
  });
  signed = await sign(pdf, { adapter: approver, signingTime: T0 });
});

const FIELD = 5;

/** The verdict of the (only) signature's modifications under a policy of the given rules. */
async function verdictWith(file: Uint8Array, rules: readonly ModificationRule[]): Promise<string> {
  const facts = await gatherFacts(file, { modificationPolicy: ModificationPolicy.uniform(rules) });
  return facts.signatures[0]!.modifications.verdict;
}

/** The signed document with the catalog (or the field) edited in one update. */
const editCatalog = (change: (catalog: PdfDict, next: () => PdfRef) => UpdateObject[]) =>
  appendUpdate(signed, (doc, next) => {
    const catalog = (doc.get(doc.rootRef.num) as PdfDict).clone();
    const extra = change(catalog, next);
    return [...extra, { num: doc.rootRef.num, value: catalog }];
  });
const editField = (change: (field: PdfDict, next: () => PdfRef) => UpdateObject[]) =>
  appendUpdate(signed, (doc, next) => {
    const field = (doc.get(FIELD) as PdfDict).clone();
    const extra = change(field, next);
    return [...extra, { num: FIELD, value: field }];
  });

describe('each built-in rule alone, on a file', () => {
  it('dss: a /DSS dictionary added', async () => {
    const file = editCatalog((catalog, next) => {
      const dss = next();
      catalog.set('DSS', dss);
      return [{ num: dss.num, value: dict({ Type: name('DSS'), Certs: [] }) }];
    });
    expect(await verdictWith(file, [MODIFICATION_RULES.dss])).toBe('allowed');
    expect(await verdictWith(file, [])).toBe('disallowed');
    expect(await verdictWith(file, [MODIFICATION_RULES.xmpMetadata])).toBe('disallowed');
  });

  it('xmp-metadata: a /Metadata stream added to the catalog', async () => {
    const file = editCatalog((catalog, next) => {
      const xmp = next();
      catalog.set('Metadata', xmp);
      return [{ num: xmp.num, value: stream({ Type: name('Metadata'), Subtype: name('XML') }, '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>') }];
    });
    expect(await verdictWith(file, [MODIFICATION_RULES.xmpMetadata])).toBe('allowed');
    expect(await verdictWith(file, [])).toBe('disallowed');
    expect(await verdictWith(file, [MODIFICATION_RULES.structureTree])).toBe('disallowed');
  });

  it('structure-tree: a /StructTreeRoot added; near miss: /OpenAction beside it stays disallowed', async () => {
    const tree = editCatalog((catalog) => {
      catalog.set('StructTreeRoot', dict({ Type: name('StructTreeRoot') }));
      return [];
    });
    const withAction = editCatalog((catalog) => {
      catalog.set('StructTreeRoot', dict({ Type: name('StructTreeRoot') })).set('OpenAction', dict({ S: name('JavaScript'), JS: textString('app.alert(1)') }));
      return [];
    });
    expect(await verdictWith(tree, [MODIFICATION_RULES.structureTree])).toBe('allowed');
    expect(await verdictWith(tree, [])).toBe('disallowed');
    expect(await verdictWith(withAction, [MODIFICATION_RULES.structureTree])).toBe('disallowed');
  });

  it('form-filling: a value with an appearance that shows it; near miss: a value whose appearance is left as signed', async () => {
    const filled = editField((field, next) => {
      const ap = next();
      field.set('V', textString('15/QD-UBND')).set('AP', dict({ N: ap }));
      return [{ num: ap.num, value: stream({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, 228, 20] }, '/Tx BMC BT /Helv 12 Tf 2 5 Td (15/QD-UBND) Tj ET EMC') }];
    });
    const hidden = editField((field) => {
      field.set('V', textString('15/QD-UBND'));
      return [];
    });
    expect(await verdictWith(filled, [MODIFICATION_RULES.formFilling])).toBe('allowed');
    expect(await verdictWith(filled, [])).toBe('disallowed');
    expect(await verdictWith(hidden, [MODIFICATION_RULES.formFilling])).toBe('disallowed');
  });

  it('field-lock-flags: ReadOnly and Locked set on the field; near miss: Hidden set', async () => {
    const locked = editField((field) => {
      field.set('Ff', 1).set('F', 4 | 128);
      return [];
    });
    const hidden = editField((field) => {
      field.set('F', 4 | 2);
      return [];
    });
    expect(await verdictWith(locked, [MODIFICATION_RULES.fieldLockFlags])).toBe('allowed');
    expect(await verdictWith(locked, [])).toBe('disallowed');
    expect(await verdictWith(hidden, [MODIFICATION_RULES.fieldLockFlags])).toBe('disallowed');
  });
});
