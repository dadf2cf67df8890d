import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sign, verify, type Progress, type SigningAdapter } from '@kyso/core';
import { openFileSource } from '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, writeLargePdf, type TestPki } from '@kyso/testkit';
import { tempDir } from '../helpers/signed-pdf.js';

const SIZE = 40e6; // several read chunks and at least one yield to the event loop
const T0 = new Date('2026-03-05T07:30:12Z');

let pki: TestPki;
let adapter: SigningAdapter;
let large: string;

beforeAll(async () => {
  pki = await ensurePki();
  const e = pki.entity('leader');
  adapter = await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
  large = join(tempDir('progress'), 'large.pdf');
  await writeLargePdf(large, SIZE);
});

/** Events must rise to exactly the total, be few, and stay in one phase. */
function expectWellFormed(events: Progress[], phase: Progress['phase']): void {
  expect(events.length).toBeGreaterThan(2);
  expect(events.length).toBeLessThanOrEqual(102);
  expect(new Set(events.map((e) => e.phase))).toEqual(new Set([phase]));
  for (let i = 1; i < events.length; i++) expect(events[i]!.done).toBeGreaterThan(events[i - 1]!.done);
  const last = events.at(-1)!;
  expect(last.done).toBe(last.total);
}

describe('progress', () => {
  it('signing reports hashing progress up to every covered byte of the output', async () => {
    const events: Progress[] = [];
    const source = openFileSource(large);
    try {
      const signed = await sign(source, { adapter, signingTime: T0, onProgress: (p) => events.push(p) });
      expectWellFormed(events, 'hash');
      const contentsHex = /\/Contents <([0-9a-fA-F]*)>/.exec(Buffer.from(signed.subarray(source.length)).toString('latin1'))![1]!;
      // ISO 32000-2 §12.8.1: everything but the /Contents hex string (and its delimiters) is covered.
      expect(events.at(-1)!.total).toBe(signed.length - contentsHex.length - 2);
    } finally {
      source.close();
    }
  });

  it('verification reports the bytes of every signature’s ranges', async () => {
    const bytes = new Uint8Array(readFileSync(large));
    const once = await sign(bytes, { adapter, signingTime: T0 });
    const twice = await sign(once, { adapter, signingTime: T0 });
    const events: Progress[] = [];
    await verify(twice, { trust: [pki.rootDer], revocation: 'off', onProgress: (p) => events.push(p) });
    expectWellFormed(events, 'verify');
    // Two signatures, each counted over its own /ByteRange (ISO 32000-2 §12.8.1).
    const ranges = [...Buffer.from(twice).toString('latin1').matchAll(/\/ByteRange \[(\d+) (\d+) (\d+) (\d+)/g)];
    expect(ranges).toHaveLength(2);
    const covered = ranges.reduce((t, m) => t + Number(m[2]) + Number(m[4]), 0);
    expect(events.at(-1)!.total).toBe(covered);
  });

  it('a listener that throws does not fail the signature', async () => {
    const signed = await sign(new Uint8Array(readFileSync(large)), {
      adapter, signingTime: T0, onProgress: () => {
        throw new Error('a bug in the page');
      },
    });
    expect(signed.length).toBeGreaterThan(SIZE);
  });
});

describe('abort', () => {
  it('signing stops mid-hash with ERR_ABORTED and the adapter is never asked to sign', async () => {
    const controller = new AbortController();
    let asked = 0;
    const counting: SigningAdapter = { ...adapter, name: adapter.name, listCertificates: (s) => adapter.listCertificates(s), capabilities: () => adapter.capabilities(), sign: (r) => (asked++, adapter.sign(r)) };
    const source = openFileSource(large);
    try {
      const pending = sign(source, {
        adapter: counting, signingTime: T0, signal: controller.signal,
        onProgress: (p) => p.done > 0 && p.done < p.total && controller.abort(),
      });
      await expect(pending).rejects.toMatchObject({ code: 'ERR_ABORTED' });
      expect(asked).toBe(0);
    } finally {
      source.close();
    }
  });

  it('verification stops mid-hash with ERR_ABORTED', async () => {
    const signed = await sign(new Uint8Array(readFileSync(large)), { adapter, signingTime: T0 });
    const controller = new AbortController();
    const pending = verify(signed, {
      trust: [pki.rootDer], revocation: 'off', signal: controller.signal,
      onProgress: (p) => p.done > 0 && p.done < p.total && controller.abort(),
    });
    await expect(pending).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });
});
