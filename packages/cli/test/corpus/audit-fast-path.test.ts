import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KysoError, memorySource, trustFromCertificates, trustProfile, verify } from '@kyso/core';
import { errorRow, rowOf, type AuditRow } from '../../src/audit/model.js';
import { runAudit } from '../../src/audit/run.js';
import { corpusDir } from '../../../core/test/helpers/corpus.js';
import { tempDir } from '../helpers/cli.js';

// Issue 16: speed is never bought with weaker checks. `kyso audit` verifies in long-lived worker threads,
// several files in flight per thread, with certificate, key and revocation caches shared across files; each
// of its rows must be the row of a plain `verify()` of that file alone, over memory. On every PDF of the shared
// corpus (twice, so the second copy meets warm caches), and on hostile files cut from them.
const LOADER = new URL('../audit-ts-hooks.mjs', import.meta.url).href;
const AT = new Date('2026-07-01T00:00:00Z');
const tmp = tempDir();
afterAll(() => tmp.remove());

const pdfDir = join(corpusDir(), 'pdfs');
const trustDir = join(corpusDir(), 'trust');
const pems = readdirSync(trustDir).filter((f) => f.endsWith('.pem')).map((f) => readFileSync(join(trustDir, f), 'utf8'));

/** What the plain path gives for one file: `verify()` alone, with the audit's trust and options. */
async function plainRow(path: string, bytes: Uint8Array): Promise<AuditRow> {
  try {
    const report = await verify(memorySource(bytes), {
      trust: [trustProfile('vn'), ...pems.map((p) => trustFromCertificates([p]))], revocation: 'embedded', at: AT, file: path,
    });
    return rowOf(path, report);
  } catch (error) {
    return errorRow(path, error instanceof KysoError ? error.code : 'ERR_INTERNAL');
  }
}

describe('kyso audit gives every file the row a plain verify() of it alone gives', () => {
  it('on the corpus (each file twice) and on truncated and zero-filled copies', async () => {
    const names = readdirSync(pdfDir).filter((f) => f.endsWith('.pdf')).sort();
    expect(names.length).toBeGreaterThan(10);
    for (const copy of ['a', 'b']) {
      mkdirSync(join(tmp.dir, copy), { recursive: true });
      for (const name of names) copyFileSync(join(pdfDir, name), join(tmp.dir, copy, name));
    }
    // Hostile files: every eighth corpus file cut short (in the middle, before its last %%EOF) or with its
    // signature's bytes zeroed.
    mkdirSync(join(tmp.dir, 'hostile'), { recursive: true });
    names.filter((_n, i) => i % 8 === 0).forEach((name) => {
      const bytes = new Uint8Array(readFileSync(join(pdfDir, name)));
      writeFileSync(join(tmp.dir, 'hostile', `half-${name}`), bytes.subarray(0, bytes.length >> 1));
      writeFileSync(join(tmp.dir, 'hostile', `tail-${name}`), bytes.subarray(0, bytes.length - 7));
      const zeroed = bytes.slice();
      const contents = Buffer.from(zeroed).indexOf('/Contents <');
      if (contents >= 0) zeroed.fill(0x30, contents + 11, Math.min(zeroed.length, contents + 11 + 400));
      writeFileSync(join(tmp.dir, 'hostile', `zeroed-${name}`), zeroed);
    });

    const audited = await runAudit(tmp.dir, { trust: ['vn', ...pems], revocation: 'embedded', at: AT, jobs: 2, loader: LOADER });
    expect(audited.rows.length).toBe(names.length * 2 + Math.ceil(names.length / 8) * 3);
    for (const row of audited.rows) {
      expect(row, row.path).toEqual(await plainRow(row.path, new Uint8Array(readFileSync(join(tmp.dir, row.path)))));
    }
  }, 600_000);
});
