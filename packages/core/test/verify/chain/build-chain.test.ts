import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, fromPem, PKI_URLS, type TestPki } from '@kyso/testkit';
import type { FetchLike } from '../../../src/sign/options.js';
import { buildChain, readIssuerBundle, verifyIssuedSignature } from '../../../src/verify/chain/index.js';
import { mergeTrust, trustFromCertificates, type TrustStore } from '../../../src/verify/trust/index.js';
import { KysoError } from '../../../src/errors/index.js';
import { issueTestCertificate } from './issue.js';

/** Fixed validation time: inside every test-PKI validity period except `expired` and `notyet`. */
const AT = new Date('2026-06-01T00:00:00Z');

let pki: TestPki;
let intermediateDer: Uint8Array;
let trust: TrustStore;

beforeAll(async () => {
  pki = await ensurePki();
  intermediateDer = fromPem(readFileSync(pki.intermediatePath, 'utf8'), 'CERTIFICATE');
  trust = trustFromCertificates([pki.rootDer], 'test-root');
});

const der = (name: Parameters<TestPki['entity']>[0]): Uint8Array => pki.entity(name).certDer;

/** A fetch that serves the intermediate at the leaves' caIssuers URL and counts calls. */
function fakeFetch(body: () => Uint8Array, calls: string[] = []): FetchLike {
  return async (url) => {
    calls.push(url);
    if (url !== PKI_URLS.intermediateCert) return { ok: false, status: 404, headers: { get: () => null }, arrayBuffer: async () => new ArrayBuffer(0) };
    const bytes = body();
    return { ok: true, status: 200, headers: { get: () => String(bytes.length) }, arrayBuffer: async () => new Uint8Array(bytes).buffer };
  };
}

