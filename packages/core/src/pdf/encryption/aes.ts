/**
 * AES-CBC for the AESV2 and AESV3 crypt methods of ISO 32000-2 §7.6.3:
 * the block cipher of FIPS 197 with 128- or 256-bit keys, chained per
 * NIST SP 800-38A §6.2. Synchronous, so objects can be decrypted while the
 * document is read (WebCrypto is async only).
 *
 * Written here rather than taken from a library because of when its tables
 * are made: a library building its S-box and round tables when its module
 * loads makes every process pay for them (5–20 ms of a one-file `kyso verify`,
 * docs/decisions/0026-cli-start-up.md), though only encrypted PDFs need
 * them. Here they are built on the first encryption or decryption. The
 * implementation is the usual 32-bit table one (FIPS 197 §5 with the rounds
 * merged into four lookups per column, as in the Rijndael reference code);
 * the tests check it against OpenSSL's AES-CBC and FIPS 197 Appendix C.
 * Like most software AES, table lookups depend on the data (cache timing):
 * acceptable for reading and writing PDF objects on the user's own machine,
 * not meant for a service decrypting on behalf of others.
 */

interface Tables {
  sbox: Uint8Array;
  inverseSbox: Uint8Array;
  /** Te0…Te3: SubBytes then MixColumns of one byte, each a rotation of the first (FIPS 197 §5.1.1–5.1.3). */
  encrypt: [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  /** Td0…Td3: InvSubBytes then InvMixColumns (§5.3.2–5.3.3, the equivalent inverse cipher of §5.3.5). */
  decrypt: [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
}

let tables: Tables | undefined;

/** Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (FIPS 197 §4.2). */
function gfMul(a: number, b: number): number {
  let product = 0;
  for (let i = 0; i < 8; i++) {
    if (b & 1) product ^= a;
    const carry = a & 0x80;
    a = (a << 1) & 0xff;
    if (carry) a ^= 0x1b;
    b >>= 1;
  }
  return product;
}

function buildTables(): Tables {
  // S-box (§5.1.1): multiplicative inverse, then the affine map. Inverses come from powers of the generator 3.
  const exp = new Uint8Array(256);
  const log = new Uint8Array(256);
  for (let i = 0, x = 1; i < 255; i++) {
    exp[i] = x;
    log[x] = i;
    x = gfMul(x, 3);
  }
  const sbox = new Uint8Array(256);
  const inverseSbox = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    const inv = i === 0 ? 0 : exp[(255 - log[i]!) % 255]!;
    let s = inv;
    for (let k = 1; k <= 4; k++) s ^= ((inv << k) | (inv >>> (8 - k))) & 0xff;
    s ^= 0x63;
    sbox[i] = s;
    inverseSbox[s] = i;
  }
  const te = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)] as Tables['encrypt'];
  const td = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)] as Tables['decrypt'];
  for (let i = 0; i < 256; i++) {
    const s = sbox[i]!;
    // Column {02, 01, 01, 03}·s, the first byte in the high bits (words are big-endian columns).
    const e = ((gfMul(s, 2) << 24) | (s << 16) | (s << 8) | gfMul(s, 3)) >>> 0;
    const v = inverseSbox[i]!;
    // Column {0e, 09, 0d, 0b}·v.
    const d = ((gfMul(v, 14) << 24) | (gfMul(v, 9) << 16) | (gfMul(v, 13) << 8) | gfMul(v, 11)) >>> 0;
    for (let r = 0; r < 4; r++) {
      te[r]![i] = ((e >>> (8 * r)) | (e << (32 - 8 * r))) >>> 0;
      td[r]![i] = ((d >>> (8 * r)) | (d << (32 - 8 * r))) >>> 0;
    }
  }
  return { sbox, inverseSbox, encrypt: te, decrypt: td };
}

function getTables(): Tables {
  tables ??= buildTables();
  return tables;
}

interface Schedule {
  rounds: number;
  encrypt: Uint32Array;
  decrypt: Uint32Array;
}

