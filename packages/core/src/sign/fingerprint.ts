import { createHashEngine } from '#hash-engine';
import type { HashAlgorithm } from '../crypto/algorithms.js';
import type { ByteSource } from '../pdf/byte-source.js';
import { ascii, toHex } from '../util/bytes.js';

const EDGE = 64 * 1024;

/**
 * Hash of a small buffer (signed attributes, the file's edges). Synchronous
 * through the streaming engine: WebCrypto's promise costs a thread-pool
 * round trip per call, which dominated the fixed cost of signing small files.
 */
export function digestOf(hash: HashAlgorithm, data: Uint8Array): Uint8Array {
  const engine = createHashEngine(hash);
  engine.update(data);
  return engine.digest();
}

/**
 * A cheap identity of the input: SHA-256 of its first and last 64 KiB plus
 * its length. It lets `finish` refuse a different file without a second pass
 * over a large one.
 */
export function inputFingerprint(source: ByteSource): { headSha256: string; tailSha256: string } {
  // Each read is hashed before the next: a file source may hand out views of one reused buffer.
  const headSha256 = toHex(digestOf('SHA-256', source.read(0, Math.min(EDGE, source.length))));
  const tailStart = Math.max(0, source.length - EDGE);
  const tailSha256 = toHex(digestOf('SHA-256', source.read(tailStart, source.length - tailStart)));
  return { headSha256, tailSha256 };
}

/** Seed prefixes per update kind; a signature's is empty (the first kind kyso wrote, kept for the same bytes). */
const ID_LABELS = { signature: '', 'document-timestamp': 'doc-ts', dss: 'dss' } as const;

/**
 * The second /ID string of an update (ISO 32000-2 §14.4: a new value each time
 * the file is changed): 16 bytes of SHA-256 over the input's fingerprint, its
 * length and the time, so the same input changed at the same instant gives
 * the same file (the golden test relies on it). `purpose` keeps the seeds of a
 * signature, a document timestamp and a /DSS update apart.
 */
export function updateId(
  fingerprint: { readonly headSha256: string; readonly tailSha256: string },
  length: number,
  time: Date,
  purpose: 'signature' | 'document-timestamp' | 'dss',
): Uint8Array {
  const label = ID_LABELS[purpose];
  return digestOf('SHA-256', ascii(`${label}${fingerprint.headSha256}${fingerprint.tailSha256}${length}${time.toISOString()}`)).subarray(0, 16);
}
