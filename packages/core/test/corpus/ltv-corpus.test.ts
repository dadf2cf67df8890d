import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extend, gatherFacts, verify } from '@kyso/core';
import '@kyso/core/node';
import { ensurePki, routeFetch, startTsaServer, type TestPki, type TsaServer } from '@kyso/testkit';
import { memorySource } from '../../src/pdf/byte-source.js';
import { PdfDocument } from '../../src/pdf/document.js';
import { readDss } from '../../src/verify/revocation/dss.js';
import { corpusDir } from '../helpers/corpus.js';
import { tempDir, writeTemp } from '../helpers/signed-pdf.js';

/**
 * The corpus's B-LT / B-LTA files (EU DSS plugtest files, pyHanko): kyso reads their /DSS, finds its own /VRI key
 * convention (upper-case hex SHA-1 of /Contents, ISO 32000-2 §12.8.4.4) in what those tools wrote, and renews
 * pyHanko's B-LTA file with a kyso document timestamp without changing any earlier verdict.
 */
interface Row { file: string; features: string; trust_anchor: string }
const AT = new Date('2026-11-01T00:00:00Z');
const rows = (JSON.parse(readFileSync(join(corpusDir(), 'manifest.json'), 'utf8')) as { files: Row[] }).files;
const ltvRows = rows.filter((r) => /PAdES-B?-?LTA?|DSS/.test(r.features) && !/shadow/i.test(r.features));
const read = (file: string) => new Uint8Array(readFileSync(join(corpusDir(), file)));

let pki: TestPki;
let tsa: TsaServer;
let dir: string;

beforeAll(async () => {
  pki = await ensurePki();
  tsa = await startTsaServer({ pki, time: new Date('2026-11-01T00:00:00Z') });
  dir = tempDir('kyso-ltv-corpus-');
});

afterAll(async () => {
  await tsa?.close();
});

