/**
 * Batch signing on the queue: `kyso worker --sign` processes holding the seal's key (PKCS#12) sign a
 * batch; one is killed (-9) mid-run. Every output verifies (kyso and pdfsig) with exactly one
 * signature, every input is a byte-identical prefix of its output, nothing is signed twice.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '@kyso/core';
import { copySoftHsm, ensurePki, ensureSamples, ensureSoftHsm, SAMPLE_NAMES, SOFTHSM_USER_PIN, type TestPki } from '@kyso/testkit';
import { signFilesOnQueue, signQueueName, type BatchFile } from '../src/index.js';
import { AT } from './helpers/documents.js';
import { startRedis, type TestRedis } from './helpers/redis.js';

const KYSO = new URL('./helpers/kyso-src.mjs', import.meta.url).pathname;

let pki: TestPki;
let dir: string;
let batch: BatchFile[];
let redis: TestRedis;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  pki = await ensurePki();
  const samples = await ensureSamples();
  dir = mkdtempSync(join(tmpdir(), 'kyso-server-batch-sign-'));
  mkdirSync(join(dir, 'in'));
  mkdirSync(join(dir, 'out'));
  batch = [];
  // Unsigned documents of every sample, in distinct variants (a trailing comment changes the bytes).
  for (const name of SAMPLE_NAMES.filter((n) => !n.includes('encrypted'))) {
    const bytes = readFileSync(samples[name]);
    for (let v = 0; v < 2; v++) {
      const file = `${name}-${v}.pdf`;
      writeFileSync(join(dir, 'in', file), Buffer.concat([bytes, Buffer.from(`%variant ${v}\n`)]));
      batch.push({ input: join(dir, 'in', file), output: join(dir, 'out', file) });
    }
  }
  redis = await startRedis();
}, 120_000);

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  await Promise.all(workers.map((w) => (w.exitCode === null && w.signalCode === null ? new Promise((r) => w.once('exit', r)) : null)));
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * Starts `kyso worker --sign`, by default with the seal's PKCS#12 (else with `key` options and
 * environment); resolves once its queue lists it.
 */
