// @ts-check
// Fills the draft's number and date text fields in an incremental update (ISO 32000-2 §7.5.6), after the
// leader's approval signature: only the fields' /V and their appearance change, which §12.8.2.2.2 counts
// as form filling, an allowed change (kyso's verifier reports it as `form-filled`, allowed).
//
// Core does not export a form-filling API yet, so this example reaches into core's compiled PDF layer
// (the same parser and incremental writer the signer uses). See README "Open points".
import { createHash } from 'node:crypto';
import { memorySource } from '../../../packages/core/dist/pdf/byte-source.js';
import { PdfDocument } from '../../../packages/core/dist/pdf/document.js';
import { listFields } from '../../../packages/core/dist/pdf/fields.js';
import { buildIncrement } from '../../../packages/core/dist/pdf/incremental-writer.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString } from '../../../packages/core/dist/pdf/objects.js';

/** Times-Roman advance width of the digits, in 1/1000 em (Adobe Core14 AFM: every digit is 500). */
const DIGIT_WIDTH = 500;

/**
 * Appends one incremental update that sets the named text fields.
 * @param {Uint8Array} pdf the signed document
 * @param {Record<string, string>} values field name → value; digits only (the field font is Times-Roman, WinAnsi)
 * @returns {Uint8Array} `pdf` followed by the update
 */
export function fillTextFields(pdf, values) {
  for (const [name, v] of Object.entries(values)) {
    if (!/^[0-9]{1,8}$/.test(v)) throw new RangeError(`field ${name}: only 1–8 digits can be filled, got ${JSON.stringify(v)}`);
  }
  const doc = PdfDocument.open(memorySource(pdf));
  const acro = doc.dictOf(doc.catalog().get('AcroForm'));
  const dr = acro ? doc.dictOf(acro.get('DR')) : null;
  const fonts = dr ? doc.dictOf(dr.get('Font')) : null;
  const fields = new Map(listFields(doc).map((f) => [f.name, f]));
  /** @type {{ num: number, value: import('../../../packages/core/dist/pdf/objects.js').PdfValue }[]} */
  const objects = [];
  let next = doc.size;
  for (const [name, value] of Object.entries(values)) {
    const field = fields.get(name);
    if (!field || field.type !== 'Tx') throw new RangeError(`no text field named ${name}`);
    if (field.value !== undefined && field.value !== null) throw new RangeError(`field ${name} is already filled`);
    const d = field.dict;
    const rect = doc.box(d.get('Rect'));
    const da = doc.resolve(d.get('DA') ?? acro?.get('DA'));
    const m = da instanceof PdfString ? /\/(\S+)\s+([\d.]+)\s+Tf/.exec(new TextDecoder('latin1').decode(da.bytes)) : null;
    if (!rect || !m) throw new RangeError(`field ${name} has no rectangle or default appearance`);
    const [fontName, sizeText] = [m[1], m[2]];
    const font = fonts?.get(fontName);
    if (!(font instanceof PdfRef)) throw new RangeError(`field ${name}: font /${fontName} not in the form's /DR`);
    const size = Number(sizeText);
    const w = rect[2] - rect[0];
    const h = rect[3] - rect[1];
    // /Q 1: centred (§12.7.4.3, Table 228). The baseline sits where the page text around the field has it.
    const x = (w - (value.length * DIGIT_WIDTH * size) / 1000) / 2;
    const content = `/Tx BMC\nq\nBT\n/${fontName} ${size} Tf\n0 g\n${x.toFixed(2)} 3 Td\n(${value}) Tj\nET\nQ\nEMC\n`;
    const ap = new PdfStream(new PdfDict([
      ['Type', PdfName.of('XObject')], ['Subtype', PdfName.of('Form')], ['BBox', [0, 0, w, h]],
      ['Resources', new PdfDict([['Font', new PdfDict([[fontName, font]])]])],
    ]), -1, 0, new TextEncoder().encode(content));
    const apNum = next++;
    objects.push({ num: apNum, value: ap });
    const nd = d.clone().set('V', new PdfString(new TextEncoder().encode(value)))
      .set('AP', new PdfDict([['N', new PdfRef(apNum, 0)]]));
    objects.push({ num: field.ref.num, value: nd });
  }
  const ids = doc.trailer.get('ID');
  const first = Array.isArray(ids) && ids[0] instanceof PdfString ? ids[0].bytes : new Uint8Array(0);
  const newId = new Uint8Array(createHash('md5').update(first).update(JSON.stringify(values)).update(String(pdf.length)).digest());
  const inc = buildIncrement(doc, objects, { newId, lastByte: pdf[pdf.length - 1] ?? 0 });
  const out = new Uint8Array(pdf.length + inc.bytes.length);
  out.set(pdf, 0);
  out.set(inc.bytes, pdf.length);
  return out;
}

/**
 * Decree 30/2020 Appendix I §II.4: days below 10 and the months January and February are written with a
 * leading zero ("ngày 05 tháng 01"), other months without ("tháng 3").
 * @param {string} isoDate `YYYY-MM-DD`
 * @returns {{ day: string, month: string, year: string }}
 */
export function decree30DateParts(isoDate) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new RangeError(`not a date: ${JSON.stringify(isoDate)}`);
  const [year, mm, dd] = [m[1], Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(Number(year), mm - 1, dd));
  if (check.getUTCMonth() !== mm - 1 || check.getUTCDate() !== dd) throw new RangeError(`not a date: ${isoDate}`);
  return { day: String(dd).padStart(2, '0'), month: mm <= 2 ? String(mm).padStart(2, '0') : String(mm), year: String(year) };
}
