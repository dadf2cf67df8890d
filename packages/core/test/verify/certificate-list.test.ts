/**
 * The certificate list of a signature's facts: each certificate once, by its
 * DER, with facts that depend on those bytes alone. An audit meets the same
 * certificates in every file, so the facts are kept per process by content;
 * every report still gets facts of its own, and a certificate is never given
 * another's facts, whatever array brought it or happens to it afterwards.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, type TestPki } from '@kyso/testkit';
import { CertificateList } from '../../src/verify/certificate-list.js';

let pki: TestPki;
let leader: Uint8Array;

beforeAll(async () => {
  pki = await ensurePki();
  leader = pki.entity('leader').certDer;
});

const sha256Hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const base64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

/** `der` as a view into a larger buffer, at an odd offset (as certificates lie in a CMS). */
function viewOf(der: Uint8Array): { buffer: Uint8Array; view: Uint8Array } {
  const buffer = new Uint8Array(der.length + 20);
  buffer.set(der, 13);
  return { buffer, view: buffer.subarray(13, 13 + der.length) };
}

describe('a certificate list', () => {
  it('lists a certificate once, found by its bytes whatever array holds them', () => {
    const list = new CertificateList();
    const a = list.add(leader);
    const b = list.add(viewOf(leader).view);
    const c = list.add(pki.rootDer);
    expect([a, b, c]).toEqual([0, 0, 1]);
    expect(list.facts.map((f) => f.der)).toEqual([base64(leader), base64(pki.rootDer)]);
  });

  it('describes a certificate by its own bytes: subject, issuer, CA flag and SHA-256', () => {
    const list = new CertificateList();
    list.addAll([leader, pki.rootDer]);
    const [signer, root] = list.facts;
    expect(signer!.sha256).toBe(sha256Hex(leader));
    expect(root!.sha256).toBe(sha256Hex(pki.rootDer));
    expect(root!.isCa).toBe(true);
    expect(signer!.isCa).toBe(false);
    expect(root!.subject).toBe(root!.issuer);
    expect(signer!.subject).not.toBe(signer!.issuer);
  });

  it('gives each report facts of its own, equal to those of any other report', () => {
    const first = new CertificateList();
    const second = new CertificateList();
    first.add(leader);
    second.add(viewOf(leader).view);
    expect(second.facts[0]).toEqual(first.facts[0]);
    expect(second.facts[0]).not.toBe(first.facts[0]);
    // A caller changing one report's lists changes nothing in another's.
    (first.facts[0]!.uids as string[]).push('changed');
    if (first.facts[0]!.keyUsage) (first.facts[0]!.keyUsage as string[]).length = 0;
    const third = new CertificateList();
    third.add(leader);
    expect(third.facts[0]).toEqual(second.facts[0]);
    expect(third.facts[0]!.uids).not.toContain('changed');
  });

  it('never lends a certificate the facts of one differing in a single byte', () => {
    const genuine = new CertificateList();
    genuine.add(leader);
    const altered = leader.slice();
    altered[altered.length - 5]! ^= 0x01; // inside the signature value
    const other = new CertificateList();
    other.add(altered);
    expect(other.facts[0]!.sha256).toBe(sha256Hex(altered));
    expect(other.facts[0]!.der).toBe(base64(altered));
    expect(other.facts[0]!.sha256).not.toBe(genuine.facts[0]!.sha256);
  });

  it('keeps no view into the caller\'s bytes: the same array holding another certificate later is described anew', () => {
    const { buffer, view } = viewOf(leader);
    new CertificateList().add(view);
    // The caller reuses its buffer for another certificate of the same length (here: the leader's bytes, one changed).
    buffer[13 + leader.length - 5]! ^= 0x01;
    const later = new CertificateList();
    later.add(view);
    expect(later.facts[0]!.sha256).toBe(sha256Hex(view));
    const again = new CertificateList();
    again.add(leader);
    expect(again.facts[0]!.sha256).toBe(sha256Hex(leader));
  });
});
