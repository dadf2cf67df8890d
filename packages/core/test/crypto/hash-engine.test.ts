import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHashEngine as nodeEngine } from '../../src/crypto/hash-engine-node.js';
import { createHashEngine as portableEngine } from '../../src/crypto/hash-engine-portable.js';
import { createHashEngine as aliased } from '#hash-engine';
import { digest } from '../../src/crypto/digest.js';
import { HASH_ALGORITHMS, type HashAlgorithm } from '../../src/crypto/algorithms.js';

const NODE: Record<HashAlgorithm, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

describe('hash engines (FIPS 180-4)', () => {
  // FIPS 180-4 example "abc"
  const ABC_SHA256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

  it('give the known SHA-256 of "abc" in every form', async () => {
    const abc = new TextEncoder().encode('abc');
    for (const make of [nodeEngine, portableEngine, aliased]) {
      const e = make('SHA-256');
      e.update(abc.subarray(0, 1));
      e.update(abc.subarray(1));
      expect(Buffer.from(e.digest()).toString('hex')).toBe(ABC_SHA256);
    }
    expect(Buffer.from(await digest('SHA-256', abc)).toString('hex')).toBe(ABC_SHA256);
  });

  it.each(HASH_ALGORITHMS)('agree on %s over odd-sized chunks', async (alg) => {
    const data = new Uint8Array(200_003).map((_, i) => (i * 31 + 7) & 0xff);
    const expected = createHash(NODE[alg]).update(data).digest('hex');
    for (const make of [nodeEngine, portableEngine]) {
      const e = make(alg);
      for (let at = 0, step = 1; at < data.length; at += step, step = (step * 7 + 3) % 65_537) e.update(data.subarray(at, at + step));
      expect(Buffer.from(e.digest()).toString('hex')).toBe(expected);
    }
    expect(Buffer.from(await digest(alg, data)).toString('hex')).toBe(expected);
  });

  it('refuses an unknown hash', async () => {
    expect(() => nodeEngine('MD5' as HashAlgorithm)).toThrow(expect.objectContaining({ code: 'ERR_SIG_ALGORITHM_UNSUPPORTED' }));
    expect(() => portableEngine('SHA-1' as HashAlgorithm)).toThrow(expect.objectContaining({ code: 'ERR_SIG_ALGORITHM_UNSUPPORTED' }));
    await expect(digest('SHA-1' as HashAlgorithm, new Uint8Array(1))).rejects.toMatchObject({ code: 'ERR_SIG_ALGORITHM_UNSUPPORTED' });
  });
});
