/**
 * Later revisions that change what viewers draw without touching page content
 * (decision 0016): a form field drawn from the form's /DA, /DR and /Q, a fill
 * whose appearance does not show its value, objects appended after the last
 * %%EOF. Each attack is never TOTAL_PASSED and names what changed; each
 * legitimate counterpart (a fill with its value's appearance, a second
 * signature, /DSS, an empty update, white space, NULs or a comment after
 * %%EOF) stays TOTAL_PASSED.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KysoError, verify, type VerificationReport, type VerifyOptions } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, startPkiRevocation } from '@kyso/testkit';
import { memorySource } from '../../src/pdf/byte-source.js';
import { scanTrailing } from '../../src/verify/modifications/trailing.js';
import { buildRenderingCases, type RenderingCase } from './rendering-cases.js';

const AT = new Date('2030-01-01T00:00:00Z');
const pki = await ensurePki();
const adapter = async (name: 'leader' | 'seal') => {
  const e = pki.entity(name);
  return fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
};
const CASES = await buildRenderingCases(await adapter('leader'), await adapter('seal'));
const ATTACKS = CASES.filter((c) => c.expect.attack).map((c) => [c.name, c] as const);
const LEGIT = CASES.filter((c) => !c.expect.attack).map((c) => [c.name, c] as const);

let options: VerifyOptions;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const revocation = await startPkiRevocation(pki);
  closers.push(() => revocation.close());
  options = { trust: [pki.rootDer], revocation: 'online', fetch: revocation.fetch, at: AT, timeoutMs: 2000 };
});

afterAll(async () => {
  for (const close of closers) await close();
});

async function report(c: RenderingCase): Promise<VerificationReport | KysoError> {
  try {
    return await verify(c.bytes, options);
  } catch (e) {
    if (e instanceof KysoError) return e;
    throw e;
  }
}

const summary = (r: VerificationReport) =>
  r.signatures.map((s) => `${s.indication} ${s.modifications.verdict}: ${s.modifications.changes.map((c) => `${c.allowed ? '+' : '-'}${c.label.en}`).join('; ')}`).join('\n');

describe('attacks that change what viewers draw are never TOTAL_PASSED, and say what changed', () => {
  it.each(ATTACKS)('%s', async (_name, c) => {
    const r = await report(c);
    if (c.expect.attack && c.expect.label === null) {
      // A file no reader opens as written: a typed error, or a report without a pass.
      if (r instanceof KysoError) return;
      for (const s of r.signatures) expect(s.indication, summary(r)).not.toBe('TOTAL_PASSED');
      return;
    }
    expect(r).not.toBeInstanceOf(KysoError);
    const rep = r as VerificationReport;
    expect(rep.signatures.length).toBeGreaterThan(0);
    const s = rep.signatures[0]!;
    expect(s.indication, summary(rep)).toBe('TOTAL_FAILED');
    expect(s.modifications.verdict, summary(rep)).toBe('disallowed');
    const label = (c.expect as { label: string }).label;
    const hit = s.modifications.changes.find((x) => !x.allowed && x.label.en.includes(label));
    expect(hit, summary(rep)).toBeDefined();
    // The Vietnamese label is there too, and says something else than the English one.
    expect(hit!.label.vi.length).toBeGreaterThan(0);
    expect(hit!.label.vi).not.toBe(hit!.label.en);
  });
});

describe('legitimate later revisions stay TOTAL_PASSED (no false alarm)', () => {
  it.each(LEGIT)('%s', async (_name, c) => {
    const r = await report(c);
    expect(r).not.toBeInstanceOf(KysoError);
    const rep = r as VerificationReport;
    for (const s of rep.signatures) expect(s.indication, summary(rep)).toBe('TOTAL_PASSED');
    expect(rep.signatures[0]!.modifications.verdict, summary(rep)).toBe((c.expect as { verdict: string }).verdict);
  });
});

describe('bytes after the last %%EOF: only white space, NULs and comments are harmless', () => {
  const tail = (s: string) => scanTrailing(memorySource(new Uint8Array(Buffer.from(`%%EOF\n${s}`, 'latin1'))), 6);
  it.each([
    ['nothing', '', []],
    ['white space', ' \t\r\n\f\n', []],
    ['NULs', '\0\0\0\0', []],
    ['a comment', '% a note\n%% another\n', []],
    ['an object definition', '4 0 obj\n<< >>\nendobj\n', ['object']],
    ['an object definition with NULs as white space', '4\x000\x00obj', ['object']],
    ['a trailer', 'trailer\n<< /Root 1 0 R >>\n', ['trailer']],
    ['an xref table', 'xref\n0 1\n0000000000 65535 f \n', ['xref']],
    ['a startxref', 'startxref\n120\n%%EOF\n', ['startxref']],
    ['an object named inside a comment (a scanning reader does not see comments)', '% 4 0 obj\n', ['object']],
    ['other bytes', 'garbage', ['other']],
  ] as const)('%s', (_what, s, found) => {
    expect(tail(s)).toEqual(found);
  });

  it('a keyword split across the 1 MiB chunks of the scan is still found', () => {
    const head = '%%EOF\n';
    const filler = ' '.repeat((1 << 20) - 3);
    const bytes = new Uint8Array(Buffer.from(`${head}${filler}7 0 obj\n<< >>\nendobj\n`, 'latin1'));
    expect(scanTrailing(memorySource(bytes), head.length)).toEqual(['object']);
  });
});
