/**
 * The cryptographic constraints table (crypto/algorithm-constraints.ts): one
 * row per weak digest or key size, recorded in the facts as typed items that
 * a validation policy reads by field.
 */
import { describe, expect, it } from 'vitest';
import {
  CRYPTO_CONSTRAINTS, constraintFor, isWeakAt, weakAlgorithmName, weakAlgorithms,
} from '../../src/crypto/algorithm-constraints.js';

describe('cryptographic constraints', () => {
  it('names SHA-1, MD5 and RSA keys under 2048 bits as weak, and nothing kyso signs with', () => {
    expect(weakAlgorithms({ digests: ['SHA-1', 'SHA-256', null, undefined], key: { keyAlgorithm: 'RSA', keyBits: 1024 } })).toEqual([{ kind: 'digest', algorithm: 'SHA-1' }, { kind: 'key', algorithm: 'RSA', bits: 1024 }]);
    expect(weakAlgorithms({ digests: ['MD5', 'MD5'] })).toEqual([{ kind: 'digest', algorithm: 'MD5' }]);
    expect(weakAlgorithms({ digests: ['SHA-256', 'SHA-384', 'SHA-512'], key: { keyAlgorithm: 'RSA', keyBits: 2048 } })).toEqual([]);
    expect(weakAlgorithms({ digests: ['SHA-256'], key: { keyAlgorithm: 'EC', keyBits: 256 } })).toEqual([]);
  });

  it('records plain JSON items and names them as messages show them', () => {
    const items = weakAlgorithms({ digests: ['SHA-1'], key: { keyAlgorithm: 'RSA', keyBits: 1536 } });
    expect(JSON.parse(JSON.stringify(items))).toEqual(items);
    expect(items.map(weakAlgorithmName)).toEqual(['SHA-1', 'RSA-1536']);
    expect(constraintFor({ key: { keyAlgorithm: 'RSA', keyBits: 4096 } })).toBeNull();
    expect(constraintFor({ digest: 'SHA-256' })).toBeNull();
  });

  it('dates each row: weak for signatures made from its date on, not before', () => {
    const sha1 = constraintFor({ digest: 'SHA-1' })!;
    expect(isWeakAt(sha1, new Date('2013-12-31T23:59:59Z'))).toBe(false);
    expect(isWeakAt(sha1, new Date(sha1.weakFrom))).toBe(true);
    for (const row of CRYPTO_CONSTRAINTS) expect({ row: row.algorithm, date: Number.isNaN(Date.parse(row.weakFrom)) }).toEqual({ row: row.algorithm, date: false });
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(CRYPTO_CONSTRAINTS)).toBe(true);
    expect(CRYPTO_CONSTRAINTS.every((row) => Object.isFrozen(row))).toBe(true);
  });
});
