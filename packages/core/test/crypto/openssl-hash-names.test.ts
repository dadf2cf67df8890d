import { createHash, getHashes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WEBCRYPTO_HASHES } from '../../src/crypto/algorithm-table.js';
import { createHashEngine as nodeEngine } from '../../src/crypto/hash-engine-node.js';
import { OPENSSL_HASH_NAME } from '../../src/crypto/openssl-hash-names.js';
import type { HashAlgorithm } from '../../src/crypto/algorithms.js';

describe("OpenSSL's hash names: one table for the Node hash engine and the Node signature check", () => {
  it('names every hash WebCrypto verifies, and nothing else (the Node and WebCrypto paths accept the same set)', () => {
    expect(Object.keys(OPENSSL_HASH_NAME).sort()).toEqual([...WEBCRYPTO_HASHES].sort());
  });

  it.each(Object.entries(OPENSSL_HASH_NAME))('%s is OpenSSL %s, giving the same digest as WebCrypto', async (webName, opensslName) => {
    expect(getHashes()).toContain(opensslName);
    const data = new TextEncoder().encode('abc');
    const web = new Uint8Array(await crypto.subtle.digest(webName, data));
    expect(createHash(opensslName).update(data).digest('hex')).toBe(Buffer.from(web).toString('hex'));
  });

  it('the Node hash engine streams only the signing hashes: SHA-1 is in the table for verification, not for signing', () => {
    expect(() => nodeEngine('SHA-1' as HashAlgorithm)).toThrow(expect.objectContaining({ code: 'ERR_SIG_ALGORITHM_UNSUPPORTED' }));
    expect(() => nodeEngine('toString' as HashAlgorithm)).toThrow(expect.objectContaining({ code: 'ERR_SIG_ALGORITHM_UNSUPPORTED' }));
    expect(Buffer.from(nodeEngine('SHA-384').digest()).toString('hex')).toBe(createHash('sha384').digest('hex'));
  });
});
