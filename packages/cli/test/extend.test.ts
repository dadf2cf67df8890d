import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign, type FetchLike } from '@kyso/core';
import { fromPkcs8Pem } from '@kyso/adapters';
import {
  ensurePki, ensureSamples, PKI_URLS, routeFetch, startCrlServer, startOpensslOcspResponder, startTsaServer,
  type CrlServer, type OpensslOcspResponder, type TestPki, type TsaServer,
} from '@kyso/testkit';
import { auditCommand } from '../src/audit-command.js';
import { extendCommand } from '../src/extend-command.js';
import { verifyCommand, VERIFY_EXIT } from '../src/verify-command.js';
import { pdfsig, tempDir } from './helpers/cli.js';

const LOADER = new URL('./audit-ts-hooks.mjs', import.meta.url).href;
let pki: TestPki;
let tmp: ReturnType<typeof tempDir>;
let ocsp: OpensslOcspResponder;
let crl: CrlServer;
let tsaSign: TsaServer;
let tsaArchive: TsaServer;
let fetch: FetchLike;
let bt: string;
const out = (name: string) => join(tmp.dir, name);

beforeAll(async () => {
  pki = await ensurePki();
  const simple = new Uint8Array(readFileSync((await ensureSamples()).simple));
  tmp = tempDir();
  ocsp = await startOpensslOcspResponder({ pki });
  crl = await startCrlServer({ pki });
  tsaSign = await startTsaServer({ pki, time: new Date('2026-03-01T00:00:00Z') });
  tsaArchive = await startTsaServer({ pki, time: new Date('2026-06-02T00:00:00Z') });
  fetch = routeFetch({
    [PKI_URLS.ocsp]: ocsp.url, [PKI_URLS.intermediateCrl]: crl.intermediateUrl, [PKI_URLS.rootCrl]: crl.rootUrl,
    [PKI_URLS.intermediateCert]: crl.intermediateCertUrl, [PKI_URLS.rootCert]: crl.rootCertUrl,
  }) as unknown as FetchLike;
  const e = pki.entity('leader');
  const signed = await sign(simple, {
    adapter: await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer), level: 'B-T', timestamp: { url: tsaSign.url },
    signingTime: new Date('2026-03-01T00:00:00Z'),
  });
  bt = out('bt.pdf');
  writeFileSync(bt, signed);
}, 60_000);

afterAll(async () => {
  await Promise.all([ocsp?.close(), crl?.close(), tsaSign?.close(), tsaArchive?.close()]);
  tmp?.remove();
});

const extendArgs = (input: string, output: string, level: string, extra: string[] = []) =>
  [input, '-o', output, '--level', level, '--trust', pki.rootPath, '--at', '2026-06-02T12:00:00Z', '--lang', 'en', ...extra];

describe('kyso extend', () => {
  it('B-LTA: writes IN + updates atomically; kyso verify passes offline years later; pdfsig still validates the signature', async () => {
    const lta = out('lta.pdf');
    const line = await extendCommand(extendArgs(bt, lta, 'B-LTA', ['--tsa', tsaArchive.url]), fetch);
    expect(line).toMatch(/B-LTA, 1 signature\(s\); \/DSS \+\d+ certificates, \+\d+ OCSP, \+\d+ CRL, 1 VRI; document timestamp added/);
    const input = readFileSync(bt);
    const output = readFileSync(lta);
    expect(output.subarray(0, input.length).equals(input)).toBe(true);

    const v = await verifyCommand([lta, '--trust', pki.rootPath, '--offline', '--at', '2034-12-01T00:00:00Z', '--format', 'json']);
    const report = JSON.parse(v.output);
    expect(report.signatures[0]).toMatchObject({ level: 'PAdES-B-LTA', indication: 'TOTAL_PASSED' });
    expect(report.ltv.enabled).toBe(true);
    // In 2040 the archive timestamp's TSA certificate (notAfter 2035) has ended and no renewal covers it: the
    // timestamp cannot be validated, so its proofs are not used (EN 319 102-1 §5.6.3).
    const late = JSON.parse((await verifyCommand([lta, '--trust', pki.rootPath, '--offline', '--at', '2040-01-01T00:00:00Z', '--format', 'json'])).output);
    expect(late.signatures.map((s: { indication: string }) => s.indication)).toEqual(['INDETERMINATE', 'INDETERMINATE']);
    const text = await verifyCommand([lta, '--trust', pki.rootPath, '--offline', '--at', '2026-07-01T00:00:00Z', '--lang', 'en']);
    expect(text.exit).toBe(VERIFY_EXIT.passed);
    expect(text.output).toContain('Long-term validation (LTV): all data in the file');
    // pdfsig validates the signature; it lists the document timestamp without validating ETSI.RFC3161.
    const sig = pdfsig(lta, pki.nssDir);
    expect(sig.map((s) => s.field)).toEqual(['Signature1', 'DocTimeStamp1']);
    expect(sig[0]!.valid).toBe(true);
  });

  it('usage errors: no level, B-LTA without --tsa, no trust', async () => {
    await expect(extendCommand([bt, '-o', out('x.pdf'), '--trust', pki.rootPath], fetch)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(extendCommand(extendArgs(bt, out('x.pdf'), 'B-LTA'), fetch)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(extendCommand([bt, '-o', out('x.pdf'), '--level', 'B-LT'], fetch)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
});

describe('kyso audit --archive', () => {
  it('lists documents without LTV data and those whose last TSA certificate expires within N months', async () => {
    const dir = out('archive');
    mkdirSync(dir);
    copyFileSync(bt, join(dir, 'a-bt.pdf'));
    await extendCommand(extendArgs(bt, join(dir, 'b-lt.pdf'), 'B-LT'), fetch);
    const inject = { loader: LOADER };
    const run = async (at: string, months: string) => {
      const r = await auditCommand([dir, '--trust', pki.rootPath, '--offline', '--at', at, '--archive', '--format', 'json', '--tsa-expiry-months', months, '--jobs', '1'], inject);
      return JSON.parse(r.output!);
    };
    // In 2026 the TSA certificate (notAfter 2035-01-01) is far: only the B-T file needs work.
    const now = await run('2026-07-01T00:00:00Z', '12');
    expect(now.withoutLtv).toEqual(['a-bt.pdf']);
    expect(now.tsaExpiring).toEqual([]);
    // In mid-2034 both files' last timestamps lose their TSA within 12 months.
    const later = await run('2034-06-01T00:00:00Z', '12');
    expect(later.tsaExpiring.map((e: { path: string }) => e.path)).toEqual(['a-bt.pdf', 'b-lt.pdf']);
    expect(later.tsaExpiring[0].tsaExpires).toBe('2035-01-01T00:00:00.000Z');
    const csv = (await auditCommand([dir, '--trust', pki.rootPath, '--offline', '--at', '2034-06-01T00:00:00Z', '--archive', '--lang', 'en', '--jobs', '1'], inject)).output!;
    expect(csv).toContain('path,ltv_enabled,last_timestamp,tsa_expires,action');
    expect(csv).toMatch(/a-bt\.pdf,false,2026-03-01T00:00:00\.000Z,2035-01-01T00:00:00\.000Z,add LTV data/);
    expect(csv).toContain('without_ltv,1');
  });
});
