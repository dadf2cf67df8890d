/**
 * The attack classes of the "PDF Insecurity" research (Mladenov et al. 2019:
 * Incremental Saving, Signature Wrapping, Universal Signature Forgery; Mainka
 * et al. 2021: Shadow attacks; Mainka et al. 2021: certification attacks),
 * each built from a document kyso signed and the verifier passes, by byte
 * surgery or by appending incremental updates. None may be TOTAL_PASSED.
 */
import { concatBytes } from '../../src/util/bytes.js';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign, verify, type SignatureReport, type SigningAdapter, type VerificationReport, type VerifyOptions } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, pkiRoutes, routeFetch, startCrlServer, startOcspResponder, type SampleName, type TestPki } from '@kyso/testkit';
import { memorySource } from '../../src/pdf/byte-source.js';
import { PdfDocument } from '../../src/pdf/document.js';
import { type UpdateObject } from '../../src/pdf/incremental-writer.js';
import { dict, name, PdfDict, PdfRef, PdfString, textString, type PdfValue } from '../../src/pdf/objects.js';
import { latin1, minimalPdf, text } from '../pdf/minimal-pdf.js';
import { appendUpdate as append, stream } from '../helpers/pdf-update.js';

let pki: TestPki;
let samples: Record<SampleName, string>;
let servers: { close(): Promise<void> }[] = [];
let online: VerifyOptions;
let leader: SigningAdapter;
let seal: SigningAdapter;
/** A fixed validation time inside every test certificate's validity. */
const AT = new Date('2030-01-01T00:00:00Z');
const T0 = new Date('2026-03-05T07:30:12Z');

beforeAll(async () => {
  pki = await ensurePki();
  samples = await ensureSamples();
  const ocsp = await startOcspResponder({ pki });
  const crl = await startCrlServer({ pki });
  servers = [ocsp, crl];
  online = { trust: [pki.rootDer], revocation: 'online', fetch: routeFetch(pkiRoutes({ ocsp, crl })), at: AT, timeoutMs: 3000 };
  const a = pki.entity('leader');
  leader = await fromPkcs8Pem(a.keyPem, a.certDer, a.chainDer);
  const b = pki.entity('seal');
  seal = await fromPkcs8Pem(b.keyPem, b.certDer, b.chainDer);
});

afterAll(async () => {
  for (const s of servers) await s.close();
});

/**
 * One page drawn from a content array: the text, then a white box (object 11)
 * over a hidden line; a font with an embedded program, an image, a text field
 * and an unused stream (object 12) that a shadow attack can switch to.
 */
function basePdf(): Uint8Array {
  const content = 'BT /F1 24 Tf 72 720 Td (Quyet dinh so 15) Tj ET q 100 0 0 100 72 500 cm /Im1 Do Q BT /F1 12 Tf 72 400 Td (Hidden: so tien 1.000.000) Tj ET';
  const cover = '1 1 1 rg 60 390 400 30 re f';
  const fieldAp = '/Tx BMC EMC';
  const font = 'fake-font-program-v1';
  const image = 'abcdefghijkl';
  const shadow = 'BT /F1 24 Tf 72 720 Td (Quyet dinh so 99) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /DA (/Helv 0 Tf 0 g) >> >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [4 0 R 11 0 R] /Resources << /Font << /F1 6 0 R >> /XObject << /Im1 10 0 R >> >> /Annots [5 0 R] >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /FT /Tx /T (so_van_ban) /Type /Annot /Subtype /Widget /Rect [72 600 300 620] /P 3 0 R /F 4 /DA (/Helv 12 Tf 0 g) /AP << /N 7 0 R >> >>',
    '<< /Type /Font /Subtype /TrueType /BaseFont /Demo /FirstChar 32 /LastChar 126 /FontDescriptor 8 0 R >>',
    `<< /Type /XObject /Subtype /Form /BBox [0 0 228 20] /Length ${fieldAp.length} >>\nstream\n${fieldAp}\nendstream`,
    '<< /Type /FontDescriptor /FontName /Demo /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 9 0 R >>',
    `<< /Length ${font.length} >>\nstream\n${font}\nendstream`,
    `<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length ${image.length} >>\nstream\n${image}\nendstream`,
    `<< /Length ${cover.length} >>\nstream\n${cover}\nendstream`,
    `<< /Length ${shadow.length} >>\nstream\n${shadow}\nendstream`,
  ];
  return minimalPdf({ objects });
}




