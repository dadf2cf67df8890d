/**
 * The rules of one signing step (analyseAppendedRevisions): judged from the exact bytes that were sent, also when
 * they hold no signature yet. Everything a signer needs passes; everything the document's own rules would let an
 * approval signature's successor do but a signing step has no business doing (form filling, empty signature
 * fields) is refused, as is anything that changes what a page shows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyseAppendedRevisions, sign, type SigningAdapter } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { readFileSync } from 'node:fs';
import { ensurePki, ensureSamples, type SampleName } from '@kyso/testkit';
import { concatBytes } from '../../../src/util/bytes.js';
import { dict, name, PdfDict, PdfRef, textString } from '../../../src/pdf/objects.js';
import type { PdfDocument } from '../../../src/pdf/document.js';
import type { UpdateObject } from '../../../src/pdf/incremental-writer.js';
import { latin1, minimalPdf } from '../../pdf/minimal-pdf.js';
import { appendUpdate, stream } from '../../helpers/pdf-update.js';

const T = new Date('2026-03-05T07:31:00Z');
let leader: SigningAdapter;

/** A one-page draft with a text field (object 5) and an Info dictionary (object 6), never signed. */
const draft = () => minimalPdf({
  objects: [
    '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /DA (/Helv 0 Tf 0 g) >> >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> /Annots [5 0 R] >>',
    '<< /Length 44 >>\nstream\nBT /F1 24 Tf 72 720 Td (Quyet dinh 15) Tj ET\nendstream',
    '<< /FT /Tx /T (so_van_ban) /Type /Annot /Subtype /Widget /Rect [72 600 300 620] /P 3 0 R /F 4 >>',
    '<< /Producer (draft) >>',
  ],
  trailerExtra: '/Info 6 0 R',
});

function edit(doc: PdfDocument, num: number, change: (d: PdfDict) => void): UpdateObject {
  const d = (doc.get(num) as PdfDict).clone();
  change(d);
  return { num, value: d };
}

beforeAll(async () => {
  const pki = await ensurePki();
  const e = pki.entity('leader');
  leader = await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
});

describe('what a signing step may append', () => {
  it('a signature on the unsigned draft, with its field, widget and appearance: allowed', async () => {
    const base = draft();
    const signed = await sign(base, { adapter: leader, level: 'B-B', signingTime: T, appearance: { role: 'approve', showText: true } });
    const step = await analyseAppendedRevisions(signed, base.length);
    expect(step.verdict).toBe('allowed');
    expect(step.baseRevision).toBe(0);
    expect(step.signatures).toEqual([expect.objectContaining({ revision: 1, kind: 'signature' })]);
    expect(step.changes.map((c) => [c.kind, c.allowed])).toContainEqual(['signature-added', true]);
  });

  it('a second signature over the first, judged from the signed original: allowed', async () => {
    const first = await sign(draft(), { adapter: leader, level: 'B-B', signingTime: T });
    const second = await sign(first, { adapter: leader, level: 'B-B', signingTime: T });
    const step = await analyseAppendedRevisions(second, first.length);
    expect(step).toMatchObject({ verdict: 'allowed', baseRevision: 1, refused: [] });
  });

  it('an Info update made before signing: allowed (not rendered)', async () => {
    const base = draft();
    const withInfo = appendUpdate(base, () => [{ num: 6, value: dict({ Producer: textString('kyso'), ModDate: textString('D:20260305') }) }]);
    const step = await analyseAppendedRevisions(await sign(withInfo, { adapter: leader, level: 'B-B', signingTime: T }), base.length);
    expect(step.verdict).toBe('allowed');
    expect(step.changes.map((c) => c.kind)).toContain('metadata-changed');
  });
});

describe('legitimate signing on every kind of file the samples cover', () => {
  const kinds: SampleName[] = ['vietnamese', 'classic-xref', 'xref-stream', 'hybrid', 'linearized', 'incremental', 'pdf20', 'rotated', 'acroform-empty-field'];
  it.each(kinds)('%s: a visible approval signature is allowed', async (kind) => {
    const base = new Uint8Array(readFileSync((await ensureSamples())[kind]));
    const into = kind === 'acroform-empty-field' ? { field: 'SigLeader' } : {};
    const signed = await sign(base, { adapter: leader, level: 'B-B', signingTime: T, appearance: { role: 'approve', showText: true }, ...into });
    const step = await analyseAppendedRevisions(signed, base.length);
    expect(step.refused).toEqual([]);
    expect(step.verdict).toBe('allowed');
  });
});

