/**
 * `kyso audit --queue redis://…`: the files of an audit verified by `kyso worker` processes (on
 * this machine or others) through a BullMQ queue, with the same rows as the worker threads make.
 * `@kyso/server` (BullMQ, ioredis) is loaded only here, so the plain CLI never loads it.
 */
import { resolve } from 'node:path';
import { withServer } from '../server-module.js';
import type { AuditRow } from './model.js';
import { errorRow } from './model.js';
import type { AuditFile } from './pool.js';
import type { WorkerConfig } from './protocol.js';

/** Bytes in a queue job (JSON): `{ $base64: … }`. */
interface EncodedBytes {
  readonly $base64: string;
}

/** The config as plain JSON for a queued job (DER trust anchors and supplied CRL/OCSP bytes as base64). */
export function encodeConfig(config: WorkerConfig): unknown {
  const encode = (v: unknown): unknown => {
    if (v instanceof Uint8Array) return { $base64: Buffer.from(v).toString('base64') } satisfies EncodedBytes;
    if (Array.isArray(v)) return v.map(encode);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, encode(x)]));
    return v;
  };
  return encode(config);
}

/** The inverse of {@link encodeConfig}. */
export function decodeConfig(json: unknown): WorkerConfig {
  const decode = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(decode);
    if (v && typeof v === 'object') {
      if (typeof (v as EncodedBytes).$base64 === 'string' && Object.keys(v).length === 1) return new Uint8Array(Buffer.from((v as EncodedBytes).$base64, 'base64'));
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
    }
    return v;
  };
  return decode(json) as WorkerConfig;
}

/**
 * Verifies `files` through the queue at `url` and returns their rows in the order of `files`. Workers
 * open each file at its absolute path: every worker machine must see the audited folder at the same
 * path (a shared mount). A file queued twice (same bytes) is verified once.
 */
export async function verifyOnQueue(url: string, files: readonly AuditFile[], config: WorkerConfig, onRow?: (row: AuditRow, done: number, total: number) => void): Promise<AuditRow[]> {
  const rows: AuditRow[] = new Array(files.length);
  let done = 0;
  const rowOf = (i: number, r: { ok: true; value: unknown } | { ok: false; code: string }): AuditRow =>
    r.ok ? { ...(r.value as AuditRow), path: files[i]!.path } : errorRow(files[i]!.path, r.code);
  const absolute = files.map((f) => ({ file: resolve(f.file), path: f.path }));
  await withServer(({ distributeFiles }) => distributeFiles<AuditRow>(url, absolute, encodeConfig(config), {
    onResult: (i, r) => {
      rows[i] = rowOf(i, r);
      onRow?.(rows[i]!, ++done, files.length);
    },
  }));
  return rows;
}