function edit(doc: PdfDocument, num: number, change: (d: PdfDict) => void): UpdateObject {
  const d = (doc.get(num) as PdfDict).clone();
  change(d);
  return { num, value: d };
}

const pageNum = (doc: PdfDocument) => doc.pages()[0]!.ref.num;

/** Where the (last) signature dictionary keeps its /ByteRange numbers and its /Contents hex string. */
function locate(pdf: Uint8Array) {
  const s = text(pdf);
  const brKey = s.lastIndexOf('/ByteRange');
  const br = s.indexOf('[', brKey) + 1;
  const brEnd = s.indexOf(']', br);
  const contentsKey = s.indexOf('/Contents', brKey);
  const contents = s.indexOf('<', contentsKey);
  const contentsEnd = s.indexOf('>', contents) + 1;
  const numbers = s.slice(br, brEnd).trim().split(/\s+/).map(Number) as [number, number, number, number];
  const header = [...s.slice(0, brKey).matchAll(/(\d+) 0 obj\s*<</g)].pop()!;
  const sigObj = Number(header[1]);
  return { s, brKey, br, brEnd, contentsKey, contents, contentsEnd, numbers, sigObj };
}

/** Replaces [start, end) by `by`, padded with spaces so no offset moves. */
function patch(pdf: Uint8Array, start: number, end: number, by: string): Uint8Array {
  if (by.length > end - start) throw new Error(`patch: ${by.length} > ${end - start}`);
  const out = pdf.slice();
  out.set(latin1(by.padEnd(end - start, ' ')), start);
  return out;
}

/** `N 0 obj … endobj` of the object's last definition in the bytes. */
function objectSpan(pdf: Uint8Array, num: number): [number, number] {
  const s = text(pdf);
  const start = [...s.matchAll(new RegExp(`(?<![0-9])${num} 0 obj`, 'g'))].pop()!.index;
  return [start, s.indexOf('endobj', start) + 'endobj'.length];
}

/**
 * A cross-reference section for the whole file as it now lies (the last
 * `N G obj` of each number), with no /Prev: what an attacker appends after
 * moving bytes around so that readers find every object again.
 */
function fullXref(pdf: Uint8Array, root: number): Uint8Array {
  const s = text(pdf);
  const at = new Map<number, number>();
  for (const m of s.matchAll(/(?<![0-9])(\d+) 0 obj/g)) at.set(Number(m[1]), m.index);
  let out = '\nxref\n0 1\n0000000000 65535 f\r\n';
  for (const [num, off] of [...at].sort((x, y) => x[0] - y[0])) out += `${num} 1\n${String(off).padStart(10, '0')} 00000 n\r\n`;
  const x = pdf.length + 1;
  out += `trailer\n<< /Size ${Math.max(...at.keys()) + 1} /Root ${root} 0 R >>\nstartxref\n${x}\n%%EOF\n`;
  return latin1(out);
}

function signed(report: VerificationReport): readonly SignatureReport[] {
  expect(report.signatures.length).toBeGreaterThan(0);
  return report.signatures;
}

/** Every signature is refused (none TOTAL_PASSED); returns the first one's report. */
async function refused(pdf: Uint8Array, options: VerifyOptions = online): Promise<SignatureReport> {
  const r = await verify(pdf, options);
  const sigs = signed(r);
  for (const s of sigs) expect(s.indication, JSON.stringify(s.messages.map((m) => m.en))).not.toBe('TOTAL_PASSED');
  return sigs[0]!;
}

let approval: Uint8Array;
let certifiedP2: Uint8Array;

beforeAll(async () => {
  approval = await sign(basePdf(), { adapter: leader, signingTime: T0 });
  certifiedP2 = await sign(basePdf(), { adapter: seal, certify: 2, signingTime: T0 });
});

describe('the untouched documents pass', () => {
  it('an approval signature and a P=2 certification over the test document are TOTAL_PASSED', async () => {
    for (const pdf of [approval, certifiedP2]) {
      const r = await verify(pdf, online);
      expect(r.signatures.map((s) => [s.indication, s.modifications.verdict])).toEqual([['TOTAL_PASSED', 'none']]);
      expect(r.lastRevisionSigned).toBe(true);
    }
  });
});

