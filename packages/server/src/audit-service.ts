/**
 * `POST /v1/audit` and `GET /v1/jobs/:id`: an audit over HTTP, run by the same `kyso worker`
 * processes and the same queue as `kyso audit --queue`, answered with the same report.
 *
 * The service keeps no state of its own: a run is a record in Redis (the files, their job ids, the
 * options) next to BullMQ's jobs, so any replica answers `GET /v1/jobs/:id` for a run another replica
 * started. File jobs are the audit queue's, with the same ids (content hash and options hash): a file
 * already verified under the same options, by a CLI audit or another run, is not verified again.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, realpathSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { Busboy } from '@fastify/busboy';
import type { Redis } from 'ioredis';
import { kysoError } from '@kyso/core';
import type { Queue } from 'bullmq';
import {
  enqueueFileJobs, openAuditQueue, planFileJobs, settledResult,
  type FileJobData, type FileJobResult, type QueuedFile,
} from './queue.js';
import { readVerifyQuery, type VerifyQuery } from './verify-options.js';

/** The report formats of `kyso audit`. */
export type AuditReportFormat = 'csv' | 'json' | 'html';

/** One file of a finished run and its job's result. */
export interface AuditResultEntry {
  /** The name the report shows: relative to the audited folder, or the uploaded file's name. */
  readonly path: string;
  readonly result: FileJobResult<unknown>;
}

/**
 * What only the CLI knows (the workers' options, how `kyso audit` finds files and writes its report),
 * handed to the service by `kyso serve`: the server package does not depend on the CLI.
 */
export interface AuditReporter {
  /** The job options (plain JSON, as `kyso worker` decodes them) for this query, and the validation time (ISO 8601). */
  jobOptions(query: VerifyQuery, trust: readonly string[]): { readonly options: unknown; readonly at: string };
  /** The PDFs under `folder`, as `kyso audit FOLDER` finds and orders them (absolute `file`, relative `path`). */
  findFiles(folder: string): readonly QueuedFile[];
  /** The report `kyso audit --format FORMAT` writes for these results. */
  report(entries: readonly AuditResultEntry[], at: string, format: AuditReportFormat, lang: 'vi' | 'en', folder: string): string;
}

/** Configuration of the audit endpoints (`kyso serve --redis URL --audit-root DIR --audit-spool DIR`). */
export interface AuditServiceConfig {
  /** The queue's Redis (`redis://…`), shared with `kyso worker`. */
  readonly url: string;
  /** A connection to it for the runs' records. */
  readonly redis: Redis;
  readonly reporter: AuditReporter;
  /**
   * Folders a run may name (`{"folder": …}`), as every worker machine sees them. Nothing outside them is
   * ever read: a client cannot have the service hash `/etc` or learn which files exist there.
   */
  readonly roots?: readonly string[];
  /** Shared folder where uploaded files wait for the workers (the same path on every worker machine). */
  readonly spool?: string;
  /** Trust anchors (PEM) added to every run, as `kyso serve --trust`. */
  readonly trust?: readonly string[];
  /** Most files in one run; default 100 000. */
  readonly maxFiles?: number;
  /** How long a run's record (and its report) is kept, seconds; default 7 days, as the queue keeps finished jobs. */
  readonly ttlSeconds?: number;
  /** BullMQ key prefix; default `kyso`. */
  readonly prefix?: string;
}

/** What one request brings: its limits and who asks (the API key's id, or null). */
export interface AuditRequest {
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
  readonly keyId: string | null;
}

/** The JSON answer of `GET /v1/jobs/:id` (and of `POST /v1/audit`, with state `running`). */
export interface AuditJobStatus {
  readonly id: string;
  readonly state: 'running' | 'completed';
  /** Files done (each file counts, copies included) out of all files of the run. */
  readonly progress: { readonly done: number; readonly total: number };
  /** Once completed: the report `kyso audit --format json` prints for the same files and options. */
  readonly report?: unknown;
}

