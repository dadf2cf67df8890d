import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyCommand } from '../../src/verify-command.js';
import { corpusDir } from '../../../core/test/helpers/corpus.js';

/** Inside the VGCA certificates' validity; the corpus manifest assumes 2026. */
const AT = '2026-06-01T00:00:00Z';
const pdf = (name: string) => join(corpusDir(), 'pdfs', name);
const VN_07 = 'vn-07-bo-khcn-hai-dau-sha1-cades.pdf';
type Report = { signatures: { indication: string; subIndication: string | null; messages: { vi: string; en: string }[]; chain: { anchor: string | null } }[] };
const run = async (file: string, args: string[], fetch?: Parameters<typeof verifyCommand>[1]) =>
  JSON.parse((await verifyCommand([pdf(file), ...args, '--at', AT, '--format', 'json'], fetch)).output) as Report;
const verdicts = (r: Report) => r.signatures.map((s) => `${s.indication}/${s.subIndication}`);

/** Real Ministry of Science and Technology document (corpus row vn-07): two seals, SHA-1 CAdES, 2018 VGCA G1 certificates. */
describe('--policy legacy on a real SHA-1 document', () => {
  it('the default policy refuses the SHA-1 seals (CRYPTO_CONSTRAINTS_FAILURE_NO_POE)', async () => {
    const r = await run(VN_07, ['--profile', 'vn', '--offline']);
    expect(verdicts(r)).toEqual(['INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE_NO_POE', 'INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE_NO_POE']);
  });

  it('the Circular 15 algorithms criterion names the weak algorithm (SHA-1), as text', async () => {
    const text = (await verifyCommand([pdf(VN_07), '--profile', 'vn', '--offline', '--at', AT, '--lang', 'en'])).output;
    const lines = text.split('\n').filter((l) => l.includes('- Algorithms:'));
    expect(lines).toEqual([
      '    - Algorithms: failed (RSA-2048, RSASSA-PKCS1-v1_5 / SHA-1; SHA-1)',
      '    - Algorithms: failed (RSA-2048, RSASSA-PKCS1-v1_5 / SHA-1; SHA-1)',
    ]);
  });

  it('the legacy policy accepts SHA-1 with a named warning; offline, the result then rests on revocation data the file does not carry', async () => {
    const r = await run(VN_07, ['--profile', 'vn', '--offline', '--policy', 'legacy']);
    // No CRL or OCSP response is embedded in the corpus files, and the corpus carries none: TRY_LATER, not a crypto failure.
    expect(verdicts(r)).toEqual(['INDETERMINATE/TRY_LATER', 'INDETERMINATE/TRY_LATER']);
    for (const s of r.signatures) {
      expect(s.messages.map((m) => m.en)).toContain('Legacy policy: a SHA-1 signature is accepted; SHA-1 is no longer safe for new signatures.');
      expect(s.messages.map((m) => m.en).join(' ')).not.toMatch(/Weak algorithm/);
      expect(s.chain.anchor).toBe('CN=Co quan chung thuc so chuyen dung Chinh phu (RootCA),O=Ban Co yeu Chinh phu,C=VN');
    }
  });
});

describe('--profile vn on the real VGCA documents', () => {
  const files = readdirSync(join(corpusDir(), 'pdfs')).filter((f) => f.startsWith('vn-'));

  it.each(files)('%s: the same verdicts offline as with vn-gov (the NEAC roots add nothing to VGCA chains)', async (file) => {
    const gov = await run(file, ['--profile', 'vn-gov', '--offline']);
    const vn = await run(file, ['--profile', 'vn', '--offline']);
    expect(verdicts(vn)).toEqual(verdicts(gov));
    expect(vn.signatures.map((s) => s.chain.anchor)).toEqual(gov.signatures.map((s) => s.chain.anchor));
  });

  it('online (the default) asks VGCA\'s own OCSP responder and CRL servers; a stand-in without their data leaves TRY_LATER', async () => {
    const asked: string[] = [];
    const standIn = (async (url: string) => {
      asked.push(url);
      return new Response('no such data here', { status: 404 });
    }) as unknown as Parameters<typeof verifyCommand>[1];
    const r = await run('vn-02-nghi-dinh-49-2026-dau-chinh-phu.pdf', ['--profile', 'vn'], standIn);
    expect(verdicts(r)).toEqual(['INDETERMINATE/TRY_LATER']);
    expect(asked).toContain('http://ocsp.ca.gov.vn/');
    expect(asked.some((u) => /^http:\/\/ca\.gov\.vn\/pki\/pub\/crl\/.*\.crl$/.test(u))).toBe(true);
    // 404 is an answer, never retried: no URL is asked twice in a row (the signer's and the TSA's certificates may share one).
    expect(asked.filter((u, i) => i > 0 && asked[i - 1] === u)).toEqual([]);
  });
});
