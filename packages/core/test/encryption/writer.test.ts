import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { memorySource } from '@kyso/core';
import { ensureSamples, type SampleName } from '@kyso/testkit';
import { PdfDocument } from '../../src/pdf/document.js';
import { loadAesCipher } from '../../src/pdf/encryption/index.js';
import { buildIncrement } from '../../src/pdf/incremental-writer.js';
import { decodeTextString, PdfDict, PdfRef, PdfStream, PdfString, textString } from '../../src/pdf/objects.js';
import { tempDir, writeTemp } from '../helpers/signed-pdf.js';
import { makeVariant, qpdfCheckWith, qpdfShowObject, pdfStringText, type QpdfVariant } from './helpers.js';

let samples: Record<SampleName, string>;
let dir: string;
const read = (p: string) => new Uint8Array(readFileSync(p));
const TITLE = 'Quyết định số 12 (bản ký)';

beforeAll(async () => {
  samples = await ensureSamples();
  dir = tempDir('kyso-enc-writer-');
  // These tests open documents synchronously; the AES library loads on first need (docs/decisions/0036-lazy-aes-library.md).
  await loadAesCipher();
});

/** Appends an update that changes the Info /Title, with IVs from a counter so the bytes are reproducible. */
function retitle(input: Uint8Array): { output: Uint8Array; infoNum: number } {
  let counter = 0;
  const doc = PdfDocument.open(memorySource(input), { password: 'user', randomBytes: (n) => new Uint8Array(n).fill(counter++) });
  const infoRef = doc.trailer.get('Info') as PdfRef;
  const info = (doc.get(infoRef) as PdfDict).clone().set('Title', textString(TITLE));
  const inc = buildIncrement(doc, [{ num: infoRef.num, value: info }], { newId: new Uint8Array(16).fill(0xab), lastByte: input[input.length - 1]! });
  const output = new Uint8Array(input.length + inc.bytes.length);
  output.set(input);
  output.set(inc.bytes, input.length);
  return { output, infoNum: infoRef.num };
}

describe('the incremental writer on encrypted files', () => {
  it.each(['aes-128', 'aes-256', 'rc4-40', 'aes-256-objstm'] as QpdfVariant[])(
    '%s: changed objects are encrypted with their own key, qpdf reads them, /Encrypt and /ID[0] are kept',
    (variant) => {
      const input = read(makeVariant(dir, samples.simple, variant));
      const { output, infoNum } = retitle(input);
      const path = writeTemp(dir, `retitled-${variant}.pdf`, output);
      expect(qpdfCheckWith(path, 'user').ok).toBe(true);
      const shown = qpdfShowObject(path, 'user', infoNum);
      expect(pdfStringText(/\/Title (<[0-9a-f]+>|\([^)]*\))/.exec(shown)![1]!)).toBe(TITLE);

      const before = PdfDocument.open(memorySource(input), { password: 'owner' });
      const after = PdfDocument.open(memorySource(output), { password: 'owner' });
      expect(decodeTextString((after.get(infoNum) as PdfDict).get('Title') as PdfString)).toBe(TITLE);
      expect((after.trailer.get('Encrypt') as PdfRef).num).toBe((before.trailer.get('Encrypt') as PdfRef).num);
      expect((after.trailer.get('ID') as PdfString[])[0]!.bytes).toEqual((before.trailer.get('ID') as PdfString[])[0]!.bytes);
      // The page content is untouched and still decrypts.
      const page = after.pages()[0]!;
      const c = after.resolve(page.dict.get('Contents'));
      const s = (Array.isArray(c) ? after.resolve(c[0]) : c) as PdfStream;
      expect(new TextDecoder('latin1').decode(after.streamData(s))).toContain('BT');
    },
  );

  it('with an injected IV source the update is byte-for-byte reproducible', () => {
    const input = read(makeVariant(dir, samples.simple, 'aes-256'));
    const a = retitle(input).output;
    const b = retitle(input).output;
    expect(Buffer.compare(a, b)).toBe(0);
  });
});
