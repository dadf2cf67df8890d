import { concatBytes } from '../../util/bytes.js';
import { md5 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { aesCbcDecrypt, aesCbcEncrypt } from './aes.js';
import type { CryptMethod, EncryptParams } from './encrypt-dict.js';
import { rc4 } from './rc4.js';

/** The 32-byte padding string of ISO 32000-2 §7.6.4.3.2, Algorithm 2 step a. */
export const PASSWORD_PAD = new Uint8Array([
  0x28, 0xbf, 0x4e, 0x5e, 0x4e, 0x75, 0x8a, 0x41, 0x64, 0x00, 0x4e, 0x56, 0xff, 0xfa, 0x01, 0x08,
  0x2e, 0x2e, 0x00, 0xb6, 0xd0, 0x68, 0x3e, 0x80, 0x2f, 0x0c, 0xa9, 0xfe, 0x64, 0x53, 0x69, 0x7a,
]);

/** Which password opened the file. */
export type PasswordKind = 'user' | 'owner';

/** A successful authentication: the file encryption key and which password matched. */
export interface Authentication {
  readonly fileKey: Uint8Array;
  readonly as: PasswordKind;
}

/**
 * Password bytes for R2–R4: PDFDocEncoding, approximated by Latin-1 (§7.6.4.3.1);
 * characters beyond Latin-1 cannot be typed in those revisions and become '?'.
 */
export function legacyPasswordBytes(password: string): Uint8Array {
  const s = password.normalize('NFC');
  const out = new Uint8Array(Math.min(32, s.length));
  for (let i = 0; i < out.length; i++) {
    const c = s.charCodeAt(i);
    out[i] = c <= 0xff ? c : 0x3f;
  }
  return out;
}

/**
 * Password bytes for R5/R6: UTF-8 after SASLprep (RFC 4013), truncated to 127
 * bytes (§7.6.4.3.3). SASLprep is approximated by NFKC normalisation, which
 * is its main step; the prohibited-character checks are left out.
 */
export function unicodePasswordBytes(password: string): Uint8Array {
  const b = new TextEncoder().encode(password.normalize('NFKC'));
  return b.subarray(0, 127);
}

function padPassword(pw: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  out.set(pw.subarray(0, 32));
  out.set(PASSWORD_PAD.subarray(0, 32 - Math.min(32, pw.length)), Math.min(32, pw.length));
  return out;
}


function equalPrefix(a: Uint8Array, b: Uint8Array, n: number): boolean {
  if (a.length < n || b.length < n) return false;
  let diff = 0;
  for (let i = 0; i < n; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** §7.6.4.3.2 Algorithm 2: the file key of R2–R4 from the (padded) user password. */
export function computeFileKeyR4(params: EncryptParams, userPassword: Uint8Array, id0: Uint8Array): Uint8Array {
  const p = params.p >>> 0;
  const parts = [
    padPassword(userPassword),
    params.o.subarray(0, 32),
    new Uint8Array([p & 0xff, (p >>> 8) & 0xff, (p >>> 16) & 0xff, (p >>> 24) & 0xff]),
    id0,
  ];
  if (params.r >= 4 && !params.encryptMetadata) parts.push(new Uint8Array([0xff, 0xff, 0xff, 0xff]));
  const n = params.r === 2 ? 5 : params.keyLength;
  let hash = md5(concatBytes(parts));
  if (params.r >= 3) for (let i = 0; i < 50; i++) hash = md5(hash.subarray(0, n));
  return hash.slice(0, n);
}

/** §7.6.4.4.3 Algorithm 4 (R2) and §7.6.4.4.4 Algorithm 5 (R3, R4): the expected /U for a file key. */
export function computeU(params: EncryptParams, fileKey: Uint8Array, id0: Uint8Array): Uint8Array {
  if (params.r === 2) return rc4(fileKey, PASSWORD_PAD);
  let x = rc4(fileKey, md5(concatBytes([PASSWORD_PAD, id0])));
  for (let i = 1; i <= 19; i++) x = rc4(fileKey.map((b) => b ^ i), x);
  const out = new Uint8Array(32);
  out.set(x);
  return out;
}

/** §7.6.4.4.6 Algorithm 6: checks a user password of R2–R4; returns the file key or null. */
export function authenticateUserR4(params: EncryptParams, password: Uint8Array, id0: Uint8Array): Uint8Array | null {
  const key = computeFileKeyR4(params, password, id0);
  const u = computeU(params, key, id0);
  return equalPrefix(u, params.u, params.r === 2 ? 32 : 16) ? key : null;
}

/** §7.6.4.4.2 Algorithm 3 steps a–d: the RC4 key that wraps the user password in /O. */
function ownerKeyR4(params: EncryptParams, ownerPassword: Uint8Array): Uint8Array {
  const n = params.r === 2 ? 5 : params.keyLength;
  let hash = md5(padPassword(ownerPassword));
  if (params.r >= 3) for (let i = 0; i < 50; i++) hash = md5(hash);
  return hash.slice(0, n);
}

/** §7.6.4.4.7 Algorithm 7: checks an owner password of R2–R4 by unwrapping the user password from /O. */
export function authenticateOwnerR4(params: EncryptParams, password: Uint8Array, id0: Uint8Array): Uint8Array | null {
  const key = ownerKeyR4(params, password);
  let user = params.o.subarray(0, 32);
  if (params.r === 2) user = rc4(key, user);
  else for (let i = 19; i >= 0; i--) user = rc4(key.map((b) => b ^ i), user);
  return authenticateUserR4(params, user, id0);
}

/**
 * §7.6.4.3.4 Algorithm 2.B (R6), or plain SHA-256 for R5 (the deprecated
 * Extension Level 3 variant): the hash of a password with a salt and, for the
 * owner, the 48-byte /U.
 */
export function hashR6(r: 5 | 6, password: Uint8Array, salt: Uint8Array, udata: Uint8Array): Uint8Array {
  let k: Uint8Array = sha256(concatBytes([password, salt, udata]));
  if (r === 5) return k;
  let e: Uint8Array = new Uint8Array(0);
  for (let round = 0; round < 64 || e[e.length - 1]! > round - 32; round++) {
    const one = concatBytes([password, k, udata]);
    const k1 = new Uint8Array(one.length * 64);
    for (let i = 0; i < 64; i++) k1.set(one, i * one.length);
    e = aesCbcEncrypt(k.subarray(0, 16), k.subarray(16, 32), k1, false);
    // The first 16 bytes of E as a big number mod 3 equals the sum of its bytes mod 3 (256 ≡ 1 mod 3).
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += e[i]!;
    const h = sum % 3;
    k = h === 0 ? sha256(e) : h === 1 ? sha384(e) : sha512(e);
  }
  return k.slice(0, 32);
}

const ZERO_IV = new Uint8Array(16);

/** §7.6.4.4.10 Algorithm 11 and §7.6.4.3.3 Algorithm 2.A: a user password of R5/R6. */
export function authenticateUserR6(params: EncryptParams, password: Uint8Array): Uint8Array | null {
  const r = params.r as 5 | 6;
  const u = params.u;
  const empty = new Uint8Array(0);
  if (!equalPrefix(hashR6(r, password, u.subarray(32, 40), empty), u, 32)) return null;
  const kek = hashR6(r, password, u.subarray(40, 48), empty);
  return aesCbcDecrypt(kek, ZERO_IV, params.ue!.subarray(0, 32), false);
}

/** §7.6.4.4.11 Algorithm 12 and Algorithm 2.A: an owner password of R5/R6. */
export function authenticateOwnerR6(params: EncryptParams, password: Uint8Array): Uint8Array | null {
  const r = params.r as 5 | 6;
  const o = params.o;
  const u48 = params.u.subarray(0, 48);
  if (!equalPrefix(hashR6(r, password, o.subarray(32, 40), u48), o, 32)) return null;
  const kek = hashR6(r, password, o.subarray(40, 48), u48);
  return aesCbcDecrypt(kek, ZERO_IV, params.oe!.subarray(0, 32), false);
}

/**
 * Tries `password` as the owner password, then as the user password
 * (§7.6.4.4), and returns the file encryption key, or null when neither matches.
 * The owner is tried first so an owner who gives their password gets full rights.
 */
export function authenticate(params: EncryptParams, password: string, id0: Uint8Array): Authentication | null {
  if (params.r >= 5) {
    const pw = unicodePasswordBytes(password);
    const owner = authenticateOwnerR6(params, pw);
    if (owner) return { fileKey: owner, as: 'owner' };
    const user = authenticateUserR6(params, pw);
    return user ? { fileKey: user, as: 'user' } : null;
  }
  const pw = legacyPasswordBytes(password);
  const owner = authenticateOwnerR4(params, pw, id0);
  if (owner) return { fileKey: owner, as: 'owner' };
  const user = authenticateUserR4(params, pw, id0);
  return user ? { fileKey: user, as: 'user' } : null;
}

/**
 * §7.6.3.1 Algorithm 1: the key for one object's strings and streams. AESV3
 * uses the file key as is (§7.6.3.3); AESV2 appends "sAlT" before hashing.
 */
export function objectKey(fileKey: Uint8Array, num: number, gen: number, method: CryptMethod): Uint8Array {
  if (method === 'aes256') return fileKey;
  const n = fileKey.length;
  const extra = method === 'aes128' ? 4 : 0;
  const buf = new Uint8Array(n + 5 + extra);
  buf.set(fileKey);
  buf[n] = num & 0xff;
  buf[n + 1] = (num >>> 8) & 0xff;
  buf[n + 2] = (num >>> 16) & 0xff;
  buf[n + 3] = gen & 0xff;
  buf[n + 4] = (gen >>> 8) & 0xff;
  if (extra) buf.set([0x73, 0x41, 0x6c, 0x54], n + 5); // "sAlT"
  return md5(buf).slice(0, Math.min(n + 5, 16));
}