describe('Incremental Saving Attack', () => {
  it('new page content in an appended update', async () => {
    const attacked = append(approval, (doc, next) => {
      const c = next();
      return [
        { num: c.num, value: stream({}, 'BT /F1 24 Tf 72 720 Td (Quyet dinh so 99) Tj ET') },
        edit(doc, pageNum(doc), (d) => d.set('Contents', c)),
      ];
    });
    const s = await refused(attacked);
    expect(s).toMatchObject({ indication: 'TOTAL_FAILED', integrity: 'intact', modifications: { verdict: 'disallowed' } });
    expect(s.modifications.changes.map((c) => c.kind)).toContain('page-content-changed');
  });

  it('the content stream redefined under its own object number', async () => {
    const attacked = append(approval, () => [{ num: 4, value: stream({}, 'BT /F1 24 Tf 72 720 Td (Quyet dinh so 99) Tj ET') }]);
    expect(await refused(attacked)).toMatchObject({ indication: 'TOTAL_FAILED', modifications: { verdict: 'disallowed' } });
  });

  it('a new page', async () => {
    const attacked = append(approval, (doc, next) => {
      const p = next();
      const c = next();
      const pages = (doc.catalog().get('Pages') as PdfRef).num;
      return [
        { num: c.num, value: stream({}, 'BT /F1 24 Tf 72 720 Td (Phu luc: dieu khoan moi) Tj ET') },
        { num: p.num, value: dict({ Type: name('Page'), Parent: new PdfRef(pages, 0), MediaBox: [0, 0, 595, 842], Contents: c }) },
        edit(doc, pages, (d) => d.set('Kids', [...(d.get('Kids') as PdfValue[]), p]).set('Count', 2)),
      ];
    });
    const s = await refused(attacked);
    expect(s.modifications.changes.map((c) => c.kind)).toContain('page-added');
    expect(s.indication).toBe('TOTAL_FAILED');
  });

  it('an overlay annotation painting over the signed text', async () => {
    const attacked = append(approval, (doc, next) => {
      const a = next();
      const ap = next();
      return [
        { num: ap.num, value: stream({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, 300, 40] }, '1 1 1 rg 0 0 300 40 re f 0 g BT /Helv 24 Tf 2 10 Td (Quyet dinh so 99) Tj ET') },
        { num: a.num, value: dict({ Type: name('Annot'), Subtype: name('FreeText'), Rect: [72, 700, 372, 740], AP: dict({ N: ap }), DA: new PdfString(latin1('/Helv 12 Tf 0 g')) }) },
        edit(doc, pageNum(doc), (d) => d.set('Annots', [...(doc.resolve(d.get('Annots')) as PdfValue[]), a])),
      ];
    });
    const s = await refused(attacked);
    expect(s.modifications.changes.map((c) => c.kind)).toContain('annotation-added');
    expect(s.indication).toBe('TOTAL_FAILED');
  });

  it('objects appended after %%EOF without a cross-reference section are outside every revision', async () => {
    const tail = latin1('\n4 0 obj\n<< /Length 47 >>\nstream\nBT /F1 24 Tf 72 720 Td (Quyet dinh so 99) Tj ET\nendstream\nendobj\n');
    const r = await verify(concatBytes([approval, tail]), online);
    // What a strict reader shows is still the signed revision, but the report must say bytes follow it.
    expect(r.unsignedTrailing).toBe(tail.length);
    expect(r.lastRevisionSigned).toBe(false);
    expect(r.signatures[0]!.coversWholeFile).toBe(false);
  });
});