async function startSigner(queue: Queue, key?: { args: string[]; env: Record<string, string> }): Promise<ChildProcess> {
  const seal = pki.entity('seal');
  const { args, env } = key ?? { args: ['--p12', seal.p12Path!, '--pin-env', 'KYSO_TEST_P12_PASSWORD'], env: { KYSO_TEST_P12_PASSWORD: pki.p12Password } };
  const child = spawn(process.execPath, [KYSO, 'worker', '--queue', redis.url, '--sign', ...args,
    '--lock-duration', '2', '--stalled-interval', '0.5'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  workers.push(child);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`kyso worker --sign exited ${child.exitCode}: ${stderr}`);
    if ((await queue.getWorkers()).some((w) => w.rawname?.endsWith(`-${child.pid}`))) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** pdfsig's count of signature fields and of valid signatures, with the test root trusted in its NSS database. */
function pdfsig(file: string): { total: number; valid: number; output: string } {
  const r = spawnSync('pdfsig', ['-nssdir', `sql:${pki.nssDir}`, file], { encoding: 'utf8' });
  const output = r.stdout + r.stderr;
  return {
    total: (output.match(/^Signature #\d+:/gm) ?? []).length,
    valid: (output.match(/Signature Validation: Signature is Valid\./g) ?? []).length,
    output,
  };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('batch signing on the queue (kyso worker --sign)', () => {
  it('signs every file exactly once with two workers, one of them killed (-9) mid-run', async () => {
    const seal = pki.entity('seal');
    const queue = new Queue(signQueueName(seal.certDer), { connection: { url: redis.url }, prefix: 'kyso' });
    try {
      const victim = await startSigner(queue);
      const victimName = (await queue.getWorkers()).find((w) => w.rawname?.endsWith(`-${victim.pid}`))!.rawname!.split(':w:')[1];
      await startSigner(queue);
      const run = signFilesOnQueue(redis.url, seal.certDer, batch, { reason: 'Phát hành hằng ngày' }, { sweepMs: 500 });
      // Freeze the victim until it is caught holding a job, then kill it there: that job's lock can only expire.
      let held: string | undefined;
      while (!held) {
        await new Promise((r) => setTimeout(r, 20));
        process.kill(victim.pid!, 'SIGSTOP');
        held = (await queue.getActive()).find((j) => j.processedBy === victimName)?.id;
        if (!held) process.kill(victim.pid!, 'SIGCONT');
      }
      process.kill(victim.pid!, 'SIGKILL');
      const results = await run;

      expect(results.map((r) => r.ok)).toEqual(batch.map(() => true));
      for (const [i, { input, output }] of batch.entries()) {
        const before = new Uint8Array(readFileSync(input));
        const after = new Uint8Array(readFileSync(output));
        const result = results[i]!;
        expect(result.ok && result.value.sha256).toBe(sha256(after));
        // The input is untouched and is the output's prefix: the signature is one incremental update (ISO 32000-2 §7.5.6).
        expect(Buffer.compare(after.subarray(0, before.length), before)).toBe(0);
        const report = await verify(after, { trust: [pki.rootDer], revocation: 'off', at: new Date(AT) });
        expect(report.signatures.length).toBe(1);
        expect(report.signatures[0]).toMatchObject({ integrity: 'intact', cryptoValid: true, chain: { status: 'trusted' } });
        // pdfsig also lists empty signature fields (the acroform samples have one): exactly one valid signature, the new one.
        const nss = pdfsig(output);
        expect([output, nss.valid, nss.total]).toEqual([output, 1, pdfsig(input).total + 1]);
      }
      // The held job ran twice (the victim, then after its lock expired) and wrote one output.
      const job = await queue.getJob(held);
      expect(job!.attemptsStarted).toBeGreaterThanOrEqual(2);
      expect(job!.processedBy).not.toBe(victimName);
      // Only the outputs: no second copy, no temporary file left by the killed worker.
      expect(readdirSync(join(dir, 'out')).sort()).toEqual(batch.map((b) => b.output.split('/').pop()).sort());

      // The same batch again: one job per input, options and output already done; nothing is signed again.
      const hashes = batch.map((b) => sha256(new Uint8Array(readFileSync(b.output))));
      const again = await signFilesOnQueue(redis.url, seal.certDer, batch, { reason: 'Phát hành hằng ngày' });
      expect(results.map((r) => r.ok && r.value.reused)).toEqual(batch.map(() => false));
      expect(again).toEqual(results.map((r) => (r.ok ? { ok: true, value: { ...r.value, reused: true } } : r)));
      expect(batch.map((b) => sha256(new Uint8Array(readFileSync(b.output))))).toEqual(hashes);
      expect(await queue.getCompletedCount()).toBe(batch.length);
    } finally {
      await queue.close();
    }
  });

  it('signs with a key on a PKCS#11 token (SoftHSM2) that never leaves it: kyso worker --sign --pkcs11', async () => {
    const hsm = await copySoftHsm(join(dir, 'softhsm'), await ensureSoftHsm());
    const leader = pki.entity('leader');
    const queue = new Queue(signQueueName(leader.certDer), { connection: { url: redis.url }, prefix: 'kyso' });
    try {
      // The seal's workers listen to the seal's queue only: this batch, for the leader's key, waits for its own worker.
      await startSigner(queue, {
        args: ['--pkcs11', hsm.module, '--token', 'kyso-leader', '--key', 'leader', '--pin-env', 'KYSO_TEST_TOKEN_PIN'],
        env: { SOFTHSM2_CONF: hsm.conf, KYSO_TEST_TOKEN_PIN: SOFTHSM_USER_PIN },
      });
      mkdirSync(join(dir, 'out-hsm'));
      const small = batch.slice(0, 3).map((b) => ({ input: b.input, output: join(dir, 'out-hsm', b.output.split('/').pop()!) }));
      const results = await signFilesOnQueue(redis.url, leader.certDer, small);
      expect(results.map((r) => r.ok)).toEqual([true, true, true]);
      for (const { input, output } of small) {
        const before = new Uint8Array(readFileSync(input));
        const after = new Uint8Array(readFileSync(output));
        expect(Buffer.compare(after.subarray(0, before.length), before)).toBe(0);
        const report = await verify(after, { trust: [pki.rootDer], revocation: 'off', at: new Date(AT) });
        expect(report.signatures.length).toBe(1);
        expect(report.signatures[0]).toMatchObject({ integrity: 'intact', cryptoValid: true, chain: { status: 'trusted' } });
        expect(pdfsig(output).valid).toBe(1);
      }
    } finally {
      await queue.close();
    }
  });

  it('answers a file that cannot be signed with its typed error and writes nothing; a batch never signs in place', async () => {
    const seal = pki.entity('seal');
    const queue = new Queue(signQueueName(seal.certDer), { connection: { url: redis.url }, prefix: 'kyso' });
    try {
      if ((await queue.getWorkers()).length === 0) await startSigner(queue);
      const bad = join(dir, 'in', 'not-a-pdf.pdf');
      writeFileSync(bad, 'GIF89a this is no PDF at all');
      const [result] = await signFilesOnQueue(redis.url, seal.certDer, [{ input: bad, output: join(dir, 'out-bad.pdf') }]);
      expect(result).toEqual({ ok: false, code: 'ERR_PDF_MALFORMED' });
      expect(readdirSync(dir)).not.toContain('out-bad.pdf');
      await expect(signFilesOnQueue(redis.url, seal.certDer, [{ input: bad, output: bad }])).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    } finally {
      await queue.close();
    }
  });
});
