import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEGACY_POLICY, verify, type VerificationReport } from '@kyso/core';
import { corpusDir } from '../helpers/corpus.js';

/**
 * Every report kyso writes for the shared corpus, whole, pinned in a file snapshot: a refactoring of the
 * verifier (one signature primitive, typed facts, rule objects; issue 18) must leave every field of every report
 * as it was. verify-corpus.test.ts pins the verdicts and argues them; this pins everything else the user reads:
 * messages, checks, modification findings, chain and revocation details, LTV status.
 *
 * Each file runs as its manifest row says (its trust anchors, embedded revocation data, a fixed validation time),
 * and the vn- files also under the `vn` profile with the default and the legacy policy. A deliberate change of a
 * report is made by re-running this file with `-u` and reviewing the diff of the snapshot in the commit.
 */

const AT = new Date('2026-11-01T00:00:00Z');

interface Row {
  readonly file: string;
  readonly trust_anchor: string;
}

const rows = (JSON.parse(readFileSync(join(corpusDir(), 'manifest.json'), 'utf8')) as { files?: Row[] } | Row[]);
const list: Row[] = Array.isArray(rows) ? rows : (rows.files ?? []);

function anchorsOf(row: Row): string[] {
  return [...row.trust_anchor.matchAll(/trust\/([\w.-]+\.pem)/g)].map((m) => readFileSync(join(corpusDir(), 'trust', m[1]!), 'utf8'));
}

/** The report as plain JSON, with the file name relative to the corpus. */
const plain = (report: VerificationReport): unknown => JSON.parse(JSON.stringify(report));

describe('the reports of the shared corpus do not change unnoticed', () => {
  it('matches the pinned reports, file by file', async () => {
    expect(list.length).toBeGreaterThanOrEqual(64);
    const out: Record<string, unknown> = {};
    for (const row of list) {
      const bytes = new Uint8Array(readFileSync(join(corpusDir(), row.file)));
      const name = row.file.replace(/^pdfs\//, '');
      const runs: Record<string, unknown> = {};
      runs.anchor = plain(await verify(bytes, { trust: anchorsOf(row), revocation: 'embedded', at: AT, file: name }));
      if (name.startsWith('vn-')) {
        runs.vn = plain(await verify(bytes, { trust: ['vn'], revocation: 'embedded', at: AT, file: name }));
        runs.vnLegacy = plain(await verify(bytes, { trust: ['vn'], revocation: 'embedded', at: AT, file: name, policy: LEGACY_POLICY }));
      }
      out[name] = runs;
    }
    await expect(JSON.stringify(out, null, 1) + '\n').toMatchFileSnapshot('./__snapshots__/corpus-reports.json');
  }, 300_000);
});
