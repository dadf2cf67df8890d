/**
 * Batch signing on BullMQ (an agency seal's daily issuance): files are queued for one signing key,
 * and only `kyso worker --sign` processes holding that key take them.
 *
 * Each key has its own queue, named from its certificate's SHA-256: a worker cannot take a job meant
 * for another key, and the plain audit workers (queue `kyso-audit`) never see a signing job. Jobs are
 * keyed by the input's SHA-256, the options and the output path, so a batch queued again makes no new
 * job. Every attempt signs the input into a temporary file renamed over the output (core's `signFile`):
 * an output is absent or complete, and always the input plus exactly one signature. A job retried
 * after its worker died may have the key sign once more, and the retry's output replaces the first.
 * Reusing an output found in place is not safe: it may be an earlier batch's, made with other options.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { kysoError, type SigningAdapter, type SignOptions } from '@kyso/core';
import { signFile } from '@kyso/core/node';
import { distributeFiles, runFileWorker, type DistributeOptions, type FileJobResult, type FileWorker, type FileWorkerOptions } from './queue.js';

/** Prefix of the signing queues; the rest of the name is the first 16 hex digits of the certificate's SHA-256. */
export const SIGN_QUEUE_PREFIX = 'kyso-sign-';

/** The queue of one signing key, named from its certificate (DER). */
export function signQueueName(certificate: Uint8Array): string {
  return `${SIGN_QUEUE_PREFIX}${createHash('sha256').update(certificate).digest('hex').slice(0, 16)}`;
}

/** The signature every file of a batch gets (plain JSON: it travels in the jobs). */
export interface BatchSignOptions {
  /** B-B, or B-T with `tsa`; default B-B. */
  readonly level?: 'B-B' | 'B-T';
  /** RFC 3161 TSA for B-T. */
  readonly tsa?: string;
  readonly reason?: string;
  readonly location?: string;
}

/** What a signing job answers. */
export interface SignedOutput {
  /** The output file, absolute. */
  readonly output: string;
  /** SHA-256 of the output's bytes, hex. */
  readonly sha256: string;
  readonly bytes: number;
  /**
   * Signed by an earlier run of the same batch entry (same input bytes, options and output), whose
   * finished job answered: nothing was signed now.
   */
  readonly reused: boolean;
}

/** One file of a batch: where to read it and where to write it signed. */
export interface BatchFile {
  readonly input: string;
  readonly output: string;
}

function checkOptions(options: unknown): BatchSignOptions {
  const o = (options ?? {}) as BatchSignOptions;
  if (typeof o !== 'object' || Array.isArray(o)) throw kysoError('ERR_INVALID_ARGUMENT', 'batch signing options must be an object');
  const level = o.level ?? 'B-B';
  if (level !== 'B-B' && level !== 'B-T') throw kysoError('ERR_INVALID_ARGUMENT', 'batch signing level must be B-B or B-T');
  if (level === 'B-T' && typeof o.tsa !== 'string') throw kysoError('ERR_INVALID_ARGUMENT', 'level B-T needs a TSA URL');
  for (const k of ['tsa', 'reason', 'location'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'string') throw kysoError('ERR_INVALID_ARGUMENT', `${k} must be text`);
  }
  return o;
}

/**
 * Queues `files` for the key whose certificate is `certificate` and waits until each is signed (by
 * `kyso worker --sign` processes holding that key); answers each file's result in the order of `files`.
 * An input that cannot be read is `ERR_IO`; a job failed for good `ERR_QUEUE_JOB_FAILED`.
 */
export async function signFilesOnQueue(url: string, certificate: Uint8Array, files: readonly BatchFile[], options: BatchSignOptions = {}, tuning: DistributeOptions = {}): Promise<FileJobResult<SignedOutput>[]> {
  checkOptions(options);
  const outputs = new Set<string>();
  const queued = files.map((f) => {
    const output = resolve(f.output);
    if (outputs.has(output)) throw kysoError('ERR_INVALID_ARGUMENT', `two files of the batch are written to ${output.slice(-100)}`);
    if (output === resolve(f.input)) throw kysoError('ERR_INVALID_ARGUMENT', 'a batch never signs a file in place (the input must stay as it was)');
    outputs.add(output);
    return { file: resolve(f.input), path: f.input, output };
  });
  const earlier = new Set<number>();
  const results = await distributeFiles<Omit<SignedOutput, 'reused'>>(url, queued, options, {
    ...tuning,
    queue: signQueueName(certificate),
    onResult: (i, result, before) => {
      if (before) earlier.add(i);
      tuning.onResult?.(i, result, before);
    },
  });
  return results.map((r, i) => (r.ok ? { ok: true, value: { ...r.value, reused: earlier.has(i) } } : r));
}

/** A running signing worker and the queue it takes jobs from. */
export interface SignWorker extends FileWorker {
  readonly queue: string;
}

/**
 * Takes the jobs of `adapter`'s key (its first certificate) and signs each file into its output,
 * written atomically (a temporary file renamed over it), as `kyso sign` does.
 */
export async function runSignWorker(url: string, adapter: SigningAdapter, options: Omit<FileWorkerOptions, 'queue'> = {}): Promise<SignWorker> {
  const [key] = await adapter.listCertificates();
  if (!key) throw kysoError('ERR_INVALID_ARGUMENT', 'the signing key has no certificate');
  const queue = signQueueName(key.certificate);
  const worker = await runFileWorker<Omit<SignedOutput, 'reused'>>(url, async (file, jobOptions, data) => {
    const o = checkOptions(jobOptions);
    if (!data.output) throw kysoError('ERR_INVALID_ARGUMENT', 'a signing job names its output');
    const signOptions: SignOptions = {
      adapter,
      certificateId: key.id,
      level: o.level ?? 'B-B',
      timestamp: o.level === 'B-T' ? { url: o.tsa! } : undefined,
      reason: o.reason,
      location: o.location,
    };
    await signFile(file, data.output, signOptions);
    const out = new Uint8Array(await readFile(data.output));
    return { output: data.output, sha256: createHash('sha256').update(out).digest('hex'), bytes: out.length };
  }, {
    ...options,
    queue,
    // The document's fault (not a PDF, encrypted, no room for a signature, …) is its result; I/O, TSA and
    // internal errors may pass, so those attempts are retried.
    finalErrorCode: (error) => {
      const code = (error as { code?: unknown }).code;
      if (!(error instanceof Error) || typeof code !== 'string' || !code.startsWith('ERR_') || !('text' in error)) return null;
      return code === 'ERR_IO' || code === 'ERR_INTERNAL' || code.startsWith('ERR_TSA_') ? null : code;
    },
  });
  return { ...worker, queue };
}
