// @ts-check
// The seeded draft: a Decree-30-like decision (Quyết định) of a city People's Committee, with empty
// form fields where the clerk (văn thư) later writes the number and the date of issue.
//
// Why form fields: Decree 30/2020 Art. 14 and 15.3 give the number and date at issuance, after the
// leader has signed (domain notes: decree-30-layouts.md §2). Filling an existing text field is a change
// ISO 32000-2 §12.8.2.2.2 allows after an approval signature, so the leader's signature stays valid and
// the verifier reports "form filled" as an allowed change; the agency seal then covers the filled values.
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, PDFHexString, PDFName, PDFString, StandardFonts } from 'pdf-lib';

const require = createRequire(import.meta.url);

/** A4 in points (ISO 216). */
const A4 = /** @type {const} */ ([595.28, 841.89]);

/** Names of the fields the clerk fills (digits only, written in Times-Roman, see fill-fields.mjs). */
export const NUMBER_FIELDS = /** @type {const} */ ({ number: 'soVanBan', day: 'ngay', month: 'thang', year: 'nam' });

/** Text a reader finds next to the leader's signature place (Decree 30 box 7b): used as the placement anchor. */
export const LEADER_NAME = 'Nguyễn Văn Đức';

/** The document's title as shown in lists. */
export const DRAFT_TITLE = 'Quyết định ban hành Quy chế thử nghiệm chữ ký số (TEST)';

/** @param {'regular' | 'bold'} weight */
async function dejaVu(weight) {
  const file = weight === 'bold' ? 'DejaVuSans-Bold.ttf' : 'DejaVuSans.ttf';
  return new Uint8Array(await readFile(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)));
}

/**
 * Builds the draft. Deterministic for a given `createdAt`, so a test can rebuild the same bytes.
 * @param {{ createdAt: Date, fileId: string }} options `fileId`: 32 hex digits for the trailer /ID.
 * @returns {Promise<Uint8Array>}
 */
