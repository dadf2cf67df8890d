import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign, trustFromCertificates, verify } from '@kyso/core';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensureLargeSample, ensurePki, ensureSamples, type TestPki } from '@kyso/testkit';
import { rowOf } from '../../src/audit/model.js';
import { createFileVerifier } from '../../src/audit/verify-file.js';
import { tempDir } from '../helpers/cli.js';

// kyso audit reads a file of up to 1 MiB whole and verifies it over memory, a larger one from the file as it
// streams: either way a row is the row of verify() over the file's bytes.
const AT = new Date('2026-07-01T00:00:00Z');
const tmp = tempDir();
afterAll(() => tmp.remove());
let pki: TestPki;
let small: string;
let large: string;

beforeAll(async () => {
  pki = await ensurePki();
  const e = pki.entity('leader');
  const adapter = await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
  const samples = await ensureSamples();
  small = join(tmp.dir, 'small.pdf');
  writeFileSync(small, await sign(new Uint8Array(readFileSync(samples.simple)), { adapter }));
  large = join(tmp.dir, 'large.pdf');
  writeFileSync(large, await sign(new Uint8Array(readFileSync(await ensureLargeSample(3_000_000))), { adapter }));
});

describe('the per-file verification of kyso audit', () => {
  it('gives a small file (read whole) and a 3 MB file (streamed) the rows of verify() over their bytes', async () => {
    const audit = createFileVerifier({ trust: [pki.rootDer], revocation: 'embedded', at: AT.toISOString() });
    for (const [path, file] of [['small.pdf', small], ['large.pdf', large]] as const) {
      const plain = rowOf(path, await verify(new Uint8Array(readFileSync(file)), {
        trust: [trustFromCertificates([pki.rootDer])], revocation: 'embedded', at: AT, file: path,
      }));
      expect(await audit(file, path)).toEqual(plain);
      expect(plain.signed).toBe(true);
    }
    expect(readFileSync(large).length).toBeGreaterThan(1024 * 1024);
  });

  it('gives a file it cannot open ERR_IO', async () => {
    const audit = createFileVerifier({ trust: [], revocation: 'off', at: AT.toISOString() });
    expect(await audit(join(tmp.dir, 'missing.pdf'), 'missing.pdf')).toMatchObject({ path: 'missing.pdf', error: 'ERR_IO', signed: false });
  });
});
