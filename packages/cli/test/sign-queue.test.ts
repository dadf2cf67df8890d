/**
 * `kyso sign --queue`: an agency's daily batch queued from the command line for the seal's key, signed by a
 * `kyso worker --sign` process that holds it (issue 17 §2, batch signing on its own queue). What the IT staff
 * sees: one line per file, the count, exit 0; the same batch again signs nothing twice; misuse is a usage error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '@kyso/core';
import { signQueueName } from '@kyso/server';
import { ensurePki, ensureSamples, type TestPki } from '@kyso/testkit';
import { startRedis, type TestRedis } from '../../server/test/helpers/redis.js';
import { runMain } from './helpers/cli.js';

const KYSO = new URL('../../server/test/helpers/kyso-src.mjs', import.meta.url).pathname;

let pki: TestPki;
let dir: string;
let redis: TestRedis;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  pki = await ensurePki();
  const samples = await ensureSamples();
  dir = mkdtempSync(join(tmpdir(), 'kyso-cli-sign-queue-'));
  mkdirSync(join(dir, 'in', 'phong-a'), { recursive: true });
  const plain = readFileSync(samples.vietnamese);
  for (const [i, name] of ['qd-01.pdf', 'qd-02.pdf', 'phong-a/qd-03.pdf'].entries()) {
    writeFileSync(join(dir, 'in', name), Buffer.concat([plain, Buffer.from(`%batch ${i}\n`)]));
  }
  writeFileSync(join(dir, 'in', 'ghi-chu.txt'), 'not a PDF: the folder walk leaves it out');
  redis = await startRedis();
  const seal = pki.entity('seal');
  worker = spawn(process.execPath, [KYSO, 'worker', '--queue', redis.url, '--sign', '--p12', seal.p12Path!, '--pin-env', 'KYSO_TEST_P12_PASSWORD'],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, KYSO_TEST_P12_PASSWORD: pki.p12Password } });
  let stderr = '';
  worker.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const queue = new Queue(signQueueName(seal.certDer), { connection: { url: redis.url }, prefix: 'kyso' });
  try {
    while ((await queue.getWorkers()).length === 0) {
      if (worker.exitCode !== null) throw new Error(`kyso worker --sign exited ${worker.exitCode}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await queue.close();
  }
}, 120_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    worker.kill('SIGTERM');
    await new Promise((r) => worker!.once('exit', r));
  }
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('kyso sign --queue', () => {
  it('signs every PDF of a folder through the worker that holds the key, mirroring sub-folders, and signs nothing twice', async () => {
    const seal = pki.entity('seal');
    const out = join(dir, 'out');
    const argv = ['sign', join(dir, 'in'), '-o', out, '--queue', redis.url, '--signer', seal.certPath, '--reason', 'Phát hành hằng ngày', '--lang', 'en'];
    const run = await runMain(argv);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe([
      `${join(out, 'phong-a/qd-03.pdf')}: signed`, `${join(out, 'qd-01.pdf')}: signed`, `${join(out, 'qd-02.pdf')}: signed`, '3/3 files signed', '',
    ].join('\n'));
    for (const name of ['qd-01.pdf', 'qd-02.pdf', 'phong-a/qd-03.pdf']) {
      const before = readFileSync(join(dir, 'in', name));
      const after = readFileSync(join(out, name));
      expect(Buffer.compare(after.subarray(0, before.length), before)).toBe(0);
      const report = await verify(new Uint8Array(after), { trust: [pki.rootDer], revocation: 'off' });
      expect(report.signatures.map((s) => [s.integrity, s.cryptoValid, s.chain.status])).toEqual([['intact', true, 'trusted']]);
    }
    expect(readdirSync(out).sort()).toEqual(['phong-a', 'qd-01.pdf', 'qd-02.pdf']);

    // The same batch again: its jobs (keyed by input SHA-256, options and output) are done; nothing is signed again.
    const written = ['qd-01.pdf', 'qd-02.pdf', 'phong-a/qd-03.pdf'].map((name) => readFileSync(join(out, name)));
    const again = await runMain(argv);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe([
      `${join(out, 'phong-a/qd-03.pdf')}: signed (by an earlier run)`, `${join(out, 'qd-01.pdf')}: signed (by an earlier run)`,
      `${join(out, 'qd-02.pdf')}: signed (by an earlier run)`, '3/3 files signed', '',
    ].join('\n'));
    expect(['qd-01.pdf', 'qd-02.pdf', 'phong-a/qd-03.pdf'].map((name) => readFileSync(join(out, name)))).toEqual(written);
  });

  it('a file the worker cannot sign is named with its code, the others are signed, and the exit status is 1', async () => {
    const bad = join(dir, 'khong-phai-pdf.pdf');
    writeFileSync(bad, 'GIF89a this is no PDF');
    const run = await runMain(['sign', bad, join(dir, 'in', 'qd-01.pdf'), '-o', join(dir, 'out-mixed'), '--queue', redis.url, '--signer', pki.entity('seal').certPath]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${bad}: ERR_PDF_MALFORMED`);
    expect(run.stdout).toMatch(/1\/2 tệp đã ký, 1 lỗi\n$/);
    expect(readdirSync(join(dir, 'out-mixed'))).toEqual(['qd-01.pdf']);
  });

  it('the signer certificate may be DER, or PEM with more blocks after it: the first certificate names the queue', async () => {
    const seal = pki.entity('seal');
    const der = join(dir, 'seal.cer');
    writeFileSync(der, seal.certDer);
    const withChain = join(dir, 'seal-chain.pem');
    writeFileSync(withChain, readFileSync(seal.certPath, 'utf8') + pki.rootPem);
    for (const [signer, out] of [[der, 'out-der'], [withChain, 'out-chain']] as const) {
      const run = await runMain(['sign', join(dir, 'in', 'qd-01.pdf'), '-o', join(dir, out), '--queue', redis.url, '--signer', signer, '--lang', 'en']);
      expect({ signer, code: run.code, stdout: run.stdout }).toEqual({ signer, code: 0, stdout: `${join(dir, out, 'qd-01.pdf')}: signed\n1/1 files signed\n` });
    }
  });

  it('misuse is a usage error (64) before anything is queued', async () => {
    const seal = pki.entity('seal').certPath;
    for (const argv of [
      ['sign', join(dir, 'in'), '-o', join(dir, 'x'), '--queue', redis.url],
      ['sign', join(dir, 'in'), '-o', join(dir, 'x'), '--queue', redis.url, '--signer', seal, '--role', 'issue'],
      ['sign', join(dir, 'in'), '-o', join(dir, 'x'), '--queue', redis.url, '--signer', seal, '--level', 'B-LTA'],
      ['sign', join(dir, 'in'), '-o', join(dir, 'x'), '--queue', redis.url, '--signer', seal, '--level', 'B-T'],
      ['sign', '-o', join(dir, 'x'), '--queue', redis.url, '--signer', seal],
      ['sign', join(dir, 'in', 'qd-01.pdf'), join(dir, 'in', 'phong-a', 'qd-01.pdf'), '-o', join(dir, 'x'), '--queue', redis.url, '--signer', seal],
    ]) {
      if (argv.includes(join(dir, 'in', 'phong-a', 'qd-01.pdf'))) writeFileSync(join(dir, 'in', 'phong-a', 'qd-01.pdf'), readFileSync(join(dir, 'in', 'qd-01.pdf')));
      const run = await runMain(argv);
      expect({ argv, code: run.code, stdout: run.stdout }).toEqual({ argv, code: 64, stdout: '' });
    }
    // Not a certificate: text with no PEM block, a DER SEQUENCE that is no certificate, a PEM block that is not Base64.
    for (const [name, content] of [
      ['not-a-cert.pem', 'hello'],
      ['not-a-cert.der', new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05])],
      ['bad-base64.pem', '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n'],
    ] as const) {
      const notCert = join(dir, name);
      writeFileSync(notCert, content);
      const run = await runMain(['sign', join(dir, 'in'), '-o', join(dir, 'x'), '--queue', redis.url, '--signer', notCert]);
      expect(run).toMatchObject({ code: 1, stdout: '' });
      expect(run.stderr).toMatch(new RegExp(`^ERR_CERT_MALFORMED: .*${name}`));
    }
  });
});
