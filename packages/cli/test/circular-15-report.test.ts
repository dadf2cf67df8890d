import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '@kyso/core';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, routeFetch, startTsaServer, startScriptedRevocationServer, type ScriptedRevocationServer, type TestPki, type TsaServer } from '@kyso/testkit';
import { verifyCommand } from '../src/verify-command.js';
import { tempDir } from './helpers/cli.js';
import { INTERMEDIATE_NAME } from '@kyso/testkit';
import { issueCertificate, keyUsage } from '../../testkit/src/pki/x509.js';

// The report a receiving clerk reads (Circular 15/2025/TT-BKHCN): in Vietnamese, with the issuing organisation,
// the signer, the signing time or timestamp, integrity, validity at signing time, the status source and time, and
// one line per Annex II criterion whose result comes from the facts: unknown stays "chưa xác định", never "đạt".

const AT = '2030-01-01T00:00:00Z';
const ANNEX_VI = [
  'Chứng thư trong thời hạn hiệu lực tại thời điểm ký',
  'Trạng thái chứng thư tại thời điểm ký (CRL hoặc OCSP)',
  'Thuật toán',
  'Mục đích, phạm vi sử dụng khóa',
  'Định danh người ký',
  'Chữ ký được tạo bằng khóa bí mật tương ứng với chứng thư',
  'Tính toàn vẹn dữ liệu',
];

let pki: TestPki;
let tmp: ReturnType<typeof tempDir>;
let server: ScriptedRevocationServer;
let tsa: TsaServer;
const file = (name: string) => join(tmp.dir, name);
/** A file name a hostile sender could choose: it must reach the HTML escaped. */
const HOSTILE = '<img src=x onerror=alert(1)>&"q".pdf';

/** The Annex II results from the text report: criterion → result word(s). */
function annexFromText(output: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const m = /^ {4}- (.+?): (đạt|không đạt|chưa xác định|passed|failed|undetermined)(?: \(.*\))?$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}
/** The labelled fields of the Circular 15 block. */
function fieldsFromText(output: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const m = /^ {4}([^-\s][^:]*): (.+)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
function rowsFromHtml(html: string): { annex: Record<string, string>; fields: Record<string, string> } {
  const annex: Record<string, string> = {};
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<tr class="\w+"><th scope="row">([^<]*)<\/th><td class="result">([^<]*)<\/td>/g)) annex[unescape(m[1]!)] = unescape(m[2]!);
  for (const m of html.matchAll(/<tr><th scope="row">([^<]*)<\/th><td>([^<]*)<\/td><\/tr>/g)) fields[unescape(m[1]!)] = unescape(m[2]!);
  return { annex, fields };
}

async function signAs(entity: string, name: string, timestamped = false): Promise<void> {
  const samples = await ensureSamples();
  const e = pki.entity(entity as 'leader');
  const adapter = await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
  writeFileSync(file(name), await sign(new Uint8Array(readFileSync(samples.simple)), {
    adapter, signingTime: new Date('2026-01-15T03:00:00Z'), ...(timestamped ? { level: 'B-T' as const, timestamp: { url: tsa.url } } : {}),
  }));
}

beforeAll(async () => {
  pki = await ensurePki();
  tmp = tempDir();
  server = await startScriptedRevocationServer(pki);
  tsa = await startTsaServer({ pki, time: new Date('2026-01-15T03:00:05Z') });
  await signAs('leader', 'signed.pdf');
  await signAs('nokeyusage', 'nokeyusage.pdf');
  await signAs('revoked', 'revoked.pdf');
  // Revoked 2025-06-01; the timestamp proves the signature was made after that.
  await signAs('revoked', 'revoked-t.pdf', true);
  writeFileSync(file(HOSTILE), readFileSync(file('signed.pdf')));
  writeFileSync(file('root.pem'), pki.rootPem);
  // The same signed file with one byte of the signed page content changed.
  const bytes = new Uint8Array(readFileSync(file('signed.pdf')));
  const at = Buffer.from(bytes).indexOf('endstream');
  bytes[at - 2] ^= 0x01;
  writeFileSync(file('tampered.pdf'), bytes);
});

afterAll(async () => {
  await Promise.all([server?.close(), tsa?.close()]);
  tmp?.remove();
});