describe('Signature Wrapping', () => {
  it('the signed bytes after /Contents moved to the end, the gap holding new objects, a repaired xref appended', async () => {
    const l = locate(approval);
    const [a, b, c, d] = l.numbers;
    const moved = approval.subarray(c, c + d);
    const evil = latin1('\n4 0 obj\n<< /Length 47 >>\nstream\nBT /F1 24 Tf 72 720 Td (Quyet dinh so 99) Tj ET\nendstream\nendobj\n');
    // [0, c) unchanged; in the widened gap the end of the signature dictionary (copied, so it
    // still parses) and the new objects; then the original second part, signed but never read.
    const dictEnd = l.s.indexOf('endobj', c) + 'endobj'.length;
    const body = concatBytes([approval.subarray(0, c), approval.subarray(c, dictEnd), evil]);
    const wrapped = patch(concatBytes([body, moved]), l.br, l.brEnd, `${a} ${b} ${body.length} ${d}`);
    const s = await refused(concatBytes([wrapped, fullXref(wrapped, PdfDocument.open(memorySource(approval)).rootRef.num)]));
    expect(s).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', coverage: 'broken' });
  });

  it('two definitions of a signed object in one appended update, the xref naming the new one', async () => {
    const doc = PdfDocument.open(memorySource(approval));
    const original = text(approval.subarray(...objectSpan(approval, 4)));
    const evilAt = approval.length;
    const evil = '4 0 obj\n<< /Length 47 >>\nstream\nBT /F1 24 Tf 72 720 Td (Quyet dinh so 99) Tj ET\nendstream\nendobj\n';
    const body = evil + original + '\n';
    const x = evilAt + body.length;
    const update = `${body}xref\n4 1\n${String(evilAt).padStart(10, '0')} 00000 n\r\ntrailer\n<< /Size ${doc.size} /Root ${doc.rootRef.num} 0 R /Prev ${doc.xref.startxref} >>\nstartxref\n${x}\n%%EOF\n`;
    const s = await refused(concatBytes([approval, latin1(update)]));
    expect(s).toMatchObject({ indication: 'TOTAL_FAILED', modifications: { verdict: 'disallowed' } });
  });

  it('an object smuggled into the /Contents padding and named by a later xref', async () => {
    const l = locate(approval);
    const hex = l.s.slice(l.contents + 1, l.contentsEnd - 1);
    const padding = hex.search(/0+$/);
    const evil = '>\n4 0 obj\n<< /Length 47 >>\nstream\nBT /F1 24 Tf 72 720 Td (Quyet dinh so 99) Tj ET\nendstream\nendobj\n<';
    const at = l.contents + 1 + padding + 16;
    const smuggled = patch(approval, at, at + evil.length, evil);
    const doc = PdfDocument.open(memorySource(smuggled));
    const update = `xref\n4 1\n${String(at + 2).padStart(10, '0')} 00000 n\r\ntrailer\n<< /Size ${doc.size} /Root ${doc.rootRef.num} 0 R /Prev ${doc.xref.startxref} >>\nstartxref\n${smuggled.length}\n%%EOF\n`;
    const r = await verify(concatBytes([smuggled, latin1(update)]), online);
    // The signature dictionary no longer parses: the field has no readable value, so nothing is reported as signed.
    expect(r.signatures.filter((s) => s.indication === 'TOTAL_PASSED')).toEqual([]);
    expect(r.lastRevisionSigned).toBe(false);
  });

  it('the ByteRange rewritten in place to cover an appended revision', async () => {
    const attacked = append(approval, () => [{ num: 4, value: stream({}, 'BT /F1 24 Tf 72 720 Td (Quyet dinh so 99) Tj ET') }]);
    const l = locate(approval);
    const [a, b, c] = l.numbers;
    const rewritten = patch(attacked, l.br, l.brEnd, `${a} ${b} ${c} ${attacked.length - c}`);
    const s = await refused(rewritten);
    expect(s).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE', integrity: 'broken' });
  });

  it('the signature dictionary redefined in an appended revision with a ByteRange over the whole new file', async () => {
    const l = locate(approval);
    const doc0 = PdfDocument.open(memorySource(approval));
    const sig = (doc0.get(l.sigObj) as PdfDict).clone();
    const probe = append(approval, () => [{ num: 4, value: stream({}, 'BT (x) Tj ET') }, { num: l.sigObj, value: sig }]);
    // Same shape, so the final length is known; then the real ByteRange is written in.
    const len = probe.length;
    const sig2 = sig.clone().set('ByteRange', [0, l.numbers[1], l.numbers[2], len - l.numbers[2]]);
    const attacked = append(approval, () => [{ num: 4, value: stream({}, 'BT (x) Tj ET') }, { num: l.sigObj, value: sig2 }]);
    const s = await refused(attacked);
    expect(s.indication).toBe('TOTAL_FAILED');
  });
});

