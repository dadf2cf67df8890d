import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFHexString, PDFName, PDFString, StandardFonts } from 'pdf-lib';
import { run } from '../exec.js';
import type { TestPki } from '../pki/generate.js';
import type { LeafName } from '../pki/profile.js';
import { toPem } from '../pki/x509.js';
import { A4, newDocument, saveDocument } from './pdf-lib-helpers.js';

/** Options for {@link opensslSignedPdf}. */
export interface OpensslSignedPdfOptions {
  readonly pki: TestPki;
  /** Default `'leader'`. */
  readonly signer?: LeafName;
  /** Bytes reserved for the CMS in /Contents; default 16 KiB. */
  readonly contentsBytes?: number;
}

const BYTE_RANGE_PLACEHOLDER = [0, 1111111111, 2222222222, 3333333333];

/**
 * A one-page PDF signed by `openssl cms` rather than by kyso: an
 * adbe.pkcs7.detached signature (ISO 32000-2 §12.8.3.3) over the
 * /ByteRange, with the signer's chain embedded. A second implementation to
 * cross-check kyso's verifier and poppler's `pdfsig` against. Not
 * deterministic: openssl puts the real clock in signingTime.
 */
export async function opensslSignedPdf(options: OpensslSignedPdfOptions): Promise<Uint8Array> {
  const { pki } = options;
  const signer = pki.entity(options.signer ?? 'leader');
  const size = options.contentsBytes ?? 16384;
  const doc = await newDocument('kyso TEST signed by openssl');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage(A4);
  page.drawText('kyso TEST: signed with openssl cms', { x: 72, y: 770, size: 14, font });
  const ctx = doc.context;
  const sig = ctx.register(
    ctx.obj({
      Type: 'Sig',
      Filter: 'Adobe.PPKLite',
      SubFilter: 'adbe.pkcs7.detached',
      ByteRange: BYTE_RANGE_PLACEHOLDER,
      Contents: PDFHexString.of('0'.repeat(size * 2)),
      M: PDFString.of('D:20260105080000Z'),
    }),
  );
  const field = ctx.register(
    ctx.obj({ FT: 'Sig', T: PDFString.of('SigOpenssl'), V: sig, Type: 'Annot', Subtype: 'Widget', Rect: [0, 0, 0, 0], F: 132, P: page.ref }),
  );
  page.node.set(PDFName.of('Annots'), ctx.obj([field]));
  doc.catalog.set(PDFName.of('AcroForm'), ctx.obj({ Fields: [field], SigFlags: 3 }));
  const bytes = Buffer.from(await saveDocument(doc, 'openssl-signed', false));

  const text = bytes.toString('latin1');
  const brText = `[ ${BYTE_RANGE_PLACEHOLDER.join(' ')} ]`;
  const brAt = text.indexOf(brText);
  const contentsAt = text.indexOf('/Contents <', brAt >= 0 ? 0 : text.length);
  if (brAt < 0 || contentsAt < 0) throw new Error('testkit: placeholder not found in the pdf-lib output');
  const start = contentsAt + '/Contents '.length; // at '<'
  const end = text.indexOf('>', start) + 1;
  const range = [0, start, end, bytes.length - end];
  const brNew = `[ ${range.join(' ')} ]`.padEnd(brText.length, ' ');
  bytes.write(brNew, brAt, 'latin1');

  const cms = await opensslCms(signer, Buffer.concat([bytes.subarray(0, start), bytes.subarray(end)]), 'kyso-osign-');
  if (cms.length > size) throw new Error(`testkit: CMS of ${cms.length} bytes exceeds /Contents of ${size}`);
  bytes.write(cms.toString('hex').toUpperCase(), start + 1, 'latin1');
  return new Uint8Array(bytes);
}

/**
 * A detached CMS SignedData (DER) over `signedBytes` made by `openssl cms -sign`: the signer's key, its chain
 * embedded, SHA-256, no S/MIME capabilities. Works in a temporary `<tmp>/<prefix>XXXXXX`, removed afterwards.
 */
export async function opensslCms(
  signer: { readonly certPath: string; readonly keyPath: string; readonly chainDer: readonly Uint8Array[] },
  signedBytes: Buffer,
  prefix: string,
): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    await writeFile(join(dir, 'chain.pem'), signer.chainDer.map((c) => toPem('CERTIFICATE', c)).join(''));
    await writeFile(join(dir, 'signed-bytes'), signedBytes);
    await run('openssl', [
      'cms', '-sign', '-binary', '-in', 'signed-bytes', '-signer', signer.certPath, '-inkey', signer.keyPath,
      '-certfile', 'chain.pem', '-md', 'sha256', '-nosmimecap', '-outform', 'DER', '-out', 'sig.p7s',
    ], { cwd: dir });
    return await readFile(join(dir, 'sig.p7s'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
