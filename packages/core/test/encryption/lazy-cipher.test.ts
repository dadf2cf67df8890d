/**
 * The AES library (@noble/ciphers) builds its tables when its module loads, so
 * kyso loads it only when a document needs AES (docs/decisions/0036-lazy-aes-library.md).
 * The steps below run in order in one fresh module graph: nothing has loaded it before.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { memorySource, sign, verify, type SigningAdapter } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, SAMPLE_PASSWORDS, type SampleName, type TestPki } from '@kyso/testkit';
import { PdfDocument } from '../../src/pdf/document.js';
import { aesCipherLoaded, withAesCipher } from '../../src/pdf/encryption/index.js';

let pki: TestPki;
let samples: Record<SampleName, string>;
const read = (p: string) => new Uint8Array(readFileSync(p));
const T0 = new Date('2026-03-05T07:30:12Z');

async function leader(): Promise<SigningAdapter> {
  const e = pki.entity('leader');
  return fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
}

beforeAll(async () => {
  pki = await ensurePki();
  samples = await ensureSamples();
});

describe('the AES library loads only for documents that need AES', () => {
  it('signing and verifying an unencrypted file, and an RC4-encrypted one, never load it', async () => {
    const adapter = await leader();
    const plain = await sign(read(samples.simple), { adapter, signingTime: T0 });
    expect((await verify(plain, { trust: [pki.rootDer], revocation: 'off' })).signatures[0]!.cryptoValid).toBe(true);
    const rc4 = await sign(read(samples['encrypted-rc4']), { adapter, signingTime: T0, password: SAMPLE_PASSWORDS.user });
    const report = await verify(rc4, { trust: [pki.rootDer], revocation: 'off', password: SAMPLE_PASSWORDS.user });
    expect(report.signatures.map((s) => [s.integrity, s.cryptoValid])).toEqual([['intact', true]]);
    expect(aesCipherLoaded()).toBe(false);
  });

  it('a synchronous open of an AES document before it is loaded is a typed refusal, not a misread document', () => {
    const aes = memorySource(read(samples['encrypted-aes256']));
    for (const password of [SAMPLE_PASSWORDS.user, undefined]) {
      expect(() => PdfDocument.open(aes, { password })).toThrow(expect.objectContaining({ code: 'ERR_INTERNAL', detail: expect.stringMatching(/AES/) }));
    }
    expect(aesCipherLoaded()).toBe(false);
  });

  it('the async entries load it when the document needs it; the password errors are unchanged', async () => {
    const adapter = await leader();
    const input = read(samples['encrypted-aes256']);
    // The first AES document this process meets, without its password: the file asks for one, as before.
    await expect(sign(input, { adapter, signingTime: T0 })).rejects.toMatchObject({ code: 'ERR_PDF_ENCRYPTED' });
    expect(aesCipherLoaded()).toBe(true);
    await expect(sign(input, { adapter, signingTime: T0, password: 'wrong' })).rejects.toMatchObject({ code: 'ERR_PDF_PASSWORD' });
    const signed = await sign(input, { adapter, signingTime: T0, password: SAMPLE_PASSWORDS.user });
    const report = await verify(signed, { trust: [pki.rootDer], revocation: 'off', password: SAMPLE_PASSWORDS.owner });
    expect(report.signatures.map((s) => [s.integrity, s.cryptoValid, s.chain.status])).toEqual([['intact', true, 'trusted']]);
    // Loaded, a synchronous open reads it.
    expect(PdfDocument.open(memorySource(input), { password: SAMPLE_PASSWORDS.user }).encryption?.params.r).toBe(6);
  });

  it('withAesCipher passes on what an opening throws for another reason, and returns what it returns', async () => {
    await expect(withAesCipher(() => PdfDocument.open(memorySource(new TextEncoder().encode('not a PDF'))))).rejects.toMatchObject({ code: 'ERR_PDF_MALFORMED' });
    await expect(withAesCipher(() => 42)).resolves.toBe(42);
  });
});

describe('no static path to the library', () => {
  const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });

  it('only pdf/encryption/aes-library.ts names @noble/ciphers (type imports aside), and only aes.ts reaches it, with import()', () => {
    const files = walk(SRC).map((p) => ({ path: p.slice(SRC.length), text: readFileSync(p, 'utf8') }));
    const statically = files.filter((f) => /^\s*(?:import|export)(?!\s+type\b)[^;]*?from\s+['"]@noble\/ciphers/m.test(f.text));
    expect(statically.map((f) => f.path)).toEqual(['pdf/encryption/aes-library.ts']);
    expect(files.filter((f) => /\bimport\(\s*['"]@noble\/ciphers/.test(f.text)).map((f) => f.path)).toEqual([]);
    const library = /['"][^'"]*aes-library\.js['"]/;
    const reaching = files.filter((f) => library.test(f.text));
    expect(reaching.map((f) => f.path)).toEqual(['pdf/encryption/aes.ts']);
    expect(reaching[0]!.text).toMatch(/\bimport\(\s*['"]\.\/aes-library\.js['"]\s*\)/);
    expect(reaching[0]!.text).not.toMatch(/^\s*(?:import|export)[^;(]*?from\s+['"]\.\/aes-library\.js/m);
  });
});