describe('Universal Signature Forgery', () => {
  /** The value of /Contents or /ByteRange replaced in place (the key kept or renamed). */
  const contentsVariants: [string, (l: ReturnType<typeof locate>) => [number, number, string]][] = [
    ['/Contents missing', (l) => [l.contentsKey, l.contentsEnd, '']],
    ['/Contents null', (l) => [l.contents, l.contentsEnd, 'null']],
    ['/Contents empty hex', (l) => [l.contents, l.contentsEnd, '<>']],
    ['/Contents empty literal', (l) => [l.contents, l.contentsEnd, '()']],
    ['/Contents a number', (l) => [l.contents, l.contentsEnd, '0']],
    ['/Contents a name', (l) => [l.contents, l.contentsEnd, '/Sig']],
    ['/Contents all zero', (l) => [l.contents, l.contentsEnd, `<${'0'.repeat(l.contentsEnd - l.contents - 2)}>`]],
    ['/ByteRange missing', (l) => [l.brKey, l.brEnd + 1, '']],
    ['/ByteRange empty', (l) => [l.br - 1, l.brEnd + 1, '[]']],
    ['/ByteRange null', (l) => [l.br - 1, l.brEnd + 1, 'null']],
    ['/ByteRange a string', (l) => [l.br - 1, l.brEnd + 1, '(0 1 2 3)']],
    ['/ByteRange [0 0 0 0]', (l) => [l.br, l.brEnd, '0 0 0 0']],
    ['/ByteRange with three numbers', (l) => [l.br, l.brEnd, l.numbers.slice(0, 3).join(' ')]],
    ['/ByteRange with negative numbers', (l) => [l.br, l.brEnd, `0 ${l.numbers[1]} -1 ${l.numbers[3]}`]],
    ['/ByteRange with a real number', (l) => [l.br, l.brEnd, `0 ${l.numbers[1]}.5 ${l.numbers[2]} ${l.numbers[3]}`]],
  ];

  it.each(contentsVariants)('%s: FORMAT_FAILURE', async (_name, where) => {
    const [from, to, by] = where(locate(approval));
    const s = await refused(patch(approval, from, to, by));
    expect(s).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
  });

  it('/Contents and /ByteRange dropped by redefining the signature dictionary in a later revision', async () => {
    const l = locate(approval);
    for (const drop of [['Contents'], ['ByteRange'], ['Contents', 'ByteRange']]) {
      const attacked = append(approval, (doc) => [edit(doc, l.sigObj, (d) => drop.forEach((k) => d.delete(k)))]);
      const s = await refused(attacked);
      expect(s.indication, drop.join('+')).toBe('TOTAL_FAILED');
      expect(s.modifications.changes.map((c) => c.label.en), drop.join('+')).toContain("signature dictionary of field 'Signature1' rewritten");
    }
  });
});

describe('Shadow attacks (hidden content in the signed revision, revealed later)', () => {
  it('hide: the covering box redefined to nothing, revealing the hidden line', async () => {
    const attacked = append(approval, () => [{ num: 11, value: stream({}, '') }]);
    const s = await refused(attacked);
    expect(s).toMatchObject({ indication: 'TOTAL_FAILED', modifications: { verdict: 'disallowed' } });
  });

  it('replace: the embedded font program redefined', async () => {
    const attacked = append(approval, () => [{ num: 9, value: stream({}, 'fake-font-program-v2') }]);
    const s = await refused(attacked);
    expect(s.modifications.changes.map((c) => c.kind)).toContain('resources-changed');
  });

  it('replace: the image XObject redefined', async () => {
    const attacked = append(approval, () => [{ num: 10, value: stream({ Type: name('XObject'), Subtype: name('Image'), Width: 2, Height: 2, ColorSpace: name('DeviceRGB'), BitsPerComponent: 8 }, 'ZZZZZZZZZZZZ') }]);
    expect(await refused(attacked)).toMatchObject({ indication: 'TOTAL_FAILED', modifications: { verdict: 'disallowed' } });
  });

  it('replace: the font resource pointed at another font', async () => {
    const attacked = append(approval, (doc, next) => {
      const f = next();
      return [
        { num: f.num, value: dict({ Type: name('Font'), Subtype: name('Type1'), BaseFont: name('Courier') }) },
        edit(doc, pageNum(doc), (d) => d.set('Resources', dict({ Font: dict({ F1: f }), XObject: dict({ Im1: new PdfRef(10, 0) }) }))),
      ];
    });
    expect(await refused(attacked)).toMatchObject({ indication: 'TOTAL_FAILED', modifications: { verdict: 'disallowed' } });
  });

  it('hide-and-replace: the page switched to a stream already in the signed revision', async () => {
    const attacked = append(approval, (doc) => [edit(doc, pageNum(doc), (d) => d.set('Contents', new PdfRef(12, 0)))]);
    expect(await refused(attacked)).toMatchObject({ indication: 'TOTAL_FAILED', modifications: { verdict: 'disallowed' } });
  });

  it('hide-and-replace hidden behind an allowed form fill', async () => {
    const attacked = append(approval, (doc, next) => {
      const ap = next();
      return [
        edit(doc, 5, (d) => d.set('V', textString('15/QD-UBND')).set('AP', dict({ N: ap }))),
        { num: ap.num, value: stream({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, 228, 20] }, '/Tx BMC BT /Helv 12 Tf 2 5 Td (15/QD-UBND) Tj ET EMC') },
        { num: 4, value: stream({}, 'BT /F1 24 Tf 72 720 Td (Quyet dinh so 99) Tj ET') },
      ];
    });
    expect(await refused(attacked)).toMatchObject({ indication: 'TOTAL_FAILED', modifications: { verdict: 'disallowed' } });
  });
});

