import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentTimestampIncrement, extend, extendIncrement, gatherFacts, judge, KysoError, sign, verify, type ExtendOptions, type RevocationFacts } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import {
  ensurePki, ensureSamples, PKI_URLS, routeFetch, startCrlServer, startOpensslOcspResponder, startTsaServer,
  type CrlServer, type OpensslOcspResponder, type TestPki, type TsaServer,
} from '@kyso/testkit';
import { PdfDocument } from '../../src/pdf/document.js';
import { memorySource } from '../../src/pdf/byte-source.js';
import { readDss } from '../../src/verify/revocation/dss.js';
import { pdfsig, qpdfCheck, rawSignatures, tempDir, writeTemp } from '../helpers/signed-pdf.js';

/**
 * PAdES B-LT / B-LTA against real services: `openssl ocsp` (faketime 2026-06-01), the CRL server,
 * and `openssl ts -reply` TSAs frozen at fixed times. Every clock is injected; none is the real one.
 */
let pki: TestPki;
let simple: Uint8Array;
let dir: string;
let ocsp: OpensslOcspResponder;
let crl: CrlServer;
/** Signature timestamps on 2025-03-01 (before `revoked` was revoked, 2025-06-01) and on 2026-03-01 (after). */
let tsaEarly: TsaServer;
let tsaLate: TsaServer;
/** Document timestamps on 2026-06-02 and, for the renewal, 2034-06-01. */
let tsaArchive: TsaServer;
let tsaRenew: TsaServer;
let fetch: ReturnType<typeof routeFetch>;
const EXTEND_AT = new Date('2026-06-02T12:00:00Z');
const read = (p: string) => new Uint8Array(readFileSync(p));

beforeAll(async () => {
  pki = await ensurePki();
  simple = read((await ensureSamples()).simple);
  dir = tempDir('kyso-ltv-');
  ocsp = await startOpensslOcspResponder({ pki });
  crl = await startCrlServer({ pki });
  [tsaEarly, tsaLate, tsaArchive, tsaRenew] = await Promise.all([
    startTsaServer({ pki, time: new Date('2025-03-01T00:00:00Z') }),
    startTsaServer({ pki, time: new Date('2026-03-01T00:00:00Z') }),
    startTsaServer({ pki, time: new Date('2026-06-02T00:00:00Z') }),
    startTsaServer({ pki, time: new Date('2034-06-01T00:00:00Z') }),
  ]);
  fetch = routeFetch({
    [PKI_URLS.ocsp]: ocsp.url, [PKI_URLS.intermediateCrl]: crl.intermediateUrl, [PKI_URLS.rootCrl]: crl.rootUrl,
    [PKI_URLS.intermediateCert]: crl.intermediateCertUrl, [PKI_URLS.rootCert]: crl.rootCertUrl,
  });
}, 60_000);

afterAll(async () => {
  await Promise.all([ocsp?.close(), crl?.close(), tsaEarly?.close(), tsaLate?.close(), tsaArchive?.close(), tsaRenew?.close()]);
});

async function signedBT(who: 'leader' | 'revoked' | 'seal', tsa: TsaServer, input = simple): Promise<Uint8Array> {
  const e = pki.entity(who);
  return sign(input, {
    adapter: await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer), level: 'B-T', timestamp: { url: tsa.url },
    signingTime: new Date(tsa === tsaEarly ? '2025-03-01T00:00:00Z' : '2026-03-01T00:00:00Z'),
  });
}

const options = (over: Partial<ExtendOptions> = {}): ExtendOptions => ({
  level: 'B-LT', trust: [pki.rootDer], fetch, at: EXTEND_AT, timeoutMs: 5000, ...over,
});

/** Verification from the file alone: no fetch, revocation from /DSS and the CMS only. */
const offline = (bytes: Uint8Array, at: string) => verify(bytes, { trust: [pki.rootDer], revocation: 'embedded', at: new Date(at) });

/**
 * poppler's pdfsig validates every signature (it lists document timestamps but cannot validate
 * ETSI.RFC3161, "Unimplemented Feature"); `openssl ts -verify` checks each document timestamp over its
 * ByteRange bytes, read with a plain scan independent of kyso's parser.
 */
