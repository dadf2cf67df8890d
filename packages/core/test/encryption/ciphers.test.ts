import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { aesCbcDecrypt, aesCbcEncrypt, loadAesCipher, rc4 } from '../../src/pdf/encryption/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

describe('AES-CBC agrees with node:crypto (OpenSSL)', () => {
  // The AES library loads on first need (docs/decisions/0036-lazy-aes-library.md).
  beforeAll(loadAesCipher);

  it.each([16, 24, 32])('%i-byte keys, PKCS #7 padded, every length from 0 to 70 bytes', (size) => {
    for (let n = 0; n <= 70; n++) {
      const key = randomBytes(size);
      const iv = randomBytes(16);
      const data = randomBytes(n);
      const c = createCipheriv(`aes-${size * 8}-cbc`, key, iv);
      const ref = Buffer.concat([c.update(data), c.final()]);
      expect(hex(aesCbcEncrypt(key, iv, data))).toBe(ref.toString('hex'));
      expect(hex(aesCbcDecrypt(key, iv, ref))).toBe(data.toString('hex'));
    }
  });

  it('without padding, as the R6 hash and /UE unwrapping use it', () => {
    const key = randomBytes(32);
    const iv = randomBytes(16);
    const data = randomBytes(64);
    const c = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
    const ref = Buffer.concat([c.update(data), c.final()]);
    expect(hex(aesCbcEncrypt(key, iv, data, false))).toBe(ref.toString('hex'));
    const d = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
    expect(hex(aesCbcDecrypt(key, iv, ref, false))).toBe(Buffer.concat([d.update(ref), d.final()]).toString('hex'));
    expect(() => aesCbcEncrypt(key, iv, data.subarray(1), false)).toThrow(RangeError);
  });

  it.each([
    // FIPS 197 Appendix C.1 and C.3: one block, the cipher alone (a zero IV makes CBC's first block the bare cipher).
    ['000102030405060708090a0b0c0d0e0f', '69c4e0d86a7b0430d8cdb78070b4c55a'],
    ['000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', '8ea2b7ca516745bfeafc49904b496089'],
  ])('FIPS 197 Appendix C: key %s', (key, cipher) => {
    const plain = bytes('00112233445566778899aabbccddeeff');
    const zeroIv = new Uint8Array(16);
    expect(hex(aesCbcEncrypt(bytes(key), zeroIv, plain, false))).toBe(cipher);
    expect(hex(aesCbcDecrypt(bytes(key), zeroIv, bytes(cipher), false))).toBe(hex(plain));
  });

  it('chains many blocks as OpenSSL does (a 100 KB stream)', () => {
    const key = randomBytes(16);
    const iv = randomBytes(16);
    const data = randomBytes(100_000);
    const c = createCipheriv('aes-128-cbc', key, iv);
    const ref = Buffer.concat([c.update(data), c.final()]);
    expect(hex(aesCbcEncrypt(key, iv, data))).toBe(ref.toString('hex'));
    expect(hex(aesCbcDecrypt(key, iv, ref))).toBe(data.toString('hex'));
  });

  it('refuses keys that are not 128, 192 or 256 bits and IVs that are not one block', () => {
    expect(() => aesCbcEncrypt(new Uint8Array(15), new Uint8Array(16), new Uint8Array(16))).toThrow(RangeError);
    expect(() => aesCbcDecrypt(new Uint8Array(33), new Uint8Array(16), new Uint8Array(16))).toThrow(RangeError);
    expect(() => aesCbcDecrypt(new Uint8Array(16), new Uint8Array(8), new Uint8Array(16))).toThrow(RangeError);
  });

  it('leaves malformed padding in place instead of failing (damaged files still open)', () => {
    const key = randomBytes(16);
    const iv = randomBytes(16);
    const block = new Uint8Array(16).fill(0x41);
    const enc = aesCbcEncrypt(key, iv, block, false);
    expect(hex(aesCbcDecrypt(key, iv, enc))).toBe(hex(block));
  });
});

describe('RC4', () => {
  it.each([
    ['Key', 'Plaintext', 'bbf316e8d940af0ad3'],
    ['Wiki', 'pedia', '1021bf0420'],
    ['Secret', 'Attack at dawn', '45a01f645fc35b383552544b9bf5'],
  ])('key %s, plaintext %s', (key, plain, cipher) => {
    const enc = rc4(new TextEncoder().encode(key), new TextEncoder().encode(plain));
    expect(hex(enc)).toBe(cipher);
    expect(new TextDecoder().decode(rc4(new TextEncoder().encode(key), enc))).toBe(plain);
  });
});
