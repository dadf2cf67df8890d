import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign, type SigningAdapter } from '@kyso/core';
import { fromPkcs8Pem } from '@kyso/adapters';
import {
  ensurePki, ensureSamples, pkiRoutes, startCrlServer, startOcspResponder, type EntityName, type TestPki,
} from '@kyso/testkit';
import { auditCommand, type AuditInjection } from '../src/audit-command.js';
import type { AuditResult } from '../src/audit/model.js';
import { runMain, tempDir } from './helpers/cli.js';

/** Fixed validation time inside the test PKI's validity (leaves 2025–2035, OCSP/CRL data 2026–2036). */
const AT = '2030-01-01T00:00:00Z';
const JANUARY = new Date('2026-01-15T03:00:00Z');
/** 31 January 20:00 UTC is 1 February 03:00 in Vietnam: the month must be February. */
const LATE_JANUARY = new Date('2026-01-31T20:00:00Z');
const OFFICE = 'Văn phòng UBND thành phố Đà Nẵng (TEST)';
const CITY = 'UBND thành phố Đà Nẵng (TEST)';
/** The worker threads run kyso from its TypeScript sources, like the rest of the suite. */
const LOADER = new URL('./audit-ts-hooks.mjs', import.meta.url).href;

let pki: TestPki;
let tmp: ReturnType<typeof tempDir>;
let dir: string;
let inject: AuditInjection;
let servers: { close(): Promise<void> }[] = [];

const adapters = new Map<EntityName, SigningAdapter>();
async function adapter(name: EntityName): Promise<SigningAdapter> {
  if (!adapters.has(name)) {
    const e = pki.entity(name);
    adapters.set(name, await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer));
  }
  return adapters.get(name)!;
}

beforeAll(async () => {
  pki = await ensurePki();
  const samples = await ensureSamples();
  tmp = tempDir();
  dir = join(tmp.dir, 'documents');
  const ocsp = await startOcspResponder({ pki });
  const crl = await startCrlServer({ pki });
  servers = [ocsp, crl];
  inject = { urlMap: pkiRoutes({ ocsp, crl }), loader: LOADER };
  writeFileSync(join(tmp.dir, 'root.pem'), pki.rootPem);

  const simple = new Uint8Array(readFileSync(samples.simple));
  const vietnamese = new Uint8Array(readFileSync(samples.vietnamese));
  const put = (path: string, bytes: Uint8Array | string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  };
  const by = async (who: EntityName, pdf: Uint8Array, signingTime = JANUARY) => sign(pdf, { adapter: await adapter(who), signingTime });

  const leader = await by('leader', simple);
  put('signed, "quoted".pdf', leader);
  put('SEAL.PDF', await by('seal', vietnamese));
  put('approve-issue.pdf', await by('seal', await by('leader', vietnamese)));
  put('nested/deep/late-january.pdf', await by('leader', simple, LATE_JANUARY));
  const tampered = leader.slice();
  tampered[Buffer.from(tampered).indexOf('/MediaBox') + 1] = 'm'.charCodeAt(0);
  put('nested/tampered.pdf', tampered);
  put('nested/unsigned.pdf', simple);
  put('unsigned-vietnamese.pdf', vietnamese);
  put('revoked.pdf', await by('revoked', simple));
  put('untrusted.pdf', await by('untrusted', simple));
  put('garbage.pdf', 'this is not a PDF at all\n');
  put('empty.pdf', new Uint8Array(0));
  put('<img src=x onerror=alert(1)>.pdf', simple);
  put('=HYPERLINK("x").pdf', simple);
  put('notes.txt', 'not a PDF name: ignored');
  put('nested/readme.md', '# ignored');
});

afterAll(async () => {
  for (const s of servers) await s.close();
  tmp?.remove();
});

const audit = (extra: string[] = []) =>
  auditCommand([dir, '--trust', join(tmp.dir, 'root.pem'), '--revocation', 'online', '--at', AT, ...extra], inject);

