import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { nodeCrypto, nodeHashName } from '../internal/node-crypto.js';

/** Hashes the PKCS#12 KDF and MAC may use, with their WebCrypto names. */
export type Pkcs12Hash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** Diversifier ID byte (RFC 7292 App. B.3). */
export const KDF_PURPOSE = { key: 1, iv: 2, mac: 3 } as const;

/**
 * The KDF's hashes, synchronous: its rounds hash one short block after another
 * (2,048 for OpenSSL's files), and awaiting WebCrypto for each round costs a
 * thread-pool round trip per round, ~85 ms of a `kyso sign`
 * (docs/decisions/0026-cli-start-up.md). In Node, node:crypto's one-shot
 * native `hash()` (internal/node-crypto.ts, so browser bundles never see a
 * `node:` import): ~3 µs a round cold, where a `createHash` object per round
 * took ~5 µs (docs/decisions/0037-software-key-start-up.md). Elsewhere
 * @noble/hashes, pure JavaScript and slow while V8 has not yet compiled it
 * (~40 µs a round cold).
 */
type SyncHash = (data: Uint8Array) => Uint8Array;
const PORTABLE: Record<Pkcs12Hash, SyncHash> = {
  'SHA-1': sha1, 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512,
};

function syncHash(hash: Pkcs12Hash): SyncHash {
  const oneShot = nodeCrypto()?.hash;
  if (typeof oneShot !== 'function') return PORTABLE[hash];
  const name = nodeHashName(hash);
  return (data) => oneShot(name, data, 'buffer');
}

/** u: output bytes, v: block bytes of each hash (RFC 7292 App. B.2). */
const SIZES: Record<Pkcs12Hash, { readonly u: number; readonly v: number }> = {
  'SHA-1': { u: 20, v: 64 },
  'SHA-256': { u: 32, v: 64 },
  'SHA-384': { u: 48, v: 128 },
  'SHA-512': { u: 64, v: 128 },
};

/**
 * The password as the PKCS#12 KDF wants it: a BMPString (big-endian UTF-16)
 * with two zero bytes at the end (RFC 7292 App. B.1). OpenSSL turns the empty
 * password into just the terminator; `nullPassword` gives the zero-length form
 * some other writers use for "no password".
 */
export function bmpPassword(password: string, nullPassword = false): Uint8Array {
  if (nullPassword) return new Uint8Array(0);
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    const unit = password.charCodeAt(i);
    out[i * 2] = unit >> 8;
    out[i * 2 + 1] = unit & 0xff;
  }
  return out;
}

/**
 * The PKCS#12 key derivation (RFC 7292 App. B.2): `n` bytes from the
 * BMPString password, the salt, and `iterations` rounds of `hash`, for the
 * purpose `id`. Only the MAC key uses it here, since PBES2 uses PBKDF2.
 */
export async function pkcs12Kdf(
  hash: Pkcs12Hash, password: Uint8Array, salt: Uint8Array, iterations: number, id: number, n: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const { u, v } = SIZES[hash];
  const D = new Uint8Array(v).fill(id);
  const S = repeatToBlocks(salt, v);
  const P = repeatToBlocks(password, v);
  const I = new Uint8Array(S.length + P.length);
  I.set(S);
  I.set(P, S.length);
  const c = Math.ceil(n / u);
  const out = new Uint8Array(c * u);
  const DI = new Uint8Array(v + I.length);
  for (let i = 0; i < c; i++) {
    DI.set(D);
    DI.set(I, v);
    const digest = syncHash(hash);
    let A = digest(DI);
    for (let r = 1; r < iterations; r++) A = digest(A);
    out.set(A, i * u);
    if (i + 1 === c) break;
    // Step 6: B = A repeated to v bytes; each v-byte block I_j := (I_j + B + 1) mod 2^(8v).
    const B = new Uint8Array(v);
    for (let k = 0; k < v; k++) B[k] = A[k % u];
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k] + B[k] + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  DI.fill(0);
  I.fill(0);
  P.fill(0);
  const result = out.slice(0, n);
  out.fill(0);
  return result;
}

/** `data` repeated to v·⌈len/v⌉ bytes; empty stays empty (RFC 7292 App. B.2 steps 2–3). */
function repeatToBlocks(data: Uint8Array, v: number): Uint8Array {
  const length = v * Math.ceil(data.length / v);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = data[i % data.length];
  return out;
}
