/**
 * The fuzzing property that costs a render: no mutation of a signed file
 * that changes what page 1 shows (poppler's pdftoppm of the mutant differs
 * from that of the signed revision) is ever TOTAL_PASSED with modifications
 * `none` or `allowed`. Rendering is slow, so this runs on a few dozen
 * structure-aware mutations, fixed seed; the campaign runs the cheap
 * properties on many more.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, pkiRoutes, routeFetch, startCrlServer, startOcspResponder, type TestPki } from '@kyso/testkit';
import { KysoError } from '../../src/errors/index.js';
import { memorySource } from '../../src/pdf/byte-source.js';
import { PdfDocument } from '../../src/pdf/document.js';
import { sign } from '../../src/entries/sign.js';
import { verify } from '../../src/entries/_validation.js';
import type { VerifyOptions } from '../../src/verify/verify.js';
import { diffBox, renderPage, type Raster } from '../helpers/render.js';
import { appendRevision, mutate, reviseMutation } from './mutators.js';

const SEED = 7;
const MUTATIONS = 36;
let pki: TestPki;
let signed: Uint8Array;
let options: VerifyOptions;
let dir: string;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  pki = await ensurePki();
  const samples = await ensureSamples();
  const e = pki.entity('leader');
  const adapter = await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
  signed = await sign(new Uint8Array(readFileSync(samples.simple)), { adapter, signingTime: new Date('2026-03-05T07:30:12Z') });
  // The test PKI's OCSP responder and CRL server on 127.0.0.1, so the untouched file passes.
  const ocsp = await startOcspResponder({ pki });
  const crl = await startCrlServer({ pki });
  closers.push(() => ocsp.close(), () => crl.close());
  options = { trust: [pki.rootDer], revocation: 'online', fetch: routeFetch(pkiRoutes({ ocsp, crl })), at: new Date('2030-01-01T00:00:00Z'), timeoutMs: 5000 };
  dir = mkdtempSync(join(tmpdir(), 'kyso-fuzz-render-'));
});

afterAll(async () => {
  for (const close of closers) await close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function render(pdf: Uint8Array): Raster | null {
  const path = join(dir, `m${n++}.pdf`);
  writeFileSync(path, pdf);
  try {
    return renderPage(path, 1, 36, dir, ['-q']);
  } catch {
    return null; // poppler cannot render it: then it shows nothing of the signed page
  }
}

/** What the mutant shows on page 1 against what its passing signatures signed; counts the comparisons made. */
async function check(mutant: Uint8Array, stats: { passed: number }): Promise<void> {
  let report;
  try {
    report = await verify(mutant, options);
  } catch (e) {
    expect(e).toBeInstanceOf(KysoError);
    return;
  }
  for (const s of report.signatures) {
    if (s.indication !== 'TOTAL_PASSED' || s.modifications.verdict === 'disallowed' || !s.byteRange) continue;
    stats.passed++;
    const end = s.byteRange[s.byteRange.length - 2]! + s.byteRange[s.byteRange.length - 1]!;
    const before = render(mutant.subarray(0, end));
    const after = render(mutant);
    expect(before, 'the signed revision renders').not.toBeNull();
    const differs = after === null || after.width !== before!.width || after.height !== before!.height || diffBox(before!, after) !== null;
    expect(differs, `TOTAL_PASSED (${s.modifications.verdict}) although page 1 changed`).toBe(false);
  }
}

describe('fuzz: a mutation that changes the rendered page never passes', () => {
  it('the untouched signed file passes (so the property can be met by passing mutants)', async () => {
    const r = await verify(signed, options);
    expect(r.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED']);
  });

  it('a revision that paints over page 1 is caught, and its render differs', async () => {
    // The attack the property stands for: page 1's content replaced in an appended revision.
    const s = new TextDecoder('latin1').decode(signed);
    const pageNum = PdfDocument.open(memorySource(signed)).page(1)!.ref.num;
    const at = s.lastIndexOf(`\n${pageNum} 0 obj`) + `\n${pageNum} 0 obj`.length;
    const body = s.slice(at, s.indexOf('endobj', at)).trim();
    const content = 'BT /F1 48 Tf 72 500 Td (FORGED) Tj ET 0 0 0 rg 50 50 200 200 re f';
    const forged = appendRevision(signed, new Map([
      [900, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`],
      [pageNum, body.replace(/\/Contents\s+(\d+\s+\d+\s+R|\[[^\]]*\])/, '/Contents 900 0 R')],
    ]));
    const before = render(signed)!;
    const after = render(forged)!;
    expect(diffBox(before, after)).not.toBeNull();
    const r = await verify(forged, options);
    expect(r.signatures[0]!.indication).not.toBe('TOTAL_PASSED');
  });

  it(`${MUTATIONS} structure-aware mutations of a signed file (seed ${SEED})`, async () => {
    const stats = { passed: 0 };
    await fc.assert(
      // Half of them as a forger's incremental update, half anything the PDF mutator does.
      fc.asyncProperty(fc.boolean(), fc.nat(), async (revise, mutation) => check(revise ? reviseMutation(signed, mutation) : mutate('pdf', signed, mutation), stats)),
      { seed: SEED, numRuns: MUTATIONS, endOnFailure: true },
    );
    // Some mutations only append what a later revision may add: those passed, and their page was compared.
    expect(stats.passed).toBeGreaterThan(0);
  }, 180_000);
});
