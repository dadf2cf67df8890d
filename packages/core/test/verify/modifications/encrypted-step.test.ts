/**
 * The step rules (analyseAppendedRevisions) on an AES-encrypted document can be the first AES work of a process: the
 * AES library loads on first need (docs/decisions/0036-lazy-aes-library.md), so the analysis loads it itself rather
 * than taking the document for an unreadable one.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, SAMPLE_PASSWORDS } from '@kyso/testkit';

let input: Uint8Array;
let signed: Uint8Array;

beforeAll(async () => {
  const pki = await ensurePki();
  const samples = await ensureSamples();
  const { sign } = await import('@kyso/core');
  const e = pki.entity('leader');
  input = new Uint8Array(readFileSync(samples['encrypted-aes256']));
  signed = await sign(input, {
    adapter: await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer),
    signingTime: new Date('2026-03-05T07:31:00Z'),
    password: SAMPLE_PASSWORDS.user,
  });
});

/** @kyso/core in a module graph of its own, in which nothing has loaded the AES library yet. */
async function freshCore() {
  vi.resetModules();
  const core = await import('@kyso/core');
  const encryption = await import('../../../src/pdf/encryption/index.js');
  expect(encryption.aesCipherLoaded()).toBe(false);
  return { core, encryption };
}

describe('the step rules on an AES-encrypted document, as the first AES work of a process', () => {
  it('a signature appended with the password: allowed, as for a plain document; the library is loaded', async () => {
    const { core, encryption } = await freshCore();
    const step = await core.analyseAppendedRevisions(signed, input.length, { password: SAMPLE_PASSWORDS.user });
    expect(step.verdict).toBe('allowed');
    expect(step.signatures).toEqual([expect.objectContaining({ kind: 'signature' })]);
    expect(encryption.aesCipherLoaded()).toBe(true);
  });
});
