import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { hostname } from 'node:os';
import { Queue, Worker, type Job } from 'bullmq';
import { kysoError } from '@kyso/core';
import { checkRedisUrl, connectRedis, redisAnswers } from './redis.js';

/** The BullMQ queue of `kyso audit --queue` and `kyso worker`. */
export const AUDIT_QUEUE = 'kyso-audit';

/** What one job carries: a file every worker can open (a shared mount), its SHA-256 and the options. */
export interface FileJobData {
  /** Absolute path of the file, the same on every worker machine. */
  readonly file: string;
  /** SHA-256 of the file's bytes when it was queued, hex: the worker refuses a file that changed since. */
  readonly sha256: string;
  /** The verification options, as plain JSON (the processor decodes them). */
  readonly options: unknown;
  /** SHA-256 of the canonical options JSON, hex. */
  readonly optionsKey: string;
}

/** A job's result: the processor's value, or the error code of a file that could not be processed. */
export type FileJobResult<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly code: string };

/** Queue tuning shared by the enqueuer and the workers (tests shorten the lock). */
export interface QueueTuning {
  /** Key prefix in Redis; default `kyso`. */
  readonly prefix?: string;
  /** How long a worker's lock on a job lasts without renewal, ms; a killed worker's job is retried after it. Default 30 000. */
  readonly lockDurationMs?: number;
  /** How often workers look for stalled jobs, ms; default 30 000. */
  readonly stalledIntervalMs?: number;
}

/** SHA-256 of a file, streamed. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path).on('error', reject).on('data', (d) => hash.update(d)).on('end', () => resolve(hash.digest('hex')));
  });
}

/** JSON with object keys sorted, so equal options give one key whatever the order they were built in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The job id of a file under some options: its content hash and the options' hash. BullMQ keeps one
 * job per id, so queueing the same document twice (a retry of the enqueuer, a duplicate file, a rerun
 * with the same options and validation time) never makes a second job, and a job retried after a
 * worker died overwrites its one result: at-least-once delivery, idempotent results.
 */
export function fileJobId(sha256: string, optionsKey: string): string {
  return `v1-${sha256}-${optionsKey.slice(0, 32)}`;
}

/** Fails with ERR_QUEUE_UNREACHABLE unless Redis at `url` answers PING within `timeoutMs`. */
export async function assertQueueReachable(url: string, timeoutMs = 3_000): Promise<void> {
  checkRedisUrl(url);
  const redis = connectRedis(url);
  try {
    if (!(await redisAnswers(redis, timeoutMs))) throw kysoError('ERR_QUEUE_UNREACHABLE', `no answer from ${redactUrl(url)}`);
  } finally {
    redis.disconnect();
  }
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'an invalid URL';
  }
}

/** A file to distribute: where workers open it and the name the caller knows it by. */
export interface QueuedFile {
  readonly file: string;
  readonly path: string;
}

/** Options of {@link distributeFiles}. */
export interface DistributeOptions extends QueueTuning {
  /** Called as results arrive: files done (each path counts), and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Called as each path's result is known (index into `files`). */
  readonly onResult?: (index: number, result: FileJobResult<unknown>) => void;
  /** How often the queue is asked for finished jobs, ms; default 250. */
  readonly pollMs?: number;
  /** Attempts per job before it is failed for good (a worker dying or stalling on it counts as one); default 3. */
  readonly attempts?: number;
}

/**
 * Queues one job per distinct file content (hashing each file first), waits until every job is
 * finished, and returns each path's result in the order of `files`. A file that cannot be read to
 * be hashed gets `{ok:false, code:'ERR_IO'}`; a job failed for good `ERR_QUEUE_JOB_FAILED`. Jobs
 * found already finished under the same id (an earlier run with the same options) are reused.
 */