/** The rows in a form that reads as a table. */
const table = (r: AuditResult) =>
  r.rows.map((row) => [row.path, row.fullyValid, row.error ?? row.signatures.map((s) => s.subIndication ? `${s.indication}/${s.subIndication}` : s.indication).join(' ')]);

const EXPECTED_TABLE = [
  ['<img src=x onerror=alert(1)>.pdf', false, ''],
  ['=HYPERLINK("x").pdf', false, ''],
  ['SEAL.PDF', true, 'TOTAL_PASSED'],
  ['approve-issue.pdf', true, 'TOTAL_PASSED TOTAL_PASSED'],
  ['empty.pdf', false, 'ERR_PDF_MALFORMED'],
  ['garbage.pdf', false, 'ERR_PDF_MALFORMED'],
  ['nested/deep/late-january.pdf', true, 'TOTAL_PASSED'],
  ['nested/tampered.pdf', false, 'TOTAL_FAILED/HASH_FAILURE'],
  ['nested/unsigned.pdf', false, ''],
  ['revoked.pdf', false, 'INDETERMINATE/REVOKED_NO_POE'],
  ['signed, "quoted".pdf', true, 'TOTAL_PASSED'],
  ['unsigned-vietnamese.pdf', false, ''],
  ['untrusted.pdf', false, 'INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND'],
];

describe('kyso audit: rows and summary', () => {
  let json: AuditResult;
  beforeAll(async () => {
    const run = await audit(['--format', 'json', '--jobs', '2']);
    expect(run.exit).toBe(0);
    json = JSON.parse(run.output!);
  });

  it('has one row per PDF under the folder, sub-folders included, sorted by path; other files are ignored', () => {
    expect(table(json)).toEqual(EXPECTED_TABLE);
  });

  it('names the signers, their organisations, the changes after signing and the best signing time of every signature', () => {
    const row = (path: string) => json.rows.find((r) => r.path === path)!;
    expect(row('approve-issue.pdf')).toEqual({
      path: 'approve-issue.pdf', signed: true, fullyValid: true, error: null,
      // Revocation answered online, no timestamp: nothing for offline validation in the file.
      ltv: { enabled: false, lastTimestamp: null, tsaExpires: null },
      signatures: [
        { kind: 'signature', signer: 'Nguyễn Văn Đức', organization: OFFICE, indication: 'TOTAL_PASSED', subIndication: null, modifications: 'allowed', signingTime: '2026-01-15T03:00:00.000Z' },
        { kind: 'signature', signer: 'Ủy ban nhân dân thành phố Đà Nẵng', organization: CITY, indication: 'TOTAL_PASSED', subIndication: null, modifications: 'none', signingTime: '2026-01-15T03:00:00.000Z' },
      ],
    });
    expect(row('nested/unsigned.pdf')).toEqual({
      path: 'nested/unsigned.pdf', signed: false, fullyValid: false, signatures: [], error: null, ltv: { enabled: false, lastTimestamp: null, tsaExpires: null },
    });
    expect(row('garbage.pdf')).toMatchObject({ signed: false, signatures: [], error: 'ERR_PDF_MALFORMED' });
  });

  it('sums up documents, signed, fully valid, the signed rate, by organisation and by month (Vietnam time)', () => {
    const { archive, ...summary } = json.summary;
    // Archive health: no document carries LTV data (revocation was answered online).
    expect(archive).toMatchObject({ months: 12, tsaExpiring: [] });
    expect(archive.withoutLtv.length).toBe(7);
    expect(summary).toEqual({
      documents: 13,
      signed: 7,
      fullyValid: 4,
      unreadable: 2,
      signedRate: 7 / 13,
      // Most documents first, ties in code-unit order of the name.
      byOrganization: [
        { key: OFFICE, documents: 4, fullyValid: 3 },
        { key: CITY, documents: 2, fullyValid: 2 },
        { key: 'kyso (TEST)', documents: 2, fullyValid: 0 },
      ],
      byMonth: [
        { key: '2026-01', documents: 6, fullyValid: 3 },
        { key: '2026-02', documents: 1, fullyValid: 1 },
      ],
      validationTime: '2030-01-01T00:00:00.000Z',
    });
  });

  it('gives the same rows with one worker as with two', async () => {
    const one = JSON.parse((await audit(['--format', 'json', '--jobs', '1'])).output!);
    expect(one).toEqual(json);
  });
});

