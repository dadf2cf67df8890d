import * as pkijs from 'pkijs';
import { OID, kysoError } from '@kyso/core';
import { copyBytes, subtle, wipe } from '../internal/bytes.js';
import { nodeCrypto, nodeHashName } from '../internal/node-crypto.js';
import { KDF_PURPOSE, bmpPassword, pkcs12Kdf, type Pkcs12Hash } from './kdf.js';
import { REEXPORT_ADVICE } from './pbes2.js';

const MAC_HASH: Readonly<Record<string, Pkcs12Hash>> = {
  '1.3.14.3.2.26': 'SHA-1',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};

/** PBMAC1 (RFC 9579), written by OpenSSL ≥ 3.4 on request; not read yet. */
const PBMAC1 = '1.2.840.113549.1.5.14';

/**
 * Upper bound on MAC KDF rounds. Each round hashes one short block (about a
 * microsecond, synchronously), so this bounds the time a hostile file can
 * take to about a second; real files use 1–100 000.
 */
export const MAX_MAC_ITERATIONS = 1_000_000;

/**
 * Checks the password-integrity MAC over the AuthenticatedSafe (RFC 7292 §5,
 * App. B): HMAC keyed by the PKCS#12 KDF (ID 3) of the BMPString password.
 * Done before any decryption, so a wrong password is reported as such and
 * never yields a garbage key. An empty password is tried both as the bare
 * BMPString terminator (OpenSSL) and as zero bytes (some other writers).
 */
export async function verifyMac(macData: pkijs.MacData, content: Uint8Array, password: string): Promise<boolean> {
  const oid = macData.mac.digestAlgorithm.algorithmId;
  if (oid === PBMAC1) {
    throw kysoError('ERR_KEY_FORMAT', `the file's integrity uses PBMAC1 (RFC 9579), which is not supported yet; ${REEXPORT_ADVICE}`);
  }
  const hash = MAC_HASH[oid];
  if (!hash) throw kysoError('ERR_KEY_FORMAT', `the file's MAC uses hash ${oid}, which is not supported; ${REEXPORT_ADVICE}`);
  const iterations = macData.iterations ?? 1;
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > MAX_MAC_ITERATIONS) {
    throw kysoError('ERR_KEY_FORMAT', `MAC iteration count ${iterations} is out of range 1…${MAX_MAC_ITERATIONS}`);
  }
  const salt = macData.macSalt.valueBlock.valueHexView;
  const expected = copyBytes(macData.mac.digest.valueBlock.valueHexView);
  const data = copyBytes(content);
  const candidates = password === '' ? [false, true] : [false];
  for (const nullPassword of candidates) {
    const pass = bmpPassword(password, nullPassword);
    const keyBytes = await pkcs12Kdf(hash, pass, salt, iterations, KDF_PURPOSE.mac, MAC_KEY_LENGTH[hash]);
    wipe(pass);
    let matches: boolean;
    try {
      matches = await hmacMatches(hash, keyBytes, data, expected);
    } finally {
      wipe(keyBytes);
    }
    if (matches) return true;
  }
  return false;
}

/**
 * Whether HMAC(`key`, `data`) is `expected`, compared in constant time: with
 * node:crypto in Node (no cold WebCrypto set-up for one MAC,
 * docs/decisions/0037-software-key-start-up.md), WebCrypto elsewhere.
 */
async function hmacMatches(hash: Pkcs12Hash, key: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>, expected: Uint8Array<ArrayBuffer>): Promise<boolean> {
  const node = nodeCrypto();
  if (node) {
    const mac = node.createHmac(nodeHashName(hash), key).update(data).digest();
    // The MAC's length is public (it is the hash's); only its bytes must not leak through timing.
    return mac.byteLength === expected.byteLength && node.timingSafeEqual(mac, expected);
  }
  const hmacKey = await subtle().importKey('raw', key, { name: 'HMAC', hash }, false, ['verify']);
  // WebCrypto's verify compares in constant time.
  return subtle().verify('HMAC', hmacKey, expected, data);
}

/** The MAC key is as long as the hash output (RFC 7292 App. B.4). */
const MAC_KEY_LENGTH: Record<Pkcs12Hash, number> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };
