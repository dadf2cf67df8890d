import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ecdsaDerToRaw, ecdsaRawToDer, isStrictDerEcdsaSignature, normalizeEcdsaSignature } from '../../src/crypto/ecdsa.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

describe('ECDSA signature encodings (RFC 5753 §2.1.1, X9.62)', () => {
  it.each([
    ['P-256', 'prime256v1', 32],
    ['P-384', 'secp384r1', 48],
    ['P-521', 'secp521r1', 66],
  ] as const)('raw→DER matches node:crypto dsaEncoding der on %s, and back', (_name, curve, n) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
    for (let i = 0; i < 40; i++) {
      const msg = Buffer.from(`message ${i}`);
      const raw = new Uint8Array(sign('sha256', msg, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
      expect(raw).toHaveLength(2 * n);
      const der = ecdsaRawToDer(raw);
      expect(isStrictDerEcdsaSignature(der)).toBe(true);
      // Re-encoding node's own DER via raw must give the same bytes: the encoding is canonical.
      const nodeDer = new Uint8Array(sign('sha256', msg, { key: privateKey, dsaEncoding: 'der' }));
      expect(ecdsaRawToDer(ecdsaDerToRaw(nodeDer, n))).toEqual(nodeDer);
      expect(verify('sha256', msg, { key: publicKey, dsaEncoding: 'der' }, der)).toBe(true);
      expect(ecdsaDerToRaw(der, n)).toEqual(raw);
    }
  });

  it('encodes minimal positive INTEGERs', () => {
    // r with high bit set gets a 00 sign octet; s with leading zeros loses them.
    const raw = new Uint8Array(64);
    raw[0] = 0x80;
    raw[63] = 0x01;
    raw[62] = 0x7f;
    const der = ecdsaRawToDer(raw);
    expect(Buffer.from(der).toString('hex')).toBe(`3027022100${'80'.padEnd(64, '0')}02027f01`);
  });

  it.each([
    ['empty', ''],
    ['trailing byte', '3006020101020101 00'],
    ['negative r', '3006020181020101'],
    ['non-minimal r', '300702020001020101'],
    ['zero s', '3006020101020100'],
    ['long-form length under 128', '30810602010102 0101'],
    ['wrong outer tag', '3106020101020101'],
    ['length past end', '3008020101020101'],
  ])('rejects %s as strict DER', (_why, h) => {
    expect(isStrictDerEcdsaSignature(hex(h))).toBe(false);
  });

  it('normalizes: strict DER kept as is, raw converted, anything else refused', () => {
    const der = hex('3006020101020102');
    expect(normalizeEcdsaSignature(der, 32)).toBe(der);
    const raw = new Uint8Array(64).fill(0x11);
    expect(normalizeEcdsaSignature(raw, 32)).toEqual(ecdsaRawToDer(raw));
    expect(normalizeEcdsaSignature(raw)).toEqual(ecdsaRawToDer(raw));
    expect(() => normalizeEcdsaSignature(new Uint8Array(63), 32)).toThrow(expect.objectContaining({ code: 'ERR_SIG_VALUE_INVALID' }));
    expect(() => normalizeEcdsaSignature(new Uint8Array(96), 32)).toThrow(expect.objectContaining({ code: 'ERR_SIG_VALUE_INVALID' }));
    expect(() => ecdsaRawToDer(new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'ERR_SIG_VALUE_INVALID' }));
    // r longer than the curve: not a P-256 signature even though the DER is strict
    expect(() => ecdsaDerToRaw(ecdsaRawToDer(new Uint8Array(96).fill(0x22)), 32)).toThrow(expect.objectContaining({ code: 'ERR_SIG_VALUE_INVALID' }));
  });
});
