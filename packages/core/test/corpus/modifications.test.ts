import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAesCipher } from '../../src/pdf/encryption/index.js';
import { corpusDir } from '../helpers/corpus.js';
import { analyseAll } from '../verify/modifications/helpers.js';

interface Row {
  readonly file: string;
  readonly modifications_after_signing: string;
}

const manifest = JSON.parse(readFileSync(join(corpusDir(), 'manifest.json'), 'utf8')) as { files: Row[] };
const rank = { none: 0, allowed: 1, disallowed: 2 } as const;
type Verdict = keyof typeof rank;

/**
 * Rows where modification analysis alone cannot give the manifest's verdict, with the reason.
 * The verifier reaches the manifest's verdict through another check.
 */
const ELSEWHERE: Record<string, string> = {
  // Signature Wrapping: the signed bytes were moved and the ByteRange rewritten so that it covers the whole
  // (last) revision; no revision follows it. The ByteRange check (gap is not exactly /Contents) rejects it.
  'pdfs/dss-15-signature-wrapping.pdf': 'byte-range',
};

/** The manifest gives one verdict per file: the worst over its signatures. */
function expected(row: Row): Verdict | null {
  const m = /^(none|allowed|disallowed)\b/.exec(row.modifications_after_signing);
  return m ? (m[1] as Verdict) : null;
}

describe('modification analysis over the corpus agrees with the manifest', () => {
  // The analysis runs synchronously, as it does inside verify(), which loads AES first for the encrypted files.
  beforeAll(loadAesCipher);

  const rows = manifest.files.filter((r) => expected(r) !== null);
  it.each(rows.map((r) => [r.file, r] as const))('%s', (_name, row) => {
    const bytes = new Uint8Array(readFileSync(join(corpusDir(), row.file)));
    const results = analyseAll(bytes);
    expect(results.length, 'at least one signature found at a revision end').toBeGreaterThan(0);
    const worst = results.map((r) => r.facts.verdict).reduce<Verdict>((a, b) => (rank[b] > rank[a] ? b : a), 'none');
    const summary = results.map((r) => `${r.sig.field}@${r.sig.revision}: ${r.facts.verdict} ${r.facts.changes.filter((c) => !c.allowed).map((c) => c.label.en).join('; ')}`).join('\n');
    if (ELSEWHERE[row.file]) {
      expect(worst, summary).toBe('none');
      return;
    }
    expect(worst, summary).toBe(expected(row));
  });
});
