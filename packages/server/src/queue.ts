import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { hostname } from 'node:os';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
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
  /** Where the job writes its result file (batch signing), absolute; none for an audit. */
  readonly output?: string;
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
  /** The BullMQ queue; default {@link AUDIT_QUEUE} (batch signing has one queue per signing key). */
  readonly queue?: string;
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
export function fileJobId(sha256: string, optionsKey: string, output?: string): string {
  const id = `v1-${sha256}-${optionsKey.slice(0, 32)}`;
  // A job that writes a file is one per output too: two outputs of one input are two signatures.
  return output === undefined ? id : `${id}-${createHash('sha256').update(output).digest('hex').slice(0, 16)}`;
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
  /** Where the job writes its result (batch signing), absolute. */
  readonly output?: string;
}

/** Options of {@link distributeFiles}. */
export interface DistributeOptions extends QueueTuning {
  /** Called as results arrive: files done (each path counts), and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Called as each path's result is known (index into `files`); `earlier` when the job had already
   * finished before this call queued it (an earlier run with the same file and options).
   */
  readonly onResult?: (index: number, result: FileJobResult<unknown>, earlier: boolean) => void;
  /**
   * How often every unfinished job is read back from the queue, ms; default 5 000. Results arrive as
   * BullMQ's own events (QueueEvents); this sweep only catches what an event stream cannot promise
   * (events trimmed from a capped stream, jobs removed behind our back).
   */
  readonly sweepMs?: number;
  /** Attempts per job before it is failed for good (a worker dying or stalling on it counts as one); default 3. */
  readonly attempts?: number;
}

/** The jobs of a set of files: one per distinct content, and which files each one answers for. */
export interface FileJobPlan {
  /** SHA-256 of the options' canonical JSON, hex. */
  readonly optionsKey: string;
  /** Jobs to add, one per distinct job id. */
  readonly jobs: readonly { readonly name: 'verify' | 'sign'; readonly data: FileJobData; readonly opts: { readonly jobId: string } }[];
  /** Job id → indexes into the files. */
  readonly filesOfJob: ReadonlyMap<string, readonly number[]>;
  /** Indexes of the files that could not be read to be hashed (their result is `ERR_IO`). */
  readonly unreadable: readonly number[];
}

/** Hashes each file and groups them into jobs: copies of one content under one set of options make one job. */
export async function planFileJobs(files: readonly QueuedFile[], options: unknown): Promise<FileJobPlan> {
  const optionsKey = createHash('sha256').update(canonicalJson(options)).digest('hex');
  const filesOfJob = new Map<string, number[]>();
  const jobs: FileJobPlan['jobs'][number][] = [];
  const unreadable: number[] = [];
  for (const [i, f] of files.entries()) {
    let sha256: string;
    try {
      sha256 = await sha256File(f.file);
    } catch {
      unreadable.push(i);
      continue;
    }
    const id = fileJobId(sha256, optionsKey, f.output);
    const same = filesOfJob.get(id);
    if (same) {
      same.push(i);
      continue;
    }
    filesOfJob.set(id, [i]);
    const data: FileJobData = f.output === undefined ? { file: f.file, sha256, options, optionsKey } : { file: f.file, sha256, options, optionsKey, output: f.output };
    jobs.push({ name: f.output === undefined ? 'verify' : 'sign', data, opts: { jobId: id } });
  }
  return { optionsKey, jobs, filesOfJob, unreadable };
}

