import { createHash } from 'node:crypto';
import { PDFDocument, PDFHexString } from 'pdf-lib';

/** Every sample claims to be made at this instant, so output does not depend on the clock. */
export const SAMPLE_DATE = new Date('2026-01-05T08:00:00Z');

/** A4 in points (ISO 216: 210 × 297 mm). */
export const A4: [number, number] = [595.28, 841.89];

/** The two halves of a file identifier (ISO 32000-2 §14.4), derived from the sample name. */
export function fileId(name: string, revision = 0): [string, string] {
  const first = createHash('md5').update(`kyso-test-sample/${name}`).digest('hex').toUpperCase();
  const second = revision === 0 ? first : createHash('md5').update(`kyso-test-sample/${name}/${revision}`).digest('hex').toUpperCase();
  return [first, second];
}

/** A pdf-lib document with fixed metadata and no clock-dependent fields. */
export async function newDocument(title: string): Promise<PDFDocument> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(title);
  doc.setAuthor('kyso testkit (TEST)');
  doc.setProducer('kyso testkit');
  doc.setCreator('kyso testkit');
  doc.setCreationDate(SAMPLE_DATE);
  doc.setModificationDate(SAMPLE_DATE);
  return doc;
}

/** Saves with a fixed /ID; `useObjectStreams` selects xref stream (true) or classic table (false). */
export async function saveDocument(doc: PDFDocument, name: string, useObjectStreams: boolean): Promise<Uint8Array> {
  const [a, b] = fileId(name);
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(a), PDFHexString.of(b)]);
  return doc.save({ useObjectStreams, addDefaultPage: false, updateFieldAppearances: false });
}
