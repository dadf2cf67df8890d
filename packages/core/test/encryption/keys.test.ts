import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { KysoError, memorySource } from '@kyso/core';
import { ensureSamples, type SampleName } from '@kyso/testkit';
import { PdfDocument } from '../../src/pdf/document.js';
import {
  authenticate, computeU, hashR6, loadAesCipher, objectKey, openSecurityHandler, parseEncryptDict, unicodePasswordBytes,
} from '../../src/pdf/encryption/index.js';
import { PdfDict, PdfRef, PdfStream, PdfString, dict, name } from '../../src/pdf/objects.js';
import { tempDir } from '../helpers/signed-pdf.js';
import { makeVariant, qpdfFileKey, type QpdfVariant } from './helpers.js';

let samples: Record<SampleName, string>;
let dir: string;
const read = (p: string) => new Uint8Array(readFileSync(p));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const open = (bytes: Uint8Array, password?: string) => PdfDocument.open(memorySource(bytes), { password });
const variants: Partial<Record<QpdfVariant, string>> = {};

beforeAll(async () => {
  samples = await ensureSamples();
  dir = tempDir('kyso-enc-keys-');
  // These tests open documents synchronously; the AES library loads on first need (docs/decisions/0036-lazy-aes-library.md).
  await loadAesCipher();
  for (const v of ['rc4-40', 'rc4-128', 'aes-128', 'aes-256-r5', 'aes-256', 'aes-256-objstm', 'rc4-128-empty-user'] as const) {
    variants[v] = makeVariant(dir, samples.simple, v);
  }
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof KysoError ? e.code : String(e);
  }
  return undefined;
}

/** The Info dictionary's strings and the page's decoded content, for comparison with the plain file. */
function plainView(doc: PdfDocument): { info: Record<string, string>; content: string } {
  const info = doc.dictOf(doc.trailer.get('Info'))!;
  const out: Record<string, string> = {};
  for (const [k, v] of info.map) if (v instanceof PdfString) out[k] = hex(v.bytes);
  const page = doc.pages()[0]!;
  const contents = doc.resolve(page.dict.get('Contents'));
  const first = Array.isArray(contents) ? doc.resolve(contents[0]) : contents;
  return { info: out, content: hex(doc.streamData(first as PdfStream)) };
}

describe('file keys agree with qpdf for every revision (ISO 32000-2 §7.6.4.3)', () => {
  const cases: [QpdfVariant, number, number][] = [
    ['rc4-40', 2, 5], ['rc4-128', 3, 16], ['aes-128', 4, 16], ['aes-256-r5', 5, 32], ['aes-256', 6, 32], ['aes-256-objstm', 6, 32],
  ];
  it.each(cases)('%s (R%i, %i-byte key): user and owner passwords give qpdf\'s key', (variant, r, length) => {
    const bytes = read(variants[variant]!);
    const expected = qpdfFileKey(variants[variant]!, 'user');
    const user = open(bytes, 'user').encryption!;
    expect(user.params.r).toBe(r);
    expect(user.authenticatedAs).toBe('user');
    expect(hex(user.fileKey)).toBe(expected);
    expect(user.fileKey.length).toBe(length);
    const owner = open(bytes, 'owner').encryption!;
    expect(owner.authenticatedAs).toBe('owner');
    expect(hex(owner.fileKey)).toBe(expected);
  });

  it.each(['rc4-40', 'rc4-128', 'aes-128', 'aes-256-r5', 'aes-256', 'aes-256-objstm'] as const)(
    '%s: strings and streams decrypt to those of the plain file',
    (variant) => {
      const plain = plainView(PdfDocument.open(memorySource(read(samples.simple))));
      expect(plainView(open(read(variants[variant]!), 'user'))).toEqual(plain);
    },
  );

  it('the testkit samples open with either password', async () => {
    for (const s of ['encrypted-aes256', 'encrypted-rc4'] as const) {
      for (const pw of ['user', 'owner']) {
        expect(hex(open(read(samples[s]), pw).encryption!.fileKey)).toBe(qpdfFileKey(samples[s], pw));
      }
    }
  });

  it('R3 /U is RC4 of the MD5 of the padding and /ID (Algorithm 5); R6 /U starts with the Algorithm 2.B hash', () => {
    const rc4Doc = open(read(variants['rc4-128']!), 'user');
    const ids = rc4Doc.trailer.get('ID') as PdfString[];
    const h = rc4Doc.encryption!;
    expect(hex(computeU(h.params, h.fileKey, ids[0]!.bytes).subarray(0, 16))).toBe(hex(h.params.u.subarray(0, 16)));
    const aes = open(read(variants['aes-256']!), 'user').encryption!;
    const u = aes.params.u;
    expect(hex(hashR6(6, unicodePasswordBytes('user'), u.subarray(32, 40), new Uint8Array(0)))).toBe(hex(u.subarray(0, 32)));
    expect(hex(hashR6(6, unicodePasswordBytes('wrong'), u.subarray(32, 40), new Uint8Array(0)))).not.toBe(hex(u.subarray(0, 32)));
  });

  it('object keys follow Algorithm 1: MD5 of key, 3 bytes of number, 2 of generation, "sAlT" for AES-128', () => {
    const key = new Uint8Array(16).fill(7);
    const rc4Key = objectKey(key, 0x030201, 0x0504, 'rc4');
    const aesKey = objectKey(key, 0x030201, 0x0504, 'aes128');
    expect(rc4Key.length).toBe(16);
    expect(hex(aesKey)).not.toBe(hex(rc4Key));
    expect(hex(objectKey(key.subarray(0, 5), 1, 0, 'rc4')).length).toBe(20); // n + 5 = 10 bytes
    expect(objectKey(new Uint8Array(32), 9, 0, 'aes256')).toEqual(new Uint8Array(32));
  });
});

