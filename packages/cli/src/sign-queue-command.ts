import { mkdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { kysoError, readCertificates, type Lang } from '@kyso/core';
import { findPdfs } from './audit/walk.js';
import { readNamedFile } from './command-line.js';
import { progressBar } from './audit/progress.js';
import { withServer } from './server-module.js';

/** What `kyso sign --queue` was asked for, checked by sign-command.ts. */
export interface QueuedSigning {
  /** redis://… of the BullMQ queue. */
  readonly url: string;
  /** The signing key's certificate file (PEM or DER): it names the key's queue, the one only its workers take. */
  readonly signer: string;
  /** Files and folders to sign (a folder: every PDF under it, sub-folders mirrored in the output folder). */
  readonly inputs: readonly string[];
  /** The folder the signed files go to (created when absent). */
  readonly outputDir: string;
  readonly level: 'B-B' | 'B-T';
  readonly tsa?: string;
  readonly reason?: string;
  readonly location?: string;
  readonly lang: Lang;
  readonly stderr?: NodeJS.WriteStream;
}

/**
 * The certificate's DER, from PEM or DER (the queue is named from the DER's SHA-256), read by core's one
 * certificate reader (RFC 7468 PEM or DER, decoded to make sure it is a certificate); the first certificate
 * when the file holds several.
 * @throws ERR_CERT_MALFORMED naming the file.
 */
function certificateDer(path: string): Uint8Array {
  const bytes = readNamedFile(path);
  try {
    return readCertificates(bytes)[0]!;
  } catch (cause) {
    throw kysoError('ERR_CERT_MALFORMED', `${path} holds no certificate (PEM or DER)`, cause);
  }
}

/** Every input file and where its signed copy goes; two inputs never write one output. */
function plan(inputs: readonly string[], outputDir: string): { input: string; output: string }[] {
  const files: { input: string; output: string }[] = [];
  for (const input of inputs) {
    let folder = false;
    try {
      folder = statSync(input).isDirectory();
    } catch (cause) {
      throw kysoError('ERR_IO', `could not read ${input}`, cause);
    }
    if (folder) for (const f of findPdfs(input).files) files.push({ input: f.file, output: join(outputDir, f.path) });
    else files.push({ input, output: join(outputDir, basename(input)) });
  }
  const seen = new Map<string, string>();
  for (const f of files) {
    const output = resolve(f.output);
    const other = seen.get(output);
    if (other !== undefined) throw kysoError('ERR_INVALID_ARGUMENT', `${other} and ${f.input} would both be written to ${output}`);
    seen.set(output, f.input);
  }
  return files;
}

/**
 * `kyso sign --queue URL --signer CERT -o DIR IN…`: queues the batch for the key of CERT and waits until
 * `kyso worker --sign` processes holding that key have signed each file (at-least-once jobs, outputs written
 * atomically, never signed twice: @kyso/server's batch signing). Returns one line per file and the count;
 * the exit status is 0 when every file was signed, 1 otherwise.
 */
export async function signOnQueue(request: QueuedSigning): Promise<{ output: string; exit: number }> {
  const certificate = certificateDer(request.signer);
  const files = plan(request.inputs, request.outputDir);
  if (files.length === 0) throw kysoError('ERR_INVALID_ARGUMENT', 'no PDF to sign in the given files and folders');
  for (const f of files) mkdirSync(dirname(f.output), { recursive: true });
  const stderr = request.stderr ?? process.stderr;
  const progress = progressBar(stderr, files.length, request.lang);
  const results = await withServer((server) => server.signFilesOnQueue(request.url, certificate, files, {
    level: request.level,
    ...(request.tsa !== undefined ? { tsa: request.tsa } : {}),
    ...(request.reason !== undefined ? { reason: request.reason } : {}),
    ...(request.location !== undefined ? { location: request.location } : {}),
  }, { onProgress: (done) => progress.update(done) }));
  progress.end();
  const vi = request.lang === 'vi';
  const lines = results.map((r, i) => (r.ok
    ? `${files[i]!.output}: ${r.value.reused ? (vi ? 'đã ký (từ lần chạy trước)' : 'signed (by an earlier run)') : vi ? 'đã ký' : 'signed'}`
    : `${files[i]!.input}: ${r.code}`));
  const failed = results.filter((r) => !r.ok).length;
  lines.push(vi
    ? `${files.length - failed}/${files.length} tệp đã ký${failed ? `, ${failed} lỗi` : ''}`
    : `${files.length - failed}/${files.length} files signed${failed ? `, ${failed} failed` : ''}`);
  return { output: `${lines.join('\n')}\n`, exit: failed ? 1 : 0 };
}
