import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KysoError, memorySource, sign, type SigningAdapter } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, type SampleName, type TestPki } from '@kyso/testkit';
import { PdfDocument } from '../../src/pdf/document.js';
import { listFields } from '../../src/pdf/fields.js';
import { decodeTextString, PdfString } from '../../src/pdf/objects.js';
import { tempDir, writeTemp } from '../helpers/signed-pdf.js';
import { darkPixels, makeVariant, pdfsigWith, pdfStringText, qpdfCheckWith, qpdfShowObject, type QpdfVariant } from './helpers.js';

let pki: TestPki;
let samples: Record<SampleName, string>;
let dir: string;
const files: Record<string, string> = {};
const read = (p: string) => new Uint8Array(readFileSync(p));
const T0 = new Date('2026-03-05T07:30:12Z');
const REASON = 'Phê duyệt hồ sơ số 12/QĐ';
const LOCATION = 'Da Nang city hall';

async function leader(): Promise<SigningAdapter> {
  const e = pki.entity('leader');
  return fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
}

beforeAll(async () => {
  pki = await ensurePki();
  samples = await ensureSamples();
  dir = tempDir('kyso-enc-sign-');
  files['sample aes-256 (R6)'] = samples['encrypted-aes256'];
  files['sample rc4-128 (R3)'] = samples['encrypted-rc4'];
  for (const v of ['aes-128', 'rc4-40', 'aes-256-objstm'] as QpdfVariant[]) files[`qpdf ${v}`] = makeVariant(dir, samples.simple, v);
});

/** Object number of the signature dictionary in the appended update. */
function sigObjectNumber(output: Uint8Array, inputLength: number): number {
  const m = /(\d+) 0 obj\n<<\/Type \/Sig\b/.exec(Buffer.from(output.subarray(inputLength)).toString('latin1'));
  expect(m).not.toBeNull();
  return Number(m![1]);
}

/** The text of one key in an object as qpdf prints it decrypted. */
function shownString(shown: string, key: string): string {
  const m = new RegExp(`/${key} (\\((?:[^()\\\\]|\\\\.)*\\)|<[0-9a-fA-F]*>)`).exec(shown);
  expect(m, shown).not.toBeNull();
  return pdfStringText(m![1]!);
}

function checkSigned(input: Uint8Array, output: Uint8Array, label: string, signatures = 1): string {
  expect(Buffer.compare(output.subarray(0, input.length), input), 'the input is a prefix of the output').toBe(0);
  const path = writeTemp(dir, `${label.replace(/[^a-z0-9-]+/gi, '_')}.pdf`, output);
  const q = qpdfCheckWith(path, 'user');
  expect(q.ok, q.output).toBe(true);
  const s = pdfsigWith(path, pki.nssDir, 'user');
  expect(s.total, s.output).toBe(signatures);
  expect(s.valid, s.output).toBe(signatures);
  expect(s.wholeDocument, s.output).toBeGreaterThanOrEqual(1);
  return path;
}

describe('signing encrypted PDFs with the password (ISO 32000-2 §7.6)', () => {
  const cases = ['sample aes-256 (R6)', 'sample rc4-128 (R3)', 'qpdf aes-128', 'qpdf rc4-40', 'qpdf aes-256-objstm']
    .flatMap((f) => ['user', 'owner'].map((pw) => [f, pw] as const));

  it.each(cases)('%s with the %s password: valid for pdfsig, clean for qpdf, strings encrypted', async (file, password) => {
    const input = read(files[file]!);
    const output = await sign(input, { adapter: await leader(), password, signingTime: T0, reason: REASON, location: LOCATION });
    const path = checkSigned(input, output, `${file}-${password}`);

    // qpdf decrypts the new signature dictionary's strings to what was given.
    const num = sigObjectNumber(output, input.length);
    const shown = qpdfShowObject(path, 'user', num);
    expect(shownString(shown, 'Reason')).toBe(REASON);
    expect(shownString(shown, 'Location')).toBe(LOCATION);
    // …and they are not in the file in the clear, while /Contents is (§7.6.2).
    const update = Buffer.from(output.subarray(input.length)).toString('latin1');
    expect(update).not.toContain(LOCATION);
    expect(update).toMatch(/\/Contents <30/);
    expect(update).toMatch(/\/Encrypt \d+ 0 R/);

    // kyso reads its own output back: decrypted strings, /Contents as written.
    const doc = PdfDocument.open(memorySource(output), { password });
    const field = listFields(doc).find((f) => f.type === 'Sig')!;
    const sig = doc.dictOf(field.value)!;
    expect(decodeTextString(sig.get('Reason') as PdfString)).toBe(REASON);
    expect((sig.get('Contents') as PdfString).bytes[0]).toBe(0x30);
    // The first /ID is kept: the file key depends on it (§7.6.4.3.2).
    const before = PdfDocument.open(memorySource(input), { password });
    expect(Buffer.from((doc.trailer.get('ID') as PdfString[])[0]!.bytes))
      .toEqual(Buffer.from((before.trailer.get('ID') as PdfString[])[0]!.bytes));
  });

  it('a second signature on an encrypted, already signed file leaves both valid', async () => {
    const input = read(files['sample aes-256 (R6)']!);
    const once = await sign(input, { adapter: await leader(), password: 'user', signingTime: T0, reason: 'first' });
    const twice = await sign(once, { adapter: await leader(), password: 'owner', signingTime: T0, reason: 'second' });
    checkSigned(once, twice, 'aes256-twice', 2);
  });

  it.each(['sample aes-256 (R6)', 'sample rc4-128 (R3)', 'qpdf aes-128'])(
    '%s: a visible Vietnamese appearance renders and reads back as text',
    async (file) => {
      const input = read(files[file]!);
      const output = await sign(input, {
        adapter: await leader(), password: 'user', signingTime: T0, reason: REASON,
        appearance: { role: 'approve' }, placement: { page: 1, rect: [300, 100, 240, 60] },
      });
      const path = checkSigned(input, output, `${file}-visible`);
      const inPath = writeTemp(dir, `${file.replace(/[^a-z0-9-]+/gi, '_')}-in.pdf`, input);
      expect(darkPixels(path, 'user')).toBeGreaterThan(darkPixels(inPath, 'user') + 50);
      const flat = join(dir, `${file.replace(/[^a-z0-9-]+/gi, '_')}-flat.pdf`);
      execFileSync('qpdf', ['--password=user', '--flatten-annotations=all', '--decrypt', path, flat]);
      const text = execFileSync('pdftotext', [flat, '-'], { encoding: 'utf8' });
      expect(text).toContain('Ký bởi: Nguyễn Văn Đức');
    },
  );

  it('a wrong password is ERR_PDF_PASSWORD and none is ERR_PDF_ENCRYPTED', async () => {
    const input = read(files['qpdf aes-128']!);
    const adapter = await leader();
    await expect(sign(input, { adapter, password: 'wrong', signingTime: T0 })).rejects.toMatchObject({ code: 'ERR_PDF_PASSWORD' });
    await expect(sign(input, { adapter, signingTime: T0 })).rejects.toBeInstanceOf(KysoError);
    await expect(sign(input, { adapter, signingTime: T0 })).rejects.toMatchObject({ code: 'ERR_PDF_ENCRYPTED' });
  });

  it('an unencrypted file signed with a password given is signed as usual', async () => {
    const input = read(samples.simple);
    const output = await sign(input, { adapter: await leader(), password: 'unused', signingTime: T0 });
    expect(Buffer.from(output.subarray(input.length)).toString('latin1')).not.toContain('/Encrypt');
  });
});