/** A run as kept in Redis. */
interface RunRecord {
  readonly v: 1;
  readonly owner: string | null;
  readonly at: string;
  readonly lang: 'vi' | 'en';
  /** The folder the HTML report names. */
  readonly folder: string;
  readonly options: unknown;
  readonly optionsKey: string;
  /** Per file, in report order: its name and the index of its job in `jobs` (-1: unreadable, ERR_IO). */
  readonly files: readonly { readonly path: string; readonly job: number }[];
  readonly jobs: readonly { readonly id: string; readonly file: string; readonly sha256: string }[];
  /** Folder of this run's uploads, removed once the run is complete. */
  readonly spool: string | null;
}

/** A run's id: 128 random bits (base64url), so ids cannot be guessed. */
const RUN_ID = /^[A-Za-z0-9_-]{22}$/;
const FORMATS: readonly AuditReportFormat[] = ['csv', 'json', 'html'];
const CONTENT_TYPE: Record<AuditReportFormat, string> = {
  csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8', html: 'text/html; charset=utf-8',
};

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = `${JSON.stringify(value, null, 2)}\n`;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** A name as a report may show it: printable, at most 1024 characters, no `..` step (it becomes a path in reports). */
function checkName(name: string): string {
  const clean = name.replace(/\\/g, '/');
  if (clean.length === 0 || clean.length > 1024 || /[\u0000-\u001f]/.test(clean) || clean.split('/').includes('..') || clean.startsWith('/')) {
    throw kysoError('ERR_INVALID_ARGUMENT', 'file names must be relative, printable, at most 1024 characters, without ..');
  }
  return clean;
}

/** Reads a small JSON body (a run's description) into memory, within `maxBytes` and `timeoutMs`. */
function readJsonBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<unknown> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.pause();
      reject(error);
    };
    const timer = setTimeout(() => fail(kysoError('ERR_SERVICE_TIMEOUT', `body not complete within ${timeoutMs} ms`)), timeoutMs);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return fail(kysoError('ERR_SERVICE_BODY_TOO_LARGE', `more than ${maxBytes} bytes`));
      if (!settled) chunks.push(chunk);
    });
    req.on('error', (e) => fail(kysoError('ERR_IO', 'the request body could not be read', e)));
    req.on('end', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        resolveBody(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (cause) {
        reject(kysoError('ERR_INVALID_ARGUMENT', 'the body must be JSON: {"folder": "/…", "files"?: ["…"]}', cause));
      }
    });
  });
}

/**
 * Streams the file parts of a `multipart/form-data` body into `dir` (0700, files 0600), never holding
 * a file in memory. Every part must be a file with a name; the total is bounded by `maxBytes`.
 */