describe('B-LT / B-LTA files made by other tools', () => {
  it('the corpus has its LT/LTA rows', () => {
    expect(ltvRows.map((r) => r.file)).toEqual(expect.arrayContaining([
      'pdfs/dss-02-ecdsa-ltv-vri.pdf', 'pdfs/dss-06-pades-lt-four-sigs.pdf', 'pdfs/dss-07-qc-lta.pdf', 'pdfs/pyhanko-08-lta-dss-indirect-arrays.pdf',
    ]));
  });

  it.each(ltvRows.map((r) => [r.file] as const))('%s: /DSS read without notes; every /VRI key is the key kyso computes for one of its signatures', async (file) => {
    const bytes = read(file);
    const dss = readDss(PdfDocument.open(memorySource(bytes)));
    expect(dss.notes).toEqual([]);
    expect(dss.certs.length + dss.ocsps.length + dss.crls.length).toBeGreaterThan(0);
    const facts = await gatherFacts(bytes, { collectEvidence: true, at: AT });
    const keys = new Set(facts.signatures.map((s) => s.evidence!.vriKey));
    for (const key of dss.vri.keys()) expect(keys.has(key), `VRI ${key} matches no signature`).toBe(true);
  });

  it('pyhanko-08 (B-LTA) renewed by kyso: earlier verdicts unchanged (kyso and pdfsig), the new timestamp covers everything', async () => {
    const file = 'pdfs/pyhanko-08-lta-dss-indirect-arrays.pdf';
    const input = read(file);
    const pyhankoRoot = readFileSync(join(corpusDir(), 'trust', 'pyhanko-test-root-ca.pem'), 'utf8');
    const trust = [pyhankoRoot, pki.rootDer];
    // No network: everything the file needs is in it, or missing (the last pyHanko timestamp's TSA data is stale by 2026).
    const output = await extend(input, {
      level: 'B-LTA', trust, fetch: routeFetch({}), at: AT, allowIncomplete: true, timeoutMs: 1000, timestamp: { url: tsa.url },
    });
    expect(Buffer.compare(output.subarray(0, input.length), input)).toBe(0);
    const before = await verify(input, { trust, at: AT });
    const after = await verify(output, { trust, at: AT });
    expect(after.signatures.length).toBe(before.signatures.length + 1);
    const signatures = (r: typeof before) => r.signatures.filter((s) => s.kind === 'signature').map((s) => [s.indication, s.subIndication, s.integrity]);
    expect(signatures(after)).toEqual(signatures(before));
    // The newest timestamp is sound and trusted; offline its own TSA's status is not in the file yet (a later renewal adds it).
    expect(after.signatures.at(-1)).toMatchObject({
      kind: 'document-timestamp', subFilter: 'ETSI.RFC3161', integrity: 'intact', cryptoValid: true, coversWholeFile: true,
      chain: { status: 'trusted' }, indication: 'INDETERMINATE', subIndication: 'TRY_LATER', signingTime: { timestamp: AT.toISOString() },
    });

    const pdfsig = (path: string) => [...spawnSync('pdfsig', ['-nssdir', `sql:${pki.nssDir}`, '-no-ocsp', path], { encoding: 'utf8' }).stdout
      .matchAll(/Signature Validation: (.*)/g)].map((m) => m[1]!);
    const was = pdfsig(join(corpusDir(), file));
    const now = pdfsig(writeTemp(dir, 'pyhanko-08-renewed.pdf', output));
    expect(now.slice(0, was.length)).toEqual(was);
    expect(now.length).toBe(was.length + 1);
  });

  // Real Vietnamese B-T documents (VGCA signature timestamps): their OCSP/CRL services are not reachable from a test, so
  // the strict extend refuses, and --allow-incomplete raises them with what the files hold plus a kyso archive timestamp.
  it.each(['pdfs/vn-01-nghi-dinh-50-2026-lanh-dao-va-dau.pdf', 'pdfs/vn-02-nghi-dinh-49-2026-dau-chinh-phu.pdf', 'pdfs/vn-04-quyet-dinh-195-ttg-cong-ttdt.pdf'])(
    '%s (B-T, VGCA): raised to B-LTA offline only when allowed incomplete; earlier verdicts unchanged (kyso and pdfsig)',
    async (file) => {
      const input = read(file);
      const trust = ['vn-gov', pki.rootDer] as const;
      const options = { level: 'B-LTA' as const, trust: [...trust], fetch: routeFetch({}), at: AT, timeoutMs: 1000, timestamp: { url: tsa.url } };
      await expect(extend(input, options)).rejects.toMatchObject({ code: 'ERR_LTV_DATA_MISSING' });
      const output = await extend(input, { ...options, allowIncomplete: true });
      expect(Buffer.compare(output.subarray(0, input.length), input)).toBe(0);
      expect(readDss(PdfDocument.open(memorySource(output))).certs.length).toBeGreaterThan(0);
      const before = await verify(input, { trust: [...trust], at: AT });
      const after = await verify(output, { trust: [...trust], at: AT });
      const signatures = (r: typeof before) => r.signatures.filter((x) => x.kind === 'signature').map((x) => [x.indication, x.subIndication, x.integrity, x.cryptoValid]);
      expect(signatures(after)).toEqual(signatures(before));
      expect(after.signatures.at(-1)).toMatchObject({ kind: 'document-timestamp', integrity: 'intact', cryptoValid: true, coversWholeFile: true });
      const pdfsig = (path: string) => [...spawnSync('pdfsig', ['-nssdir', `sql:${pki.nssDir}`, '-no-ocsp', path], { encoding: 'utf8' }).stdout
        .matchAll(/Signature Validation: (.*)/g)].map((m) => m[1]!);
      const was = pdfsig(join(corpusDir(), file));
      const now = pdfsig(writeTemp(dir, file.replace(/^pdfs\//, 'lta-'), output));
      expect(now.slice(0, was.length)).toEqual(was);
    },
  );
});
