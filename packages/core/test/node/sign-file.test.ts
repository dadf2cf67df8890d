import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KysoError, type SigningAdapter } from '@kyso/core';
import { signFile } from '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensureLargeSample, ensurePki, ensureSamples, type SampleName, type TestPki } from '@kyso/testkit';
import { pdfsig, qpdfCheck, tempDir } from '../helpers/signed-pdf.js';

let pki: TestPki;
let samples: Record<SampleName, string>;
let leader: SigningAdapter;
let dir: string;

const sha256 = (path: string, length?: number) => {
  const h = createHash('sha256');
  const b = readFileSync(path);
  h.update(length === undefined ? b : b.subarray(0, length));
  return h.digest('hex');
};

beforeAll(async () => {
  pki = await ensurePki();
  samples = await ensureSamples();
  dir = tempDir('kyso-file-');
  const e = pki.entity('leader');
  leader = await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
});

describe('signFile (Node): files are signed without loading them, and written atomically', () => {
  it('signs a file over 10^8 bytes: ByteRange offsets of nine and more digits stay right', async () => {
    const input = await ensureLargeSample(110 * 1024 * 1024);
    const output = join(dir, 'large.signed.pdf');
    await signFile(input, output, { adapter: leader });
    const inSize = statSync(input).size;
    expect(sha256(output, inSize)).toBe(sha256(input));
    const sig = pdfsig(output, pki.nssDir);
    expect(sig.valid, sig.output).toBe(1);
    expect(sig.wholeDocument).toBe(1);
    const br = /\/ByteRange \[0 (\d+) (\d+) (\d+)/.exec(readFileSync(output).subarray(inSize).toString('latin1'))!;
    expect(br[1]!.length).toBeGreaterThanOrEqual(9);
  }, 120_000);

  it('may sign a file in place', async () => {
    const path = join(dir, 'inplace.pdf');
    copyFileSync(samples.simple, path);
    const before = sha256(path);
    const size = statSync(path).size;
    await signFile(path, path, { adapter: leader });
    expect(sha256(path, size)).toBe(before);
    expect(pdfsig(path, pki.nssDir).valid).toBe(1);
    expect(qpdfCheck(path).ok).toBe(true);
  });

  it('a failure leaves no output and no temporary file behind', async () => {
    const out = join(dir, 'missing-dir', 'out.pdf');
    await expect(signFile(samples.simple, out, { adapter: leader })).rejects.toMatchObject({ code: 'ERR_IO' });
    const failing: SigningAdapter = { ...leader, name: 'failing', listCertificates: leader.listCertificates.bind(leader), capabilities: leader.capabilities.bind(leader),
      sign: async () => { throw new KysoError('ERR_KEY_PASSWORD'); } };
    const out2 = join(dir, 'never.pdf');
    await expect(signFile(samples.simple, out2, { adapter: failing })).rejects.toMatchObject({ code: 'ERR_KEY_PASSWORD' });
    expect(existsSync(out2)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a missing input is ERR_IO', async () => {
    await expect(signFile(join(dir, 'nope.pdf'), join(dir, 'x.pdf'), { adapter: leader })).rejects.toMatchObject({ code: 'ERR_IO' });
  });
});