describe('buildChain on the test PKI', () => {
  it('trusts leader → intermediate → root with the root as a custom anchor', async () => {
    const { chain, certificates } = await buildChain(der('leader'), [intermediateDer], trust, AT);
    expect(chain).toEqual({
      status: 'trusted',
      path: [0, 1, 2],
      anchor: { subject: 'CN=TEST RootCA chuyên dùng Chính phủ kyso,O=Ban Cơ yếu Chính phủ (TEST),C=VN', source: 'test-root' },
      problems: [],
      notes: [],
    });
    expect(certificates).toEqual([der('leader'), intermediateDer, pki.rootDer]);
  });

  it('finds the path whatever the pool order, ignoring unrelated and malformed certificates', async () => {
    const pool = [pki.entity('seal').certDer, new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), der('untrusted-root'), intermediateDer];
    const { chain, certificates } = await buildChain(der('p256'), pool, trust, AT);
    expect(chain.status).toBe('trusted');
    expect(chain.path).toEqual([0, 1, 2]);
    expect(chain.notes).toEqual([{ kind: 'malformed-certificate', source: 'pool', index: 1 }]);
    // The path first, then the other readable pool certificates.
    expect(certificates.slice(0, 3)).toEqual([der('p256'), intermediateDer, pki.rootDer]);
    expect(certificates.slice(3)).toEqual([pki.entity('seal').certDer, der('untrusted-root')]);
  });

  it('reports "unknown" when the intermediate is missing and nothing may be fetched', async () => {
    const { chain, certificates } = await buildChain(der('leader'), [], trust, AT);
    expect(chain).toEqual({ status: 'unknown', path: [0], anchor: null, problems: [], notes: [{ kind: 'issuer-not-found', cert: 0 }] });
    expect(certificates).toEqual([der('leader')]);
  });

  it('fetches the missing intermediate from the caIssuers URL through the injected fetch', async () => {
    const calls: string[] = [];
    const { chain, certificates } = await buildChain(der('leader'), [], trust, AT, { fetch: fakeFetch(() => intermediateDer, calls) });
    expect(calls).toEqual([PKI_URLS.intermediateCert]);
    expect(chain.status).toBe('trusted');
    expect(chain.path).toEqual([0, 1, 2]);
    expect(chain.notes).toEqual([{ kind: 'aia-fetched', url: PKI_URLS.intermediateCert }]);
    expect(certificates).toEqual([der('leader'), intermediateDer, pki.rootDer]);
  });

  it('reads a PKCS#7 certs-only answer and a PEM answer from caIssuers', async () => {
    const signed = new pkijs.SignedData({
      version: 1,
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1' }),
      certificates: [pkijs.Certificate.fromBER(new Uint8Array(intermediateDer).buffer)],
    });
    const p7 = new Uint8Array(new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: signed.toSchema() }).toSchema().toBER(false));
    expect(readIssuerBundle(p7)).toEqual([intermediateDer]);
    const pem = new TextEncoder().encode(readFileSync(pki.intermediatePath, 'utf8'));
    for (const body of [p7, pem]) {
      const { chain } = await buildChain(der('leader'), [], trust, AT, { fetch: fakeFetch(() => body) });
      expect(chain.status).toBe('trusted');
    }
    expect(readIssuerBundle(new Uint8Array([1, 2, 3]))).toEqual([]);
  });

  it('turns a failed, refused, garbage or slow download into no candidate with an aia-failed note', async () => {
    const failures: FetchLike[] = [
      async () => { throw new Error('ECONNREFUSED'); },
      async () => ({ ok: false, status: 500, headers: { get: () => null }, arrayBuffer: async () => new ArrayBuffer(0) }),
      fakeFetch(() => new TextEncoder().encode('<html>not a certificate</html>')),
      () => new Promise(() => undefined), // never answers, ignores its signal
    ];
    for (const fetch of failures) {
      const { chain } = await buildChain(der('leader'), [], trust, AT, { fetch, timeoutMs: 50 });
      expect(chain).toEqual({
        status: 'unknown', path: [0], anchor: null, problems: [],
        notes: [{ kind: 'issuer-not-found', cert: 0 }, { kind: 'aia-failed', url: PKI_URLS.intermediateCert }],
      });
    }
  });

  it('fetches from a real HTTP server on 127.0.0.1', async () => {
    const server: Server = createServer((req, res) => {
      if (req.url === '/ca/intermediate.cer') {
        res.writeHead(200, { 'Content-Type': 'application/pkix-cert', 'Content-Length': intermediateDer.length });
        res.end(Buffer.from(intermediateDer));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      // The leaf names pki.kyso.test; route it to the local server.
      const fetch: FetchLike = (url, init) => globalThis.fetch(url.replace('http://pki.kyso.test', `http://127.0.0.1:${port}`), init as RequestInit);
      const { chain } = await buildChain(der('seal'), [], trust, AT, { fetch, timeoutMs: 5_000 });
      expect(chain.status).toBe('trusted');
      expect(chain.path).toEqual([0, 1, 2]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('reports validity-period problems at the validation time, keeping the trusted path', async () => {
    const expired = await buildChain(der('expired'), [intermediateDer], trust, AT);
    expect(expired.chain.status).toBe('trusted');
    expect(expired.chain.problems).toEqual([{ kind: 'expired', cert: 0, at: AT.toISOString() }]);
    const notYet = await buildChain(der('notyet'), [intermediateDer], trust, AT);
    expect(notYet.chain.problems).toEqual([{ kind: 'not-yet-valid', cert: 0, at: AT.toISOString() }]);
    // At a time inside its validity the same certificate has no problem; before the CAs existed, every certificate has one.
    const early = '2020-06-01T00:00:00.000Z';
    expect((await buildChain(der('expired'), [intermediateDer], trust, new Date(early))).chain.problems)
      .toEqual([{ kind: 'not-yet-valid', cert: 1, at: early }, { kind: 'not-yet-valid', cert: 2, at: early }]);
  });

  it('reports a signer without a signing key usage', async () => {
    const { chain } = await buildChain(der('nokeyusage'), [intermediateDer], trust, AT);
    expect(chain.status).toBe('trusted');
    expect(chain.problems).toEqual([{ kind: 'key-usage', cert: 0 }]);
  });

  it('reports "untrusted" for a path ending at a self-signed root that is not an anchor', async () => {
    const { chain } = await buildChain(der('untrusted'), [der('untrusted-root')], trust, AT);
    expect(chain).toEqual({ status: 'untrusted', path: [0, 1], anchor: null, problems: [], notes: [{ kind: 'self-signed-not-anchor', cert: 1 }] });
    // Without its root in the pool the issuer is simply not found.
    expect((await buildChain(der('untrusted'), [], trust, AT)).chain.status).toBe('unknown');
  });

  it('checks the TSA purpose: critical timeStamping only', async () => {
    const tsa = await buildChain(der('tsa'), [intermediateDer], trust, AT, { purpose: 'timestamping' });
    expect(tsa.chain.status).toBe('trusted');
    expect(tsa.chain.problems).toEqual([]);
    const leader = await buildChain(der('leader'), [intermediateDer], trust, AT, { purpose: 'timestamping' });
    expect(leader.chain.problems).toEqual([{ kind: 'ext-key-usage', cert: 0, purpose: 'timestamping' }]);
  });

  it('checks the OCSP-signing purpose', async () => {
    expect((await buildChain(der('ocsp'), [intermediateDer], trust, AT, { purpose: 'ocsp-signing' })).chain.problems).toEqual([]);
    expect((await buildChain(der('leader'), [intermediateDer], trust, AT, { purpose: 'ocsp-signing' })).chain.problems).toEqual([{ kind: 'ext-key-usage', cert: 0, purpose: 'ocsp-signing' }]);
  });

  it('trusts an anchor given as the signer itself or as an intermediate', async () => {
    const selfAnchor = await buildChain(pki.rootDer, [], trust, AT);
    // The root may sign certificates, not documents.
    expect(selfAnchor.chain).toMatchObject({ status: 'trusted', path: [0], problems: [{ kind: 'key-usage', cert: 0 }] });
    const intermediateAnchor = trustFromCertificates([intermediateDer], 'ministry');
    const { chain } = await buildChain(der('leader'), [], intermediateAnchor, AT);
    expect(chain.status).toBe('trusted');
    expect(chain.path).toEqual([0, 1]);
    expect(chain.anchor).toEqual({ subject: 'CN=TEST CA phục vụ các cơ quan Nhà nước kyso,O=Ban Cơ yếu Chính phủ (TEST),C=VN', source: 'ministry' });
  });

  it('uses store intermediates and names the anchor source after a merge', async () => {
    const store = mergeTrust(
      trustFromCertificates([der('untrusted-root')], 'other'),
      { ...trustFromCertificates([pki.rootDer], 'gov-test'), intermediates: [intermediateDer] },
    );
    const { chain } = await buildChain(der('seal'), [], store, AT);
    expect(chain.status).toBe('trusted');
    expect(chain.anchor?.source).toBe('gov-test');
    expect(store.name).toBe('other+gov-test');
  });

  it('reports an issuer that is not a CA, and a pathLen the path exceeds', async () => {
    // A certificate "issued" by the leader, an end entity (basicConstraints cA false, no keyCertSign).
    const child = issueTestCertificate({ issuer: pki.entity('leader'), keyOf: pki.entity('seal'), cn: 'child of a leaf', ca: false, keyUsage: ['digitalSignature'] });
    const { chain } = await buildChain(child, [der('leader'), intermediateDer], trust, AT);
    expect(chain.status).toBe('trusted');
    expect(chain.path).toEqual([0, 1, 2, 3]);
    // The leader is not a CA, lacks keyCertSign, and counts against the intermediate's pathLen 0.
    expect(chain.problems).toEqual([
      { kind: 'ca-constraint', cert: 1, reason: 'not-ca' }, { kind: 'key-usage', cert: 1 }, { kind: 'ca-constraint', cert: 2, reason: 'path-length' },
    ]);
    // The intermediate says pathLen 0: a sub-CA under it breaks that, even though the sub-CA itself is fine.
    const subCa = issueTestCertificate({ issuer: pki.entity('intermediate'), keyOf: pki.entity('rsa3072'), cn: 'TEST sub-CA', ca: true, keyUsage: ['keyCertSign', 'cRLSign'] });
    const leaf = issueTestCertificate({ issuer: { ...pki.entity('rsa3072'), certDer: subCa }, keyOf: pki.entity('seal'), cn: 'leaf under sub-CA', ca: false, keyUsage: ['nonRepudiation'] });
    const deep = await buildChain(leaf, [subCa, intermediateDer], trust, AT);
    expect(deep.chain.path).toEqual([0, 1, 2, 3]);
    expect(deep.chain.problems).toEqual([{ kind: 'ca-constraint', cert: 2, reason: 'path-length' }]);
  });

  it('verifies RSA-PSS, ECDSA and SHA-1 links; SHA-1 is a problem unless the store accepts it for its own CAs', async () => {
    const pss = issueTestCertificate({ issuer: pki.entity('intermediate'), keyOf: pki.entity('seal'), cn: 'PSS-signed', ca: false, signature: 'rsa-pss-sha256' });
    expect((await buildChain(pss, [intermediateDer], trust, AT)).chain).toMatchObject({ status: 'trusted', problems: [] });
    // p256 as an (improper) issuer: the ECDSA link verifies, the CA problems are reported.
    const ec = issueTestCertificate({ issuer: pki.entity('p256'), keyOf: pki.entity('seal'), cn: 'ECDSA-signed', ca: false, signature: 'ecdsa-sha256' });
    expect((await buildChain(ec, [der('p256'), intermediateDer], trust, AT)).chain).toMatchObject({ status: 'trusted', path: [0, 1, 2, 3], problems: [
      { kind: 'ca-constraint', cert: 1, reason: 'not-ca' }, { kind: 'key-usage', cert: 1 }, { kind: 'ca-constraint', cert: 2, reason: 'path-length' },
    ] });
    // A SHA-1-signed sub-CA (pathLen of the intermediate exceeded too), in the pool of a store that does not accept SHA-1.
    const sha1Ca = issueTestCertificate({ issuer: pki.entity('intermediate'), keyOf: pki.entity('rsa3072'), cn: 'SHA-1 sub-CA', ca: true, signature: 'rsa-sha1', keyUsage: ['keyCertSign'] });
    const leaf = issueTestCertificate({ issuer: { ...pki.entity('rsa3072'), certDer: sha1Ca }, keyOf: pki.entity('seal'), cn: 'under SHA-1 CA', ca: false });
    const strict = await buildChain(leaf, [sha1Ca, intermediateDer], trust, AT);
    expect(strict.chain.problems).toEqual([{ kind: 'sha1-link', cert: 1 }, { kind: 'ca-constraint', cert: 2, reason: 'path-length' }]);
    // Accepted when the store bundles that CA and allows SHA-1 CA links: a note, not a problem.
    const lenient = { ...trust, intermediates: [sha1Ca, intermediateDer], allowSha1CaLinks: true };
    const accepted = await buildChain(leaf, [], lenient, AT);
    expect(accepted.chain.problems).toEqual([{ kind: 'ca-constraint', cert: 2, reason: 'path-length' }]);
    expect(accepted.chain.notes).toEqual([{ kind: 'sha1-ca-link-accepted', cert: 1, store: trust.name }]);
    // Never for an end-entity certificate.
    const sha1Leaf = issueTestCertificate({ issuer: pki.entity('intermediate'), keyOf: pki.entity('seal'), cn: 'SHA-1 leaf', ca: false, signature: 'rsa-sha1' });
    const leafResult = await buildChain(sha1Leaf, [], { ...lenient, intermediates: [intermediateDer] }, AT);
    expect(leafResult.chain.problems).toEqual([{ kind: 'sha1-link', cert: 0 }]);
  });

  it('rejects a certificate whose signature does not verify, and reports unknown critical extensions', async () => {
    const forged = der('leader').slice();
    forged[forged.length - 5] ^= 0x01; // inside the signature value
    const { chain } = await buildChain(forged, [intermediateDer], trust, AT);
    expect(chain).toEqual({ status: 'unknown', path: [0], anchor: null, problems: [{ kind: 'signature', cert: 0 }], notes: [] });
    const odd = issueTestCertificate({ issuer: pki.entity('intermediate'), keyOf: pki.entity('seal'), cn: 'odd', ca: false, unknownCritical: '1.2.3.4.5' });
    expect((await buildChain(odd, [intermediateDer], trust, AT)).chain.problems).toEqual([{ kind: 'critical-extension', cert: 0 }]);
    const mismatch = issueTestCertificate({ issuer: pki.entity('intermediate'), keyOf: pki.entity('seal'), cn: 'mismatch', ca: false, innerSignature: 'rsa-sha1' });
    expect((await buildChain(mismatch, [intermediateDer], trust, AT)).chain.problems).toEqual([{ kind: 'signature-algorithm-mismatch', cert: 0 }]);
    // Both on one certificate: ordered by certificate, then kind as the old 'kind:cert' codes sorted (reports keep their text).
    const forgedMismatch = mismatch.slice();
    forgedMismatch[forgedMismatch.length - 5] ^= 0x01;
    expect((await buildChain(forgedMismatch, [intermediateDer], trust, AT)).chain.problems)
      .toEqual([{ kind: 'signature-algorithm-mismatch', cert: 0 }, { kind: 'signature', cert: 0 }]);
  });

  it('stays bounded and finds the real issuer among many same-name impostors', async () => {
    const impostors = Array.from({ length: 40 }, (_, n) => issueTestCertificate({
      issuer: { ...pki.entity('untrusted-root'), certDer: intermediateDer }, keyOf: pki.entity('untrusted-root'),
      subjectOf: intermediateDer, cn: '', ca: true, serial: 1000 + n,
    }));
    const { chain, certificates } = await buildChain(der('leader'), [...impostors, intermediateDer], trust, AT);
    expect(chain.status).toBe('trusted');
    expect(certificates).toHaveLength(3 + impostors.length);
    // Only impostors: at most 8 candidates are tried, and the failure is named.
    const alone = await buildChain(der('offline'), impostors, trust, AT);
    expect(alone.chain).toMatchObject({ status: 'unknown', problems: [{ kind: 'signature', cert: 0 }] });
  });

  it('prefers a path to an anchor over a shorter one to a self-signed root of the same name', async () => {
    // A self-signed twin of the intermediate (same name, same key): the leader's signature verifies under both.
    const twin = issueTestCertificate({ issuer: pki.entity('intermediate'), keyOf: pki.entity('intermediate'), subjectOf: intermediateDer, cn: '', ca: true, keyUsage: ['keyCertSign'] });
    expect((await buildChain(der('leader'), [twin], trust, AT)).chain).toMatchObject({ status: 'untrusted', path: [0, 1] });
    const { chain, certificates } = await buildChain(der('leader'), [twin, intermediateDer], trust, AT);
    expect(chain.status).toBe('trusted');
    expect(chain.path).toEqual([0, 1, 2]);
    expect(certificates[1]).toEqual(intermediateDer);
    // An impostor with the intermediate's name but another key never links.
    const impostor = issueTestCertificate({ issuer: { ...pki.entity('untrusted-root'), certDer: intermediateDer }, keyOf: pki.entity('untrusted-root'), subjectOf: intermediateDer, cn: '', ca: true });
    expect((await buildChain(der('leader'), [impostor], trust, AT)).chain).toMatchObject({ status: 'unknown', problems: [{ kind: 'signature', cert: 0 }] });
  });

  it('refuses bad arguments with typed errors', async () => {
    await expect(buildChain(new Uint8Array([1, 2, 3]), [], trust, AT)).rejects.toMatchObject({ code: 'ERR_CERT_MALFORMED' });
    await expect(buildChain(der('leader'), [], trust, new Date(Number.NaN))).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(buildChain(der('leader'), null as unknown as Uint8Array[], trust, AT)).rejects.toBeInstanceOf(KysoError);
    await expect(buildChain(der('leader'), [], trust, AT, { purpose: 'x' as 'timestamping' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
});

describe('verifyIssuedSignature', () => {
  it('checks a CRL signature with its issuer and rejects another key or a changed list', async () => {
    const crl = asn1js.fromBER(new Uint8Array(pki.crlDer).buffer).result as asn1js.Sequence;
    const [tbs, alg, value] = crl.valueBlock.value as [asn1js.Sequence, asn1js.Sequence, asn1js.BitString];
    const tbsDer = new Uint8Array(tbs.valueBeforeDecodeView);
    const algDer = new Uint8Array(alg.valueBeforeDecodeView);
    const sig = new Uint8Array(value.valueBlock.valueHexView);
    expect(await verifyIssuedSignature(intermediateDer, algDer, tbsDer, sig)).toEqual({ valid: true, supported: true, hash: 'SHA-256' });
    expect((await verifyIssuedSignature(pki.rootDer, algDer, tbsDer, sig)).valid).toBe(false);
    const changed = tbsDer.slice();
    changed[changed.length - 1] ^= 1;
    expect((await verifyIssuedSignature(intermediateDer, algDer, changed, sig)).valid).toBe(false);
    expect(await verifyIssuedSignature(new Uint8Array([1]), algDer, tbsDer, sig)).toEqual({ valid: false, supported: false, hash: null });
  });
});
