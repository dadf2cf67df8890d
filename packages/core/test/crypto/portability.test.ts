import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as crypto from '../../src/crypto/index.js';

const dir = fileURLToPath(new URL('../../src/crypto/', import.meta.url));

describe('crypto layer portability (Node and Web Worker)', () => {
  it('imports node:* only in hash-engine-node.ts', () => {
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const text = readFileSync(dir + name, 'utf8');
      expect({ name, importsNode: /from\s+['"]node:/.test(text) }).toEqual({ name, importsNode: name === 'hash-engine-node.ts' });
    }
  });

  it('exposes the public pieces from the barrel', () => {
    for (const fn of [
      'digest', 'createHashEngine', 'buildSignedAttributes', 'assembleSignedData', 'estimateSignedDataSize', 'ecdsaRawToDer',
      'isStrictDerEcdsaSignature', 'normalizeEcdsaSignature', 'parseCertificate', 'defaultSignatureAlgorithm', 'importPublicKey',
      'verifySignatureValue', 'requestTimestamp', 'parseTimestampToken', 'verifyTimestampToken',
    ] as const) {
      expect(typeof crypto[fn]).toBe('function');
    }
  });
});
