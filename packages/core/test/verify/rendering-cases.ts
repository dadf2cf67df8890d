/**
 * The test set of decision 0016: attacks that change what a viewer draws
 * without touching page content (a form field drawn from the form's
 * defaults, a fill whose appearance is not its value, objects appended after
 * the last %%EOF), each with the verdict a careful verifier gives, and the
 * legitimate later revisions that must stay green. The files are the
 * testkit's hand-written form, signed by kyso, with revisions written by hand
 * (classic xref table with whole-object rewrites, or a cross-reference stream
 * with an object stream).
 */
import { sign, type SigningAdapter } from '@kyso/core';
import {
  appendAfterEof, appendRevision, FORM_BODIES, FORM_OBJECTS as O, formDocument, HELV_DIGITS_SWAPPED, lastObject, nextObjectNumber,
  objectsAfterEof, payeeAppearance, signatureImage, type RevisionLayout,
} from '@kyso/testkit';

export const T0 = new Date('2026-03-05T07:30:12Z');

/** What a careful verifier says of a case. */
export type Expect =
  /** Not TOTAL_PASSED; the modification analysis says 'disallowed' with a change whose English label contains `label`. */
  | { readonly attack: true; readonly label: string }
  /** Not TOTAL_PASSED: the file cannot even be read as the signed document plus revisions (a typed error is fine too). */
  | { readonly attack: true; readonly label: null }
  /** TOTAL_PASSED with this modification verdict. */
  | { readonly attack: false; readonly verdict: 'none' | 'allowed' };

export interface RenderingCase {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly expect: Expect;
  /** The difference from the signed revision is explained by an allowed change (a filled field, a new signature's appearance). */
  readonly explained?: boolean;
}

const TABLE: RevisionLayout = { xref: 'table' };
const STREAM: RevisionLayout = { xref: 'stream', objectStream: true };
const APPEARANCE = (num: number) => `<< /Type /XObject /Subtype /Form /BBox [0 0 300 24] /Resources << /Font << /Helv ${num} 0 R >> >> >>`;

/** The payee field filled with `value`, its appearance drawing `drawn` (with the font object `font`). */
function fill(signed: Uint8Array, value: string, drawn: string, layout: RevisionLayout, font: number = O.helv, extra: { num: number; body: string }[] = []) {
  const ap = nextObjectNumber(signed) + extra.length;
  return appendRevision(signed, [
    ...extra,
    { num: ap, body: APPEARANCE(font), stream: payeeAppearance(drawn) },
    { num: O.payee, body: FORM_BODIES[O.payee]!.body.replace(`/AP << /N ${O.payeeAppearance} 0 R >>`, `/AP << /N ${ap} 0 R >> /V (${value})`) },
  ], layout);
}

/** The form dictionary of the signed file rewritten by `change`. */
function acroForm(signed: Uint8Array, change: (body: string) => string, layout: RevisionLayout) {
  const body = lastObject(signed, O.acroForm);
  const changed = change(body);
  if (changed === body) throw new Error('test: the form dictionary did not change');
  return appendRevision(signed, [{ num: O.acroForm, body: changed }], layout);
}

/** The amount field rewritten by `change` (its original body as written by the testkit). */
function amount(signed: Uint8Array, change: (body: string) => string) {
  return appendRevision(signed, [{ num: O.amount, body: change(FORM_BODIES[O.amount]!.body) }], TABLE);
}