describe('kyso audit: formats', () => {
  it('writes CSV as RFC 4180 in UTF-8 with a BOM, one record per file, then the summary', async () => {
    const { output } = await audit(['--format', 'csv']);
    expect(output!.startsWith('\uFEFFpath,signed,signatures,signers,organizations,indications,modifications,signing_times,fully_valid,error\r\n')).toBe(true);
    const lines = output!.slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.filter((l) => l.includes('\n'))).toEqual([]);
    expect(lines).toContain(`approve-issue.pdf,true,2,Nguyễn Văn Đức; Ủy ban nhân dân thành phố Đà Nẵng,${OFFICE}; ${CITY},TOTAL_PASSED; TOTAL_PASSED,allowed; none,2026-01-15T03:00:00.000Z; 2026-01-15T03:00:00.000Z,true,`);
    // Quotes doubled inside a quoted field; a comma forces quoting.
    expect(lines).toContain(`"signed, ""quoted"".pdf",true,1,Nguyễn Văn Đức,${OFFICE},TOTAL_PASSED,none,2026-01-15T03:00:00.000Z,true,`);
    // A cell that a spreadsheet would run as a formula is defused.
    expect(lines).toContain(`"'=HYPERLINK(""x"").pdf",false,0,,,,,,false,`);
    expect(lines).toContain('garbage.pdf,false,0,,,,,,false,ERR_PDF_MALFORMED');
    expect(lines).toContain('nested/tampered.pdf,true,1,Nguyễn Văn Đức,Văn phòng UBND thành phố Đà Nẵng (TEST),TOTAL_FAILED/HASH_FAILURE,none,2026-01-15T03:00:00.000Z,false,');
    const summary = lines.slice(lines.indexOf('metric,value'));
    expect(summary.slice(0, 8)).toEqual([
      'metric,value', 'documents,13', 'signed,7', 'fully_valid,4', 'unreadable,2', 'signed_rate,0.5385', 'validation_time,2030-01-01T00:00:00.000Z', '',
    ]);
    expect(lines.slice(lines.indexOf('organization,documents,fully_valid'))).toEqual([
      'organization,documents,fully_valid', `${OFFICE},4,3`, `${CITY},2,2`, 'kyso (TEST),2,0', '',
      'month,documents,fully_valid', '2026-01,6,3', '2026-02,1,1', '',
    ]);
  });

  it('writes a self-contained HTML page: no script, no external asset, SVG charts, every text escaped', async () => {
    const { output } = await audit(['--format', 'html']);
    const html = output!;
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="vi">')).toBe(true);
    const tags = html.match(/<[a-zA-Z][^>]*>/g)!;
    expect(new Set(tags.map((t) => /^<(\w+)/.exec(t)![1]!.toLowerCase()))).toEqual(new Set([
      'html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'br', 'svg', 'g', 'text', 'rect',
    ]));
    expect(tags.filter((t) => /\s(on\w+|src|href|xlink:href|style)=/i.test(t))).toEqual([]);
    expect(html).not.toMatch(/url\(|@import/);
    // The only URL is the SVG namespace name, which is never fetched.
    expect(new Set(html.match(/https?:\/\/[^"\s<&]*/g))).toEqual(new Set(['http://www.w3.org/2000/svg']));
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;.pdf');
    expect(html).toContain('signed, &#34;quoted&#34;.pdf');
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('<title>Tài liệu đã ký theo cơ quan</title>');
    expect(html).toContain('>2026-02</text>');
    // The page's own policy allows exactly its one style element, by hash.
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = createHash('sha256').update(style).digest('base64');
    expect(html).toContain(`content="default-src 'none'; style-src 'sha256-${hash}'; img-src data:"`);
    expect(html).toContain('Tỷ lệ tài liệu có chữ ký số</th><td class="n">53.8 %');
    expect(html).toContain('KHÔNG HỢP LỆ HASH_FAILURE');
  });

  it('speaks English with --lang en', async () => {
    const html = (await audit(['--format', 'html', '--lang', 'en'])).output!;
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<title>Signed documents by organisation</title>');
    expect(html).toContain('Signed-document rate</th><td class="n">53.8 %');
    expect(html).not.toContain('Tài liệu');
  });

  it('writes -o FILE atomically, in the format of its extension, and nothing on stdout', async () => {
    const out = join(tmp.dir, 'report.json');
    const run = await audit(['-o', out]);
    expect(run.output).toBeNull();
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.documents).toBe(13);
  });
});

describe('kyso audit: progress and exit status', () => {
  it('draws a progress bar on a terminal and nothing when stderr is not one', async () => {
    const writes = (isTTY: boolean) => {
      const chunks: string[] = [];
      const stream = { isTTY, columns: 80, write: (s: string) => chunks.push(s) > 0 } as unknown as NodeJS.WriteStream;
      return { stream, chunks };
    };
    const tty = writes(true);
    await auditCommand([dir, '--offline', '--at', AT, '--jobs', '2'], { ...inject, stderr: tty.stream });
    expect(tty.chunks.at(-2)).toMatch(/^\r\[#{10,40}\] 13\/13 tệp \([\d.]+\/s\)\x1b\[K$/);
    expect(tty.chunks.at(-1)).toBe('\r\x1b[K');
    const pipe = writes(false);
    await auditCommand([dir, '--offline', '--at', AT, '--jobs', '2'], { ...inject, stderr: pipe.stream });
    expect(pipe.chunks).toEqual([]);
  });

  it('exits 0 whatever the verdicts (an empty folder included), 4 when DIR cannot be read, 64 on usage errors', async () => {
    const empty = join(tmp.dir, 'empty-folder');
    mkdirSync(empty);
    const ran = await runMain(['audit', empty, '--format', 'json']);
    expect(ran).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(ran.stdout).summary).toMatchObject({ documents: 0, signed: 0, signedRate: 0 });

    for (const argv of [['audit', join(tmp.dir, 'no-such-folder')], ['audit', join(tmp.dir, 'root.pem')], ['audit', dir, '--trust', join(tmp.dir, 'nothing.pem')]]) {
      const run = await runMain(argv);
      expect({ argv, code: run.code, stdout: run.stdout }).toEqual({ argv, code: 4, stdout: '' });
      expect(run.stderr).toMatch(/^ERR_IO: /);
    }
    // A trust file without a certificate stops the audit before any file is verified.
    const notPem = join(tmp.dir, 'not-a-certificate.pem');
    writeFileSync(notPem, 'hello');
    const bad = await runMain(['audit', dir, '--trust', notPem]);
    expect(bad).toMatchObject({ code: 4, stdout: '' });
    expect(bad.stderr).toMatch(/^ERR_CERT_MALFORMED: /);
    for (const argv of [
      ['audit'],
      ['audit', dir, dir],
      ['audit', dir, '--format', 'xml'],
      ['audit', dir, '--jobs', '0'],
      ['audit', dir, '--jobs', 'many'],
      ['audit', dir, '--concurrency', '257'],
      ['audit', dir, '--concurrency', '2', '--jobs', '2'],
      ['audit', dir, '--concurrency', '2', '--queue', 'redis://127.0.0.1:1'],
      ['audit', dir, '--at', 'yesterday'],
      ['audit', dir, '--revocation', 'sometimes'],
      ['audit', dir, '--profile', 'vn-nowhere'],
      ['audit', dir, '--lang', 'fr'],
      ['audit', dir, '--no-such-option'],
    ]) {
      const run = await runMain(argv);
      expect({ argv, code: run.code, stdout: run.stdout }).toEqual({ argv, code: 64, stdout: '' });
      expect(run.stderr).not.toBe('');
    }
  });

  it('prints its usage with --help', async () => {
    const run = await runMain(['audit', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: kyso audit DIR/);
  });
});
