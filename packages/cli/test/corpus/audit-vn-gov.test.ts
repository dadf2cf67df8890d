import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditCommand } from '../../src/audit-command.js';
import type { AuditResult } from '../../src/audit/model.js';
import { corpusDir } from '../../../core/test/helpers/corpus.js';
import { tempDir } from '../helpers/cli.js';

const LOADER = new URL('../audit-ts-hooks.mjs', import.meta.url).href;
const tmp = tempDir();
afterAll(() => tmp.remove());

/** Real VGCA-signed documents (corpus rows vn-02..vn-05) filed the way an agency would: by year. */
describe('kyso audit --profile vn-gov over real government documents', () => {
  it('names the signing agencies and months, and finds no fully valid document without revocation data', async () => {
    const pdfs = join(corpusDir(), 'pdfs');
    const files = {
      '2025/vn-04.pdf': 'vn-04-quyet-dinh-195-ttg-cong-ttdt.pdf',
      '2025/vn-05.pdf': 'vn-05-bo-nnmt-hai-chu-ky-ca-nhan.pdf',
      '2026/vn-02.pdf': 'vn-02-nghi-dinh-49-2026-dau-chinh-phu.pdf',
      '2026/vn-03.pdf': 'vn-03-nghi-dinh-199-cong-ttdt.pdf',
    };
    for (const [to, from] of Object.entries(files)) {
      mkdirSync(join(tmp.dir, to, '..'), { recursive: true });
      copyFileSync(join(pdfs, from), join(tmp.dir, to));
    }
    const { output, exit } = await auditCommand([tmp.dir, '--profile', 'vn-gov', '--offline', '--at', '2026-07-01T00:00:00Z', '--format', 'json'], { loader: LOADER });
    expect(exit).toBe(0);
    const { rows, summary } = JSON.parse(output!) as AuditResult;
    expect(rows.map((r) => [r.path, r.signatures.map((s) => s.subIndication).join(' ')])).toEqual([
      ['2025/vn-04.pdf', 'TRY_LATER'],
      ['2025/vn-05.pdf', 'TRY_LATER TRY_LATER'],
      ['2026/vn-02.pdf', 'TRY_LATER'],
      ['2026/vn-03.pdf', 'TRY_LATER'],
    ]);
    expect(summary).toMatchObject({ documents: 4, signed: 4, fullyValid: 0, signedRate: 1 });
    expect(summary.byOrganization).toEqual([
      { key: 'VĂN PHÒNG CHÍNH PHỦ', documents: 2, fullyValid: 0 },
      { key: 'BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG', documents: 1, fullyValid: 0 },
      { key: 'CHÍNH PHỦ', documents: 1, fullyValid: 0 },
    ]);
    // Months in Vietnam time, from the signature timestamps.
    expect(summary.byMonth.map((m) => m.key)).toEqual(['2025-07', '2025-10', '2026-01', '2026-06']);
  });
});
