import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensurePki, ensureSamples, generatePki, generateSamples, PROFILES, SAMPLE_NAMES } from '../src/index.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('fixture determinism', () => {
  it('regenerates byte-identical certificates, keys and CRLs', async () => {
    const cached = await ensurePki();
    const dir = await mkdtemp(join(tmpdir(), 'kyso-pki-'));
    dirs.push(dir);
    const fresh = await generatePki(join(dir, 'pki'));
    for (const p of PROFILES) {
      expect(Buffer.from(fresh.entity(p.name).certDer).equals(Buffer.from(cached.entity(p.name).certDer)), p.name).toBe(true);
      expect(fresh.entity(p.name).keyPem).toBe(cached.entity(p.name).keyPem);
    }
    expect(Buffer.from(fresh.crlDer).equals(Buffer.from(cached.crlDer))).toBe(true);
    expect(Buffer.from(fresh.rootCrlDer).equals(Buffer.from(cached.rootCrlDer))).toBe(true);
  }, 180_000);

  // qpdf draws a fresh AES-256 file key (/UE, /OE, /Perms) every time; --static-id does not pin it.
  it('regenerates byte-identical sample PDFs, except the AES-256 encrypted one', async () => {
    const cached = await ensureSamples();
    const dir = await mkdtemp(join(tmpdir(), 'kyso-samples-'));
    dirs.push(dir);
    await generateSamples(dir);
    for (const n of SAMPLE_NAMES.filter((x) => x !== 'encrypted-aes256')) {
      const a = await readFile(cached[n]);
      const b = await readFile(join(dir, `${n}.pdf`));
      expect(a.equals(b), n).toBe(true);
    }
  }, 60_000);
});
