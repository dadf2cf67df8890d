/**
 * Hostile input against `verify`: every case ends, within a generous bound,
 * either in a typed KysoError or in a report where no signature is
 * TOTAL_PASSED; nothing crashes and nothing hangs. Most cases start from a
 * document kyso signed (which passes untouched) and break one thing.
 */
import { concatBytes } from '../../src/util/bytes.js';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KysoError, sign, verify, type ByteSource, type SigningAdapter, type VerificationReport, type VerifyOptions } from '@kyso/core';
import { openFileSource, signFile } from '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensureLargeSample, ensurePki, ensureSamples, handSignedPdf, PKI_URLS, routeFetch, SAMPLE_PASSWORDS, type SampleName, type TestPki, startPkiRevocation } from '@kyso/testkit';
import { memorySource } from '../../src/pdf/byte-source.js';
import { PdfDocument } from '../../src/pdf/document.js';
import { buildIncrement, type UpdateObject } from '../../src/pdf/incremental-writer.js';
import { dict, name, PdfDict, PdfRef, PdfString, textString, type PdfValue } from '../../src/pdf/objects.js';
import { readRevisions } from '../../src/verify/structure/index.js';
import { EncodedElement } from '../../src/crypto/raw-der.js';
import { latin1, text } from '../pdf/minimal-pdf.js';
import { issueTestCertificate } from './chain/issue.js';
import { appendUpdate as append, stream } from '../helpers/pdf-update.js';

let pki: TestPki;
let samples: Record<SampleName, string>;
let online: VerifyOptions;
let leader: SigningAdapter;
let signed: Uint8Array;
let dir: string;
const closers: (() => Promise<void>)[] = [];
const AT = new Date('2030-01-01T00:00:00Z');
const T0 = new Date('2026-03-05T07:30:12Z');
/** A hostile file is dealt with quickly: a bound against hangs, not a benchmark. */
const BOUND_MS = 20_000;
const read = (p: string) => new Uint8Array(readFileSync(p));

beforeAll(async () => {
  pki = await ensurePki();
  samples = await ensureSamples();
  const revocation = await startPkiRevocation(pki);
  closers.push(() => revocation.close());
  online = { trust: [pki.rootDer], revocation: 'online', fetch: revocation.fetch, at: AT, timeoutMs: 2000 };
  const e = pki.entity('leader');
  leader = await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
  signed = await sign(read(samples.simple), { adapter: leader, signingTime: T0 });
  dir = mkdtempSync(join(tmpdir(), 'kyso-verify-hostile-'));
});

