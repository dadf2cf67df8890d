import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { KysoError, sign, type SigningAdapter } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, type SampleName, type TestPki } from '@kyso/testkit';
import { memorySource } from '../../../src/pdf/byte-source.js';
import { findSignatures, parsePdfDate, readRevisions } from '../../../src/verify/structure/index.js';
import { latin1, minimalPdf, text } from '../../pdf/minimal-pdf.js';
import { examineFile } from '../cms/pipeline.js';

let pki: TestPki;
let samples: Record<SampleName, string>;
let once: Uint8Array;
let twice: Uint8Array;
const T0 = new Date('2026-03-05T07:30:12Z');

async function adapterFor(name: Parameters<TestPki['entity']>[0]): Promise<SigningAdapter> {
  const e = pki.entity(name);
  return fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
}

beforeAll(async () => {
  pki = await ensurePki();
  samples = await ensureSamples();
  once = await sign(new Uint8Array(readFileSync(samples.simple)), { adapter: await adapterFor('leader'), signingTime: T0 });
  twice = await sign(once, { adapter: await adapterFor('seal'), signingTime: T0 });
});

/** Where the signature dictionary at or after `from` keeps its ByteRange numbers and its /Contents string. */
function locate(pdf: Uint8Array, from = 0) {
  const s = text(pdf);
  const br = s.indexOf('/ByteRange [', from) + '/ByteRange ['.length;
  const brEnd = s.indexOf(']', br);
  const contents = s.indexOf('/Contents <', br) + '/Contents '.length;
  const contentsEnd = s.indexOf('>', contents) + 1;
  const numbers = s.slice(br, brEnd).trim().split(/\s+/).map(Number);
  return { s, br, brEnd, contents, contentsEnd, numbers };
}

/** Replaces `[start, end)` with `by`, padded with spaces to the same length so no offset moves. */
function patch(pdf: Uint8Array, start: number, end: number, by: string): Uint8Array {
  expect(by.length).toBeLessThanOrEqual(end - start);
  const out = pdf.slice();
  out.set(latin1(by.padEnd(end - start, ' ')), start);
  return out;
}

const setByteRange = (pdf: Uint8Array, f: (n: number[]) => (number | string)[], from = 0) => {
  const l = locate(pdf, from);
  return patch(pdf, l.br, l.brEnd, f(l.numbers).join(' '));
};

async function only(pdf: Uint8Array) {
  const { signatures } = await examineFile(pdf);
  expect(signatures).toHaveLength(1);
  return signatures[0]!;
}

describe('revisions', () => {
  it('ends each revision after %%EOF and its end-of-line, whatever the end-of-line', () => {
    const base = minimalPdf();
    for (const eol of ['\n', '\r\n', '\r', '']) {
      const pdf = latin1(text(base).replace(/%%EOF\n$/, `%%EOF${eol}`));
      expect(readRevisions(memorySource(pdf))).toEqual([{ index: 0, end: pdf.length, startxref: Number(/startxref\n(\d+)/.exec(text(pdf))![1]), xrefKind: 'table' }]);
    }
  });

  it('finds one revision per signature, the last ending at the end of the file', () => {
    const revisions = readRevisions(memorySource(twice));
    const before = readRevisions(memorySource(once));
    expect(revisions.length).toBe(before.length + 1);
    expect(revisions.slice(0, -1)).toEqual(before);
    expect(revisions[revisions.length - 1]!.end).toBe(twice.length);
  });

  it('ignores %%EOF markers that do not end a readable revision', () => {
    // A stream holding "startxref 0 %%EOF" (an embedded file, say) is not a revision.
    const pdf = minimalPdf({
      objects: [
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>',
        '<< /Length 18 >>\nstream\nstartxref\n0\n%%EOF\n\nendstream',
      ],
    });
    const revisions = readRevisions(memorySource(pdf));
    expect(revisions).toHaveLength(1);
    expect(revisions[0]!.end).toBe(pdf.length);
  });

  it('refuses a file without any revision with a typed error', () => {
    expect(() => readRevisions(memorySource(latin1('%PDF-1.7\nnothing here\n')))).toThrow(KysoError);
  });
});

describe('signatures of a kyso file', () => {
  it('lists both signatures in revision order with their fields and claims', async () => {
    const source = memorySource(twice);
    const revisions = readRevisions(source);
    const found = findSignatures(source, revisions);
    expect(found.map((f) => f.index)).toEqual([0, 1]);
    expect(found.map((f) => f.revision)).toEqual([revisions.length - 2, revisions.length - 1]);
    expect(found.every((f) => f.kind === 'signature' && f.filter === 'Adobe.PPKLite' && f.field !== null)).toBe(true);
    expect(found[0]!.claimed.time).toBe(T0.toISOString());
    expect(found[0]!.docMdp).toBeNull();
    expect(found[0]!.contents![0]).toBe(0x30);
  });

  it('reads /M dates with and without offsets, and refuses impossible ones', () => {
    expect(parsePdfDate("D:20260305143012+07'00'")).toBe('2026-03-05T07:30:12.000Z');
    expect(parsePdfDate('D:20260305073012Z')).toBe('2026-03-05T07:30:12.000Z');
    expect(parsePdfDate('D:2026')).toBe('2026-01-01T00:00:00.000Z');
    expect(parsePdfDate('D:20260230120000Z')).toBeNull();
    expect(parsePdfDate('yesterday')).toBeNull();
  });
});

