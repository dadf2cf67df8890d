/**
 * Documents for the pdf.js verifier's specs, made in Node from the testkit's
 * samples and test PKI (never downloaded): a form signed by the leader and
 * then filled in a later revision (a change an approval signature permits,
 * ISO 32000-2 §12.8.2.2.2), and the story fixtures for valid, disallowed and
 * tampered documents.
 */
import { readFile } from 'node:fs/promises';
import { PDFDict, PDFHexString, PDFName, PDFRef, PDFArray } from 'pdf-lib';
import { sign } from '@kyso/core';
import { Pkcs12Adapter } from '@kyso/adapters';
import { appendDss, appendUpdate, ensurePki, ensureSamples, STORY_P12_PASSWORD, STORY_SIGNING_TIME } from '@kyso/testkit';
import { catalogOf, copyDict, objectBody, streamBody } from '../../../testkit/src/stories/append.js';

/** The field the form has, the value filled after signing, and the field's box on page 1. */
export const FIELD = 'so_van_ban';
export const FILLED_VALUE = '15/QD-UBND';
const RECT = [72, 600, 300, 620] as const;

/** Appends a text field (empty) on page 1 whose appearance uses the form's /Helv (Helvetica, a standard font). */
async function withTextField(pdf: Uint8Array): Promise<Uint8Array> {
  return appendUpdate(pdf, ({ doc, next }) => {
    const fieldNum = next();
    const apNum = next();
    const fontNum = next();
    const page = doc.getPage(0);
    const pageDict = copyDict(doc, page.node);
    const annots = doc.context.obj([]) as PDFArray;
    for (const item of pageDict.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? []) annots.push(item);
    annots.push(PDFRef.of(fieldNum));
    pageDict.set(PDFName.of('Annots'), annots);
    const field = doc.context.obj({ FT: 'Tx', Type: 'Annot', Subtype: 'Widget', Rect: [...RECT], F: 4 }) as PDFDict;
    field.set(PDFName.of('T'), PDFHexString.fromText(FIELD));
    field.set(PDFName.of('DA'), PDFHexString.fromText('/Helv 12 Tf 0 g'));
    field.set(PDFName.of('P'), page.ref);
    field.set(PDFName.of('AP'), doc.context.obj({ N: PDFRef.of(apNum) }));
    const catalog = catalogOf(doc);
    const acroForm = doc.context.obj({ Fields: [PDFRef.of(fieldNum)] }) as PDFDict;
    acroForm.set(PDFName.of('DA'), PDFHexString.fromText('/Helv 0 Tf 0 g'));
    acroForm.set(PDFName.of('DR'), doc.context.obj({ Font: { Helv: PDFRef.of(fontNum) } }));
    catalog.dict.set(PDFName.of('AcroForm'), acroForm);
    const [w, h] = [RECT[2] - RECT[0], RECT[3] - RECT[1]];
    return [
      { num: fieldNum, body: objectBody(field) },
      { num: apNum, body: streamBody(`/Type /XObject /Subtype /Form /BBox [0 0 ${w} ${h}]`, '/Tx BMC EMC') },
      { num: fontNum, body: objectBody(doc.context.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica', Encoding: 'WinAnsiEncoding' })) },
      { num: page.ref.objectNumber, body: objectBody(pageDict) },
      { num: catalog.ref.objectNumber, body: objectBody(catalog.dict) },
    ];
  });
}

/** Fills the field in a new revision: a value and an appearance that shows it in the form's own font. */
export async function fillField(pdf: Uint8Array, value = FILLED_VALUE): Promise<Uint8Array> {
  return appendUpdate(pdf, ({ doc, next }) => {
    const apNum = next();
    const fieldRef = (doc.context.lookup(catalogOf(doc).dict.get(PDFName.of('AcroForm')), PDFDict).lookup(PDFName.of('Fields'), PDFArray)).get(0) as PDFRef;
    const field = copyDict(doc, doc.context.lookup(fieldRef, PDFDict));
    field.set(PDFName.of('V'), PDFHexString.fromText(value));
    field.set(PDFName.of('AP'), doc.context.obj({ N: PDFRef.of(apNum) }));
    const [w, h] = [RECT[2] - RECT[0], RECT[3] - RECT[1]];
    return [
      { num: fieldRef.objectNumber, body: objectBody(field) },
      { num: apNum, body: streamBody(`/Type /XObject /Subtype /Form /BBox [0 0 ${w} ${h}]`, `/Tx BMC BT /Helv 12 Tf 2 5 Td (${value}) Tj ET EMC`) },
    ];
  });
}

/** simple.pdf with a text field and the test PKI's validation data (/DSS), signed by the leader; then the form filled. */
export async function formDocuments(): Promise<{ signed: Uint8Array; filled: Uint8Array }> {
  const pki = await ensurePki();
  const samples = await ensureSamples();
  const base = await withTextField(new Uint8Array(await readFile(samples.simple)));
  const withDss = await appendDss(base, { crls: [pki.crlDer, pki.rootCrlDer], certs: pki.entity('leader').chainDer });
  const adapter = await Pkcs12Adapter.open(new Uint8Array(await readFile(pki.entity('leader').p12Path!)), STORY_P12_PASSWORD);
  const signed = await sign(withDss, { adapter, signingTime: new Date(STORY_SIGNING_TIME) });
  return { signed, filled: await fillField(signed) };
}
