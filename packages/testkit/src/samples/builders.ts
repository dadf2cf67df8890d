import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFName, PDFString, StandardFonts, degrees, rgb, type PDFDocument, type PDFFont } from 'pdf-lib';
import { A4, newDocument, saveDocument } from './pdf-lib-helpers.js';

const require = createRequire(import.meta.url);

/** The DejaVu Sans files shipped by the `dejavu-fonts-ttf` package. */
export async function dejaVu(weight: 'regular' | 'bold'): Promise<Uint8Array> {
  const file = weight === 'bold' ? 'DejaVuSans-Bold.ttf' : 'DejaVuSans.ttf';
  return new Uint8Array(await readFile(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)));
}

async function textPages(doc: PDFDocument, count: number, label: string): Promise<void> {
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= count; i++) {
    const page = doc.addPage(A4);
    page.drawText(`${label}`, { x: 72, y: 770, size: 18, font });
    page.drawText(`Page ${i} of ${count}`, { x: 72, y: 740, size: 12, font });
  }
}

/** One A4 page, Helvetica. */
export async function buildSimple(useObjectStreams = false, name = 'simple'): Promise<Uint8Array> {
  const doc = await newDocument('kyso TEST simple');
  await textPages(doc, 1, 'kyso TEST: a simple one-page PDF');
  return saveDocument(doc, name, useObjectStreams);
}

/** `count` A4 pages numbered "Page i of count". */
export async function buildPages(count: number, name: string, useObjectStreams = false): Promise<Uint8Array> {
  const doc = await newDocument(`kyso TEST ${count} pages`);
  await textPages(doc, count, `kyso TEST: ${count} pages`);
  return saveDocument(doc, name, useObjectStreams);
}

function centred(page: ReturnType<PDFDocument['addPage']>, text: string, cx: number, y: number, size: number, font: PDFFont): void {
  page.drawText(text, { x: cx - font.widthOfTextAtSize(text, size) / 2, y, size, font });
}

/**
 * A Decree-30-like administrative decision (Nghị định 30/2020/NĐ-CP,
 * Appendix I): agency name and national motto at the top, number and
 * place/date, title, body, then the signer block bottom right.
 */
export async function buildVietnamese(): Promise<Uint8Array> {
  const doc = await newDocument('Quyết định 15/QĐ-UBND (TEST)');
  doc.registerFontkit(fontkit);
  // Subset names carry a six-letter tag (ISO 32000-2 §9.9.2); pdf-lib would append a number instead.
  const regular = await doc.embedFont(await dejaVu('regular'), { subset: true, customName: 'KYSOAA+DejaVuSans' });
  const bold = await doc.embedFont(await dejaVu('bold'), { subset: true, customName: 'KYSOAB+DejaVuSans-Bold' });
  const page = doc.addPage(A4);
  const left = 85; // 30 mm
  const right = A4[0] - 57; // 20 mm
  const leftCx = left + 90;
  const rightCx = right - 105;
  const nfc = (s: string) => s.normalize('NFC');

  centred(page, nfc('ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG'), leftCx, 780, 8.5, bold);
  centred(page, nfc('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'), rightCx, 780, 9, bold);
  centred(page, nfc('Độc lập - Tự do - Hạnh phúc'), rightCx, 765, 10.5, bold);
  centred(page, nfc('Số: 15/QĐ-UBND'), leftCx, 740, 11, regular);
  centred(page, nfc('Đà Nẵng, ngày 05 tháng 01 năm 2026'), rightCx, 740, 11, regular);

  centred(page, nfc('QUYẾT ĐỊNH'), A4[0] / 2, 690, 14, bold);
  centred(page, nfc('Về việc ban hành Quy chế thử nghiệm chữ ký số (TEST)'), A4[0] / 2, 670, 12, bold);
  centred(page, nfc('CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG'), A4[0] / 2, 635, 12, bold);

  const body = [
    'Căn cứ Luật Giao dịch điện tử ngày 22 tháng 6 năm 2023;',
    'Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ',
    'về công tác văn thư;',
    'Theo đề nghị của Chánh Văn phòng Ủy ban nhân dân thành phố.',
    'QUYẾT ĐỊNH:',
    'Điều 1. Ban hành kèm theo Quyết định này Quy chế thử nghiệm chữ ký số.',
    'Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Tài liệu này chỉ dùng để kiểm thử.',
  ];
  let y = 600;
  for (const line of body) {
    page.drawText(nfc(line), { x: left, y, size: 11, font: line === 'QUYẾT ĐỊNH:' ? bold : regular });
    y -= 22;
  }

  centred(page, nfc('CHỦ TỊCH'), rightCx, 300, 12, bold);
  centred(page, nfc('Nguyễn Văn Đức'), rightCx, 200, 12, bold);
  page.drawText(nfc('Nơi nhận:'), { x: left, y: 300, size: 10, font: bold });
  page.drawText(nfc('- Như Điều 2;'), { x: left, y: 286, size: 9, font: regular });
  page.drawText(nfc('- Lưu: VT.'), { x: left, y: 274, size: 9, font: regular });
  return saveDocument(doc, 'vietnamese', false);
}