describe('passwords and refusals', () => {
  it('a wrong password is ERR_PDF_PASSWORD, none is ERR_PDF_ENCRYPTED, for every revision', () => {
    for (const v of ['rc4-40', 'rc4-128', 'aes-128', 'aes-256-r5', 'aes-256'] as const) {
      const bytes = read(variants[v]!);
      expect(codeOf(() => open(bytes, 'wrong')), v).toBe('ERR_PDF_PASSWORD');
      expect(codeOf(() => open(bytes)), v).toBe('ERR_PDF_ENCRYPTED');
    }
  });

  it('a file whose user password is empty opens without one, as in viewers', () => {
    const doc = open(read(variants['rc4-128-empty-user']!));
    expect(doc.encryption!.authenticatedAs).toBe('user');
    expect(open(read(variants['rc4-128-empty-user']!), 'owner').encryption!.authenticatedAs).toBe('owner');
  });

  it('another security handler is ERR_PDF_UNSUPPORTED', () => {
    const bytes = read(samples['encrypted-rc4']);
    const text = Buffer.from(bytes).toString('latin1').replace('/Filter /Standard', '/Filter /PubSecXX');
    expect(codeOf(() => open(new Uint8Array(Buffer.from(text, 'latin1')), 'user'))).toBe('ERR_PDF_UNSUPPORTED');
  });

  it('unknown versions and crypt methods are ERR_PDF_UNSUPPORTED', () => {
    const base = { Filter: name('Standard'), O: new PdfString(new Uint8Array(48)), U: new PdfString(new Uint8Array(48)), P: -4 };
    expect(codeOf(() => parseEncryptDict(dict({ ...base, V: 3, R: 3 })))).toBe('ERR_PDF_UNSUPPORTED');
    expect(codeOf(() => parseEncryptDict(dict({ ...base, V: 2, R: 7 })))).toBe('ERR_PDF_UNSUPPORTED');
    const cf = dict({ StdCF: dict({ CFM: name('SM4') }) });
    expect(codeOf(() => parseEncryptDict(dict({ ...base, V: 4, R: 4, CF: cf, StmF: name('StdCF'), StrF: name('StdCF') })))).toBe('ERR_PDF_UNSUPPORTED');
    expect(codeOf(() => openSecurityHandler(dict({ ...base, Filter: name('Adobe.PubSec'), V: 4, R: 4 }), new Uint8Array(0), 'x'))).toBe('ERR_PDF_UNSUPPORTED');
  });
});

describe('the handler used for writing', () => {
  it('encrypts strings and streams per object, and decrypts them back; signature /Contents stays in the clear', () => {
    const doc = open(read(variants['aes-128']!), 'user');
    let counter = 0;
    const h = openSecurityHandler(doc.resolve(doc.trailer.get('Encrypt')) as PdfDict,
      (doc.trailer.get('ID') as PdfString[])[0]!.bytes, 'user', { randomBytes: (n) => new Uint8Array(n).fill(counter++) });
    const contents = new PdfString(new Uint8Array([0x30, 0x82, 0, 0]), true);
    const value = dict({
      Type: name('Sig'), Reason: new PdfString(new TextEncoder().encode('Phê duyệt')), Contents: contents,
      Kids: [new PdfRef(3, 0), new PdfString(new Uint8Array([1, 2, 3]))],
    });
    const enc = h.encryptObject(12, 0, value) as PdfDict;
    expect((enc.get('Contents') as PdfString).bytes).toEqual(contents.bytes);
    const reason = enc.get('Reason') as PdfString;
    expect(reason.bytes.length).toBe(32); // 16-byte IV + one padded block
    expect(reason.bytes.subarray(0, 16)).toEqual(new Uint8Array(16).fill(0)); // the injected IV
    const back = h.decryptObject(12, 0, enc) as PdfDict;
    expect(new TextDecoder().decode((back.get('Reason') as PdfString).bytes)).toBe('Phê duyệt');
    expect(((back.get('Kids') as unknown[])[1] as PdfString).bytes).toEqual(new Uint8Array([1, 2, 3]));
    // Another object number gives another key.
    const other = (h.decryptObject(13, 0, enc) as PdfDict).get('Reason') as PdfString;
    expect(hex(other.bytes)).not.toBe(hex((back.get('Reason') as PdfString).bytes));
    // The input is not changed.
    expect(value.get('Reason')).not.toBe(reason);

    const stream = new PdfStream(dict({ Length: 3 }), -1, 0, new Uint8Array([9, 8, 7]));
    const es = h.encryptObject(14, 0, stream) as PdfStream;
    expect(es.data!.length).toBe(32);
    expect((h.decryptObject(14, 0, es) as PdfStream).data).toEqual(new Uint8Array([9, 8, 7]));
    // Cross-reference streams are never encrypted (§7.6.2).
    const xref = new PdfStream(dict({ Type: name('XRef') }), -1, 0, new Uint8Array([1]));
    expect((h.encryptObject(15, 0, xref) as PdfStream).data).toEqual(new Uint8Array([1]));
  });

  it('authenticate() tries the owner password first', () => {
    const doc = open(read(variants['rc4-40']!), 'owner');
    const ids = doc.trailer.get('ID') as PdfString[];
    expect(authenticate(doc.encryption!.params, 'owner', ids[0]!.bytes)!.as).toBe('owner');
    expect(authenticate(doc.encryption!.params, 'user', ids[0]!.bytes)!.as).toBe('user');
    expect(authenticate(doc.encryption!.params, 'nope', ids[0]!.bytes)).toBeNull();
  });
});
