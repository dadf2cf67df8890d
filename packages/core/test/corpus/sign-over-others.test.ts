import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KysoError, sign, type SigningAdapter } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, type TestPki } from '@kyso/testkit';
import { corpusDir } from '../helpers/corpus.js';
import { tempDir, writeTemp } from '../helpers/signed-pdf.js';

/**
 * Signing over the public corpus: 64 PDFs signed by other tools (EU DSS, pyHanko, pdf.js, node-signpdf, real
 * VGCA-signed Vietnamese documents, PDF-attack research files). kyso must either add a valid signature while
 * every earlier signature keeps the verdict pdfsig gave it before, or refuse with the documented code.
 */
const REFUSED: Record<string, string> = {
  'pdfs/dss-08-certified-p1.pdf': 'ERR_SIG_FIELD_LOCKED', // certified with DocMDP P=1: no change allowed
  'pdfs/pyhanko-06-certified-indirect-refs.pdf': 'ERR_SIG_FIELD_LOCKED',
  // rub-05's startxref points one byte into its xref keyword: read with the pdf layer's section slack (xref.ts), so it is signed.
};

interface CorpusFile { file: string; qpdf_check: string }

let pki: TestPki;
let leader: SigningAdapter;
let dir: string;
const files: CorpusFile[] = (JSON.parse(readFileSync(join(corpusDir(), 'manifest.json'), 'utf8')) as { files: CorpusFile[] }).files;

function verdicts(path: string): string[] {
  const out = spawnSync('pdfsig', ['-nssdir', `sql:${pki.nssDir}`, '-no-ocsp', path], { encoding: 'utf8' }).stdout;
  return [...out.matchAll(/Signature Validation: (.*)/g)].map((m) => m[1]!);
}

beforeAll(async () => {
  pki = await ensurePki();
  const e = pki.entity('leader');
  leader = await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
  dir = tempDir('kyso-corpus-');
});

describe('signing over PDFs signed by other tools (shared corpus)', () => {
  it('the corpus is all there', () => {
    expect(files.length).toBe(64);
  });

  it.each(files.map((f) => [f.file, f] as const))('%s', async (name, f) => {
    const path = join(corpusDir(), name);
    const input = new Uint8Array(readFileSync(path));
    let output: Uint8Array;
    try {
      output = await sign(input, { adapter: leader, signingTime: new Date('2026-11-01T00:00:00Z') });
    } catch (e) {
      expect(e).toBeInstanceOf(KysoError);
      expect((e as KysoError).code).toBe(REFUSED[name]);
      return;
    }
    expect(REFUSED[name], 'signed a file expected to be refused').toBeUndefined();
    expect(Buffer.compare(output.subarray(0, input.length), input)).toBe(0);
    const signedPath = writeTemp(dir, name.replace(/\W/g, '_'), output);
    const before = verdicts(path);
    const after = verdicts(signedPath);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after[after.length - 1]).toBe('Signature is Valid.');
    // Our update adds no damage: a file qpdf found clean stays clean (damaged inputs keep their own warnings).
    const q = spawnSync('qpdf', ['--check', signedPath], { encoding: 'utf8' });
    if (f.qpdf_check === 'ok') expect(q.status, q.stdout + q.stderr).toBe(0);
  });
});
