/**
 * One verification opens each revision of the file once (ISO 32000-2 §7.5.6:
 * the bytes up to a revision's end are the document as of that revision) and
 * shares it between finding the revisions, the signatures, their byte ranges
 * and the modification analysis; what each stage sees is what a document of
 * its own would show, failures included.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sign, type SigningAdapter } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, type TestPki } from '@kyso/testkit';
import { memorySource } from '../../../src/pdf/byte-source.js';
import { PdfDocument } from '../../../src/pdf/document.js';
import { Cursor } from '../../../src/pdf/cursor.js';
import { ObjectParser } from '../../../src/pdf/parser.js';
import { contentsToken, createOpenings, findSignatures, prefixSource, readRevisions } from '../../../src/verify/structure/index.js';
import { gatherFacts } from '../../../src/verify/verify.js';
import { latin1, text } from '../../pdf/minimal-pdf.js';

let pki: TestPki;
let twice: Uint8Array;
const T0 = new Date('2026-03-05T07:30:12Z');

async function adapterFor(name: Parameters<TestPki['entity']>[0]): Promise<SigningAdapter> {
  const e = pki.entity(name);
  return fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
}

beforeAll(async () => {
  pki = await ensurePki();
  const samples = await ensureSamples();
  const once = await sign(new Uint8Array(readFileSync(samples.simple)), { adapter: await adapterFor('leader'), signingTime: T0 });
  twice = await sign(once, { adapter: await adapterFor('seal'), signingTime: T0 });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the documents of one verification', () => {
  it('opens the file and each revision once, however many stages and signatures read them', async () => {
    const open = vi.spyOn(PdfDocument, 'open');
    const facts = await gatherFacts(twice, { at: T0 });
    expect(facts.signatures).toHaveLength(2);
    const lengths = open.mock.calls.map(([source]) => source.length);
    // The file as it is now (which is also its newest revision) and each earlier revision, once each.
    expect(lengths.sort((a, b) => a - b)).toEqual(facts.revisions.map((r) => r.end));
    expect(facts.revisions.at(-1)!.end).toBe(twice.length);
  });

  it('gives each stage the revisions and signatures it finds with documents of its own', () => {
    const source = memorySource(twice);
    const openings = createOpenings(source);
    const shared = readRevisions(source, { openings });
    expect(shared).toEqual(readRevisions(source));
    const found = findSignatures(source, shared, { openings });
    expect(found).toEqual(findSignatures(source, shared));
    expect(found.map((f) => f.revision)).toEqual([1, 2]);
  });

  it('hands out one document per revision end, opened over that revision\'s bytes', () => {
    const source = memorySource(twice);
    const openings = createOpenings(source);
    const [first, second] = readRevisions(source);
    expect(openings.at(first!.end)).toBe(openings.at(first!.end));
    expect(openings.at(first!.end)).not.toBe(openings.at(second!.end));
    expect(openings.at(first!.end).source.length).toBe(first!.end);
    expect(openings.at(first!.end).xref.startxref).toBe(PdfDocument.open(prefixSource(source, first!.end)).xref.startxref);
    expect(openings.whole()).toBe(openings.whole());
    expect(openings.fields(openings.whole())).toBe(openings.fields(openings.whole()));
    expect(openings.fields(openings.whole()).map((f) => f.name)).toHaveLength(2);
  });

  it('fails every stage the way opening fails, each time it is asked', () => {
    const broken = memorySource(latin1('%PDF-1.7\nnot a document\n%%EOF\n'));
    const openings = createOpenings(broken);
    const error = (() => {
      try {
        PdfDocument.open(broken);
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error).not.toBeNull();
    for (let i = 0; i < 2; i++) expect(() => openings.whole()).toThrow(error!.message);
    expect(() => openings.at(10)).toThrow();
  });

  it('is used only for the source and password it was made for', () => {
    const source = memorySource(twice);
    const other = memorySource(twice.slice());
    const openings = createOpenings(source);
    const open = vi.spyOn(PdfDocument, 'open');
    findSignatures(other, readRevisions(other), { openings });
    expect(open.mock.calls.every(([s]) => s !== source)).toBe(true);
    expect(open.mock.calls.length).toBeGreaterThan(0);
  });
});

describe('the /Contents token of a signature dictionary', () => {
  /** Where the plain object parser says the value after /Contents ends, or null where it refuses it. */
  function parsedEnd(pdf: Uint8Array, at: number): number | null {
    const cur = new Cursor(memorySource(pdf), at);
    try {
      new ObjectParser(cur).parseValue();
      return cur.pos;
    } catch {
      return null;
    }
  }

  /** A one-object file whose object 1 is `<< /Type /Sig /Contents VALUE /M (D:2026) >>`. */
  function withContents(value: string): { pdf: Uint8Array; doc: PdfDocument; at: number } {
    const body = `%PDF-1.7\n1 0 obj\n<< /Type /Sig /Contents ${value} /M (D:2026) >>\nendobj\n`;
    const xrefAt = body.length + `2 0 obj\n<< /Type /Catalog >>\nendobj\n`.length;
    const pdf = latin1(
      `${body}2 0 obj\n<< /Type /Catalog >>\nendobj\nxref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n${String(body.length).padStart(10, '0')} 00000 n \n`
        + `trailer\n<< /Size 3 /Root 2 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`,
    );
    return { pdf, doc: PdfDocument.open(memorySource(pdf)), at: body.indexOf('/Contents ') + '/Contents '.length };
  }

  it.each([
    ['plain hex digits', '<3082ABCDef00>'],
    ['white space between digits', '<30 82\nAB\r\n\tCD\f00\0>'],
    ['an odd number of digits', '<308>'],
    ['an empty string', '<>'],
  ])('spans %s exactly as the object parser reads it', (_what, value) => {
    const { pdf, doc, at } = withContents(value);
    expect(contentsToken(memorySource(pdf), doc, 1)).toEqual({ start: at, end: parsedEnd(pdf, at) });
    expect(text(pdf).slice(at, parsedEnd(pdf, at)!)).toBe(value);
  });

  it.each([
    ['a character that is no hex digit', '<30 8Z>'],
    ['a name token in the string', '<30/82>'],
  ])('finds nothing in a hex string with %s, which the object parser refuses', (_what, value) => {
    const { pdf, doc, at } = withContents(value);
    expect(parsedEnd(pdf, at)).toBeNull();
    expect(contentsToken(memorySource(pdf), doc, 1)).toBeNull();
  });

  it('spans a literal string by the object parser', () => {
    const { pdf, doc, at } = withContents('(30>82)');
    expect(contentsToken(memorySource(pdf), doc, 1)).toEqual({ start: at, end: parsedEnd(pdf, at) });
  });

  it('finds nothing in a hex string that never closes', () => {
    const { pdf } = withContents('<3082>');
    const doc = PdfDocument.open(memorySource(pdf));
    // The same xref over bytes cut inside the string: the token is unterminated there.
    const cut = pdf.subarray(0, text(pdf).indexOf('<3082>') + 4);
    expect(contentsToken(memorySource(cut), doc, 1)).toBeNull();
    expect(parsedEnd(cut, text(pdf).indexOf('<3082>'))).toBeNull();
  });

  it('spans a /Contents longer than one read of the cursor', () => {
    const long = `<${'ab'.repeat(70_000)}>`;
    const { pdf, doc, at } = withContents(long);
    expect(contentsToken(memorySource(pdf), doc, 1)).toEqual({ start: at, end: at + long.length });
  });
});
