/**
 * The per-process caches of certificate work (decodings, path-validation views, link signature checks) that
 * let an audit decode and check the same certificates once rather than once per file: found by content, never
 * by the array that brought them; owning the bytes they keep; and never lending one certificate's outcome to
 * another.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, fromPem, type TestPki } from '@kyso/testkit';
import { buildChain } from '../../../src/verify/chain/index.js';
import { viewCertificate } from '../../../src/verify/chain/certificate-view.js';
import { trustFromCertificates, type TrustStore } from '../../../src/verify/trust/index.js';

const AT = new Date('2026-06-01T00:00:00Z');
let pki: TestPki;
let intermediate: Uint8Array;
let trust: TrustStore;

beforeAll(async () => {
  pki = await ensurePki();
  intermediate = fromPem(readFileSync(pki.intermediatePath, 'utf8'), 'CERTIFICATE');
  trust = trustFromCertificates([pki.rootDer], 'test-root');
});

/** `parts` laid end to end in one buffer (as certificates lie in a PDF), each returned as a view into it. */
function inOneBuffer(...parts: Uint8Array[]): { buffer: ArrayBuffer; views: Uint8Array[] } {
  const buffer = new ArrayBuffer(parts.reduce((n, p) => n + p.length + 7, 0));
  let at = 7;
  const views = parts.map((p) => {
    const v = new Uint8Array(buffer, at, p.length);
    v.set(p);
    at += p.length + 7;
    return v;
  });
  return { buffer, views };
}

describe('certificate caches', () => {
  it('find a certificate by its bytes, whatever array holds them', () => {
    const leader = pki.entity('leader').certDer;
    expect(viewCertificate(leader.slice())).toBe(viewCertificate(leader.slice()));
    expect(viewCertificate(leader)).not.toBe(viewCertificate(intermediate));
  });

  it('keep their own copy: a chain built from views into a document survives that document being detached', async () => {
    // A certificate no other test of this file meets, so that the caches meet it first as a view into the buffer.
    const leader = pki.entity('rsa3072').certDer;
    const { buffer, views } = inOneBuffer(leader, intermediate);
    const first = await buildChain(views[0]!, [views[1]!], trust, AT);
    for (const c of first.certificates) expect(c.buffer).not.toBe(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    expect(buffer.byteLength).toBe(0); // detached
    const again = await buildChain(leader.slice(), [intermediate.slice()], trust, AT);
    expect(again.chain).toEqual(first.chain);
    expect(again.chain.status).toBe('trusted');
    expect(again.certificates.map((c) => Buffer.from(c).toString('hex'))).toEqual([leader, intermediate, pki.rootDer].map((c) => Buffer.from(c).toString('hex')));
  });

  it('never lend a checked link to a certificate that differs in any byte of its signature', async () => {
    const leader = pki.entity('leader').certDer;
    expect((await buildChain(leader, [intermediate], trust, AT)).chain.status).toBe('trusted');
    const forged = leader.slice();
    forged[forged.length - 5] ^= 0x01; // inside the signature value
    const chain = (await buildChain(forged, [intermediate], trust, AT)).chain;
    expect(chain.status).toBe('unknown');
    expect(chain.problems).toContainEqual({ kind: 'signature', cert: 0 });
    // And the genuine certificate is still trusted afterwards: the forged outcome is not lent back either.
    expect((await buildChain(leader.slice(), [intermediate.slice()], trust, AT)).chain.status).toBe('trusted');
  });
});
