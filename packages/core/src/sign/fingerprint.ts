import type { HashAlgorithm } from '../crypto/algorithms.js';
import type { ByteSource } from '../pdf/byte-source.js';
import { toHex } from '../util/bytes.js';

const EDGE = 64 * 1024;

export async function digestOf(hash: HashAlgorithm, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest(hash, data as Uint8Array<ArrayBuffer>));
}

/**
 * A cheap identity of the input: SHA-256 of its first and last 64 KiB plus
 * its length. It lets `finish` refuse a different file without a second pass
 * over a large one.
 */
export async function inputFingerprint(source: ByteSource): Promise<{ headSha256: string; tailSha256: string }> {
  const head = source.read(0, Math.min(EDGE, source.length)).slice();
  const tailStart = Math.max(0, source.length - EDGE);
  const tail = source.read(tailStart, source.length - tailStart).slice();
  return { headSha256: toHex(await digestOf('SHA-256', head)), tailSha256: toHex(await digestOf('SHA-256', tail)) };
}