function saveUploads(req: IncomingMessage, dir: string, maxBytes: number, maxFiles: number, timeoutMs: number): Promise<QueuedFile[]> {
  return new Promise((resolveUploads, reject) => {
    const files: QueuedFile[] = [];
    const names = new Set<string>();
    const writes: Promise<void>[] = [];
    let total = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      clearTimeout(timer);
      req.unpipe(parser);
      req.pause();
      reject(error);
    };
    const timer = setTimeout(() => fail(kysoError('ERR_SERVICE_TIMEOUT', `body not complete within ${timeoutMs} ms`)), timeoutMs);
    let parser: InstanceType<typeof Busboy>;
    try {
      parser = new Busboy({ headers: req.headers as { 'content-type': string }, preservePath: true, limits: { files: maxFiles, fileSize: maxBytes, fields: 0, parts: maxFiles } });
    } catch (cause) {
      clearTimeout(timer);
      return reject(kysoError('ERR_INVALID_ARGUMENT', 'a multipart/form-data body with a boundary is needed', cause));
    }
    parser.on('file', (_field, stream, filename) => {
      if (failed) return stream.resume();
      let name: string;
      try {
        name = checkName(filename ?? '');
        if (names.has(name)) throw kysoError('ERR_INVALID_ARGUMENT', `file name ${name.slice(0, 100)} given twice`);
      } catch (error) {
        stream.resume();
        return fail(error as Error);
      }
      names.add(name);
      const file = join(dir, `${files.length}.pdf`);
      files.push({ file, path: name });
      const out = createWriteStream(file, { mode: 0o600 });
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > maxBytes) fail(kysoError('ERR_SERVICE_BODY_TOO_LARGE', `more than ${maxBytes} bytes`));
      });
      stream.on('limit', () => fail(kysoError('ERR_SERVICE_BODY_TOO_LARGE', `more than ${maxBytes} bytes`)));
      writes.push(new Promise<void>((done, error) => {
        out.on('finish', done);
        out.on('error', (e) => error(kysoError('ERR_IO', 'an uploaded file could not be stored', e)));
      }));
      stream.pipe(out);
    });
    parser.on('field', () => fail(kysoError('ERR_INVALID_ARGUMENT', 'only file parts are accepted')));
    parser.on('filesLimit', () => fail(kysoError('ERR_INVALID_ARGUMENT', `at most ${maxFiles} files per run`)));
    parser.on('partsLimit', () => fail(kysoError('ERR_INVALID_ARGUMENT', `at most ${maxFiles} files per run`)));
    parser.on('error', (e: Error) => fail(kysoError('ERR_INVALID_ARGUMENT', 'malformed multipart/form-data body', e)));
    req.on('error', (e) => fail(kysoError('ERR_IO', 'the request body could not be read', e)));
    parser.on('finish', () => {
      Promise.all(writes).then(() => {
        if (failed) return;
        clearTimeout(timer);
        if (files.length === 0) return fail(kysoError('ERR_INVALID_ARGUMENT', 'no file in the upload'));
        resolveUploads(files);
      }, fail);
    });
    req.pipe(parser);
  });
}

/** The audit endpoints of one service instance. */
export interface AuditService {
  handleAudit(req: IncomingMessage, res: ServerResponse, url: URL, r: AuditRequest): Promise<void>;
  handleJob(req: IncomingMessage, res: ServerResponse, url: URL, id: string, r: AuditRequest): Promise<void>;
  close(): Promise<void>;
}