/** Builds the whole set: two signed bases (classic table, xref stream with object stream) and every case. */
export async function buildRenderingCases(leader: SigningAdapter, seal: SigningAdapter): Promise<RenderingCase[]> {
  const a = await sign(formDocument('table'), { adapter: leader, signingTime: T0 });
  const b = await sign(formDocument('stream'), { adapter: leader, signingTime: T0 });
  const white = (body: string) => body.replace('/Helv 18 Tf 0 g', '/Helv 18 Tf 1 g');
  const times = '<< /Type /Font /Subtype /Type1 /BaseFont /Times-Bold /Encoding /WinAnsiEncoding >>';
  const n = nextObjectNumber(a);
  const dss = [
    { num: n, body: '<< >>', stream: 'certificate bytes stand-in' },
    { num: n + 1, body: `<< /Type /DSS /Certs [${n} 0 R] >>` },
    { num: O.catalog, body: lastObject(a, O.catalog).replace(/>>\s*$/, ` /DSS ${n + 1} 0 R >>`) },
  ];
  const twice = await sign(a, {
    adapter: seal, signingTime: T0, appearance: { role: 'issue', image: { bytes: signatureImage() } }, placement: { rect: [300, 80, 120, 60] },
  });
  return [
    // ---- attacks: a form field drawn from the form's defaults
    { name: 'form /DA: the amount drawn in white (classic xref)', bytes: acroForm(a, white, TABLE), expect: { attack: true, label: "default appearance of form field 'so_tien'" } },
    { name: 'form /DA: the amount drawn in white (xref stream, object stream)', bytes: acroForm(b, white, STREAM), expect: { attack: true, label: "default appearance of form field 'so_tien'" } },
    { name: '/DR font: digits swapped by /Differences (xref stream, object stream)', bytes: appendRevision(a, [{ num: O.helv, body: HELV_DIGITS_SWAPPED }], STREAM), expect: { attack: true, label: "font /Helv that draws form field 'so_tien'" } },
    { name: '/DR font: Helvetica replaced by Times-Bold (classic xref)', bytes: appendRevision(a, [{ num: O.helv, body: times }], TABLE), expect: { attack: true, label: "font /Helv that draws form field 'so_tien'" } },
    { name: '/DR /Helv pointed at another font (classic xref)', bytes: appendRevision(a, [{ num: n, body: times }, { num: O.acroForm, body: lastObject(a, O.acroForm).replace(`/Helv ${O.helv} 0 R`, `/Helv ${n} 0 R`) }], TABLE), expect: { attack: true, label: "font /Helv that draws form field 'so_tien'" } },
    {
      name: "/DR /TiRo replaced, which the appearance of 'ma_so' borrows (it has no resources of its own)",
      bytes: appendRevision(a, [{ num: O.tiro, body: '<< /Type /Font /Subtype /Type1 /BaseFont /Courier-Bold /Encoding /WinAnsiEncoding >>' }], TABLE),
      expect: { attack: true, label: "form default resources that draw form field 'ma_so'" },
    },
    { name: "field /DA added: the amount in red at 30 pt", bytes: amount(a, (d) => d.replace(/>>\s*$/, ' /DA (/Helv 30 Tf 1 0 0 rg) >>')), expect: { attack: true, label: "default appearance of form field 'so_tien'" } },
    { name: 'field /Q: the amount right-aligned', bytes: amount(a, (d) => d.replace(/>>\s*$/, ' /Q 2 >>')), expect: { attack: true, label: "default appearance of form field 'so_tien'" } },
    { name: 'form /Q: every default-drawn field centred', bytes: acroForm(a, (d) => d.replace(/>>\s*$/, '/Q 1 >>'), TABLE), expect: { attack: true, label: "default appearance of form field 'so_tien'" } },
    { name: 'the amount changed with no appearance (viewers draw it from the defaults)', bytes: amount(a, (d) => d.replace('(1500000)', '(9500000)')), expect: { attack: true, label: "form field 'so_tien' filled without an appearance" } },
    // ---- attacks: a fill whose appearance is not its value
    { name: 'payee filled, its appearance draws another name', bytes: fill(a, 'Nguyen Van A', 'Tran Thi B', TABLE), expect: { attack: true, label: "form field 'nguoi_nhan' filled without an appearance" } },
    { name: 'payee filled, its appearance draws the value with a digit-swapping font', bytes: fill(a, 'TK 1500000', 'TK 1500000', TABLE, n, [{ num: n, body: HELV_DIGITS_SWAPPED }]), expect: { attack: true, label: "form field 'nguoi_nhan' filled without an appearance" } },
    // ---- attacks: bytes after the last %%EOF that readers rebuild
    { name: 'page content redefined after %%EOF (no xref, trailer or startxref)', bytes: objectsAfterEof(a, O.content, 'kyso TEST: DA THANH TOAN'), expect: { attack: true, label: 'after the last %%EOF hold object definitions' } },
    { name: 'page content redefined after %%EOF with a trailer', bytes: appendAfterEof(objectsAfterEof(a, O.content, 'kyso TEST: DA THANH TOAN', 0), 'trailer\n<< /Size 40 /Root 1 0 R >>\n'), expect: { attack: true, label: 'after the last %%EOF hold object definitions, a trailer' } },
    { name: 'page content redefined after %%EOF with a startxref that points nowhere', bytes: appendAfterEof(objectsAfterEof(a, O.content, 'kyso TEST: DA THANH TOAN', 0), 'startxref\n0\n%%EOF\n'), expect: { attack: true, label: null } },
    // ---- legitimate later revisions
    { name: 'payee filled with its value (classic xref)', bytes: fill(a, 'Nguyen Van A', 'Nguyen Van A', TABLE), expect: { attack: false, verdict: 'allowed' }, explained: true },
    { name: 'payee filled with its value (xref stream, object stream)', bytes: fill(b, 'Nguyen Van A', 'Nguyen Van A', STREAM), expect: { attack: false, verdict: 'allowed' }, explained: true },
    { name: 'a second signature, visible (kyso)', bytes: twice, expect: { attack: false, verdict: 'allowed' }, explained: true },
    { name: '/DSS added (classic xref)', bytes: appendRevision(a, dss, TABLE), expect: { attack: false, verdict: 'allowed' } },
    {
      name: 'a font added to /DR (drawing nothing that was signed)',
      bytes: appendRevision(a, [{ num: n, body: times }, { num: O.acroForm, body: lastObject(a, O.acroForm).replace(`/Helv ${O.helv} 0 R`, `/Helv ${O.helv} 0 R /TiBo ${n} 0 R`) }], TABLE),
      expect: { attack: false, verdict: 'allowed' },
    },
    { name: 'an empty update (the catalog rewritten as it was, classic xref)', bytes: appendRevision(a, [{ num: O.catalog, body: lastObject(a, O.catalog) }], TABLE), expect: { attack: false, verdict: 'allowed' } },
    { name: 'an empty update (a cross-reference stream listing only itself)', bytes: appendRevision(b, [], STREAM), expect: { attack: false, verdict: 'allowed' } },
    { name: 'white space after %%EOF', bytes: appendAfterEof(a, '\n\r\n \t\f\n'), expect: { attack: false, verdict: 'none' } },
    { name: 'NUL bytes after %%EOF', bytes: appendAfterEof(a, new Uint8Array(512)), expect: { attack: false, verdict: 'none' } },
    { name: 'a comment after %%EOF', bytes: appendAfterEof(a, '% archived by the records office\n'), expect: { attack: false, verdict: 'none' } },
  ];
}