/**
 * One page with an empty, visible signature field `SigLeader`: a merged
 * field/widget dictionary (ISO 32000-2 §12.7.5.5, §12.5.6.19) listed in
 * /AcroForm /Fields and in the page's /Annots.
 */
export async function buildAcroFormEmptyField(): Promise<Uint8Array> {
  const doc = await newDocument('kyso TEST empty signature field');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage(A4);
  page.drawText('kyso TEST: a document with an empty signature field', { x: 72, y: 770, size: 14, font });
  const rect = [340, 120, 540, 200];
  page.drawText('Leader signature (SigLeader):', { x: rect[0]!, y: rect[3]! + 8, size: 9, font });
  page.drawRectangle({ x: rect[0]!, y: rect[1]!, width: rect[2]! - rect[0]!, height: rect[3]! - rect[1]!, borderColor: rgb(0.6, 0.6, 0.6), borderWidth: 0.5 });
  const ctx = doc.context;
  const field = ctx.obj({
    FT: 'Sig',
    T: PDFString.of('SigLeader'),
    Type: 'Annot',
    Subtype: 'Widget',
    Rect: rect,
    F: 4, // Print
    P: page.ref,
  });
  const fieldRef = ctx.register(field);
  page.node.set(PDFName.of('Annots'), ctx.obj([fieldRef]));
  doc.catalog.set(PDFName.of('AcroForm'), ctx.obj({ Fields: [fieldRef] }));
  return saveDocument(doc, 'acroform-empty-field', false);
}

/** A page turned by /Rotate 90 whose CropBox is smaller than its MediaBox. */
export async function buildRotated(): Promise<Uint8Array> {
  const doc = await newDocument('kyso TEST rotated page');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage(A4);
  page.drawText('kyso TEST: /Rotate 90, CropBox inside MediaBox', { x: 72, y: 700, size: 14, font });
  page.setRotation(degrees(90));
  page.setCropBox(36, 36, A4[0] - 72, A4[1] - 72); // x, y, width, height
  return saveDocument(doc, 'rotated', false);
}

/** A file whose header says %PDF-2.0 (same length as pdf-lib's %PDF-1.7, so offsets hold). */
export async function buildPdf20(): Promise<Uint8Array> {
  const doc = await newDocument('kyso TEST PDF 2.0');
  await textPages(doc, 1, 'kyso TEST: PDF 2.0 header');
  doc.catalog.set(PDFName.of('Version'), PDFName.of('2.0'));
  const bytes = await saveDocument(doc, 'pdf20', false);
  const header = new TextDecoder('latin1').decode(bytes.subarray(0, 8));
  if (header !== '%PDF-1.7') throw new Error('testkit: unexpected pdf-lib header ' + header);
  bytes.set(new TextEncoder().encode('%PDF-2.0'), 0);
  return bytes;
}