const verifyText = (name: string, ...extra: string[]) =>
  verifyCommand([file(name), '--trust', file('root.pem'), '--at', AT, ...extra], routeFetch(server.routes));

describe('kyso verify: the Circular 15 report in Vietnamese', () => {
  it('names every required field with its value, and each Annex II criterion "đạt" when the facts show it', async () => {
    const { output, exit } = await verifyText('signed.pdf');
    expect(exit).toBe(0);
    expect(output.split('\n')).toContain('  Kết quả kiểm tra chữ ký số (Thông tư 15/2025/TT-BKHCN):');
    const fields = fieldsFromText(output);
    expect(fields['Tổ chức cấp chứng thư']).toBe('Ban Cơ yếu Chính phủ (TEST)');
    expect(fields['Người ký']).toBe('Nguyễn Văn Đức');
    expect(fields['Định danh (CCCD/MST)']).toBe('CCCD:001085012345');
    expect(fields['Thời gian ký']).toBe('15/01/2026 10:00:00 +07:00');
    expect(fields['Tính toàn vẹn']).toBe('đạt');
    expect(fields['Hiệu lực tại thời điểm ký']).toBe('HỢP LỆ');
    expect(fields['Nguồn và thời điểm kiểm tra trạng thái']).toMatch(
      /^Nguyễn Văn Đức: OCSP trực tuyến \(dữ liệu lập lúc .+\); TEST CA phục vụ các cơ quan Nhà nước kyso: CRL trực tuyến \(dữ liệu lập lúc .+\); thời điểm kiểm tra 01\/01\/2030 07:00:00 \+07:00$/);
    expect(annexFromText(output)).toEqual(Object.fromEntries(ANNEX_VI.map((c) => [c, 'đạt'])));
    // Vietnamese only: technical names (OCSP, CRL, RSA-2048, digitalSignature) may stay, English prose may not.
    const block = output.split('\n').filter((l) => l.startsWith('    '));
    expect(block.length).toBeGreaterThanOrEqual(16);
    expect(block.filter((l) => /\b(the|of|with|data|certificate|signature|status|time|passed|failed|unknown|online)\b/i.test(l))).toEqual([]);
  });

  it('an unknown revocation status is "chưa xác định" on its line (offline, no data; checking off), not "đạt"', async () => {
    for (const mode of [['--offline'], ['--revocation', 'off']]) {
      const { output, exit } = await verifyText('signed.pdf', ...mode);
      expect(exit).toBe(2);
      const annex = annexFromText(output);
      expect(annex['Trạng thái chứng thư tại thời điểm ký (CRL hoặc OCSP)']).toBe('chưa xác định');
      expect(Object.values(annex).filter((r) => r === 'đạt')).toHaveLength(6);
      expect(fieldsFromText(output)['Hiệu lực tại thời điểm ký']).toMatch(/^CHƯA XÁC ĐỊNH/);
    }
  });

  it('a failed fact is "không đạt" on its own line; a path to no trusted anchor leaves identity "chưa xác định"', async () => {
    const tampered = annexFromText((await verifyText('tampered.pdf', '--offline')).output);
    expect(tampered['Tính toàn vẹn dữ liệu']).toBe('không đạt');
    const usage = annexFromText((await verifyText('nokeyusage.pdf')).output);
    expect(usage['Mục đích, phạm vi sử dụng khóa']).toBe('không đạt');
    const STATUS = 'Trạng thái chứng thư tại thời điểm ký (CRL hoặc OCSP)';
    const proven = await verifyText('revoked-t.pdf');
    expect(proven.exit).toBe(1);
    expect(fieldsFromText(proven.output)['Dấu thời gian']).toBe('15/01/2026 10:00:05 +07:00');
    expect(annexFromText(proven.output)[STATUS]).toBe('không đạt');
    // Revoked, but only a claimed signing time: it may have been active when signed (REVOKED_NO_POE), so unknown.
    const claimed = await verifyText('revoked.pdf');
    expect([claimed.exit, annexFromText(claimed.output)[STATUS]]).toEqual([2, 'chưa xác định']);
    const untrusted = await verifyCommand([file('signed.pdf'), '--offline', '--at', AT], routeFetch({}));
    expect(annexFromText(untrusted.output)['Định danh người ký']).toBe('chưa xác định');
  });

  it('--lang en gives the same lines in English', async () => {
    const { output } = await verifyText('signed.pdf', '--offline', '--lang', 'en');
    const annex = annexFromText(output);
    expect(annex['Certificate status at signing time (CRL or OCSP)']).toBe('undetermined');
    expect(annex['Data integrity']).toBe('passed');
    expect(Object.keys(annex)).toHaveLength(7);
    expect(fieldsFromText(output)['Issuing organisation']).toBe('Ban Cơ yếu Chính phủ (TEST)');
  });
});

