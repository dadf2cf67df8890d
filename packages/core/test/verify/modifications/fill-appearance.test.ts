/**
 * Filling a form after signing is allowed (ISO 32000-2 §12.8.2.2.2) only when
 * what viewers draw is the new value: a text or choice field's new appearance
 * shows exactly the value with fonts the signed revision vouches for, and a
 * button selects one of its signed appearance states.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sign, type SigningAdapter } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { appendRevision, ensurePki, type RawObject } from '@kyso/testkit';
import { minimalPdf } from '../../pdf/minimal-pdf.js';
import { analyseAll } from './helpers.js';

const T0 = new Date('2026-03-05T07:30:12Z');
let signed: Uint8Array;

/** Objects: 5 text field, 6 check box, 7 combo box, 8 password field; 9 the /DR font; 10–11 the check box states. */
function form(): Uint8Array {
  const w = (rect: string) => `/Type /Annot /Subtype /Widget /Rect ${rect} /P 3 0 R /F 4`;
  return minimalPdf({
    objects: [
      '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R 6 0 R 7 0 R 8 0 R] /DA (/Helv 12 Tf 0 g) /DR << /Font << /Helv 9 0 R >> >> >> >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [5 0 R 6 0 R 7 0 R 8 0 R] >>',
      '<< /Length 0 >>\nstream\n\nendstream',
      `<< /FT /Tx /T (so_tien) ${w('[72 700 300 720]')} /AP << /N 12 0 R >> >>`,
      `<< /FT /Btn /T (dong_y) ${w('[72 660 90 678]')} /V /Off /AS /Off /AP << /N << /Yes 10 0 R /Off 11 0 R >> >> >>`,
      `<< /FT /Ch /Ff 131072 /T (don_vi) /Opt [[(VND) (Dong)] [(USD) (Dollar)]] ${w('[72 620 300 640]')} /AP << /N 12 0 R >> >>`,
      `<< /FT /Tx /Ff 8192 /T (mat_khau) ${w('[72 580 300 600]')} /AP << /N 12 0 R >> >>`,
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
      '<< /Type /XObject /Subtype /Form /BBox [0 0 18 18] /Length 22 >>\nstream\n0 g 4 4 10 10 re f\nendstream',
      '<< /Type /XObject /Subtype /Form /BBox [0 0 18 18] /Length 0 >>\nstream\n\nendstream',
      '<< /Type /XObject /Subtype /Form /BBox [0 0 228 20] /Length 11 >>\nstream\n/Tx BMC EMC\nendstream',
    ],
  });
}

beforeAll(async () => {
  const pki = await ensurePki();
  const e = pki.entity('leader');
  const leader: SigningAdapter = await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
  signed = await sign(form(), { adapter: leader, signingTime: T0 });
});

const FIELD: Record<string, string> = {
  5: '/FT /Tx /T (so_tien) /Type /Annot /Subtype /Widget /Rect [72 700 300 720] /P 3 0 R /F 4',
  7: '/FT /Ch /Ff 131072 /T (don_vi) /Opt [[(VND) (Dong)] [(USD) (Dollar)]] /Type /Annot /Subtype /Widget /Rect [72 620 300 640] /P 3 0 R /F 4',
  8: '/FT /Tx /Ff 8192 /T (mat_khau) /Type /Annot /Subtype /Widget /Rect [72 580 300 600] /P 3 0 R /F 4',
};

/** (Made once the signed file exists.) Field `num` filled with `value`, its new appearance drawing `content` (with /Helv → `font`). */
function fill(num: 5 | 7 | 8, value: string, content: string, font = '9 0 R', extra: RawObject[] = []): () => Uint8Array {
  return () => appendRevision(signed, [
    ...extra,
    { num: 40, body: `<< /Type /XObject /Subtype /Form /BBox [0 0 228 20] /Resources << /Font << /Helv ${font} >> >> >>`, stream: content },
    { num, body: `<< ${FIELD[num]} /V ${value} /AP << /N 40 0 R >> >>` },
  ]);
}

function checkBox(as: string, yes = '10 0 R', extra: RawObject[] = []): () => Uint8Array {
  return () => appendRevision(signed, [
    ...extra,
    { num: 6, body: `<< /FT /Btn /T (dong_y) /Type /Annot /Subtype /Widget /Rect [72 660 90 678] /P 3 0 R /F 4 /V /${as} /AS /${as} /AP << /N << /Yes ${yes} /Off 11 0 R >> >> >>` },
  ]);
}

function verdict(bytes: Uint8Array): { verdict: string; labels: string[] } {
  const f = analyseAll(bytes)[0]!.facts;
  return { verdict: f.verdict, labels: f.changes.map((c) => `${c.allowed ? '+' : '-'}${c.label.en}`) };
}