export async function buildDraft({ createdAt, fileId }) {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(DRAFT_TITLE);
  doc.setAuthor('kyso qlvb-demo (TEST)');
  doc.setProducer('kyso qlvb-demo');
  doc.setCreator('kyso qlvb-demo');
  doc.setLanguage('vi-VN');
  doc.setCreationDate(createdAt);
  doc.setModificationDate(createdAt);
  doc.registerFontkit(fontkit);
  // Subset names carry a six-letter tag (ISO 32000-2 §9.9.2).
  const regular = await doc.embedFont(await dejaVu('regular'), { subset: true, customName: 'QLVBAA+DejaVuSans' });
  const bold = await doc.embedFont(await dejaVu('bold'), { subset: true, customName: 'QLVBAB+DejaVuSans-Bold' });
  const times = await doc.embedFont(StandardFonts.TimesRoman);
  const page = doc.addPage([...A4]);
  const left = 85; // 30 mm margin (Decree 30 Appendix I §I)
  const right = A4[0] - 57; // 20 mm
  const leftCx = left + 90;
  const rightCx = right - 105;
  /** @param {string} s */
  const nfc = (s) => s.normalize('NFC');
  /** @param {string} text @param {number} cx @param {number} y @param {number} size @param {import('pdf-lib').PDFFont} font */
  const centred = (text, cx, y, size, font) => {
    const t = nfc(text);
    page.drawText(t, { x: cx - font.widthOfTextAtSize(t, size) / 2, y, size, font });
  };

  centred('ỦY BAN NHÂN DÂN', leftCx, 785, 9, regular);
  centred('THÀNH PHỐ ĐÀ NẴNG', leftCx, 772, 9, bold);
  centred('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rightCx, 785, 9, bold);
  centred('Độc lập - Tự do - Hạnh phúc', rightCx, 772, 10, bold);

  // Box 3 "Số: …/QĐ-UBND" and box 4 "Đà Nẵng, ngày … tháng … năm …": static text around empty fields.
  /** @type {{ name: string, rect: [number, number, number, number] }[]} */
  const fields = [];
  const size = 11;
  /** Lays out text pieces and field gaps on one line, centred on `cx`. @param {(string | { field: string, width: number })[]} parts @param {number} cx @param {number} y */
  const line = (parts, cx, y) => {
    const width = parts.reduce((w, p) => w + (typeof p === 'string' ? regular.widthOfTextAtSize(nfc(p), size) : p.width), 0);
    let x = cx - width / 2;
    for (const p of parts) {
      if (typeof p === 'string') {
        page.drawText(nfc(p), { x, y, size, font: regular });
        x += regular.widthOfTextAtSize(nfc(p), size);
      } else {
        // Whole points: the field dictionary is rewritten when it is filled, and its numbers must read back the same.
        const x0 = Math.round(x);
        fields.push({ name: p.field, rect: [x0, y - 3, x0 + p.width, y + size + 1] });
        x += p.width;
      }
    }
  };
  line(['Số: ', { field: NUMBER_FIELDS.number, width: 30 }, '/QĐ-UBND'], leftCx, 745);
  line(['Đà Nẵng, ngày ', { field: NUMBER_FIELDS.day, width: 18 }, ' tháng ', { field: NUMBER_FIELDS.month, width: 18 },
    ' năm ', { field: NUMBER_FIELDS.year, width: 30 }], rightCx, 745);

  centred('QUYẾT ĐỊNH', A4[0] / 2, 700, 14, bold);
  centred('Về việc ban hành Quy chế thử nghiệm chữ ký số', A4[0] / 2, 680, 12, bold);
  centred('CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG', A4[0] / 2, 645, 12, bold);
  const body = [
    'Căn cứ Luật Giao dịch điện tử ngày 22 tháng 6 năm 2023;',
    'Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ',
    'về công tác văn thư;',
    'Theo đề nghị của Chánh Văn phòng Ủy ban nhân dân thành phố.',
    'QUYẾT ĐỊNH:',
    'Điều 1. Ban hành kèm theo Quyết định này Quy chế thử nghiệm chữ ký số',
    'trong xử lý văn bản điện tử của Ủy ban nhân dân thành phố.',
    'Điều 2. Quyết định này có hiệu lực kể từ ngày ký.',
    'Điều 3. Tài liệu này chỉ dùng để trình diễn và kiểm thử (TEST).',
  ];
  let y = 610;
  for (const l of body) {
    page.drawText(nfc(l), { x: left, y, size: 11, font: l === 'QUYẾT ĐỊNH:' ? bold : regular });
    y -= 21;
  }
  // Box 7a/7b: title and name; the leader's signature goes between them (Decree 30 Appendix I §II.7).
  centred('CHỦ TỊCH', rightCx, 360, 12, bold);
  centred(LEADER_NAME, rightCx, 255, 12, bold);
  page.drawText(nfc('Nơi nhận:'), { x: left, y: 360, size: 10, font: bold });
  page.drawText(nfc('- Như Điều 3;'), { x: left, y: 346, size: 9, font: regular });
  page.drawText(nfc('- Lưu: VT.'), { x: left, y: 334, size: 9, font: regular });

  // The fields: merged field/widget dictionaries (ISO 32000-2 §12.7.5.5) with no value and no appearance,
  // so nothing is drawn until the clerk fills them. Times-Roman (a standard font, §9.6.2.2) covers digits.
  const ctx = doc.context;
  const fieldRefs = fields.map((f) => ctx.register(ctx.obj({
    Type: 'Annot', Subtype: 'Widget', FT: 'Tx', T: PDFString.of(f.name), Ff: 0, F: 4, Q: 1,
    DA: PDFString.of('/TiRo 11 Tf 0 g'), Rect: f.rect, P: page.ref, Border: [0, 0, 0],
  })));
  page.node.set(PDFName.of('Annots'), ctx.obj(fieldRefs));
  const acroForm = ctx.register(ctx.obj({
    Fields: fieldRefs, DA: PDFString.of('/TiRo 11 Tf 0 g'),
    DR: { Font: { TiRo: times.ref } },
  }));
  doc.catalog.set(PDFName.of('AcroForm'), acroForm);
  ctx.trailerInfo.ID = ctx.obj([PDFHexString.of(fileId), PDFHexString.of(fileId)]);
  return doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}