describe('kyso verify --format html', () => {
  it('a certificate whose names carry markup reaches the page as text', async () => {
    // A sender controls its certificate's names as much as the file name: a CA-issued leaf with markup in CN and O.
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const intermediate = pki.entity('intermediate');
    const cert = issueCertificate({
      serialHex: '4B59534F0000F00D', subject: [['C', 'VN'], ['O', 'A & B "Co" <b>'], ['CN', '<script>alert(1)</script>'], ['UID', "CCCD:1'2"]],
      issuer: INTERMEDIATE_NAME, notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2035-01-01T00:00:00Z'),
      spkiDer: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })), extensions: [keyUsage(['digitalSignature', 'nonRepudiation'])],
      issuerKey: createPrivateKey(intermediate.keyPem),
    });
    const adapter = await fromPkcs8Pem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), cert, [intermediate.certDer, pki.rootDer]);
    const samples = await ensureSamples();
    writeFileSync(file('markup.pdf'), await sign(new Uint8Array(readFileSync(samples.simple)), { adapter, signingTime: new Date('2026-01-15T03:00:00Z') }));
    const { output } = await verifyText('markup.pdf', '--format', 'html', '--offline');
    expect(output).not.toContain('<script');
    expect(output).not.toContain('<b>');
    expect(output).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const { fields, annex } = rowsFromHtml(output);
    expect([fields['Người ký'], fields['Cơ quan'], fields['Định danh (CCCD/MST)']]).toEqual(['<script>alert(1)</script>', 'A & B "Co" <b>', "CCCD:1'2"]);
    expect(annex['Định danh người ký']).toBe('đạt');
  });

  it('a printable page with the same fields and Annex II lines, no script or external resource, every value escaped', async () => {
    const { output, exit } = await verifyText(HOSTILE, '--format', 'html', '--offline');
    expect(exit).toBe(2);
    const { annex, fields } = rowsFromHtml(output);
    expect(Object.keys(annex)).toEqual(ANNEX_VI);
    expect(annex['Trạng thái chứng thư tại thời điểm ký (CRL hoặc OCSP)']).toBe('chưa xác định');
    expect(annex['Chữ ký được tạo bằng khóa bí mật tương ứng với chứng thư']).toBe('đạt');
    expect(fields).toMatchObject({
      'Tổ chức cấp chứng thư': 'Ban Cơ yếu Chính phủ (TEST)', 'Người ký': 'Nguyễn Văn Đức', 'Định danh (CCCD/MST)': 'CCCD:001085012345',
      'Thời gian ký': '15/01/2026 10:00:00 +07:00', 'Tính toàn vẹn': 'đạt', 'Hiệu lực tại thời điểm ký': 'CHƯA XÁC ĐỊNH (TRY_LATER)',
    });
    expect(fields['Nguồn và thời điểm kiểm tra trạng thái']).toContain('không có dữ liệu');
    // Inert: no script, no handler, nothing loaded from elsewhere, and a policy that forbids them.
    expect(output).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    const tags = output.match(/<[^>]*>/g)!;
    expect(tags.filter((t) => /^<\/?(script|img|link|iframe|object|embed|base|form)\b|\s(src|href|on\w+)=/i.test(t))).toEqual([]);
    expect(output).not.toMatch(/url\(|@import/i);
    expect(output).toContain('&lt;img src=x onerror=alert(1)&gt;&amp;&quot;q&quot;.pdf');
    expect(output.startsWith('<!DOCTYPE html>\n<html lang="vi">')).toBe(true);
    const en = await verifyText('signed.pdf', '--format', 'html', '--lang', 'en', '--offline');
    expect(rowsFromHtml(en.output).annex['Data integrity']).toBe('passed');
  });
});