describe('fills whose appearance shows the value are allowed', () => {
  it.each([
    ['a literal string', fill(5, '(1500000)', '/Tx BMC q BT /Helv 12 Tf 0 g 2 5 Td (1500000) Tj ET Q EMC'), 'so_tien'],
    ['a hex string, split over a TJ array with kerning', fill(5, '(1500000)', '/Tx BMC BT /Helv 12 Tf 2 5 Td [<3135> -20 (00000)] TJ ET EMC'), 'so_tien'],
    ['a border and background drawn with rectangles', fill(5, '(1 500 000)', '/Tx BMC 1 1 0.8 rg 0 0 228 20 re f 0 G 0.5 0.5 227 19 re S BT /Helv 12 Tf 2 5 Td (1 500 000) Tj ET EMC'), 'so_tien'],
    ['a standard-14 font added with the fill', fill(5, '(1500000)', 'BT /Helv 12 Tf 2 5 Td (1500000) Tj ET', '41 0 R', [{ num: 41, body: '<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>' }]), 'so_tien'],
    ['a combo box showing its choice (the display text /Opt pairs with the export value)', fill(7, '(USD)', '/Tx BMC BT /Helv 12 Tf 2 5 Td (Dollar) Tj ET EMC'), 'don_vi'],
    ['a password field showing asterisks', fill(8, '(bi mat)', '/Tx BMC BT /Helv 12 Tf 2 5 Td (******) Tj ET EMC'), 'mat_khau'],
    ['a check box ticked: its signed /Yes state selected', checkBox('Yes'), 'dong_y'],
  ] as const)('%s', (_what, bytes, field) => {
    expect(verdict(bytes())).toEqual({ verdict: 'allowed', labels: [`+form field '${field}' filled`] });
  });
});

describe('fills whose appearance draws something else are disallowed', () => {
  const no = (f: string) => `-form field '${f}' filled without an appearance that shows the new value`;
  it.each([
    ['another amount than the value', fill(5, '(1500000)', 'BT /Helv 12 Tf 2 5 Td (9500000) Tj ET'), no('so_tien')],
    ['the value drawn in invisible text mode, another in a form XObject', fill(5, '(1500000)', 'BT 3 Tr /Helv 12 Tf 2 5 Td (1500000) Tj ET /X0 Do'), no('so_tien')],
    ['the value drawn, and an image over it', fill(5, '(1500000)', 'BT /Helv 12 Tf 2 5 Td (1500000) Tj ET q 228 0 0 20 0 0 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \u00ff EI Q'), no('so_tien')],
    ['a soft-masked graphics state', fill(5, '(1500000)', '/GS0 gs BT /Helv 12 Tf 2 5 Td (1500000) Tj ET'), no('so_tien')],
    ['a font added with the fill whose /Differences swap digits', fill(5, '(1500000)', 'BT /Helv 12 Tf 2 5 Td (1500000) Tj ET', '41 0 R', [{ num: 41, body: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [49 /seven] >> >>' }]), no('so_tien')],
    ['an embedded font added with the fill', fill(5, '(1500000)', 'BT /Helv 12 Tf 2 5 Td (1500000) Tj ET', '41 0 R', [
      { num: 41, body: '<< /Type /Font /Subtype /TrueType /BaseFont /Helvetica /FirstChar 32 /LastChar 126 /FontDescriptor 42 0 R >>' },
      { num: 42, body: '<< /Type /FontDescriptor /FontName /Helvetica /Flags 32 /FontFile2 43 0 R >>' },
      { num: 43, body: '<< >>', stream: 'glyphs that draw 7 for 1' },
    ]), no('so_tien')],
    ['a combo box showing another option', fill(7, '(USD)', 'BT /Helv 12 Tf 2 5 Td (Dong) Tj ET'), no('don_vi')],
    ['a combo box showing its choice and another option', fill(7, '(USD)', 'BT /Helv 12 Tf 2 5 Td (Dollar Dong) Tj ET'), no('don_vi')],
    ['a check box ticked with its /Yes appearance replaced', checkBox('Yes', '41 0 R', [{ num: 41, body: '<< /Type /XObject /Subtype /Form /BBox [0 0 18 18] >>', stream: 'BT /Helv 8 Tf 0 4 Td (NO) Tj ET' }]), no('dong_y')],
    ['a check box set to a state it has no appearance for', checkBox('On'), no('dong_y')],
  ] as const)('%s', (_what, bytes, label) => {
    const v = verdict(bytes());
    expect(v.verdict).toBe('disallowed');
    expect(v.labels).toContain(label);
  });
});
