import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, ensureSamples, SAMPLE_NAMES, type EntityName } from '@kyso/testkit';
import { auditCommand } from '../../cli/src/audit-command.js';
import { AUDIT_QUEUE } from '../src/index.js';
import { AT, malformedPdfs, signAs } from './helpers/documents.js';
import { SHIPPED_REDIS_CONF, startRedis, type TestRedis } from './helpers/redis.js';

/** The CLI's worker threads run kyso from its TypeScript sources, like the rest of the suite. */
const LOADER = new URL('../../cli/test/audit-ts-hooks.mjs', import.meta.url).href;
const KYSO = new URL('./helpers/kyso-src.mjs', import.meta.url).pathname;

let dir: string;
let docs: string;
let expected: string;
let total = 0;
let redis: TestRedis | undefined;
let workers: ChildProcess[] = [];

beforeAll(async () => {
  const pki = await ensurePki();
  const samples = await ensureSamples();
  dir = mkdtempSync(join(tmpdir(), 'kyso-server-audit-'));
  docs = join(dir, 'documents');
  const put = (path: string, bytes: Uint8Array) => {
    mkdirSync(join(docs, path, '..'), { recursive: true });
    writeFileSync(join(docs, path), bytes);
    total++;
  };
  const simple = new Uint8Array(readFileSync(samples.simple));
  const vietnamese = new Uint8Array(readFileSync(samples.vietnamese));
  // Signed documents, each distinct (signer, document, month).
  const signers: EntityName[] = ['leader', 'seal'];
  for (let i = 0; i < 12; i++) {
    const signed = await signAs(pki, signers[i % 2]!, i % 3 ? simple : vietnamese, new Date(Date.UTC(2026, i % 12, 10, 3)));
    put(`signed/${String(i).padStart(2, '0')}.pdf`, signed);
    // The same bytes under another name: one job, two rows.
    if (i < 3) put(`copies/${i}.pdf`, signed);
  }
  // Unsigned documents: every testkit sample, in distinct variants (a trailing comment changes the bytes).
  for (const name of SAMPLE_NAMES) {
    const bytes = new Uint8Array(readFileSync(samples[name]));
    for (let v = 0; v < 6; v++) put(`unsigned/${name}-${v}.pdf`, new Uint8Array([...bytes, ...new TextEncoder().encode(`%variant ${v}\n`)]));
  }
  for (const [name, bytes] of Object.entries(malformedPdfs(simple))) put(`broken/${name}.pdf`, bytes);
  // The single-machine audit (worker threads) is the reference.
  const single = await auditCommand([docs, '--format', 'json', '--offline', '--at', AT, '--jobs', '2'], { loader: LOADER });
  expected = single.output!;
});

