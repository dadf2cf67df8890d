import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign, verify, type VerifyOptions } from '@kyso/core';
import { fromPkcs8Pem } from '@kyso/adapters';
import {
  ensurePki, ensureSamples, PKI_URLS, routeFetch, startCrlServer, startOpensslOcspResponder, type OpensslOcspResponder, type TestPki,
} from '@kyso/testkit';

/**
 * Online revocation against `openssl ocsp` itself (an independent RFC 6960 implementation), frozen at
 * 2026-06-01 by faketime so no test depends on the real clock. kyso's own test responder covers the failure modes.
 */
let pki: TestPki;
let ocsp: OpensslOcspResponder;
let crl: { rootUrl: string; close(): Promise<void> };
let simple: Uint8Array;
let options: VerifyOptions;

beforeAll(async () => {
  pki = await ensurePki();
  simple = new Uint8Array(readFileSync((await ensureSamples()).simple));
  ocsp = await startOpensslOcspResponder({ pki });
  crl = await startCrlServer({ pki });
  // The leaves' OCSP URL goes to openssl; the intermediate's CRL URL stays unreachable, so leaf answers come from openssl.
  // The intermediate itself is checked against the root's CRL.
  options = {
    trust: [pki.rootDer], revocation: 'online', at: new Date('2026-07-01T00:00:00Z'), timeoutMs: 3000,
    fetch: routeFetch({ [PKI_URLS.ocsp]: ocsp.url, [PKI_URLS.rootCrl]: crl.rootUrl }),
  };
});

afterAll(async () => {
  await ocsp?.close();
  await crl?.close();
});

async function signedBy(name: 'leader' | 'revoked'): Promise<Uint8Array> {
  const e = pki.entity(name);
  return sign(simple, { adapter: await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer), signingTime: new Date('2026-06-15T00:00:00Z') });
}

describe('revocation answered by openssl ocsp', () => {
  it('a good leaf: the signature is TOTAL_PASSED with an online OCSP source', async () => {
    const s = (await verify(await signedBy('leader'), options)).signatures[0]!;
    expect(s).toMatchObject({ indication: 'TOTAL_PASSED', revocation: { status: 'good' } });
    expect(s.revocation.source).toEqual(expect.arrayContaining(['ocsp-online', 'crl-online']));
    expect(ocsp.requests).toBeGreaterThan(0);
  });

  it('the revoked leaf (no timestamp): INDETERMINATE/REVOKED_NO_POE', async () => {
    const s = (await verify(await signedBy('revoked'), options)).signatures[0]!;
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE', revocation: { status: 'revoked' } });
  });
});
