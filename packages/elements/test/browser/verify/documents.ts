/**
 * Real documents for the verification elements' specs: samples signed in the
 * page by core with the test PKI's PKCS#12 files, tampered copies, and later
 * revisions appended by hand; and the two ways to verify them (core in the
 * page, or kyso's worker).
 */
import { sign, verify, type SignOptions, type VerificationReport, type VerifyOptions } from '@kyso/core';
import type { CallOptions, KysoClient } from '@kyso/core/worker';
import { Pkcs12Adapter } from '@kyso/adapters';
import { memorySource } from '../../../../core/src/pdf/byte-source.js';
import { PdfDocument } from '../../../../core/src/pdf/document.js';
import { buildIncrement } from '../../../../core/src/pdf/incremental-writer.js';
import { dict, name, PdfRef, PdfStream, type PdfValue } from '../../../../core/src/pdf/objects.js';
import { fixture } from './helpers.js';

const P12_PASSWORD = 'kyso-test'; // the test PKI's (packages/testkit/src/pki/profile.ts)

/** Signing time of every test signature, and the validation time: inside the test leaves' validity (2025–2035). */
export const SIGNED_AT = new Date('2026-03-05T07:30:12Z');
export const VALIDATED_AT = new Date('2026-06-01T00:00:00Z');

export type Leaf = 'leader' | 'seal' | 'revoked' | 'expired' | 'offline' | 'p256';

/** `sample` signed by `leaf` in the page (core + Pkcs12Adapter), at {@link SIGNED_AT}. */
export async function signedSample(leaf: Leaf = 'leader', sample = 'samples/simple.pdf', options: Partial<SignOptions> = {}): Promise<Uint8Array> {
  const adapter = await Pkcs12Adapter.open(await fixture(`pki/${leaf}.p12`), P12_PASSWORD);
  return sign(await fixture(sample), { adapter, signingTime: SIGNED_AT, ...options } as SignOptions);
}

/** A copy with one byte changed inside the first signed byte range (in the header's binary comment, so the file still parses). */
export function tampered(signed: Uint8Array): Uint8Array {
  const copy = signed.slice();
  const at = copy.indexOf(0x0a) + 2; // second line: "%\xE2\xE3\xCF\xD3" or similar, covered by ByteRange [0 …]
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

/**
 * Appends one incremental update (ISO 32000-2 §7.5.6) adding to page 1 a
 * FreeText annotation whose appearance is a filled red box over `rect`
 * (PDF user space): something every reader draws, at a known place.
 */
export function withAnnotation(bytes: Uint8Array, rect: readonly [number, number, number, number]): Uint8Array {
  const doc = PdfDocument.open(memorySource(bytes));
  let next = doc.size;
  const alloc = () => new PdfRef(next++, 0);
  const page = doc.pages()[0]!;
  const [x1, y1, x2, y2] = rect;
  const w = x2 - x1;
  const h = y2 - y1;
  const content = new TextEncoder().encode(`0.85 0.1 0.1 rg 0 0 ${w} ${h} re f`);
  const apRef = alloc();
  const annotRef = alloc();
  const ap = new PdfStream(dict({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, w, h], Length: content.length }), -1, content.length, content);
  const annot = dict({ Type: name('Annot'), Subtype: name('FreeText'), Rect: [x1, y1, x2, y2], F: 4, P: page.ref, AP: dict({ N: apRef }) });
  const pageDict = page.dict.clone();
  const existing = doc.resolve(pageDict.get('Annots')) as PdfValue[] | null;
  pageDict.set('Annots', [...(existing ?? []), annotRef]);
  const inc = buildIncrement(doc, [
    { num: apRef.num, value: ap },
    { num: annotRef.num, value: annot },
    { num: page.ref.num, value: pageDict },
  ], { newId: new Uint8Array(16).fill(7), lastByte: bytes[bytes.length - 1]! });
  const out = new Uint8Array(bytes.length + inc.bytes.length);
  out.set(bytes, 0);
  out.set(inc.bytes, bytes.length);
  return out;
}

/**
 * A KysoClient that runs core in the page (no worker): for specs about the
 * elements' states, where the worker would only add start-up time. At least one
 * spec per element uses the real worker client instead.
 */
export function inPageClient(): KysoClient & { readonly calls: number } {
  let calls = 0;
  const unsupported = () => Promise.reject(new Error('not used by the verification elements'));
  return {
    get calls() {
      return calls;
    },
    prepare: unsupported,
    finish: unsupported,
    sign: unsupported,
    async verify(pdf: Uint8Array, options: VerifyOptions = {}, call: CallOptions = {}): Promise<VerificationReport> {
      calls++;
      call.onProgress?.({ phase: 'verify', done: 0, total: pdf.length });
      const report = await verify(pdf, { ...options, ...(call.signal ? { signal: call.signal } : {}) });
      call.onProgress?.({ phase: 'verify', done: pdf.length, total: pdf.length });
      return report;
    },
    terminate() {},
  };
}