/** The audit queue with kyso's job defaults (attempts, how long finished jobs stay). */
export function openAuditQueue<R>(url: string, tuning: { prefix?: string; attempts?: number; queue?: string } = {}): Queue<FileJobData, FileJobResult<R>> {
  const queue = new Queue<FileJobData, FileJobResult<R>>(tuning.queue ?? AUDIT_QUEUE, {
    connection: { url },
    prefix: tuning.prefix ?? 'kyso',
    defaultJobOptions: {
      attempts: tuning.attempts ?? 3,
      // Finished jobs stay a week: a rerun with the same options reuses them; then Redis forgets them.
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  // Errors surface through the commands that fail; an unhandled 'error' event would crash the process.
  queue.on('error', () => {});
  return queue;
}

/**
 * Adds a plan's jobs (BullMQ ignores an id it already holds) and puts back any of them that failed for
 * good in an earlier run, which would otherwise answer this run with its old failure. Answers the
 * result of every job already finished (an earlier run's), read in the same pass, so the caller does
 * not read the jobs again: one read per job.
 */
export async function enqueueFileJobs<R>(queue: Queue<FileJobData, FileJobResult<R>>, plan: FileJobPlan): Promise<Map<string, FileJobResult<R>>> {
  for (let i = 0; i < plan.jobs.length; i += 1000) {
    await (queue as unknown as Queue<FileJobData>).addBulk(plan.jobs.slice(i, i + 1000) as { name: string; data: FileJobData; opts: { jobId: string } }[]);
  }
  const finished = new Map<string, FileJobResult<R>>();
  const ids = [...plan.filesOfJob.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const batch = ids.slice(i, i + 500);
    const found = await Promise.all(batch.map((id) => queue.getJob(id)));
    for (const [k, job] of found.entries()) {
      if (job && job.finishedOn !== undefined && job.returnvalue == null && (await job.getState()) === 'failed') await job.retry('failed');
      else {
        const result = settledResult<R>(job);
        if (result) finished.set(batch[k]!, result);
      }
    }
  }
  return finished;
}

/**
 * What a job's stored state says: its result once finished, `ERR_QUEUE_JOB_FAILED` once failed for
 * good, `undefined` while it is waiting, running or being retried.
 */
export function settledResult<R>(job: Job<FileJobData, FileJobResult<R>> | undefined): FileJobResult<R> | undefined {
  if (!job || job.finishedOn === undefined) return undefined;
  if (job.returnvalue != null) return job.returnvalue;
  return job.failedReason ? { ok: false, code: 'ERR_QUEUE_JOB_FAILED' } : undefined;
}

/**
 * Queues one job per distinct file content (hashing each file first), waits until every job is
 * finished, and returns each path's result in the order of `files`. A file that cannot be read to
 * be hashed gets `{ok:false, code:'ERR_IO'}`; a job failed for good `ERR_QUEUE_JOB_FAILED`. Jobs
 * found already finished under the same id (an earlier run with the same options) are reused.
 *
 * Results arrive through BullMQ's QueueEvents (the `completed` event carries the job's return
 * value), read from the event just before the jobs were added, so none is missed; across a Redis
 * restart the event stream is read on from the last event seen (it is kept with the AOF).
 */
export async function distributeFiles<R>(url: string, files: readonly QueuedFile[], options: unknown, tuning: DistributeOptions = {}): Promise<FileJobResult<R>[]> {
  await assertQueueReachable(url);
  const plan = await planFileJobs(files, options);
  const results: (FileJobResult<R> | undefined)[] = new Array(files.length);
  for (const i of plan.unreadable) {
    results[i] = { ok: false, code: 'ERR_IO' };
    tuning.onResult?.(i, results[i]!, false);
  }
  let done = plan.unreadable.length;
  tuning.onProgress?.(done, files.length);

  const queue = openAuditQueue<R>(url, tuning);
  let events: QueueEvents | undefined;
  try {
    const pending = new Set(plan.filesOfJob.keys());
    let wake: (() => void) | undefined;
    const settle = (id: string, result: FileJobResult<R>, earlier = false) => {
      if (!pending.delete(id)) return;
      for (const i of plan.filesOfJob.get(id)!) {
        results[i] = result;
        tuning.onResult?.(i, result, earlier);
      }
      done += plan.filesOfJob.get(id)!.length;
      tuning.onProgress?.(done, files.length);
      if (pending.size === 0) wake?.();
    };
    // Listen from the newest event there is now: a job finishing between the add and the first read is not missed.
    const redis = connectRedis(url);
    const newest = await redis.xrevrange(queue.keys.events!, '+', '-', 'COUNT', 1).finally(() => redis.disconnect());
    events = new QueueEvents(tuning.queue ?? AUDIT_QUEUE, { connection: { url }, prefix: tuning.prefix ?? 'kyso', lastEventId: newest[0]?.[0] ?? '0' });
    events.on('error', () => {});
    events.on('completed', ({ jobId, returnvalue }) => {
      if (pending.has(jobId) && returnvalue != null) settle(jobId, returnvalue as unknown as FileJobResult<R>);
    });
    events.on('failed', ({ jobId }) => {
      // A failed attempt is retried unless it was the last: only the job's state says which.
      if (pending.has(jobId)) void queue.getJob(jobId).then((job) => job?.getState().then((s) => { if (s === 'failed') settle(jobId, { ok: false, code: 'ERR_QUEUE_JOB_FAILED' }); })).catch(() => {});
    });
    await events.waitUntilReady();
    // Jobs an earlier run finished answer at once; the others through their events.
    for (const [id, result] of await enqueueFileJobs<R>(queue, plan)) settle(id, result, true);

    /** Reads back every unfinished job: those already finished in an earlier run, and anything an event did not tell. */
    const sweep = async () => {
      const ids = [...pending];
      for (let i = 0; i < ids.length; i += 500) {
        const batch = ids.slice(i, i + 500);
        const found = await Promise.all(batch.map((id) => queue.getJob(id)));
        for (const [k, job] of found.entries()) {
          const id = batch[k]!;
          if (!job) {
            // Removed behind our back (by age or by hand): queue it again.
            const j = plan.jobs.find((x) => x.opts.jobId === id)!;
            await queue.add(j.name, j.data, j.opts);
            continue;
          }
          const result = settledResult<R>(job);
          if (result) settle(id, result);
        }
      }
    };
    while (pending.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, tuning.sweepMs ?? 5_000);
      });
      // A pending timer would hold the process (kyso audit) open for the rest of the sweep interval.
      clearTimeout(timer);
      wake = undefined;
      if (pending.size > 0) await sweep().catch(() => {});
    }
  } finally {
    await events?.close();
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
  /**
   * The error code to answer for an error that retrying cannot cure (the document's fault), or null to
   * let BullMQ retry the attempt; default: every error is retried.
   */
  readonly finalErrorCode?: (error: unknown) => string | null;
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
export async function runFileWorker<R>(url: string, processor: (file: string, options: unknown, data: FileJobData) => Promise<R>, options: FileWorkerOptions = {}): Promise<FileWorker> {
  await assertQueueReachable(url);
  const worker = new Worker<FileJobData, FileJobResult<R>>(options.queue ?? AUDIT_QUEUE, async (job: Job<FileJobData>) => {
    const { file, sha256, options: jobOptions } = job.data;
    let actual: string;
    try {
      actual = await sha256File(file);
    } catch {
      return { ok: false, code: 'ERR_IO' };
    }
    if (actual !== sha256) return { ok: false, code: 'ERR_IO' };
    try {
      return { ok: true, value: await processor(file, jobOptions, job.data) };
    } catch (error) {
      const code = options.finalErrorCode?.(error) ?? null;
      if (code === null) throw error;
      return { ok: false, code };
    }
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