/** KeyExpansion (FIPS 197 §5.2), and the decryption round keys of the equivalent inverse cipher (§5.3.5). */
function expandKey(key: Uint8Array): Schedule {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) throw new RangeError('AES key must be 16, 24 or 32 bytes');
  const { sbox, decrypt: td } = getTables();
  const nk = key.length / 4;
  const rounds = nk + 6;
  const words = 4 * (rounds + 1);
  const w = new Uint32Array(words);
  for (let i = 0; i < nk; i++) w[i] = ((key[4 * i]! << 24) | (key[4 * i + 1]! << 16) | (key[4 * i + 2]! << 8) | key[4 * i + 3]!) >>> 0;
  const subWord = (x: number): number =>
    ((sbox[x >>> 24]! << 24) | (sbox[(x >>> 16) & 0xff]! << 16) | (sbox[(x >>> 8) & 0xff]! << 8) | sbox[x & 0xff]!) >>> 0;
  let rcon = 1;
  for (let i = nk; i < words; i++) {
    let t = w[i - 1]!;
    if (i % nk === 0) {
      t = (subWord(((t << 8) | (t >>> 24)) >>> 0) ^ (rcon << 24)) >>> 0;
      rcon = gfMul(rcon, 2);
    } else if (nk > 6 && i % nk === 4) {
      t = subWord(t);
    }
    w[i] = (w[i - nk]! ^ t) >>> 0;
  }
  const d = new Uint32Array(words);
  for (let r = 0; r <= rounds; r++) {
    for (let j = 0; j < 4; j++) {
      const x = w[4 * (rounds - r) + j]!;
      // InvMixColumns of the middle round keys: Td of the S-box image undoes the InvSubBytes inside Td.
      d[4 * r + j] = r === 0 || r === rounds
        ? x
        : (td[0][sbox[x >>> 24]!]! ^ td[1][sbox[(x >>> 16) & 0xff]!]! ^ td[2][sbox[(x >>> 8) & 0xff]!]! ^ td[3][sbox[x & 0xff]!]!) >>> 0;
    }
  }
  return { rounds, encrypt: w, decrypt: d };
}

/** Cipher (§5.1) of the block in `state` (four big-endian words), in place. */
function encryptBlock(k: Schedule, state: Uint32Array): void {
  const { sbox, encrypt: [t0, t1, t2, t3] } = getTables();
  const rk = k.encrypt;
  let s0 = state[0]! ^ rk[0]!;
  let s1 = state[1]! ^ rk[1]!;
  let s2 = state[2]! ^ rk[2]!;
  let s3 = state[3]! ^ rk[3]!;
  let i = 4;
  for (let r = 1; r < k.rounds; r++, i += 4) {
    const a = t0[s0 >>> 24]! ^ t1[(s1 >>> 16) & 0xff]! ^ t2[(s2 >>> 8) & 0xff]! ^ t3[s3 & 0xff]! ^ rk[i]!;
    const b = t0[s1 >>> 24]! ^ t1[(s2 >>> 16) & 0xff]! ^ t2[(s3 >>> 8) & 0xff]! ^ t3[s0 & 0xff]! ^ rk[i + 1]!;
    const c = t0[s2 >>> 24]! ^ t1[(s3 >>> 16) & 0xff]! ^ t2[(s0 >>> 8) & 0xff]! ^ t3[s1 & 0xff]! ^ rk[i + 2]!;
    const d = t0[s3 >>> 24]! ^ t1[(s0 >>> 16) & 0xff]! ^ t2[(s1 >>> 8) & 0xff]! ^ t3[s2 & 0xff]! ^ rk[i + 3]!;
    s0 = a; s1 = b; s2 = c; s3 = d;
  }
  // The last round has no MixColumns.
  const last = (a: number, b: number, c: number, d: number, key: number): number =>
    ((sbox[a >>> 24]! << 24) | (sbox[(b >>> 16) & 0xff]! << 16) | (sbox[(c >>> 8) & 0xff]! << 8) | sbox[d & 0xff]!) ^ key;
  state[0] = last(s0, s1, s2, s3, rk[i]!);
  state[1] = last(s1, s2, s3, s0, rk[i + 1]!);
  state[2] = last(s2, s3, s0, s1, rk[i + 2]!);
  state[3] = last(s3, s0, s1, s2, rk[i + 3]!);
}

