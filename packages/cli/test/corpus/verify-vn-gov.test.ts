import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyCommand } from '../../src/verify-command.js';
import { corpusDir } from '../../../core/test/helpers/corpus.js';

/** Inside the VGCA certificates' validity; the corpus manifest assumes 2026. */
const AT = '2026-06-01T00:00:00Z';
const pdf = (name: string) => join(corpusDir(), 'pdfs', name);

/** Real Vietnamese government documents (corpus rows vn-01, vn-09): their CMS carries only the signer's certificate. */
describe('kyso verify --profile vn-gov on VGCA-signed documents', () => {
  it('chains a government signature and seal to the VGCA G2 root through the profile, and reads like a signature panel', async () => {
    const { output, exit } = await verifyCommand([pdf('vn-01-nghi-dinh-50-2026-lanh-dao-va-dau.pdf'), '--profile', 'vn-gov', '--offline', '--at', AT]);
    const lines = output.split('\n');
    expect(lines).toContain('  Người ký: Trần Hồng Hà');
    expect(lines).toContain('  Cơ quan: CHÍNH PHỦ');
    expect(lines).toContain('  Thời gian ký (dấu thời gian): 31/01/2026 20:54:33 +07:00');
    expect(lines.filter((l) => l === '  Chuỗi chứng thư: tin cậy → CN=RootCA chuyên dùng Chính phủ G2,O=Ban Cơ yếu Chính phủ,C=VN')).toHaveLength(6);
    // Embedded revocation data are absent from these files: trusted, yet never TOTAL_PASSED.
    expect(lines.filter((l) => /^Chữ ký #\d+: /.test(l))).toEqual(Array.from({ length: 6 }, (_, i) => `Chữ ký #${i + 1}: CHƯA XÁC ĐỊNH (TRY_LATER)`));
    expect(exit).toBe(2);
  });

  it('without the profile the same file has no chain (the intermediates are not embedded)', async () => {
    const { output, exit } = await verifyCommand([pdf('vn-01-nghi-dinh-50-2026-lanh-dao-va-dau.pdf'), '--offline', '--at', AT, '--format', 'json']);
    expect(JSON.parse(output).signatures.map((s: { subIndication: string }) => s.subIndication)).toEqual(Array(6).fill('NO_CERTIFICATE_CHAIN_FOUND'));
    expect(exit).toBe(2);
  });

  it('exits 1 on the real file with a broken signature, naming it', async () => {
    const { output, exit } = await verifyCommand([pdf('vn-09-bo-khcn-sau-chu-ky.pdf'), '--profile', 'vn-gov', '--offline', '--at', AT, '--lang', 'en']);
    expect(exit).toBe(1);
    expect(output.split('\n')).toContain('Signature #2: INVALID (SIG_CRYPTO_FAILURE)');
  });
});
