import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '@kyso/core';
import { fromPkcs8Pem } from '@kyso/adapters';
import {
  ensurePki, ensureSamples, pkiRoutes, routeFetch, startCrlServer, startOcspResponder, type RoutedFetch, type TestPki,
} from '@kyso/testkit';
import { verifyCommand } from '../src/verify-command.js';
import { repoRoot, runMain, tempDir } from './helpers/cli.js';

/** A fixed validation time inside the test PKI's validity (leaves 2025–2035, OCSP/CRL data 2026–2036). */
const AT = '2030-01-01T00:00:00Z';
const SIGNING_TIME = new Date('2026-01-15T03:00:00Z');

let pki: TestPki;
let tmp: ReturnType<typeof tempDir>;
let fetchImpl: RoutedFetch;
let servers: { close(): Promise<void> }[] = [];
const file = (name: string) => join(tmp.dir, name);

beforeAll(async () => {
  pki = await ensurePki();
  const samples = await ensureSamples();
  tmp = tempDir();
  const ocsp = await startOcspResponder({ pki });
  const crl = await startCrlServer({ pki });
  servers = [ocsp, crl];
  fetchImpl = routeFetch(pkiRoutes({ ocsp, crl }));

  const leader = pki.entity('leader');
  const adapter = await fromPkcs8Pem(leader.keyPem, leader.certDer, leader.chainDer);
  const simple = new Uint8Array(readFileSync(samples.simple));
  const signed = await sign(simple, { adapter, signingTime: SIGNING_TIME });
  writeFileSync(file('signed.pdf'), signed);
  const tampered = signed.slice();
  const at = Buffer.from(tampered).indexOf('/MediaBox');
  tampered[at + 1] = 'm'.charCodeAt(0);
  writeFileSync(file('tampered.pdf'), tampered);
  writeFileSync(file('unsigned.pdf'), simple);
  writeFileSync(file('garbage.pdf'), 'this is not a PDF at all\n');
  writeFileSync(file('root.pem'), pki.rootPem);
});

afterAll(async () => {
  for (const s of servers) await s.close();
  tmp?.remove();
});

/** `kyso verify FILE --trust root.pem --revocation online --at AT …extra`, the network routed to the local OCSP/CRL servers. */
const online = (name: string, extra: string[] = []) =>
  verifyCommand([file(name), '--trust', file('root.pem'), '--revocation', 'online', '--at', AT, ...extra], fetchImpl);

