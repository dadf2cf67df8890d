import { cbc } from '@noble/ciphers/aes.js';

/**
 * AES-CBC for the AESV2 and AESV3 crypt methods of ISO 32000-2 §7.6.3, over
 * @noble/ciphers (synchronous, so objects can be decrypted while the document
 * is read; WebCrypto is async only).
 */

function checkIv(iv: Uint8Array): void {
  if (iv.length !== 16) throw new RangeError('AES-CBC IV must be 16 bytes');
}

/**
 * AES-CBC encryption. With `pad`, PKCS #7 padding is added (RFC 8018 §6.1.1,
 * as ISO 32000-2 §7.6.3.2 requires for strings and streams); without it the
 * data must be a whole number of blocks (the R6 hash of §7.6.4.3.4).
 */
export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array, pad = true): Uint8Array {
  checkIv(iv);
  if (!pad && data.length % 16 !== 0) throw new RangeError('AES-CBC data without padding must be whole blocks');
  return cbc(key, iv, { disablePadding: !pad }).encrypt(data);
}

/**
 * AES-CBC decryption. With `pad`, PKCS #7 padding is removed when it is well
 * formed; bad padding is left in place rather than refused, as readers do
 * with damaged files. A trailing partial block is ignored.
 */
export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array, pad = true): Uint8Array {
  checkIv(iv);
  const len = data.length - (data.length % 16);
  if (len === 0) return new Uint8Array(0);
  const out = cbc(key, iv, { disablePadding: true }).decrypt(data.subarray(0, len));
  if (!pad) return out;
  const n = out[len - 1]!;
  if (n < 1 || n > 16 || n > len) return out;
  for (let i = len - n; i < len; i++) if (out[i] !== n) return out;
  return out.subarray(0, len - n);
}
