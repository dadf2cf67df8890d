import { afterEach, describe, expect, it, vi } from 'vitest';
import { bmpPassword, pkcs12Kdf } from '../src/pkcs12/kdf.js';

const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

describe('PKCS#12 key derivation (RFC 7292 App. B)', () => {
  it('encodes the password as a BMPString with a two-byte terminator (App. B.1)', () => {
    expect(Array.from(bmpPassword('ab'))).toEqual([0, 0x61, 0, 0x62, 0, 0]);
    expect(Array.from(bmpPassword('ậ'))).toEqual([0x1e, 0xad, 0, 0]);
  });

  it('encodes the empty password as the terminator alone, or as nothing when asked', () => {
    expect(Array.from(bmpPassword(''))).toEqual([0, 0]);
    expect(bmpPassword('', true).length).toBe(0);
  });

  // Vectors published with the Bouncy Castle PKCS12 tests. The 24-byte ones need two
  // SHA-1 blocks, so they also exercise the I_j := I_j + B + 1 step (App. B.2 step 6).
  it.each([
    ['smeg', '0A58CF64530D823F', 1, 1, 24, '8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3'],
    ['smeg', '0A58CF64530D823F', 2, 1, 8, '79993DFE048D3B76'],
    ['smeg', '3D83C0E4546AC140', 3, 1, 20, '8D967D88F6CAA9D714800AB3D48051D63F73A312'],
    ['queeg', '05DEC959ACFF72F7', 1, 1000, 24, 'ED2034E36328830FF09DF1E1A07DD357185DAC0D4F9EB3D4'],
    ['queeg', '05DEC959ACFF72F7', 2, 1000, 8, '11DEDAD7758D4860'],
  ] as const)('derives the SHA-1 vector for %s, salt %s, id %i, %i rounds', async (password, salt, id, rounds, n, expected) => {
    const out = await pkcs12Kdf('SHA-1', bmpPassword(password), hex(salt), rounds, id, n);
    expect(toHex(out)).toBe(expected);
  });
});

describe('PKCS#12 key derivation where node:crypto is not reachable (browsers: the pure-JavaScript hashes)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('gives the same bytes as with node:crypto, for every hash', async () => {
    const salt = hex('05DEC959ACFF72F7');
    const withNode = await Promise.all((['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'] as const).map((h) => pkcs12Kdf(h, bmpPassword('queeg'), salt, 100, 3, 70)));
    vi.resetModules();
    vi.stubGlobal('process', { ...process, getBuiltinModule: undefined });
    const portable = await import('../src/pkcs12/kdf.js');
    const without = await Promise.all((['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'] as const).map((h) => portable.pkcs12Kdf(h, portable.bmpPassword('queeg'), salt, 100, 3, 70)));
    expect(without.map(toHex)).toEqual(withNode.map(toHex));
    expect(toHex(await portable.pkcs12Kdf('SHA-1', portable.bmpPassword('queeg'), salt, 1000, 1, 24))).toBe('ED2034E36328830FF09DF1E1A07DD357185DAC0D4F9EB3D4');
  });
});