/** Equivalent inverse cipher (§5.3.5) of the block in `state`, in place. */
function decryptBlock(k: Schedule, state: Uint32Array): void {
  const { inverseSbox: si, decrypt: [t0, t1, t2, t3] } = getTables();
  const rk = k.decrypt;
  let s0 = state[0]! ^ rk[0]!;
  let s1 = state[1]! ^ rk[1]!;
  let s2 = state[2]! ^ rk[2]!;
  let s3 = state[3]! ^ rk[3]!;
  let i = 4;
  for (let r = 1; r < k.rounds; r++, i += 4) {
    const a = t0[s0 >>> 24]! ^ t1[(s3 >>> 16) & 0xff]! ^ t2[(s2 >>> 8) & 0xff]! ^ t3[s1 & 0xff]! ^ rk[i]!;
    const b = t0[s1 >>> 24]! ^ t1[(s0 >>> 16) & 0xff]! ^ t2[(s3 >>> 8) & 0xff]! ^ t3[s2 & 0xff]! ^ rk[i + 1]!;
    const c = t0[s2 >>> 24]! ^ t1[(s1 >>> 16) & 0xff]! ^ t2[(s0 >>> 8) & 0xff]! ^ t3[s3 & 0xff]! ^ rk[i + 2]!;
    const d = t0[s3 >>> 24]! ^ t1[(s2 >>> 16) & 0xff]! ^ t2[(s1 >>> 8) & 0xff]! ^ t3[s0 & 0xff]! ^ rk[i + 3]!;
    s0 = a; s1 = b; s2 = c; s3 = d;
  }
  const last = (a: number, b: number, c: number, d: number, key: number): number =>
    ((si[a >>> 24]! << 24) | (si[(b >>> 16) & 0xff]! << 16) | (si[(c >>> 8) & 0xff]! << 8) | si[d & 0xff]!) ^ key;
  state[0] = last(s0, s3, s2, s1, rk[i]!);
  state[1] = last(s1, s0, s3, s2, rk[i + 1]!);
  state[2] = last(s2, s1, s0, s3, rk[i + 2]!);
  state[3] = last(s3, s2, s1, s0, rk[i + 3]!);
}

function checkIv(iv: Uint8Array): void {
  if (iv.length !== 16) throw new RangeError('AES-CBC IV must be 16 bytes');
}

/** Reads 16 bytes at `at` into four big-endian words. */
function load(bytes: Uint8Array, at: number, words: Uint32Array): void {
  for (let j = 0; j < 4; j++) {
    const p = at + 4 * j;
    words[j] = ((bytes[p]! << 24) | (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!) >>> 0;
  }
}

function store(words: Uint32Array, bytes: Uint8Array, at: number): void {
  for (let j = 0; j < 4; j++) {
    const w = words[j]!;
    const p = at + 4 * j;
    bytes[p] = w >>> 24;
    bytes[p + 1] = w >>> 16;
    bytes[p + 2] = w >>> 8;
    bytes[p + 3] = w;
  }
}

/**
 * AES-CBC encryption. With `pad`, PKCS #7 padding is added (RFC 8018 §6.1.1,
 * as ISO 32000-2 §7.6.3.2 requires for strings and streams); without it the
 * data must be a whole number of blocks (the R6 hash of §7.6.4.3.4).
 */
export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array, pad = true): Uint8Array {
  checkIv(iv);
  if (!pad && data.length % 16 !== 0) throw new RangeError('AES-CBC data without padding must be whole blocks');
  const schedule = expandKey(key);
  const padding = pad ? 16 - (data.length % 16) : 0;
  const out = new Uint8Array(data.length + padding);
  out.set(data);
  out.fill(padding, data.length);
  const chain = new Uint32Array(4);
  const block = new Uint32Array(4);
  load(iv, 0, chain);
  for (let at = 0; at < out.length; at += 16) {
    load(out, at, block);
    for (let j = 0; j < 4; j++) block[j] = block[j]! ^ chain[j]!;
    encryptBlock(schedule, block);
    store(block, out, at);
    chain.set(block);
  }
  return out;
}

/**
 * AES-CBC decryption. With `pad`, PKCS #7 padding is removed when it is well
 * formed; bad padding is left in place rather than refused, as readers do
 * with damaged files. A trailing partial block is ignored.
 */
export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array, pad = true): Uint8Array {
  checkIv(iv);
  const schedule = expandKey(key);
  const len = data.length - (data.length % 16);
  if (len === 0) return new Uint8Array(0);
  const out = new Uint8Array(len);
  const chain = new Uint32Array(4);
  const cipher = new Uint32Array(4);
  const block = new Uint32Array(4);
  load(iv, 0, chain);
  for (let at = 0; at < len; at += 16) {
    load(data, at, cipher);
    block.set(cipher);
    decryptBlock(schedule, block);
    for (let j = 0; j < 4; j++) block[j] = block[j]! ^ chain[j]!;
    store(block, out, at);
    chain.set(cipher);
  }
  if (!pad) return out;
  const n = out[len - 1]!;
  if (n < 1 || n > 16 || n > len) return out;
  for (let i = len - n; i < len; i++) if (out[i] !== n) return out;
  return out.subarray(0, len - n);
}