export async function distributeFiles<R>(url: string, files: readonly QueuedFile[], options: unknown, tuning: DistributeOptions = {}): Promise<FileJobResult<R>[]> {
  await assertQueueReachable(url);
  const optionsKey = createHash('sha256').update(canonicalJson(options)).digest('hex');
  const results: (FileJobResult<R> | undefined)[] = new Array(files.length);
  const pathsOfJob = new Map<string, number[]>();
  const jobs: { name: string; data: FileJobData; opts: { jobId: string } }[] = [];
  for (const [i, f] of files.entries()) {
    let sha256: string;
    try {
      sha256 = await sha256File(f.file);
    } catch {
      results[i] = { ok: false, code: 'ERR_IO' };
      tuning.onResult?.(i, results[i]!);
      continue;
    }
    const id = fileJobId(sha256, optionsKey);
    const same = pathsOfJob.get(id);
    if (same) {
      same.push(i);
      continue;
    }
    pathsOfJob.set(id, [i]);
    jobs.push({ name: 'verify', data: { file: f.file, sha256, options, optionsKey }, opts: { jobId: id } });
  }
  let done = results.filter(Boolean).length;
  tuning.onProgress?.(done, files.length);

  const queue = new Queue<FileJobData, FileJobResult<R>>(AUDIT_QUEUE, {
    connection: { url },
    prefix: tuning.prefix ?? 'kyso',
    defaultJobOptions: {
      attempts: tuning.attempts ?? 3,
      // Finished jobs stay a week: a rerun with the same options reuses them; then Redis forgets them.
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  queue.on('error', () => {});
  try {
    for (let i = 0; i < jobs.length; i += 1000) await queue.addBulk(jobs.slice(i, i + 1000));
    const pending = new Set(pathsOfJob.keys());
    // A job that failed for good in an earlier run would otherwise answer this run with its old failure.
    for (const id of pending) {
      const job = await queue.getJob(id);
      if (job && (await job.getState()) === 'failed') await job.retry('failed');
    }
    const settle = (id: string, result: FileJobResult<R>) => {
      pending.delete(id);
      for (const i of pathsOfJob.get(id)!) {
        results[i] = result;
        tuning.onResult?.(i, result);
      }
      done += pathsOfJob.get(id)!.length;
      tuning.onProgress?.(done, files.length);
    };
    while (pending.size > 0) {
      const batch = [...pending].slice(0, 500);
      const found = await Promise.all(batch.map((id) => queue.getJob(id)));
      for (const [k, job] of found.entries()) {
        const id = batch[k]!;
        if (!job) {
          // Removed behind our back (by age or by hand): queue it again.
          const j = jobs.find((x) => x.opts.jobId === id)!;
          await queue.add(j.name, j.data, j.opts);
          continue;
        }
        if (job.finishedOn === undefined) continue;
        if (job.failedReason && job.returnvalue == null) settle(id, { ok: false, code: 'ERR_QUEUE_JOB_FAILED' });
        else if (job.returnvalue != null) settle(id, job.returnvalue);
      }
      if (pending.size > 0) await new Promise((r) => setTimeout(r, tuning.pollMs ?? 250));
    }
  } finally {
    await queue.close();
  }
  return results as FileJobResult<R>[];
}

/** Options of {@link runFileWorker}. */
export interface FileWorkerOptions extends QueueTuning {
  /** Jobs processed at once by this process; default 1 (verification is CPU-bound: run one worker per core). */
  readonly concurrency?: number;
  /** Worker name in the queue (job.processedBy); default host and pid. */
  readonly name?: string;
}

/** A running worker: `close` stops taking jobs and waits for the active ones to finish. */
export interface FileWorker {
  readonly worker: Worker<FileJobData, FileJobResult<unknown>>;
  close(): Promise<void>;
}

/**
 * Processes `kyso-audit` jobs: checks the file still has the hash it was queued with (else `ERR_IO`,
 * not a result about other bytes), then runs `processor(file, options)`. A processor that throws makes
 * the attempt fail (BullMQ retries it up to `attempts`); a worker killed mid-job leaves its lock to
 * expire, and another worker's stalled-job check puts the job back to be retried.
 */
export async function runFileWorker<R>(url: string, processor: (file: string, options: unknown) => Promise<R>, options: FileWorkerOptions = {}): Promise<FileWorker> {
  await assertQueueReachable(url);
  const worker = new Worker<FileJobData, FileJobResult<R>>(AUDIT_QUEUE, async (job: Job<FileJobData>) => {
    const { file, sha256, options: jobOptions } = job.data;
    let actual: string;
    try {
      actual = await sha256File(file);
    } catch {
      return { ok: false, code: 'ERR_IO' };
    }
    if (actual !== sha256) return { ok: false, code: 'ERR_IO' };
    return { ok: true, value: await processor(file, jobOptions) };
  }, {
    connection: { url },
    prefix: options.prefix ?? 'kyso',
    concurrency: options.concurrency ?? 1,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: 2,
    // Named, so each job records which worker took it (job.processedBy): the operator sees who ran what.
    name: options.name ?? `${hostname()}-${process.pid}`,
  });
  worker.on('error', () => {});
  await worker.waitUntilReady();
  return { worker: worker as unknown as FileWorker['worker'], close: () => worker.close() };
}
