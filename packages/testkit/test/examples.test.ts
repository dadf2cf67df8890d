import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensurePki, ensureSamples, repoRoot } from '../src/index.js';

describe('examples/batch-sign', () => {
  it('signs every PDF of a folder, reports the ones it cannot sign, and goes on', async () => {
    const pki = await ensurePki();
    const samples = await ensureSamples();
    const out = mkdtempSync(join(tmpdir(), 'kyso-batch-'));
    try {
      const r = spawnSync(process.execPath, [join(repoRoot(), 'examples/batch-sign/batch-sign.mjs'),
        '--p12', pki.entity('seal').p12Path!, '--in', dirname(samples.simple), '--out', out], {
        encoding: 'utf8', env: { ...process.env, KYSO_PIN: pki.p12Password }, cwd: repoRoot(),
      });
      expect(r.stdout).toMatch(/FAILED {2}encrypted-aes256\.pdf: ERR_PDF_ENCRYPTED/);
      expect(r.stdout).toMatch(/signed {2}vietnamese\.pdf/);
      const signed = readdirSync(out);
      expect(signed).toContain('vietnamese.pdf');
      expect(signed).not.toContain('encrypted-aes256.pdf');
      expect(r.status).toBe(1); // some files failed
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