function crossCheck(name: string, bytes: Uint8Array, signatures: number, docTimestamps = 0): void {
  const path = writeTemp(dir, name, bytes);
  const r = pdfsig(path, pki.nssDir);
  expect(r.total, r.output).toBe(signatures + docTimestamps);
  expect(r.valid, r.output).toBe(signatures);
  expect(r.output).not.toMatch(/Signature is Invalid|Digest Mismatch/);
  expect(qpdfCheck(path).ok).toBe(true);
  const raws = rawSignatures(bytes);
  expect(raws.length).toBe(signatures + docTimestamps);
  for (const [i, raw] of raws.slice(signatures).entries()) {
    const token = writeTemp(dir, `${name}-ts${i}.der`, raw.cms);
    const data = writeTemp(dir, `${name}-ts${i}.bin`, raw.signedBytes);
    const v = spawnSync('openssl', ['ts', '-verify', '-token_in', '-in', token, '-data', data, '-CAfile', pki.rootPath,
      '-untrusted', pki.intermediatePath, '-no_check_time'], { encoding: 'utf8' });
    expect(v.status, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toContain('Verification: OK');
  }
}

describe('extend to B-LT', () => {
  it('appends a /DSS with the signer and TSA paths, OCSP and CRL data and a VRI entry; verifies offline as PAdES-B-LT', async () => {
    const input = await signedBT('leader', tsaLate);
    const before = await offline(input, '2026-07-01T00:00:00Z');
    expect(before.signatures[0]).toMatchObject({ level: 'PAdES-B-T', indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });

    const result = await extendIncrement(input, options());
    const output = new Uint8Array([...input, ...result.increment]);
    expect(result.dss.certs).toBeGreaterThanOrEqual(4); // leader, intermediate, root, TSA
    expect(result.dss.ocsps + result.dss.crls).toBeGreaterThanOrEqual(3);
    expect(result.dss.vri).toBe(1);

    const dss = readDss(PdfDocument.open(memorySource(output)));
    expect(dss.notes).toEqual([]);
    expect(dss.vri.size).toBe(1);
    const facts = await gatherFacts(output, { trust: [pki.rootDer], at: EXTEND_AT, collectEvidence: true });
    const key = facts.signatures[0]!.evidence!.vriKey!;
    expect(key).toMatch(/^[0-9A-F]{40}$/);
    expect(dss.vri.get(key)!.certs.length).toBe(result.dss.certs);
    expect(dss.vri.get(key)!.time).toMatch(/^D:20260602/);

    const after = await offline(output, '2026-07-01T00:00:00Z');
    expect(after.signatures[0]).toMatchObject({ level: 'PAdES-B-LT', indication: 'TOTAL_PASSED', modifications: { verdict: 'allowed' } });
    expect(after.signatures[0]!.revocation.source.every((s) => s.endsWith('-embedded'))).toBe(true);
    expect(after.ltv).toMatchObject({ enabled: true, missing: [] });
    expect(before.ltv.enabled).toBe(false);
    crossCheck('lt.pdf', output, 1);
  });

  it('writes nothing new when the file already holds every piece of data', async () => {
    const once = await extend(await signedBT('leader', tsaLate), options());
    const again = await extendIncrement(once, options());
    expect(again.increment.length).toBe(0);
    expect(again.dss).toEqual({ certs: 0, ocsps: 0, crls: 0, vri: 0 });
  });

  it('two signers: one /DSS, one VRI entry each, shared certificates stored once', async () => {
    const two = await signedBT('seal', tsaLate, await signedBT('leader', tsaLate));
    const r = await extendIncrement(two, options());
    expect(r.dss.vri).toBe(2);
    const output = new Uint8Array([...two, ...r.increment]);
    const dss = readDss(PdfDocument.open(memorySource(output)));
    expect(new Set(dss.certs.map((c) => Buffer.from(c).toString('base64'))).size).toBe(dss.certs.length);
    const report = await offline(output, '2026-07-01T00:00:00Z');
    expect(report.signatures.map((s) => [s.level, s.indication])).toEqual([['PAdES-B-LT', 'TOTAL_PASSED'], ['PAdES-B-LT', 'TOTAL_PASSED']]);
    crossCheck('lt-two.pdf', output, 2);
  });

  it('refuses with ERR_LTV_DATA_MISSING when the OCSP responder and CRL server are unreachable, and writes nothing', async () => {
    const input = await signedBT('leader', tsaLate);
    const nowhere = routeFetch({ [PKI_URLS.ocsp]: 'http://127.0.0.1:9/ocsp', [PKI_URLS.intermediateCrl]: 'http://127.0.0.1:9/crl' });
    const err = await extendIncrement(input, options({ fetch: nowhere, timeoutMs: 1000 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KysoError);
    expect((err as KysoError).code).toBe('ERR_LTV_DATA_MISSING');
    expect((err as KysoError).detail).toContain('Nguyễn Văn Đức');
  });

  it('refuses a document without signatures (ERR_LTV_NO_SIGNATURES)', async () => {
    await expect(extendIncrement(simple, options())).rejects.toMatchObject({ code: 'ERR_LTV_NO_SIGNATURES' });
  });
});

describe('past signature validation (ETSI EN 319 102-1 §5.6.2) on extended files', () => {
  it('revoked AFTER the signature timestamp: TOTAL_PASSED on the proof of existence, offline, years later', async () => {
    const output = await extend(await signedBT('revoked', tsaEarly), options());
    const r = (await offline(output, '2027-01-01T00:00:00Z')).signatures[0]!;
    expect(r).toMatchObject({ indication: 'TOTAL_PASSED', level: 'PAdES-B-LT', signingTime: { timestamp: '2025-03-01T00:00:00.000Z' } });
    crossCheck('revoked-after.pdf', output, 1);
  });

  it('a kyso B-LTA whose archive timestamp\'s TSA status is unknown: no signature passes on the proofs it would give', async () => {
    const output = await extend(await signedBT('revoked', tsaEarly), options({ level: 'B-LTA', timestamp: { url: tsaArchive.url } }));
    const facts = await gatherFacts(output, { trust: [pki.rootDer], revocation: 'embedded', at: new Date('2026-07-01T00:00:00Z') });
    const [signature, archive] = facts.signatures;
    // Revoked in 2025-06, after its signature timestamp (2025-03): it passes only through proofs, here the archive
    // timestamp's time, at which its TSA's status was decided.
    expect(signature!.proofOfExistenceFrom).toBe(1);
    expect(judge(facts).signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    // The same file once the archive TSA's data no longer decides its status (stale or absent, as in pyhanko-08).
    const unknown: RevocationFacts = {
      status: 'unknown', entries: archive!.revocation.entries.map((e) => ({ ...e, status: 'unknown', source: 'none', reason: 'stale' })),
    };
    const r = judge({ ...facts, signatures: [signature!, { ...archive!, revocation: unknown }] });
    expect(r.signatures.map((s) => [s.indication, s.subIndication])).toEqual([['INDETERMINATE', 'REVOKED_NO_POE'], ['INDETERMINATE', 'TRY_LATER']]);
  });

  it('a kyso B-LTA whose TSA has no status data at all (only the signer\'s OCSP answer was reachable): nothing passes on that TSA\'s timestamps', async () => {
    // The signer's OCSP request goes through; the TSA's does not, nor the CRL that covers the leaves. The root's
    // CRL (the intermediate's status) stays reachable, so only the TSA's status is unknown.
    const signerSerial = Buffer.from(new X509Certificate(pki.entity('revoked').certDer).serialNumber, 'hex');
    const partial = (async (url: string, init?: { method?: string; body?: Uint8Array; headers?: Record<string, string>; signal?: AbortSignal }) => {
      if (url === PKI_URLS.intermediateCrl) throw new TypeError('unreachable');
      if (url === PKI_URLS.ocsp && !(init?.body && Buffer.from(init.body).includes(signerSerial))) throw new TypeError('unreachable');
      return fetch(url, init as never);
    }) as unknown as typeof fetch;
    const output = await extend(await signedBT('revoked', tsaEarly), options({
      level: 'B-LTA', fetch: partial, allowIncomplete: true, timestamp: { url: tsaArchive.url },
    }));
    const r = await offline(output, '2027-01-01T00:00:00Z');
    expect(r.signatures.map((s) => s.kind)).toEqual(['signature', 'document-timestamp']);
    expect(r.signatures[1]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    // Revoked in 2025-06, after its timestamp (2025-03); with the TSA's status unknown nothing proves that time.
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE', level: 'PAdES-B-LTA' });
  });

  it('revoked BEFORE the signature timestamp: TOTAL_FAILED/REVOKED from the /DSS data alone', async () => {
    const output = await extend(await signedBT('revoked', tsaLate), options());
    const r = (await offline(output, '2027-01-01T00:00:00Z')).signatures[0]!;
    expect(r).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED', revocation: { status: 'revoked' } });
  });

  it('signer certificate expired (2035) by the validation time (2040), and so has the archive TSA: its proof is not used (EN 319 102-1 §5.6.3)', async () => {
    const output = await extend(await signedBT('leader', tsaLate), options({ level: 'B-LTA', timestamp: { url: tsaArchive.url } }));
    const report = await offline(output, '2040-01-01T00:00:00Z');
    // The archive timestamp cannot be validated in 2040 (its TSA certificate ended in 2035, no later timestamp
    // covers it): an INDETERMINATE timestamp proves nothing, so the signature is judged without its proof.
    expect(report.signatures[1]).toMatchObject({ kind: 'document-timestamp', indication: 'INDETERMINATE' });
    expect(report.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', level: 'PAdES-B-LTA' });
    expect(report.signatures[0]!.messages.map((m) => m.en).join(' ')).toMatch(/not used as proof/);
    // Without the extension, the same signature has no revocation data at all.
    const plain = await offline(await signedBT('leader', tsaLate), '2040-01-01T00:00:00Z');
    expect(plain.signatures[0]!.indication).not.toBe('TOTAL_PASSED');
  });
});

describe('extend to B-LTA and renew the archive timestamp', () => {
  it('adds a document timestamp (ETSI.RFC3161) over the /DSS; the input is a byte prefix; pdfsig validates both', async () => {
    const input = await signedBT('leader', tsaLate);
    const output = await extend(input, options({ level: 'B-LTA', timestamp: { url: tsaArchive.url } }));
    expect(Buffer.compare(output.subarray(0, input.length), input)).toBe(0);
    const report = await offline(output, '2026-07-01T00:00:00Z');
    expect(report.signatures.map((s) => [s.kind, s.level, s.indication])).toEqual([
      ['signature', 'PAdES-B-LTA', 'TOTAL_PASSED'],
      ['document-timestamp', 'RFC3161', 'TOTAL_PASSED'],
    ]);
    expect(report.signatures[1]!.subFilter).toBe('ETSI.RFC3161');
    expect(report.signatures[1]!.signingTime.timestamp).toBe('2026-06-02T00:00:00.000Z');
    expect(report.lastRevisionSigned).toBe(true);
    crossCheck('lta.pdf', output, 1, 1);
  });

  it('renewal: a second extend adds the first timestamp\'s validation data and a new timestamp covering it', async () => {
    const lta = await extend(await signedBT('leader', tsaLate), options({ level: 'B-LTA', timestamp: { url: tsaArchive.url } }));
    const renewed = await extendIncrement(lta, options({ level: 'B-LTA', timestamp: { url: tsaRenew.url }, at: new Date('2034-06-01T12:00:00Z') }));
    const output = new Uint8Array([...lta, ...renewed.increment]);
    expect(renewed.dss.vri).toBe(1); // the first document timestamp's entry
    const report = await offline(output, '2034-07-01T00:00:00Z');
    expect(report.signatures.map((s) => s.kind)).toEqual(['signature', 'document-timestamp', 'document-timestamp']);
    expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED', 'TOTAL_PASSED']);
    expect(report.signatures[2]!.signingTime.timestamp).toBe('2034-06-01T00:00:00.000Z');
    // In 2040 every TSA certificate (notAfter 2035) has expired: the newest timestamp cannot be validated, so the
    // proofs it would give are not used (EN 319 102-1 §5.6.3), and nothing older passes on them.
    const late = await offline(output, '2040-01-01T00:00:00Z');
    expect(late.signatures.map((s) => s.indication)).toEqual(['INDETERMINATE', 'INDETERMINATE', 'INDETERMINATE']);
    expect(late.signatures[2]!.subIndication).toBe('OUT_OF_BOUNDS_NO_POE');
    // Nor can the file be validated offline any more: the archive timestamp was not renewed before its TSA expired.
    expect(late.ltv).toMatchObject({ enabled: false, lastTimestamp: { kind: 'document-timestamp', tsaExpires: '2035-01-01T00:00:00.000Z' } });
    crossCheck('lta-renewed.pdf', output, 1, 2);
  });

  it('a token larger than the reserved /Contents: the update is rebuilt with room and the TSA asked again', async () => {
    const input = await signedBT('leader', tsaLate);
    const before = tsaArchive.requests;
    const inc = await documentTimestampIncrement(memorySource(input), { timestamp: { url: tsaArchive.url, fetch }, reserve: 300, time: EXTEND_AT });
    expect(tsaArchive.requests).toBe(before + 2);
    const output = new Uint8Array([...input, ...inc]);
    const report = await offline(output, '2026-07-01T00:00:00Z');
    expect(report.signatures[1]).toMatchObject({ kind: 'document-timestamp', integrity: 'intact', cryptoValid: true });
    // A caller-fixed size is never changed.
    await expect(documentTimestampIncrement(memorySource(input), { timestamp: { url: tsaArchive.url, fetch }, contentsSize: 300 }))
      .rejects.toMatchObject({ code: 'ERR_SIG_CONTENTS_TOO_SMALL' });
  });
});

describe('sign at B-LT / B-LTA and extendFile', () => {
  it('sign(level B-LTA) = the B-T signature, the /DSS and the document timestamp in one call', async () => {
    const e = pki.entity('seal');
    const output = await sign(simple, {
      adapter: await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer), level: 'B-LTA', signingTime: new Date('2026-03-01T00:00:00Z'),
      timestamp: { url: tsaLate.url }, ltv: { trust: [pki.rootDer], fetch, at: EXTEND_AT, archiveTimestamp: { url: tsaArchive.url } },
    });
    expect(Buffer.compare(output.subarray(0, simple.length), simple)).toBe(0);
    const report = await offline(output, '2026-07-01T00:00:00Z');
    expect(report.signatures.map((s) => [s.kind, s.level, s.indication])).toEqual([
      ['signature', 'PAdES-B-LTA', 'TOTAL_PASSED'], ['document-timestamp', 'RFC3161', 'TOTAL_PASSED'],
    ]);
    expect(report.ltv.enabled).toBe(true);
    crossCheck('sign-lta.pdf', output, 1, 1);
  });

  it('sign(level B-LT) without ltv.trust is refused before anything is written', async () => {
    const e = pki.entity('seal');
    await expect(sign(simple, { adapter: await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer), level: 'B-LT', timestamp: { url: tsaLate.url } }))
      .rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });

  it('extendFile: output = input file + updates, written atomically; in place too', async () => {
    const { extendFile } = await import('@kyso/core/node');
    const input = await signedBT('leader', tsaLate);
    const a = writeTemp(dir, 'file-in.pdf', input);
    const b = `${dir}/file-out.pdf`;
    const r = await extendFile(a, b, options({ level: 'B-LTA', timestamp: { url: tsaArchive.url } }));
    const written = new Uint8Array(readFileSync(b));
    expect(written.length).toBe(input.length + r.increment.length);
    expect(Buffer.compare(written.subarray(0, input.length), input)).toBe(0);
    expect((await offline(written, '2026-07-01T00:00:00Z')).signatures[0]!.level).toBe('PAdES-B-LTA');
    await extendFile(a, a, options());
    expect((await offline(new Uint8Array(readFileSync(a)), '2026-07-01T00:00:00Z')).signatures[0]!.level).toBe('PAdES-B-LT');
  });
});
