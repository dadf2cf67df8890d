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

/** A folder audited in these tests: how many files, how many distinct contents, and the one-process report. */
interface Folder {
  path: string;
  files: number;
  distinct: number;
  expected: string;
}

let dir: string;
/** About a hundred documents of every kind: for the kill -9 and Redis restart runs. */
let small: Folder;
/** The small folder and enough distinct variants beside it to make more than a thousand documents (issue 17 §3). */
let large: Folder;
let redis: TestRedis | undefined;
let workers: ChildProcess[] = [];

const DOCUMENTS = 1_000;

beforeAll(async () => {
  const pki = await ensurePki();
  const samples = await ensureSamples();
  dir = mkdtempSync(join(tmpdir(), 'kyso-server-audit-'));
  const root = join(dir, 'archive');
  let files = 0;
  let copies = 0;
  const put = (path: string, bytes: Uint8Array) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), bytes);
    files++;
  };
  // Another variant of a document: a trailing comment changes the bytes and nothing a reader sees.
  const variant = (bytes: Uint8Array, v: number) => new Uint8Array([...bytes, ...new TextEncoder().encode(`%variant ${v}\n`)]);
  const simple = new Uint8Array(readFileSync(samples.simple));
  const vietnamese = new Uint8Array(readFileSync(samples.vietnamese));
  // Signed documents, each distinct (signer, document, month).
  const signers: EntityName[] = ['leader', 'seal'];
  const signed: Uint8Array[] = [];
  for (let i = 0; i < 12; i++) {
    signed.push(await signAs(pki, signers[i % 2]!, i % 3 ? simple : vietnamese, new Date(Date.UTC(2026, i % 12, 10, 3))));
    put(`small/signed/${String(i).padStart(2, '0')}.pdf`, signed[i]!);
    // The same bytes under another name: one job, two rows.
    if (i < 3) {
      put(`small/copies/${i}.pdf`, signed[i]!);
      copies++;
    }
  }
  // Unsigned documents: every testkit sample, in distinct variants.
  const unsigned = SAMPLE_NAMES.map((name) => [name, new Uint8Array(readFileSync(samples[name]))] as const);
  for (const [name, bytes] of unsigned) for (let v = 0; v < 6; v++) put(`small/unsigned/${name}-${v}.pdf`, variant(bytes, v));
  for (const [name, bytes] of Object.entries(malformedPdfs(simple))) put(`small/broken/${name}.pdf`, bytes);
  const smallFiles = files;
  // The rest of the thousand: signed documents with bytes appended after their signature (an incremental
  // change kyso reports), and more unsigned variants, each distinct.
  for (let v = 0; v < 20; v++) signed.forEach((bytes, i) => put(`more/signed/${String(i).padStart(2, '0')}-${v}.pdf`, variant(bytes, v)));
  for (let v = 6; files < DOCUMENTS; v++) for (const [name, bytes] of unsigned) put(`more/unsigned/${name}-${v}.pdf`, variant(bytes, v));
  // The single-machine audit (worker threads) is the reference.
  const reference = async (path: string) => (await auditCommand([path, '--format', 'json', '--offline', '--at', AT, '--jobs', '2'], { loader: LOADER })).output!;
  small = { path: join(root, 'small'), files: smallFiles, distinct: smallFiles - copies, expected: await reference(join(root, 'small')) };
  large = { path: root, files, distinct: files - copies, expected: await reference(root) };
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
  it('gives the same report for a thousand documents as the single-machine audit, with the work shared by two workers', async () => {
    redis = await startRedis();
    const queue = queueAt(redis.url);
    try {
      const a = await startWorker(queue, redis.url);
      const b = await startWorker(queue, redis.url);
      const run = await auditCommand([large.path, '--format', 'json', '--offline', '--at', AT, '--queue', redis.url]);
      expect(run.output).toBe(large.expected);
      expect(large.files).toBeGreaterThanOrEqual(DOCUMENTS);
      const rows = JSON.parse(large.expected).rows as { signed: boolean; error: string | null }[];
      expect(rows).toHaveLength(large.files);
      // Every kind is there: signed documents (12 and their 240 variants, 3 copies), unsigned ones, unreadable ones.
      expect(rows.filter((r) => r.signed)).toHaveLength(12 * 21 + 3);
      expect(rows.filter((r) => r.error !== null).length).toBeGreaterThan(0);
      const completed = await queue.getCompleted(0, -1);
      // One job per distinct content: the copies did not make jobs of their own.
      expect(completed).toHaveLength(large.distinct);
      const by = new Set(completed.map((j) => j.processedBy));
      expect(by).toEqual(new Set([`${readHost(completed)}-${a.pid}`, `${readHost(completed)}-${b.pid}`]));
      // Run again with the same options: the finished jobs answer, nothing is queued twice.
      const again = await auditCommand([large.path, '--format', 'json', '--offline', '--at', AT, '--queue', redis.url]);
      expect(again.output).toBe(large.expected);
      expect(await queue.getCompleted(0, -1)).toHaveLength(large.distinct);
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
      const audit = auditCommand([small.path, '--format', 'json', '--offline', '--at', AT, '--queue', redis.url]);
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
      expect(run.output).toBe(small.expected);
      const rows = JSON.parse(run.output!).rows as { path: string }[];
      expect(new Set(rows.map((r) => r.path)).size).toBe(small.files);
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
      const audit = auditCommand([small.path, '--format', 'json', '--offline', '--at', AT, '--queue', redis.url]);
      // Restart once some files are done and others are still queued or running.
      let completed = 0;
      while (completed < 5) {
        await new Promise((r) => setTimeout(r, 20));
        completed = await queue.getCompletedCount();
      }
      const before = await queue.getCompleted(0, -1);
      expect(before.length).toBeLessThan(small.distinct);
      await redis.restart();
      const run = await audit;
      expect(run.output).toBe(small.expected);
      const rows = JSON.parse(run.output!).rows as { path: string }[];
      expect(new Set(rows.map((r) => r.path)).size).toBe(small.files);
      // What Redis kept through the restart: one finished job per distinct content, none added twice.
      expect(await queue.getCompletedCount()).toBe(small.distinct);
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
    await expect(auditCommand([small.path, '--format', 'json', '--offline', '--at', AT, '--queue', 'redis://127.0.0.1:1'])).rejects.toMatchObject({ code: 'ERR_QUEUE_UNREACHABLE' });
    await expect(auditCommand([small.path, '--queue', 'http://example.invalid'])).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
});

/** The host part of worker names (`HOST-PID`), from any job. */
function readHost(jobs: { processedBy?: string }[]): string {
  return jobs[0]!.processedBy!.replace(/-\d+$/, '');
}