describe('kyso verify: exit status', () => {
  it('is 0 for a kyso-signed file whose root is trusted and whose signer is not revoked (online)', async () => {
    const { exit } = await online('signed.pdf');
    expect(exit).toBe(0);
    expect(fetchImpl.calls.length).toBeGreaterThan(0);
  });

  it('is 1 when a covered byte was changed', async () => {
    expect((await online('tampered.pdf')).exit).toBe(1);
  });

  it('is 2 when the result is indeterminate: revocation not checked, or the root not trusted', async () => {
    expect((await online('signed.pdf', ['--revocation', 'off'])).exit).toBe(2);
    expect((await verifyCommand([file('signed.pdf'), '--revocation', 'online', '--at', AT], fetchImpl)).exit).toBe(2);
  });

  it('is 3 for a PDF without signatures', async () => {
    const run = await runMain(['verify', file('unsigned.pdf'), '--at', AT]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/Tài liệu không có chữ ký số\./);
  });

  it('is 4 for a file that is not a PDF, or that cannot be read, with the error code on stderr', async () => {
    const garbage = await runMain(['verify', file('garbage.pdf')]);
    expect(garbage.code).toBe(4);
    expect(garbage.stdout).toBe('');
    expect(garbage.stderr).toMatch(/^ERR_[A-Z_]+: /);
    expect((await runMain(['verify', file('missing.pdf')])).code).toBe(4);
  });

  it('is 64 for usage errors: an unknown format, no file, a bad --at, an unknown option', async () => {
    for (const argv of [
      ['verify', file('signed.pdf'), '--format', 'xml'],
      ['verify'],
      ['verify', file('signed.pdf'), file('unsigned.pdf')],
      ['verify', file('signed.pdf'), '--at', 'yesterday'],
      ['verify', file('signed.pdf'), '--revocation', 'sometimes'],
      ['verify', file('signed.pdf'), '--profile', 'vn-nowhere'],
      ['verify', file('signed.pdf'), '--lang', 'fr'],
      ['verify', file('signed.pdf'), '--no-such-option'],
    ]) {
      const run = await runMain(argv);
      expect({ argv, code: run.code, stdout: run.stdout }).toEqual({ argv, code: 64, stdout: '' });
      expect(run.stderr).not.toBe('');
    }
  });

  it('prints its usage with --help and exits 0', async () => {
    const run = await runMain(['verify', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: kyso verify FILE\.pdf/);
  });
});

describe('kyso verify: output', () => {
  it('--format json prints the report with the keys docs/report.schema.json requires', async () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, 'docs/report.schema.json'), 'utf8'));
    const { output, exit } = await online('signed.pdf', ['--format', 'json']);
    expect(exit).toBe(0);
    const report = JSON.parse(output);
    expect(Object.keys(report).sort()).toEqual([...schema.required].sort());
    expect(report.signatures).toHaveLength(1);
    expect(Object.keys(report.signatures[0]).sort()).toEqual([...schema.$defs.signature.required].sort());
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', signer: { commonName: 'Nguyễn Văn Đức' } });
    expect(report.validationTime).toBe('2030-01-01T00:00:00.000Z');
    expect(report.file).toBe(file('signed.pdf'));
  });

  it('prints a Vietnamese signature panel by default: signer, organisation, signing time, validity', async () => {
    const { output } = await online('signed.pdf');
    const lines = output.split('\n');
    expect(lines).toContain('Chữ ký #1: HỢP LỆ');
    expect(lines).toContain('  Người ký: Nguyễn Văn Đức');
    expect(lines).toContain('  Cơ quan: Văn phòng UBND thành phố Đà Nẵng (TEST)');
    expect(lines).toContain('  Định danh: CCCD:001085012345');
    expect(lines).toContain(`  Thời gian ký (khai báo): 15/01/2026 10:00:00 +07:00`);
    expect(lines).toContain('  Phạm vi: toàn bộ tài liệu');
    expect(lines).toContain('  Thu hồi: chưa bị thu hồi');
    expect(lines).toContain('  Thay đổi sau khi ký: không có');
    expect(output).not.toMatch(/Signature #|Signer:|VALID/);
  });

  it('prints the same panel in English with --lang en, and says why a tampered file is invalid', async () => {
    const { output } = await online('signed.pdf', ['--lang', 'en']);
    const lines = output.split('\n');
    expect(lines).toContain('Signature #1: VALID');
    expect(lines).toContain('  Signer: Nguyễn Văn Đức');
    expect(lines).toContain(`  Signing time (claimed): 15/01/2026 10:00:00 +07:00`);
    expect(lines).toContain('  Coverage: the whole document');
    expect(lines).toContain('  Certificate chain: trusted → CN=TEST RootCA chuyên dùng Chính phủ kyso,O=Ban Cơ yếu Chính phủ (TEST),C=VN');
    const bad = await online('tampered.pdf', ['--lang', 'en']);
    expect(bad.output.split('\n')).toContain('Signature #1: INVALID (HASH_FAILURE)');
  });

  it('says that the result is unknown, not valid, when revocation was not checked', async () => {
    const { output } = await online('signed.pdf', ['--revocation', 'off', '--lang', 'en']);
    expect(output.split('\n')).toContain('Signature #1: UNKNOWN (TRY_LATER)');
    expect(output.split('\n')).toContain('  Revocation: not checked');
  });
});
