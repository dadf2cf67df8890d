import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyCommand } from '../../src/verify-command.js';
import type { EvidenceManifest } from '../../src/evidence/write.js';
import { corpusDir } from '../../../core/test/helpers/corpus.js';
import { tempDir } from '../helpers/cli.js';

/** Inside the VGCA certificates' validity; the corpus manifest assumes 2026. */
const AT = '2026-06-01T00:00:00Z';
const pdf = join(corpusDir(), 'pdfs', 'vn-01-nghi-dinh-50-2026-lanh-dao-va-dau.pdf');
const tmp = tempDir();
afterAll(() => tmp.remove());

/** A real government decree (corpus row vn-01): its CMS carries only the signer's certificate, the profile the rest. */
describe('kyso verify --evidence on a VGCA-signed document', () => {
  it('keeps every certificate of each path up to the VGCA G2 root, and re-verifies from the folder alone to the same verdicts', async () => {
    const dir = join(tmp.dir, 'evidence');
    const first = await verifyCommand([pdf, '--profile', 'vn-gov', '--offline', '--at', AT, '--format', 'json', '--evidence', dir]);
    const subjects = readdirSync(join(dir, 'certs')).map((n) => new X509Certificate(readFileSync(join(dir, 'certs', n))).subject);
    expect(subjects).toEqual(expect.arrayContaining([
      expect.stringContaining('CN=Trần Hồng Hà'),
      expect.stringContaining('CN=CA phục vụ các cơ quan Nhà nước G2'),
      expect.stringContaining('CN=RootCA chuyên dùng Chính phủ G2'),
    ]));
    expect(new X509Certificate(readFileSync(join(dir, 'trust.pem'))).subject).toContain('CN=RootCA chuyên dùng Chính phủ G2');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as EvidenceManifest;
    expect(manifest.files.filter((f) => f.path.startsWith('certs/'))).toHaveLength(subjects.length);
    // Where the CA's policy statement is published (Circular 15: the CPS may be kept), as openssl reads it.
    const status = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8'));
    const cps = Object.fromEntries(status.signatures[0].certificates.map((c: { subject: string; cps: string[] }) => [c.subject.split(',').find((p) => p.startsWith('CN='))!, c.cps]));
    expect(cps).toMatchObject({
      'CN=Trần Hồng Hà': ['https://ca.gov.vn/pki/pub/policies/CP'],
      'CN=CA phục vụ các cơ quan Nhà nước G2': ['https://ca.gov.vn/pki/pub/policies/CP'],
      'CN=RootCA chuyên dùng Chính phủ G2': [],
    });
    // The Vietnamese report kept with it names the issuing organisation.
    expect(readFileSync(join(dir, 'report.txt'), 'utf8').split('\n')).toContain('    Tổ chức cấp chứng thư: Ban Cơ yếu Chính phủ');

    // The profile's rules are named again for re-verification (G1's SHA-1 CA links); this G2 file does not need
    // them, and without the profile the bare file has no chain (see verify-vn-gov.test.ts): the folder supplies it.
    expect(manifest.reverify.join(' ')).toContain('--profile vn-gov');
    const args = manifest.reverify.join('\n').replace('--profile\nvn-gov', '').split('\n').filter(Boolean)
      .map((a) => (['crl', 'ocsp', 'certs', 'trust.pem'].includes(a) ? join(dir, a) : a));
    expect(args).not.toContain('--profile');
    const again = await verifyCommand([pdf, ...args, '--format', 'json']);
    const verdicts = (out: string) => JSON.parse(out).signatures.map((s: { indication: string; subIndication: string | null; chain: { status: string } }) =>
      [s.indication, s.subIndication, s.chain.status]);
    expect(verdicts(again.output)).toEqual(verdicts(first.output));
    expect(verdicts(again.output)[0]).toEqual(['INDETERMINATE', 'TRY_LATER', 'trusted']);
    expect(again.exit).toBe(first.exit);
  });
});
