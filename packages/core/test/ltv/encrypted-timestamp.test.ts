/**
 * A document timestamp (PAdES B-LTA's archive timestamp, ETSI EN 319 142-1 §5.5) can be the first thing a process
 * does with an AES-encrypted document: the AES library loads on first need (docs/decisions/0036-lazy-aes-library.md),
 * so `documentTimestampIncrement` must load it itself, not rely on an earlier sign or verify. (`extendIncrement`
 * gathers the evidence through verification first, which loads it.)
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, SAMPLE_PASSWORDS, startTsaServer, type TestPki, type TsaServer } from '@kyso/testkit';

let pki: TestPki;
let tsa: TsaServer;
let signed: Uint8Array;

beforeAll(async () => {
  pki = await ensurePki();
  const samples = await ensureSamples();
  tsa = await startTsaServer({ pki, time: new Date('2026-03-01T00:00:00Z') });
  const { sign } = await import('@kyso/core');
  const e = pki.entity('leader');
  signed = await sign(new Uint8Array(readFileSync(samples['encrypted-aes256'])), {
    adapter: await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer),
    signingTime: new Date('2026-03-01T00:00:00Z'),
    password: SAMPLE_PASSWORDS.user,
  });
});

afterAll(async () => {
  await tsa?.close();
});

/** The TSA only: the test PKI's OCSP and CRL addresses are refused at once (the data is then incomplete, and allowed). */
const onlyTsa: typeof fetch = (url, init) =>
  String(url).startsWith(tsa.url) ? fetch(url, init) : Promise.reject(new Error(`no network in this test: ${String(url)}`));

/** @kyso/core in a module graph of its own, in which nothing has loaded the AES library yet. */
async function freshCore() {
  vi.resetModules();
  const core = await import('@kyso/core');
  const encryption = await import('../../src/pdf/encryption/index.js');
  expect(encryption.aesCipherLoaded()).toBe(false);
  return core;
}

describe('timestamping an AES-encrypted document as the first AES work of a process', () => {
  it('documentTimestampIncrement loads the cipher and appends a timestamp that verifies', async () => {
    const core = await freshCore();
    const source = core.memorySource(signed);
    const tail = await core.documentTimestampIncrement(source, { timestamp: { url: tsa.url }, password: SAMPLE_PASSWORDS.user, fetch: onlyTsa });
    const out = new Uint8Array(signed.length + tail.length);
    out.set(signed);
    out.set(tail, signed.length);
    const report = await core.verify(out, { trust: [pki.rootDer], revocation: 'off', password: SAMPLE_PASSWORDS.user });
    expect(report.signatures.map((s) => [s.kind, s.integrity, s.cryptoValid])).toEqual([
      ['signature', 'intact', true],
      ['document-timestamp', 'intact', true],
    ]);
  });
});