afterAll(async () => {
  for (const close of closers) await close();
  rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- builders




/** Appends raw text as an update whose xref section is written by `tail(xrefOffset)`. */
function appendRaw(bytes: Uint8Array, body: string, tail: (xrefAt: number, bodyAt: number) => string): Uint8Array {
  const bodyAt = bytes.length;
  const xrefAt = bodyAt + body.length;
  return concatBytes([bytes, latin1(body + tail(xrefAt, bodyAt))]);
}

/** The signature dictionary of the (only) signature, its object number and its placeholders. */
function locate(pdf: Uint8Array) {
  const s = text(pdf);
  const brKey = s.lastIndexOf('/ByteRange');
  const br = s.indexOf('[', brKey) + 1;
  const brEnd = s.indexOf(']', br);
  const contents = s.indexOf('<', s.indexOf('/Contents', brKey));
  const contentsEnd = s.indexOf('>', contents) + 1;
  const numbers = s.slice(br, brEnd).trim().split(/\s+/).map(Number) as [number, number, number, number];
  const sigObj = Number([...s.slice(0, brKey).matchAll(/(\d+) 0 obj\s*<</g)].pop()![1]);
  return { br, brEnd, contents, contentsEnd, numbers, sigObj, room: contentsEnd - contents - 2 };
}

function patch(pdf: Uint8Array, start: number, end: number, by: string): Uint8Array {
  if (by.length > end - start) throw new Error(`patch: ${by.length} > ${end - start}`);
  const out = pdf.slice();
  out.set(latin1(by.padEnd(end - start, ' ')), start);
  return out;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/** /Contents replaced in place by these DER bytes (zero padded), nothing else moved. */
function withCms(pdf: Uint8Array, der: Uint8Array): Uint8Array {
  const l = locate(pdf);
  const h = hex(der);
  if (h.length > l.room) throw new Error(`CMS of ${der.length} bytes does not fit ${l.room / 2}`);
  return patch(pdf, l.contents, l.contentsEnd, `<${h.padEnd(l.room, '0')}>`);
}

function cmsOf(pdf: Uint8Array): Uint8Array {
  const l = locate(pdf);
  const h = text(pdf).slice(l.contents + 1, l.contentsEnd - 1);
  const bytes = Uint8Array.from(Buffer.from(h, 'hex'));
  const len = asn1js.fromBER(bytes.slice().buffer).offset;
  return bytes.subarray(0, len);
}

/** Re-encodes the CMS of `pdf` after `change` (the signed attributes and signature are left alone unless changed). */
function changeCms(pdf: Uint8Array, change: (sd: pkijs.SignedData) => void): Uint8Array {
  const der = cmsOf(pdf);
  const ci = pkijs.ContentInfo.fromBER(der.slice().buffer);
  const sd = new pkijs.SignedData({ schema: ci.content });
  change(sd);
  const out = new pkijs.ContentInfo({ contentType: ci.contentType, content: sd.toSchema(true) });
  return new Uint8Array(out.toSchema().toBER(false));
}

/** The signature dictionary redefined in an appended update. */
function redefineSignature(pdf: Uint8Array, change: (d: PdfDict) => void): Uint8Array {
  const l = locate(pdf);
  return append(pdf, (doc) => {
    const d = (doc.get(l.sigObj) as PdfDict).clone();
    change(d);
    return [{ num: l.sigObj, value: d }];
  });
}

/** Object `num` redefined in an appended update by raw text (for what the writer refuses to write). */
function redefineRaw(bytes: Uint8Array, num: number, body: string): Uint8Array {
  const doc = PdfDocument.open(memorySource(bytes));
  return appendRaw(bytes, `${num} 0 obj\n${body}\nendobj\n`, (x, at) =>
    `xref\n${num} 1\n${String(at).padStart(10, '0')} 00000 n\r\ntrailer\n<< /Size ${doc.size} /Root ${doc.rootRef.num} 0 R /Prev ${doc.xref.startxref} >>\nstartxref\n${x}\n%%EOF\n`);
}

/** `n` copies of a certificate, each with another serial number (so each signature is broken). */
function impostors(der: Uint8Array, n: number): Uint8Array[] {
  // Byte-patched copies (the serial's last four octets replaced, every length unchanged): building 10,000
  // certificates through asn1js took half a minute, which is the test's cost, not the verifier's.
  const cert = asn1js.fromBER(der.slice().buffer).result as asn1js.Sequence;
  const tbs = cert.valueBlock.value[0] as asn1js.Sequence;
  const serial = tbs.valueBlock.value[tbs.valueBlock.value[0]!.idBlock.tagClass === 3 ? 1 : 0]!;
  const value = new Uint8Array(serial.valueBeforeDecodeView);
  const at = indexOfBytes(der, value) + value.length - 4;
  return Array.from({ length: n }, (_, i) => {
    const copy = der.slice();
    new DataView(copy.buffer).setUint32(at, 0x10000000 + i);
    return copy;
  });
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('not found');
}

/** The CMS with its certificate set (RFC 5652 §5.1) replaced by these certificates (embedded as given), everything else as it was. */
function withCertificates(cms: Uint8Array, certs: readonly Uint8Array[]): Uint8Array {
  const ci = asn1js.fromBER(cms.slice().buffer).result as asn1js.Sequence;
  const sd = (ci.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence;
  const set = sd.valueBlock.value.find((v) => v.idBlock.tagClass === 3 && v.idBlock.tagNumber === 0) as asn1js.Constructed;
  set.valueBlock.value = certs.map((c) => new EncodedElement(c));
  return new Uint8Array(ci.toBER(false));
}

/** `n` incremental updates, each rewriting /Info; the last one (if `evil`) also replacing page 1's content. */
function manyRevisions(bytes: Uint8Array, n: number, evil: boolean): Uint8Array {
  const doc = PdfDocument.open(memorySource(bytes));
  const info = doc.size;
  const parts: string[] = [];
  let prev = doc.xref.startxref;
  let at = bytes.length;
  const page = doc.pages()[0]!.ref.num;
  const pageDict = (doc.get(page) as PdfDict).clone();
  for (let i = 0; i < n; i++) {
    let body = `${info} 0 obj\n<< /Producer (update ${i}) >>\nendobj\n`;
    const offsets = [[info, at]];
    if (evil && i === n - 1) {
      const contentAt = at + body.length;
      const content = 'BT /F1 24 Tf 72 720 Td (so 99) Tj ET';
      body += `${info + 1} 0 obj\n<< /Length ${content.length} >>\nstream\n${content}\nendstream\nendobj\n`;
      offsets.push([info + 1, contentAt]);
      const pageAt = at + body.length;
      pageDict.set('Contents', new PdfRef(info + 1, 0));
      body += `${page} 0 obj\n${text(serialize(pageDict))}\nendobj\n`;
      offsets.push([page, pageAt]);
    }
    const x = at + body.length;
    let xref = 'xref\n';
    for (const [num, off] of offsets.sort((a, b) => a[0]! - b[0]!)) xref += `${num} 1\n${String(off).padStart(10, '0')} 00000 n\r\n`;
    const chunk = `${body}${xref}trailer\n<< /Size ${info + 2} /Root ${doc.rootRef.num} 0 R /Prev ${prev} >>\nstartxref\n${x}\n%%EOF\n`;
    parts.push(chunk);
    prev = x;
    at += chunk.length;
  }
  return concatBytes([bytes, latin1(parts.join(''))]);
}

function serialize(d: PdfDict): Uint8Array {
  // The incremental writer's serialiser, through a throw-away update.
  const doc = PdfDocument.open(memorySource(signed));
  const inc = buildIncrement(doc, [{ num: 1, value: d }], { newId: new Uint8Array(16), lastByte: 0x0a });
  const s = text(inc.bytes);
  return latin1(s.slice(s.indexOf('obj\n') + 4, s.indexOf('\nendobj')));
}

/** An HTTP server that accepts requests and never answers. */
async function silentServer(): Promise<string> {
  const server: Server = createServer(() => {
    // never answers
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const port = (server.address() as { port: number }).port;
  return `http://127.0.0.1:${port}/`;
}

// ---------------------------------------------------------------- the table

/**
 * Known slow cases and their bound. Building and verifying a /Contents of 10,000
 * certificates (13 MB of DER) takes tens of seconds here although the CMS is now
 * refused above 256 certificates: where the rest goes is not yet profiled.
 */

/** Label, input, extra options, and how many (genuine, untouched) signatures may still pass. */
type Case = [string, () => Promise<Uint8Array | ByteSource> | Uint8Array, VerifyOptions?, number?];

const CASES: Case[] = [
  ['empty file', () => new Uint8Array(0)],
  ['one zero byte', () => new Uint8Array(1)],
  ['a megabyte of zero bytes', () => new Uint8Array(1 << 20)],
  ['garbage', () => Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7919 + 13) % 256)],
  ['a PDF header then garbage', () => concatBytes([latin1('%PDF-1.7\n'), Uint8Array.from({ length: 10_000 }, (_, i) => (i * 104729) % 256)])],
  ['a text file', () => latin1('hello world\n'.repeat(1000))],
  ['huge /Size', () => appendRaw(signed, '', (x) => `xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 2147483647 /Root 1 0 R /Prev ${PdfDocument.open(memorySource(signed)).xref.startxref} >>\nstartxref\n${x}\n%%EOF\n`)],
  ['/Prev pointing at its own section', () => appendRaw(signed, '', (x) => `xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 20 /Root 1 0 R /Prev ${x} >>\nstartxref\n${x}\n%%EOF\n`)],
  ['/Prev cycle of two appended sections', () => {
    const one = appendRaw(signed, '', (x) => `xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 20 /Root 1 0 R /Prev ${x + 200} >>\nstartxref\n${x}\n%%EOF\n`.padEnd(200, ' '));
    const firstAt = signed.length;
    return appendRaw(one, '', (x) => `xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 20 /Root 1 0 R /Prev ${firstAt} >>\nstartxref\n${x}\n%%EOF\n`);
  }],
  ['/Prev beyond the end of the file', () => appendRaw(signed, '', (x) => `xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 20 /Root 1 0 R /Prev 999999999 >>\nstartxref\n${x}\n%%EOF\n`)],
  ['/XRefStm pointing at its own table (an xref loop)', () => appendRaw(signed, '', (x) => `xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 20 /Root 1 0 R /XRefStm ${x} /Prev ${PdfDocument.open(memorySource(signed)).xref.startxref} >>\nstartxref\n${x}\n%%EOF\n`)],
  ['an object in an object stream that is itself', () => {
    const prev = PdfDocument.open(memorySource(signed)).xref.startxref;
    const body = `30 0 obj\n<< /Type /ObjStm /N 1 /First 5 /Length 9 >>\nstream\n30 0 30 0 R\nendstream\nendobj\n`;
    return appendRaw(signed, body, (x, at) => {
      const data = new Uint8Array([1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 30, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
      void data;
      return `xref\n30 1\n${String(at).padStart(10, '0')} 00000 n\r\n31 1\n0000000000 00000 n\r\ntrailer\n<< /Size 32 /Root 30 0 R /Prev ${prev} >>\nstartxref\n${x}\n%%EOF\n`;
    });
  }],
  ['startxref pointing into the middle of an object', () => {
    const s = text(signed);
    return latin1(s.replace(/startxref\n(\d+)\n%%EOF\n$/, (_m, n: string) => `startxref\n${String(Number(n) - 37).padStart(n.length, '0')}\n%%EOF\n`));
  }],
  ['deep array nesting in the catalog', () => {
    const doc = PdfDocument.open(memorySource(signed));
    return redefineRaw(signed, doc.rootRef.num, text(serialize(doc.catalog())).replace(/>>$/, ` /X ${'['.repeat(20_000)}${']'.repeat(20_000)} >>`));
  }],
  ['deep dictionary nesting in the signature dictionary', () => {
    const doc = PdfDocument.open(memorySource(signed));
    const l = locate(signed);
    return redefineRaw(signed, l.sigObj, text(serialize(doc.get(l.sigObj) as PdfDict)).replace(/>>$/, ` /X ${'<< /A '.repeat(20_000)}1${' >>'.repeat(20_000)} >>`));
  }],
  ['a reference loop in the signature field value', () => {
    const l = locate(signed);
    return append(signed, () => [{ num: l.sigObj, value: new PdfRef(l.sigObj, 0) }]);
  }],
  ['a field tree cycle', () => append(signed, (doc, next) => {
    const a = next();
    const b = next();
    const af = doc.dictOf(doc.catalog().get('AcroForm'))!.clone();
    af.set('Fields', [...(doc.resolve(af.get('Fields')) as PdfValue[]), a]);
    const acro = doc.catalog().get('AcroForm');
    return [
      { num: a.num, value: dict({ T: textString('a'), Kids: [b] }) },
      { num: b.num, value: dict({ T: textString('b'), Kids: [a] }) },
      acro instanceof PdfRef ? { num: acro.num, value: af } : { num: doc.rootRef.num, value: doc.catalog().clone().set('AcroForm', af) },
    ];
  })],
  ['a 10^6-element /ByteRange array', () => redefineSignature(signed, (d) => d.set('ByteRange', Array.from({ length: 1_000_000 }, (_, i) => i)))],
  ['a /ByteRange of numbers beyond 2^53', () => {
    const l = locate(signed);
    return patch(signed, l.br, l.brEnd, `0 ${l.numbers[1]} 99999999999999999999 ${l.numbers[3]}`);
  }],
  ['a /ByteRange reaching past the end of the file', () => {
    const l = locate(signed);
    return patch(signed, l.br, l.brEnd, `0 ${l.numbers[1]} ${l.numbers[2]} ${l.numbers[3] + 100_000}`);
  }],
  ['a /Contents of 10 MB hex', () => redefineSignature(signed, (d) => d.set('Contents', new PdfString(new Uint8Array(5 * 1024 * 1024).fill(0xab), true)))],
  ['a /Contents literal string holding the CMS', () => redefineSignature(signed, (d) => d.set('Contents', new PdfString(cmsOf(signed), false)))],
  ['non-zero bytes after the CMS in /Contents', () => {
    const der = cmsOf(signed);
    return withCms(signed, concatBytes([der, new Uint8Array([0xde, 0xad, 0xbe, 0xef])]));
  }],
  ['a DER bomb: 3,000 nested indefinite-length sequences', () => {
    const n = Math.min(3000, Math.floor(locate(signed).room / 8));
    return withCms(signed, concatBytes([new Uint8Array(n * 2).map((_, i) => (i % 2 ? 0x80 : 0x30)), new Uint8Array(n * 2)]));
  }],
  ['a DER bomb: a 2 GB length', () => withCms(signed, new Uint8Array([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x06, 0x09, 0x2a, 0x86, 0x48]))],
  ['a DER bomb: an eight-byte length', () => withCms(signed, new Uint8Array([0x30, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x00]))],
  ['a DER bomb: SignedData whose certificate set claims 1 GB', () => {
    const oid = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
    return withCms(signed, new Uint8Array([0x30, 0x80, ...oid, 0xa0, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0x31, 0x00, 0x30, 0x02, 0x06, 0x00, 0xa0, 0x84, 0x40, 0, 0, 0, 0x30]));
  }],
  ['a CMS without the signer certificate', () => withCms(signed, changeCms(signed, (sd) => {
    sd.certificates = [];
  }))],
  ['a CMS whose signature value is corrupted', () => withCms(signed, changeCms(signed, (sd) => {
    const v = new Uint8Array(sd.signerInfos[0]!.signature.valueBlock.valueHexView);
    v[10] ^= 0xff;
    sd.signerInfos[0]!.signature = new asn1js.OctetString({ valueHex: v.buffer });
  }))],
  ['a CMS with 10,000 certificates (impostors of the issuing CA, the real one left out)', () => {
    // Too big for a placeholder kyso would reserve: the signature dictionary is redefined with it and a
    // ByteRange that ends at no revision, so the verifier reads this /Contents (and still parses it).
    const big = withCertificates(cmsOf(signed), [new Uint8Array(pki.entity('leader').certDer), ...impostors(pki.entity('intermediate').certDer, 10_000)]);
    const l = locate(signed);
    return redefineSignature(signed, (d) => d.set('Contents', new PdfString(big, true)).set('ByteRange', [0, l.numbers[1], l.numbers[2], l.numbers[3] - 7]));
  }],
  ['a certificate chain loop (A issued by B issued by A)', async () => {
    const rsa = pki.entity('rsa3072');
    const seal = pki.entity('seal');
    const notAfter = new Date('2035-01-01T00:00:00Z');
    // A: subject and key of 'seal', issued (signed) by 'rsa3072'; B: subject and key of 'rsa3072', issued by 'seal'.
    const a = issueTestCertificate({ issuer: rsa, keyOf: seal, cn: 'A', subjectOf: seal.certDer, ca: true, keyUsage: ['keyCertSign'], notAfter });
    const b = issueTestCertificate({ issuer: seal, keyOf: rsa, cn: 'B', subjectOf: rsa.certDer, ca: true, keyUsage: ['keyCertSign'], notAfter });
    const e = pki.entity('leader');
    const leaf = issueTestCertificate({ issuer: seal, keyOf: e, cn: 'Loop leaf', ca: false, keyUsage: ['digitalSignature', 'nonRepudiation'], notAfter });
    const adapter = await fromPkcs8Pem(e.keyPem, leaf, [a, b]);
    return sign(read(samples.simple), { adapter, signingTime: T0 });
  }],
  ['1,000 signature fields', () => append(signed, (doc, next) => {
    const fields: PdfRef[] = [];
    const objects: UpdateObject[] = [];
    for (let i = 0; i < 1000; i++) {
      const f = next();
      const v = next();
      fields.push(f);
      objects.push(
        { num: v.num, value: dict({ Type: name('Sig'), Filter: name('Adobe.PPKLite'), SubFilter: name('ETSI.CAdES.detached'), ByteRange: [0, 10, 20, 30], Contents: new PdfString(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), true) }) },
        { num: f.num, value: dict({ FT: name('Sig'), T: textString(`Fake${i}`), V: v }) },
      );
    }
    const acro = doc.catalog().get('AcroForm');
    const af = doc.dictOf(acro)!.clone();
    af.set('Fields', [...(doc.resolve(af.get('Fields')) as PdfValue[]), ...fields]);
    objects.push(acro instanceof PdfRef ? { num: acro.num, value: af } : { num: doc.rootRef.num, value: doc.catalog().clone().set('AcroForm', af) });
    return objects;
  }), {}, 1],
  ['an encrypted signed file without its password', async () => sign(read(samples['encrypted-aes256']), { adapter: leader, signingTime: T0, password: SAMPLE_PASSWORDS.user })],
  ['an encrypted signed file with a wrong password', async () => sign(read(samples['encrypted-rc4']), { adapter: leader, signingTime: T0, password: SAMPLE_PASSWORDS.user }), { password: 'wrong' }],
  ['an OCSP responder and CRL server that never answer', () => signed, { timeoutMs: 500 }],
  // Malformed signature dictionaries (ISO 32000-2 §12.8.1), signed by openssl over their ranges: the value verifies, the form does not.
  ['an indirect /ByteRange', () => handSignedPdf({ pki, byteRange: 'indirect' })],
  ['a /ByteRange with an indirect number', () => handSignedPdf({ pki, byteRange: 'indirect-element' })],
  ['a signature dictionary of /Type /XObject', () => handSignedPdf({ pki, type: '/XObject' })],
  ['a signature dictionary without /Filter', () => handSignedPdf({ pki, filter: null })],
  ['a /SubFilter that is a string, not a name', () => handSignedPdf({ pki, subFilter: '(adbe.pkcs7.detached)' })],
];

// Truncations at many offsets of the signed file.
const CUTS: [string, (n: number, l: ReturnType<typeof locate>) => number][] = [
  ['8 bytes', () => 8], ['64 bytes', () => 64], ['a quarter', (n) => Math.floor(n / 4)], ['half', (n) => Math.floor(n / 2)],
  ['three quarters', (n) => Math.floor((3 * n) / 4)], ['the start of /Contents', (_n, l) => l.numbers[1]], ['the middle of /Contents', (_n, l) => l.numbers[1] + 500],
  ['the end of /Contents', (_n, l) => l.numbers[2]], ['64 bytes before the end', (n) => n - 64], ['16 bytes before the end', (n) => n - 16],
  ['3 bytes before the end', (n) => n - 3], ['1 byte before the end', (n) => n - 1],
];
for (const [what, at] of CUTS) CASES.push([`truncated at ${what}`, () => signed.subarray(0, at(signed.length, locate(signed)))]);

// Found by fuzzing (npm run fuzz; docs/decisions/0018-fuzzing.md): each made verify throw a non-KysoError.
/** An appended revision indexed by a Flate xref stream (ISO 32000-2 §7.5.8) with these /DecodeParms. */
async function xrefStreamWithParms(parms: string): Promise<Uint8Array> {
  const { deflateSync } = await import('node:zlib');
  const doc = PdfDocument.open(memorySource(signed));
  const n = doc.size;
  const data = new Uint8Array(deflateSync(new Uint8Array([2, 1, 0, 0, 0, 0, 0, 0])));
  const head = `${n} 0 obj\n<< /Type /XRef /Size ${n + 1} /W [1 4 2] /Index [${n} 1] /Root ${doc.rootRef.num} 0 R /Prev ${doc.xref.startxref} /Filter /FlateDecode /DecodeParms ${parms} /Length ${data.length} >>\nstream\n`;
  return concatBytes([signed, latin1(head), data, latin1(`\nendstream\nendobj\nstartxref\n${signed.length}\n%%EOF\n`)]);
}
CASES.push(
  ['an xref stream whose PNG predictor has /Columns -1 (was a RangeError)', () => xrefStreamWithParms('<< /Predictor 12 /Columns -1 >>')],
);

describe('hostile input: a typed error or a report without TOTAL_PASSED, in bounded time', () => {
  it('has at least 40 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it('starts from a signed file that passes', async () => {
    expect((await verify(signed, online)).signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED']);
  });

  it.each(CASES)('%s', async (label, make, extra, genuine = 0) => {
    const input = await make();
    let options: VerifyOptions = { ...online, ...extra };
    if (label.startsWith('an OCSP responder')) {
      const silent = await silentServer();
      const routes = Object.fromEntries(Object.values(PKI_URLS).map((u) => [u, silent]));
      options = { ...options, fetch: routeFetch(routes) };
    }
    const started = performance.now();
    let report: VerificationReport | null = null;
    let error: unknown = null;
    try {
      report = await verify(input, options);
    } catch (e) {
      error = e;
    }
    const elapsed = performance.now() - started;
    expect(elapsed, `${label}: ${Math.round(elapsed)} ms`).toBeLessThan(BOUND_MS);
    if (error !== null) {
      expect(error, String(error)).toBeInstanceOf(KysoError);
      return;
    }
    // Only the untouched original may pass (when the case only adds things a later revision may add).
    for (const s of report!.signatures.slice(genuine)) {
      expect(['INDETERMINATE', 'TOTAL_FAILED'], `${label}: ${JSON.stringify(s.messages.map((m) => m.en))}`).toContain(s.indication);
    }
    if (genuine) expect(report!.signatures.length, label).toBeGreaterThan(genuine);
  });
});

describe('hostile input: specific outcomes', () => {
  it('an encrypted signed file needs its password (typed error), and passes with it', async () => {
    const enc = await sign(read(samples['encrypted-aes256']), { adapter: leader, signingTime: T0, password: SAMPLE_PASSWORDS.user });
    await expect(verify(enc, online)).rejects.toMatchObject({ code: 'ERR_PDF_ENCRYPTED' });
    await expect(verify(enc, { ...online, password: 'wrong' })).rejects.toMatchObject({ code: 'ERR_PDF_PASSWORD' });
    expect((await verify(enc, { ...online, password: SAMPLE_PASSWORDS.user })).signatures[0]!.indication).toBe('TOTAL_PASSED');
  });

  it('1,500 revisions: the change in the newest one is still seen', async () => {
    const r = await verify(manyRevisions(signed, 1500, true), online);
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', modifications: { verdict: 'disallowed' } });
    expect(r.lastRevisionSigned).toBe(false);
  });

  it('a revision the cross-reference chain skips is still found when a signature covers it', async () => {
    // An update with a complete xref table and no /Prev: the signed revision is not on the chain.
    const doc = PdfDocument.open(memorySource(signed));
    const s = text(signed);
    const at = new Map<number, number>();
    for (const m of s.matchAll(/(?<![0-9])(\d+) 0 obj/g)) at.set(Number(m[1]), m.index);
    let table = `xref\n0 1\n0000000000 65535 f\r\n`;
    for (const [num, off] of [...at].sort((x, y) => x[0] - y[0])) table += `${num} 1\n${String(off).padStart(10, '0')} 00000 n\r\n`;
    const full = appendRaw(signed, '', (x) => `${table}trailer\n<< /Size ${doc.size} /Root ${doc.rootRef.num} 0 R >>\nstartxref\n${x}\n%%EOF\n`);
    const revisions = readRevisions(memorySource(full));
    expect(revisions.map((r) => r.end)).toContain(signed.length);
    expect(revisions[revisions.length - 1]!.end).toBe(full.length);
    const r = await verify(full, online);
    expect(r.signatures[0]).toMatchObject({ coverage: 'whole-revision', integrity: 'intact' });
    expect(r.signatures[0]!.indication).not.toBe('TOTAL_PASSED');
  });

  it('a /ByteRange end that is not a revision end stays not-revision-end', async () => {
    const l = locate(signed);
    const short = patch(signed, l.br, l.brEnd, `0 ${l.numbers[1]} ${l.numbers[2]} ${l.numbers[3] - 7}`);
    const r = await verify(short, online);
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED' });
    expect(r.signatures[0]!.coverage).not.toBe('whole-revision');
  });
});

describe('memory: a file over 100 MB is verified through a file source', () => {
  it('verifies with RSS growth below the file size', async () => {
    const input = await ensureLargeSample(100_000_000);
    const copy = join(dir, 'large.pdf');
    copyFileSync(input, copy);
    const out = join(dir, 'large.signed.pdf');
    await signFile(copy, out, { adapter: leader, signingTime: T0 });
    const size = statSync(out).size;
    expect(size).toBeGreaterThan(100_000_000);
    const source = openFileSource(out);
    try {
      const before = process.memoryUsage().rss;
      const started = performance.now();
      const r = await verify(source, online);
      const elapsed = performance.now() - started;
      const growth = process.memoryUsage().rss - before;
      expect(r.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED']);
      expect(growth, `RSS grew by ${growth} bytes`).toBeLessThan(size);
      expect(elapsed).toBeLessThan(BOUND_MS);
    } finally {
      source.close();
    }
  }, 180_000);
});