describe('certification attacks on a P=2 certified document', () => {
  it('Evil Annotation: an annotation added', async () => {
    const attacked = append(certifiedP2, (doc, next) => {
      const a = next();
      const ap = next();
      return [
        { num: ap.num, value: stream({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, 300, 40] }, '1 1 1 rg 0 0 300 40 re f 0 g BT /Helv 24 Tf 2 10 Td (so 99) Tj ET') },
        { num: a.num, value: dict({ Type: name('Annot'), Subtype: name('FreeText'), Rect: [72, 700, 372, 740], AP: dict({ N: ap }), DA: new PdfString(latin1('/Helv 12 Tf 0 g')) }) },
        edit(doc, pageNum(doc), (d) => d.set('Annots', [...(doc.resolve(d.get('Annots')) as PdfValue[]), a])),
      ];
    });
    expect(await refused(attacked)).toMatchObject({ indication: 'TOTAL_FAILED', modifications: { verdict: 'disallowed' } });
  });

  it('Sneaky Signature: an empty signature field whose appearance covers the page', async () => {
    const attacked = append(certifiedP2, (doc, next) => {
      const field = next();
      const ap = next();
      const acroRef = doc.catalog().get('AcroForm');
      const af = doc.dictOf(acroRef)!.clone();
      af.set('Fields', [...(doc.resolve(af.get('Fields')) as PdfValue[]), field]);
      return [
        { num: ap.num, value: stream({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, 300, 60] }, '1 1 1 rg 0 0 300 60 re f 0 g BT /Helv 24 Tf 10 20 Td (so 99) Tj ET') },
        { num: field.num, value: dict({ FT: name('Sig'), T: textString('Signature9'), Type: name('Annot'), Subtype: name('Widget'), F: 4, P: doc.pages()[0]!.ref, Rect: [72, 700, 372, 760], AP: dict({ N: ap }) }) },
        acroRef instanceof PdfRef ? { num: acroRef.num, value: af } : edit(doc, doc.rootRef.num, (d) => d.set('AcroForm', af)),
        edit(doc, pageNum(doc), (d) => d.set('Annots', [...(doc.resolve(d.get('Annots')) as PdfValue[]), field])),
      ];
    });
    expect(await refused(attacked)).toMatchObject({ indication: 'TOTAL_FAILED', modifications: { verdict: 'disallowed' } });
  });
});

describe('a /Contents whose CMS signs other bytes', () => {
  it("another document's valid signature pasted into the placeholder is HASH_FAILURE", async () => {
    const other = await sign(new Uint8Array(readFileSync(samples.simple)), { adapter: leader, signingTime: T0 });
    const mine = locate(approval);
    const theirs = locate(other);
    const hex = theirs.s.slice(theirs.contents + 1, theirs.contentsEnd - 1).replace(/0+$/, '');
    const room = mine.contentsEnd - mine.contents - 2;
    expect(hex.length).toBeLessThanOrEqual(room);
    const pasted = patch(approval, mine.contents, mine.contentsEnd, `<${hex.padEnd(room, '0')}>`);
    expect(await refused(pasted)).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE', integrity: 'broken' });
  });

  it('a signature over the first revision pasted into a second signature is HASH_FAILURE', async () => {
    const twice = await sign(approval, { adapter: leader, signingTime: T0 });
    const first = locate(approval);
    const second = locate(twice);
    const hex = first.s.slice(first.contents + 1, first.contentsEnd - 1);
    const room = second.contentsEnd - second.contents - 2;
    const pasted = patch(twice, second.contents, second.contentsEnd, `<${hex.slice(0, room).padEnd(room, '0')}>`);
    const r = await verify(pasted, online);
    expect(r.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_FAILED']);
    expect(r.signatures[1]!.subIndication).toBe('HASH_FAILURE');
  });
});
