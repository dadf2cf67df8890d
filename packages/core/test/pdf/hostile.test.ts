import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KysoError, prepare } from '@kyso/core';
import { signFile } from '@kyso/core/node';
import { parseBothWays } from '../helpers/parse-both-ways.js';
import { HOSTILE_PDF_CASES as CASES } from './hostile-cases.js';

let certificate: Uint8Array;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kyso-hostile-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'),
    '-subj', '/CN=Hostile Test', '-days', '3650', '-outform', 'DER'], { stdio: 'ignore' });
  certificate = new Uint8Array(readFileSync(join(dir, 'c.pem')));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('hostile inputs: every one is refused with a documented code, in bounded time, with no output file', () => {
  it.each(CASES)('%s', async (_name, make, expected) => {
    const pdf = make();
    const started = performance.now();
    let error: unknown;
    try {
      await prepare(pdf, { certificate, signingTime: new Date('2026-01-01T00:00:00Z') });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KysoError);
    const code = (error as KysoError).code;
    if (expected === 'TRUNCATED_OR_MALFORMED') expect(['ERR_PDF_TRUNCATED', 'ERR_PDF_MALFORMED']).toContain(code);
    else expect(code).toBe(expected);
    // Bounded: a hostile file is refused quickly (generous bound against a hang, not a benchmark).
    expect(performance.now() - started).toBeLessThan(20_000);

    const input = join(dir, 'in.pdf');
    const output = join(dir, `out-${Math.random().toString(36).slice(2)}.pdf`);
    writeFileSync(input, pdf);
    await expect(signFile(input, output, { adapter: neverSigns() })).rejects.toBeInstanceOf(KysoError);
    expect(existsSync(output)).toBe(false);
  });
});

describe('hostile inputs: the parser\'s fast paths read them exactly as its byte-by-byte paths do', () => {
  it.each(CASES)('%s', (_name, make) => {
    // Same object, or the same error code and message at the same offset, for every object in the file.
    expect(parseBothWays(make()).differences).toEqual([]);
  });
});

function neverSigns() {
  return {
    name: 'never',
    capabilities: () => ({ schemes: ['RSASSA-PKCS1-v1_5'] as const, hashes: ['SHA-256'] as const }),
    listCertificates: async () => [{ id: 'c', certificate, chain: [] }],
    sign: async (): Promise<Uint8Array> => {
      throw new Error('a hostile file must be refused before any signing');
    },
  };
}
