import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify, type FetchLike } from '@kyso/core';
import { ensurePki, ensureSamples, PKI_URLS, routeFetch, startCrlServer, startOcspResponder, type TestPki } from '@kyso/testkit';
import { startService, type KysoService } from '../src/index.js';
import { signAs } from './helpers/documents.js';

const AT = '2026-06-02T12:00:00Z';

let pki: TestPki;
let servers: { close(): Promise<void> }[] = [];
let service: KysoService;
let unsigned: Uint8Array;
let signed: Uint8Array;

beforeAll(async () => {
  pki = await ensurePki();
  unsigned = new Uint8Array(readFileSync((await ensureSamples()).simple));
  signed = await signAs(pki, 'leader', unsigned, new Date('2026-03-01T00:00:00Z'));
  const ocsp = await startOcspResponder({ pki });
  const crl = await startCrlServer({ pki });
  servers = [ocsp, crl];
  // The test PKI's URLs answered by the local servers: the service's injected network.
  const fetch = routeFetch({
    [PKI_URLS.ocsp]: ocsp.url, [PKI_URLS.intermediateCrl]: crl.intermediateUrl, [PKI_URLS.rootCrl]: crl.rootUrl,
    [PKI_URLS.intermediateCert]: crl.intermediateCertUrl, [PKI_URLS.rootCert]: crl.rootCertUrl,
  }) as unknown as FetchLike;
  service = await startService({ port: 0, trust: [pki.rootPem], fetch });
});

afterAll(async () => {
  await service?.close();
  await Promise.all(servers.map((s) => s.close()));
});

describe('POST /v1/extend', () => {
  it('adds the validation data (B-LT): the answer is the input plus an update that verifies offline', async () => {
    const res = await fetch(`${service.url}/v1/extend?level=B-LT&at=${AT}`, { method: 'POST', body: signed });
    expect(res.status).toBe(200);
    expect(res.headers.get('kyso-dss')).toMatch(/^certs=[1-9]\d*; ocsps=\d+; crls=\d+; vri=1$/);
    const extended = new Uint8Array(await res.arrayBuffer());
    expect(extended.subarray(0, signed.length)).toEqual(signed);
    const before = await verify(signed, { trust: [pki.rootPem], revocation: 'embedded', at: new Date(AT) });
    const after = await verify(extended, { trust: [pki.rootPem], revocation: 'embedded', at: new Date(AT) });
    expect(before.ltv.enabled).toBe(false);
    expect(after.ltv.enabled).toBe(true);
    expect(after.signatures[0]!.modifications.verdict).not.toBe('disallowed');
  });

  it('refuses with typed errors: no signature, a bad level, B-LTA without a TSA', async () => {
    const none = await fetch(`${service.url}/v1/extend?level=B-LT`, { method: 'POST', body: unsigned });
    expect(none.status).toBe(422);
    expect((await none.json()).code).toBe('ERR_LTV_NO_SIGNATURES');
    const level = await fetch(`${service.url}/v1/extend?level=B-X`, { method: 'POST', body: signed });
    expect(level.status).toBe(400);
    expect((await level.json()).code).toBe('ERR_INVALID_ARGUMENT');
    const lta = await fetch(`${service.url}/v1/extend?level=B-LTA`, { method: 'POST', body: signed });
    expect((await lta.json()).code).toBe('ERR_INVALID_ARGUMENT');
  });
});