afterEach(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  await Promise.all(workers.map((w) => (w.exitCode === null && w.signalCode === null ? new Promise((r) => w.once('exit', r)) : null)));
  workers = [];
  await redis?.stop();
  redis = undefined;
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Starts `kyso worker` from the sources; resolves once the queue lists it. */
async function startWorker(queue: Queue, url: string, args: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, [KYSO, 'worker', '--queue', url, '--lock-duration', '2', '--stalled-interval', '0.5', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  workers.push(child);
  const name = `-${child.pid}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`kyso worker exited ${child.exitCode}: ${stderr}`);
    if ((await queue.getWorkers()).some((w) => w.rawname?.endsWith(name))) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const queueAt = (url: string) => new Queue(AUDIT_QUEUE, { connection: { url }, prefix: 'kyso' });

describe('kyso audit --queue with kyso worker processes', () => {
  it('gives the same report as the single-machine audit, with the work shared by two workers', async () => {
    redis = await startRedis();
    const queue = queueAt(redis.url);
    try {
      const a = await startWorker(queue, redis.url);
      const b = await startWorker(queue, redis.url);
      const run = await auditCommand([docs, '--format', 'json', '--offline', '--at', AT, '--queue', redis.url]);
      expect(run.output).toBe(expected);
      expect(JSON.parse(expected).rows).toHaveLength(total);
      const completed = await queue.getCompleted(0, -1);
      // One job per distinct content: the three copies did not make jobs of their own.
      expect(completed).toHaveLength(total - 3);
      const by = new Set(completed.map((j) => j.processedBy));
      expect(by).toEqual(new Set([`${readHost(completed)}-${a.pid}`, `${readHost(completed)}-${b.pid}`]));
      // Run again with the same options: the finished jobs answer, nothing is queued twice.
      const again = await auditCommand([docs, '--format', 'json', '--offline', '--at', AT, '--queue', redis.url]);
      expect(again.output).toBe(expected);
      expect(await queue.getCompleted(0, -1)).toHaveLength(total - 3);
    } finally {
      await queue.close();
    }
  });

  it('loses nothing and duplicates nothing when a worker is killed (-9) mid-job', async () => {
    redis = await startRedis();
    const queue = queueAt(redis.url);
    try {
      const victim = await startWorker(queue, redis.url);
      // Worker connections are named PREFIX:QUEUE:w:NAME; job.processedBy is NAME.
      const victimName = (await queue.getWorkers()).find((w) => w.rawname?.endsWith(`-${victim.pid}`))!.rawname!.split(':w:')[1];
      const audit = auditCommand([docs, '--format', 'json', '--offline', '--at', AT, '--queue', redis.url]);
      // Freeze the victim until it is caught holding a job, then kill it there: that job's lock can only expire.
      let held: string | undefined;
      while (!held) {
        await new Promise((r) => setTimeout(r, 30));
        process.kill(victim.pid!, 'SIGSTOP');
        held = (await queue.getActive()).find((j) => j.processedBy === victimName)?.id;
        if (!held) process.kill(victim.pid!, 'SIGCONT');
      }
      process.kill(victim.pid!, 'SIGKILL');
      await new Promise((r) => victim.once('exit', r));
      await startWorker(queue, redis.url);
      const run = await audit;
      expect(run.output).toBe(expected);
      const rows = JSON.parse(run.output!).rows as { path: string }[];
      expect(new Set(rows.map((r) => r.path)).size).toBe(total);
      const job = await queue.getJob(held);
      expect(job?.finishedOn).toBeDefined();
      expect(job!.processedBy).not.toBe(victimName);
      // Started twice: once by the victim, once more after its lock expired.
      expect(job!.attemptsStarted).toBeGreaterThanOrEqual(2);
    } finally {
      await queue.close();
    }
  });

  it('gives the same report when Redis (shipped config, AOF on) is restarted mid-run', async () => {
    redis = await startRedis({ config: SHIPPED_REDIS_CONF });
    const queue = queueAt(redis.url);
    try {
      await startWorker(queue, redis.url);
      await startWorker(queue, redis.url);
      const audit = auditCommand([docs, '--format', 'json', '--offline', '--at', AT, '--queue', redis.url]);
      // Restart once some files are done and others are still queued or running.
      let completed = 0;
      while (completed < 5) {
        await new Promise((r) => setTimeout(r, 20));
        completed = await queue.getCompletedCount();
      }
      const before = await queue.getCompleted(0, -1);
      expect(before.length).toBeLessThan(total - 3);
      await redis.restart();
      const run = await audit;
      expect(run.output).toBe(expected);
      const rows = JSON.parse(run.output!).rows as { path: string }[];
      expect(new Set(rows.map((r) => r.path)).size).toBe(total);
      // What Redis kept through the restart: one finished job per distinct content, none added twice.
      expect(await queue.getCompletedCount()).toBe(total - 3);
      expect(await queue.getFailedCount()).toBe(0);
      // Jobs finished before the restart came back from the AOF as they were: not verified again.
      for (const job of before) {
        const kept = await queue.getJob(job.id!);
        expect(kept?.finishedOn).toBe(job.finishedOn);
        expect(kept?.attemptsStarted).toBe(1);
      }
    } finally {
      await queue.close();
    }
  });

  it('refuses an unreachable queue with ERR_QUEUE_UNREACHABLE', async () => {
    await expect(auditCommand([docs, '--format', 'json', '--offline', '--at', AT, '--queue', 'redis://127.0.0.1:1'])).rejects.toMatchObject({ code: 'ERR_QUEUE_UNREACHABLE' });
    await expect(auditCommand([docs, '--queue', 'http://example.invalid'])).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
});

/** The host part of worker names (`HOST-PID`), from any job. */
function readHost(jobs: { processedBy?: string }[]): string {
  return jobs[0]!.processedBy!.replace(/-\d+$/, '');
}