describe('what it may not append, although an approval signature\'s own rules would allow it', () => {
  it('a form value filled in', async () => {
    const base = draft();
    const filled = appendUpdate(base, (doc, next) => {
      const ap = next();
      return [
        { num: ap.num, value: stream({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, 228, 20] }, 'BT /Helv 12 Tf 2 5 Td (99/QD-UBND) Tj ET') },
        edit(doc, 5, (d) => d.set('V', textString('99/QD-UBND')).set('AP', dict({ N: ap }))),
      ];
    });
    const step = await analyseAppendedRevisions(await sign(filled, { adapter: leader, level: 'B-B', signingTime: T }), base.length);
    expect(step.verdict).toBe('disallowed');
    expect(step.refused.map((c) => [c.kind, c.label.en])).toEqual([['form-filled', "form field 'so_van_ban' filled"]]);
  });

  it('an empty signature field besides the signature', async () => {
    const base = draft();
    const withField = appendUpdate(base, (doc, next) => {
      const f = next();
      return [
        { num: f.num, value: dict({ FT: name('Sig'), T: textString('Later'), Type: name('Annot'), Subtype: name('Widget'), Rect: [0, 0, 0, 0], P: new PdfRef(3, 0) }) },
        edit(doc, 1, (d) => {
          const form = (doc.dictOf(d.get('AcroForm')) as PdfDict).clone();
          d.set('AcroForm', form.set('Fields', [new PdfRef(5, 0), f]));
        }),
        edit(doc, 3, (d) => d.set('Annots', [new PdfRef(5, 0), f])),
      ];
    });
    const step = await analyseAppendedRevisions(await sign(withField, { adapter: leader, level: 'B-B', signingTime: T, fieldName: 'Now' }), base.length);
    expect(step.verdict).toBe('disallowed');
    expect(step.refused).toEqual([expect.objectContaining({ kind: 'signature-added', label: expect.objectContaining({ en: expect.stringContaining("'Later'") }) })]);
  });

  it('a page-open JavaScript action on the signature field (prepared, then filled by the signature)', async () => {
    const base = draft();
    const prepared = appendUpdate(base, (doc, next) => {
      const f = next();
      const js = dict({ S: name('JavaScript'), JS: textString('app.alert(1)') });
      return [
        { num: f.num, value: dict({ FT: name('Sig'), T: textString('Now'), Type: name('Annot'), Subtype: name('Widget'), Rect: [0, 0, 0, 0], P: new PdfRef(3, 0), AA: dict({ PO: js }) }) },
        edit(doc, 1, (d) => d.set('AcroForm', (doc.dictOf(d.get('AcroForm')) as PdfDict).clone().set('Fields', [new PdfRef(5, 0), f]))),
        edit(doc, 3, (d) => d.set('Annots', [new PdfRef(5, 0), f])),
      ];
    });
    const step = await analyseAppendedRevisions(await sign(prepared, { adapter: leader, level: 'B-B', signingTime: T, field: 'Now' }), base.length);
    expect(step.verdict).toBe('disallowed');
    expect(step.refused.map((c) => c.label.en)).toContain("signature 'Now' carries an action (/A, /AA)");
  });

  it('new page content, in a revision before the signature', async () => {
    const base = draft();
    const changed = appendUpdate(base, (doc, next) => {
      const c = next();
      return [{ num: c.num, value: stream({}, 'BT /F1 24 Tf 72 720 Td (Quyet dinh 99) Tj ET') }, edit(doc, 3, (d) => d.set('Contents', c))];
    });
    const step = await analyseAppendedRevisions(await sign(changed, { adapter: leader, level: 'B-B', signingTime: T }), base.length);
    expect(step.refused.map((c) => [c.kind, c.label.vi, c.label.en])).toEqual([['page-content-changed', 'nội dung trang 1 bị thay thế', 'page 1 content replaced']]);
  });
});

describe('where the new signature may paint', () => {
  const place = (rect: [number, number, number, number]) => sign(draft(), {
    adapter: leader, level: 'B-B', signingTime: T, placement: { page: 1, rect }, appearance: { role: 'custom', template: 'Quyet dinh 99' },
  });

  it('a Decree 30 sized appearance (60 × 30 mm) passes', async () => {
    const base = draft();
    const step = await analyseAppendedRevisions(await place([350, 100, 170, 85]), base.length);
    expect(step.verdict).toBe('allowed');
  });

  it('one covering the page is refused, naming the share in vi and en; the limit is the caller\'s', async () => {
    const base = draft();
    const signed = await place([0, 0, 595, 842]);
    const step = await analyseAppendedRevisions(signed, base.length);
    expect(step.refused.map((c) => [c.kind, c.label.vi, c.label.en])).toEqual([[
      'annotation-added', "hình hiển thị của chữ ký 'Signature1' phủ 100% trang 1 (tối đa 10%)",
      "appearance of signature 'Signature1' covers 100% of page 1 (at most 10%)",
    ]]);
    expect((await analyseAppendedRevisions(signed, base.length, { maxAppearanceShare: 1 })).verdict).toBe('allowed');
  });

  it('one reaching outside the page is refused', async () => {
    const base = draft();
    const step = await analyseAppendedRevisions(await place([560, 800, 100, 80]), base.length);
    expect(step.refused.map((c) => c.label.en)).toEqual(["appearance of signature 'Signature1' reaches outside page 1"]);
  });

  it('an invisible signature (an empty rectangle) passes; a share of 0 is an argument error', async () => {
    const base = draft();
    const signed = await sign(base, { adapter: leader, level: 'B-B', signingTime: T });
    expect((await analyseAppendedRevisions(signed, base.length)).verdict).toBe('allowed');
    await expect(analyseAppendedRevisions(signed, base.length, { maxAppearanceShare: 0 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
});

describe('the prefix', () => {
  it('all of the file: nothing appended', async () => {
    const base = draft();
    expect(await analyseAppendedRevisions(base, base.length)).toMatchObject({ verdict: 'none', changes: [] });
  });

  it('one that does not hold a whole revision is refused', async () => {
    const signed = await sign(draft(), { adapter: leader, level: 'B-B', signingTime: T });
    const step = await analyseAppendedRevisions(signed, 100);
    expect(step.verdict).toBe('disallowed');
    expect(step.refused[0]!.label.en).toBe('the original does not end with a complete PDF revision');
  });

  it('bytes appended without any revision end are refused, not ignored', async () => {
    const base = draft();
    const step = await analyseAppendedRevisions(concatBytes([base, latin1('\n9 0 obj\n<< >>\nendobj\n')]), base.length);
    expect(step.verdict).toBe('disallowed');
  });

  it('a length that is no prefix length is an argument error', async () => {
    const base = draft();
    for (const bad of [0, -1, 1.5, base.length + 1]) {
      await expect(analyseAppendedRevisions(base, bad)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    }
  });
});