/** Starts the audit endpoints over the audit queue at `config.url`. */
export function createAuditService(config: AuditServiceConfig): AuditService {
  const prefix = config.prefix ?? 'kyso';
  const queue = openAuditQueue<unknown>(config.url, { prefix }) as unknown as Queue<FileJobData, FileJobResult<unknown>>;
  const ttl = config.ttlSeconds ?? 7 * 24 * 3600;
  const maxFiles = config.maxFiles ?? 100_000;
  const roots = (config.roots ?? []).map((r) => realpathSync(r));
  const runKey = (id: string) => `${prefix}:audit-run:${id}`;
  const resultsKey = (id: string) => `${prefix}:audit-run:${id}:results`;
  const settledKey = (id: string) => `${prefix}:audit-run:${id}:settled`;

  const underRoot = (real: string) => roots.some((root) => real === root || real.startsWith(root + sep));
  const realOrNull = (path: string): string | null => {
    try {
      return realpathSync(path);
    } catch {
      return null;
    }
  };
  const outside = () => kysoError('ERR_INVALID_ARGUMENT', 'the folder is not under an audit root of this service');

  /** The files a JSON run names: a folder under a root, walked as kyso audit walks it, or some of its files. */
  function listedFiles(body: unknown): { files: QueuedFile[]; folder: string } {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw kysoError('ERR_INVALID_ARGUMENT', 'the body must be {"folder": "/…", "files"?: ["…"]}');
    const { folder, files, ...rest } = body as { folder?: unknown; files?: unknown };
    if (Object.keys(rest).length) throw kysoError('ERR_INVALID_ARGUMENT', `unknown field ${Object.keys(rest)[0]!.slice(0, 50)}`);
    if (typeof folder !== 'string' || !isAbsolute(folder)) throw kysoError('ERR_INVALID_ARGUMENT', 'folder must be an absolute path');
    if (roots.length === 0) throw kysoError('ERR_SERVICE_UNAVAILABLE', 'this service audits uploads only (no --audit-root)');
    // Symbolic links are followed before the check: a link out of a root is refused like a path out of it.
    const real = realOrNull(folder);
    if (!real || !underRoot(real)) throw outside();
    if (files === undefined) return { files: config.reporter.findFiles(real).map((f) => ({ file: resolve(f.file), path: f.path })), folder };
    if (!Array.isArray(files) || files.length === 0 || files.length > maxFiles || files.some((f) => typeof f !== 'string')) {
      throw kysoError('ERR_INVALID_ARGUMENT', `files must be 1 to ${maxFiles} relative paths`);
    }
    const seen = new Set<string>();
    return {
      folder,
      files: (files as string[]).map((f) => {
        const path = checkName(normalize(f).replace(/\\/g, '/'));
        if (seen.has(path)) throw kysoError('ERR_INVALID_ARGUMENT', `file ${path.slice(0, 100)} given twice`);
        seen.add(path);
        const file = join(real, path);
        // A missing file is an ERR_IO row, as in kyso audit; a link out of the root is refused.
        const target = realOrNull(file);
        if (target && !underRoot(target)) throw outside();
        return { file, path };
      }),
    };
  }

  async function handleAudit(req: IncomingMessage, res: ServerResponse, url: URL, r: AuditRequest): Promise<void> {
    const params = new URLSearchParams(url.searchParams);
    if (params.has('name')) throw kysoError('ERR_INVALID_ARGUMENT', 'unknown query parameter name');
    const query = readVerifyQuery(params);
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const id = randomBytes(16).toString('base64url');
    let files: QueuedFile[];
    let folder: string;
    let spool: string | null = null;
    if (type === 'application/json') {
      ({ files, folder } = listedFiles(await readJsonBody(req, 1024 * 1024, r.bodyTimeoutMs)));
    } else if (type === 'multipart/form-data') {
      if (!config.spool) throw kysoError('ERR_SERVICE_UNAVAILABLE', 'uploads need a shared spool folder (kyso serve --audit-spool)');
      spool = join(config.spool, id);
      await mkdir(spool, { recursive: true, mode: 0o700 });
      try {
        files = await saveUploads(req, spool, r.maxBodyBytes, maxFiles, r.bodyTimeoutMs);
      } catch (error) {
        await rm(spool, { recursive: true, force: true });
        throw error;
      }
      folder = 'upload';
    } else {
      throw kysoError('ERR_INVALID_ARGUMENT', 'the body must be application/json (a folder) or multipart/form-data (files)');
    }
    try {
      const { options, at } = config.reporter.jobOptions(query, config.trust ?? []);
      const plan = await planFileJobs(files, options);
      const jobIndex = new Map(plan.jobs.map((j, k) => [j.opts.jobId, k]));
      const jobOfFile = new Array<number>(files.length).fill(-1);
      for (const [jobId, indexes] of plan.filesOfJob) for (const i of indexes) jobOfFile[i] = jobIndex.get(jobId)!;
      const record: RunRecord = {
        v: 1, owner: r.keyId, at, lang: query.lang, folder, options, optionsKey: plan.optionsKey,
        files: files.map((f, i) => ({ path: f.path, job: jobOfFile[i]! })),
        jobs: plan.jobs.map((j) => ({ id: j.opts.jobId, file: j.data.file, sha256: j.data.sha256 })),
        spool,
      };
      await enqueueFileJobs<unknown>(queue, plan);
      await config.redis.set(runKey(id), JSON.stringify(record), 'EX', ttl);
    } catch (error) {
      if (spool) await rm(spool, { recursive: true, force: true });
      throw error;
    }
    const status: AuditJobStatus = { id, state: 'running', progress: { done: 0, total: files.length } };
    sendJson(res, 202, status, { location: `/v1/jobs/${id}` });
  }

  /**
   * Each file's result once every job of the run is finished, else how many files are done. Results
   * already seen are kept with the run (one hash), so each poll reads back only the unfinished jobs.
   */
  async function collect(id: string, record: RunRecord): Promise<{ done: number; entries: AuditResultEntry[] | null }> {
    const results: (FileJobResult<unknown> | undefined)[] = new Array(record.jobs.length);
    for (const [k, v] of Object.entries(await config.redis.hgetall(settledKey(id)))) results[Number(k)] = JSON.parse(v) as FileJobResult<unknown>;
    const open = record.jobs.map((_, k) => k).filter((k) => results[k] === undefined);
    for (let i = 0; i < open.length; i += 500) {
      const batch = open.slice(i, i + 500);
      const found = await Promise.all(batch.map((k) => queue.getJob(record.jobs[k]!.id)));
      const seen: Record<string, string> = {};
      for (const [n, job] of found.entries()) {
        const k = batch[n]!;
        if (!job) {
          // Removed behind the run's back (by age or by hand): queue it again.
          const j = record.jobs[k]!;
          await queue.add('verify', { file: j.file, sha256: j.sha256, options: record.options, optionsKey: record.optionsKey }, { jobId: j.id });
          continue;
        }
        results[k] = settledResult(job);
        if (results[k]) seen[k] = JSON.stringify(results[k]);
      }
      if (Object.keys(seen).length) await config.redis.multi().hset(settledKey(id), seen).expire(settledKey(id), ttl).exec();
    }
    const perFile = record.files.map((f) => (f.job < 0 ? { ok: false, code: 'ERR_IO' } as const : results[f.job]));
    const done = perFile.filter(Boolean).length;
    if (done < record.files.length) return { done, entries: null };
    return { done, entries: record.files.map((f, i) => ({ path: f.path, result: perFile[i]! })) };
  }

  async function handleJob(_req: IncomingMessage, res: ServerResponse, url: URL, id: string, r: AuditRequest): Promise<void> {
    for (const key of url.searchParams.keys()) if (key !== 'format') throw kysoError('ERR_INVALID_ARGUMENT', `unknown query parameter ${key}`);
    const format = url.searchParams.get('format');
    if (format !== null && !(FORMATS as readonly string[]).includes(format)) throw kysoError('ERR_INVALID_ARGUMENT', 'format must be csv, json or html');
    // Unknown, expired and another client's runs get the same answer, so ids cannot be probed.
    const text = RUN_ID.test(id) ? await config.redis.get(runKey(id)) : null;
    const record = text ? JSON.parse(text) as RunRecord : null;
    if (!record || record.owner !== r.keyId) throw kysoError('ERR_SERVICE_NOT_FOUND', 'no such audit run');
    let entries: AuditResultEntry[] | null = null;
    let done = record.files.length;
    const kept = await config.redis.get(resultsKey(id));
    if (kept) entries = JSON.parse(kept) as AuditResultEntry[];
    else {
      ({ done, entries } = await collect(id, record));
      if (entries) {
        // Kept with the run: the report stays the same even after the queue forgets the jobs.
        await config.redis.multi().set(resultsKey(id), JSON.stringify(entries), 'EX', ttl).del(settledKey(id)).exec();
        if (record.spool) await rm(record.spool, { recursive: true, force: true });
      }
    }
    const progress = { done, total: record.files.length };
    if (!entries) return sendJson(res, format ? 202 : 200, { id, state: 'running', progress } satisfies AuditJobStatus);
    if (format) {
      const body = config.reporter.report(entries, record.at, format as AuditReportFormat, record.lang, record.folder);
      res.writeHead(200, { 'content-type': CONTENT_TYPE[format as AuditReportFormat], 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    const report: unknown = JSON.parse(config.reporter.report(entries, record.at, 'json', record.lang, record.folder));
    sendJson(res, 200, { id, state: 'completed', progress, report } satisfies AuditJobStatus);
  }

  return { handleAudit, handleJob, close: () => queue.close() };
}