describe('tampered copies give the right problem', () => {
  it('a flipped covered byte: ranges sound, digest broken', async () => {
    const l = locate(once);
    const m = l.s.lastIndexOf('/M (D:2026', l.br) + '/M (D:'.length;
    const s = await only(patch(once, m, m + 4, '2027'));
    expect(s.found.byteRange.problems).toEqual([]);
    expect(s.cms!.cms.digestMatches).toBe(false);
    expect(s.cms!.cms.signatureValid).toBe(true);
  });

  it('a ByteRange moved off the /Contents string', async () => {
    const s = await only(setByteRange(once, ([a, b, c, d]) => [a!, b!, c! + 2, d! - 2]));
    expect(s.found.byteRange.problems).toEqual(['gap-not-contents']);
    expect(s.found.byteRange.coverage).toBe('broken');
    expect(s.cms!.cms.digestMatches).toBe(false);
  });

  it('a ByteRange stopping short of the revision end is partial', async () => {
    const s = await only(setByteRange(once, ([a, b, c, d]) => [a!, b!, c!, d! - 5]));
    expect(s.found.byteRange.problems).toEqual(['not-revision-end']);
    expect(s.found.byteRange.coverage).toBe('partial');
    expect(s.found.byteRange.coveredRevision).toBeNull();
  });

  it('a ByteRange not ending at a revision end after an appended update', async () => {
    const revisions = readRevisions(memorySource(twice));
    const middle = revisions[revisions.length - 1]!.end - 100;
    const pdf = setByteRange(twice, ([a, b, c]) => [a!, b!, c!, middle - c!]);
    const { signatures } = await examineFile(pdf);
    expect(signatures[0]!.found.byteRange.problems).toEqual(['not-revision-end']);
    expect(signatures[0]!.cms!.cms.digestMatches).toBe(false);
    expect(signatures[1]!.found.byteRange.problems).toEqual([]);
  });

  it('ranges that start late, overlap or run past the end of the file', async () => {
    expect((await only(setByteRange(once, ([, b, c, d]) => [1, b! - 1, c!, d!]))).found.byteRange.problems).toContain('not-from-start');
    expect((await only(setByteRange(once, ([a, b, c, d]) => [a!, c! + 10, c!, d!]))).found.byteRange.problems).toContain('overlap');
    const past = await only(setByteRange(once, ([a, b, c, d]) => [a!, b!, c!, d! + 1000]));
    expect(past.found.byteRange.problems).toEqual(expect.arrayContaining(['beyond-eof', 'not-revision-end']));
  });

  describe('Universal Signature Forgery variants are problems, never exceptions', () => {
    const variants: [string, (pdf: Uint8Array) => Uint8Array, string[]][] = [
      ['empty /Contents', (p) => { const l = locate(p); return patch(p, l.contents, l.contentsEnd, '<>'); }, ['contents-missing', 'gap-not-contents']],
      ['/Contents null', (p) => { const l = locate(p); return patch(p, l.contents, l.contentsEnd, 'null'); }, ['contents-missing', 'gap-not-contents']],
      ['/Contents a number', (p) => { const l = locate(p); return patch(p, l.contents, l.contentsEnd, '0'); }, ['contents-missing', 'gap-not-contents']],
      ['/Contents removed', (p) => { const l = locate(p); return patch(p, l.contents - '/Contents '.length, l.contentsEnd, ''); }, ['contents-missing', 'gap-not-contents']],
      ['/Contents all zeros', (p) => { const l = locate(p); return patch(p, l.contents, l.contentsEnd, `<${'0'.repeat(l.contentsEnd - l.contents - 2)}>`); }, ['contents-missing']],
      ['/ByteRange missing', (p) => { const l = locate(p); return patch(p, l.br - '/ByteRange ['.length, l.br - ' ['.length, '/ByteRangX'); }, ['missing']],
      ['/ByteRange null', (p) => { const l = locate(p); return patch(p, l.br - 1, l.brEnd + 1, 'null'); }, ['missing']],
      ['/ByteRange of three numbers', (p) => setByteRange(p, ([a, b, c]) => [a!, b!, c!]), ['missing']],
      ['/ByteRange with a negative number', (p) => setByteRange(p, ([a, b, c, d]) => [a!, b!, -c!, d!]), ['missing']],
      ['/ByteRange of names', (p) => setByteRange(p, () => ['/A', '/B', '/C', '/D']), ['missing']],
      ['trailing garbage in /Contents', (p) => { const l = locate(p); return patch(p, l.contentsEnd - 5, l.contentsEnd, 'ABCD>'); }, ['contents-trailing']],
    ];
    it.each(variants)('%s', async (_, tamper, problems) => {
      const s = await only(tamper(once));
      expect([...s.found.byteRange.problems].sort()).toEqual([...problems].sort());
      expect(s.found.byteRange.coverage).toBe('broken');
      if (problems.includes('contents-missing')) expect(s.found.contents).toBeNull();
    });
  });
});
