import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KysoError, sign, verify } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, ocspAnswer, startScriptedRevocationServer, toPem, type ScriptedRevocationServer, type TestPki } from '@kyso/testkit';
import { checkRevocation } from '../../../src/verify/revocation/index.js';
import { RevocationFetchCache } from '../../../src/verify/revocation/fetch-cache.js';
import { readRevocationData } from '../../../src/verify/revocation/supplied.js';
import type { FetchLike } from '../../../src/sign/options.js';
import { createWorkerApi } from '../../../src/worker/api.js';
import { buildChain } from '../../../src/verify/chain/index.js';
import { trustFromCertificates } from '../../../src/verify/trust/index.js';
import type { CallerSide } from '../../../src/worker/protocol.js';

// Fixed clocks: the test PKI's CRLs speak from 2026-01-01 to 2036-01-01.
const AT = new Date('2030-01-01T00:00:00Z');
const CRL_URL = 'http://pki.kyso.test/crl/intermediate.crl';
const ROOT_CRL_URL = 'http://pki.kyso.test/crl/root.crl';
const OCSP_URL = 'http://pki.kyso.test/ocsp';

let pki: TestPki;
let signed: Uint8Array;
const none = { ocsps: [], crls: [] };
const pathOf = (name: 'leader' | 'seal') => [pki.entity(name).certDer, ...pki.entity(name).chainDer];

/** A fetch that sends the test PKI's URLs to `server`; `routes` chooses which (others fail as an unreachable host would). */
function fetchTo(server: ScriptedRevocationServer, routes: readonly string[]): FetchLike {
  return (async (url: string, init?: { method?: string; headers?: Record<string, string>; body?: Uint8Array; signal?: AbortSignal }) => {
    if (!routes.includes(url)) throw new TypeError(`fetch failed: ${url} is not routed`);
    const { body, ...rest } = init ?? {};
    return fetch(server.base + new URL(url).pathname, { ...rest, ...(body ? { body: new Uint8Array(body) } : {}) });
  }) as FetchLike;
}

let server: ScriptedRevocationServer;

beforeAll(async () => {
  pki = await ensurePki();
  const samples = await ensureSamples();
  const leader = pki.entity('leader');
  const adapter = await fromPkcs8Pem(leader.keyPem, leader.certDer, leader.chainDer);
  signed = await sign(new Uint8Array(readFileSync(samples.simple)), { adapter, signingTime: new Date('2026-01-15T03:00:00Z') });
  server = await startScriptedRevocationServer(pki);
});
afterAll(async () => {
  await server?.close();
});

describe('revocation data supplied by the caller (a CRL downloaded on another network)', () => {
  it('decides offline: TOTAL_PASSED with the CRLs passed as DER, reported as supplied, never as embedded', async () => {
    const report = await verify(signed, { trust: [pki.rootPem], at: AT, revocationData: { crls: [pki.crlDer, pki.rootCrlDer] } });
    expect(report.signatures.map((s) => [s.indication, s.subIndication])).toEqual([['TOTAL_PASSED', null]]);
    expect(report.signatures[0]!.revocation).toEqual({ status: 'good', source: ['crl-supplied'] });
    // Not in the file: the document is still not LTV-enabled, and stays PAdES-B-B.
    expect(report.ltv.enabled).toBe(false);
    expect(report.signatures[0]!.level).toBe('PAdES-B-B');
  });

  it('is TRY_LATER offline without it (the same file, nothing embedded)', async () => {
    const report = await verify(signed, { trust: [pki.rootPem], at: AT });
    expect(report.signatures.map((s) => [s.indication, s.subIndication])).toEqual([['INDETERMINATE', 'TRY_LATER']]);
  });

  it('takes PEM text and a PEM bundle of both CRLs, and OCSP responses', async () => {
    const pem = toPem('X509 CRL', pki.crlDer) + toPem('X509 CRL', pki.rootCrlDer);
    const byPem = await verify(signed, { trust: [pki.rootPem], at: AT, revocationData: { crls: [pem] } });
    expect(byPem.signatures[0]!.indication).toBe('TOTAL_PASSED');
    // An OCSP response for the leader (what a back end kept), the root's CRL for the intermediate.
    const { ocspRequestFor } = await import('../../../src/verify/revocation/index.js');
    const request = await ocspRequestFor(pki.entity('leader').certDer, pki.entity('intermediate').certDer, { nonce: false });
    const ocsp = ocspAnswer(pki, request.der);
    const mixed = await verify(signed, { trust: [pki.rootPem], at: AT, revocationData: { ocspResponses: [ocsp], crls: [pki.rootCrlDer] } });
    expect(mixed.signatures[0]!.revocation).toEqual({ status: 'good', source: ['ocsp-supplied', 'crl-supplied'] });
    expect(mixed.signatures[0]!.indication).toBe('TOTAL_PASSED');
  });

  it('shows a revoked signer from a supplied CRL', async () => {
    const revoked = pki.entity('revoked');
    const adapter = await fromPkcs8Pem(revoked.keyPem, revoked.certDer, revoked.chainDer);
    const samples = await ensureSamples();
    const bad = await sign(new Uint8Array(readFileSync(samples.simple)), { adapter });
    const report = await verify(bad, { trust: [pki.rootPem], at: AT, revocationData: { crls: [pki.crlDer, pki.rootCrlDer] } });
    expect(report.signatures[0]!.revocation.status).toBe('revoked');
    expect(report.signatures[0]!.indication).not.toBe('TOTAL_PASSED');
  });

  it('reaches verify through the worker client\'s worker side (the options cross the boundary as plain data)', async () => {
    const api = createWorkerApi({ transferResult: (outcome) => outcome, release: () => undefined });
    const options = structuredClone({ trust: [pki.rootPem], at: AT, revocationData: { crls: [pki.crlDer, pki.rootCrlDer] } });
    const outcome = await api.verify(1, signed.slice(), options, { fetch: false, progress: false }, {} as CallerSide);
    expect(outcome).toMatchObject({ ok: true, value: { signatures: [{ indication: 'TOTAL_PASSED', revocation: { source: ['crl-supplied'] } }] } });
  });

  it('decodes one object once, however many verifications it is given to (an audit worker\'s megabyte CRL)', () => {
    const data = { crls: [pki.crlDer] };
    const first = readRevocationData(data);
    expect(readRevocationData(data)).toBe(first);
    data.crls = [pki.crlDer, pki.rootCrlDer];
    expect(readRevocationData(data).crls).toHaveLength(2);
  });

  it('refuses what is not a CRL or an OCSP response with ERR_REVOCATION_DATA_MALFORMED, before any work', async () => {
    const cases = [
      { crls: [pki.entity('leader').certDer.slice(0, 40)] },
      { crls: [pki.rootPem] },
      { crls: ['<html>404 Not Found</html>'] },
      { ocspResponses: [pki.crlDer] },
    ];
    for (const revocationData of cases) {
      const error = await verify(signed, { trust: [pki.rootPem], at: AT, revocationData }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KysoError);
      expect((error as KysoError).code).toBe('ERR_REVOCATION_DATA_MALFORMED');
    }
  });
});

describe('online revocation fetching: retries', () => {
  it('a CRL server that answers 503 twice, then the CRL: the status is known, after three requests', async () => {
    server.hits.clear();
    server.script = { '/crl/intermediate.crl': [503, 503, 200], '/crl/root.crl': [200] };
    const facts = await checkRevocation(pathOf('leader'), AT, none, {
      mode: 'online', fetch: fetchTo(server, [CRL_URL, ROOT_CRL_URL]), now: AT, retry: { backoffMs: 10 },
    });
    expect(facts.entries.map((e) => [e.status, e.source])).toEqual([['good', 'crl-online'], ['good', 'crl-online']]);
    expect(server.hits.get('/crl/intermediate.crl')).toBe(3);
  });

  it('a 404 is an answer: no retry, the status stays unknown and says why', async () => {
    server.hits.clear();
    server.script = { '/crl/intermediate.crl': [404, 200] };
    const facts = await checkRevocation(pathOf('leader').slice(0, 2), AT, none, {
      mode: 'online', fetch: fetchTo(server, [CRL_URL]), now: AT, retry: { backoffMs: 10 },
    });
    expect(facts.entries[0]).toMatchObject({ status: 'unknown', source: 'none' });
    expect(facts.entries[0]!.reason).toMatch(/HTTP status 404/);
    expect(server.hits.get('/crl/intermediate.crl')).toBe(1);
  });

  it('gives up after the retries on a server that keeps failing, naming the tries', async () => {
    server.hits.clear();
    server.script = { '/crl/intermediate.crl': [500] };
    const facts = await checkRevocation(pathOf('leader').slice(0, 2), AT, none, {
      mode: 'online', fetch: fetchTo(server, [CRL_URL]), now: AT, retry: { backoffMs: 10 },
    });
    expect(facts.entries[0]!.reason).toMatch(/HTTP status 500 \(after 3 tries\)/);
    expect(server.hits.get('/crl/intermediate.crl')).toBe(3);
  });
});

describe('online revocation fetching: one fetch per URL, shared', () => {
  it('forty concurrent checks of two signers under one CA fetch each CRL once and ask OCSP once per certificate', async () => {
    server.hits.clear();
    server.script = {};
    const fetch = fetchTo(server, [OCSP_URL, CRL_URL, ROOT_CRL_URL]);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      checkRevocation(pathOf(i % 2 ? 'leader' : 'seal'), AT, none, { mode: 'online', fetch, now: AT })));
    expect(results.every((r) => r.status === 'good')).toBe(true);
    // The leaves by OCSP (one request each), the intermediate by the root's CRL (once).
    expect(server.hits.get('/ocsp')).toBe(2);
    expect(server.hits.get('/crl/root.crl')).toBe(1);
    expect(server.hits.get('/crl/intermediate.crl')).toBeUndefined();
    // A shared OCSP answer is checked against the nonce that was actually sent with it.
    expect(results.every((r) => r.entries[0]!.source === 'ocsp-online')).toBe(true);
  });

  it('cache: false fetches every time', async () => {
    server.hits.clear();
    const fetch = fetchTo(server, [CRL_URL, ROOT_CRL_URL]);
    for (let i = 0; i < 3; i++) await checkRevocation(pathOf('leader'), AT, none, { mode: 'online', fetch, now: AT, cache: false, retry: { retries: 0 } });
    expect(server.hits.get('/crl/intermediate.crl')).toBe(3);
  });

  it('keeps a CRL until its nextUpdate, then fetches it again', async () => {
    server.hits.clear();
    let now = Date.parse('2030-01-01T00:00:00Z');
    const cache = new RevocationFetchCache({ clock: () => now, maxTtlMs: 100 * 365 * 86400_000 });
    const fetch = fetchTo(server, [CRL_URL]);
    const check = () => checkRevocation(pathOf('leader').slice(0, 2), AT, none, { mode: 'online', fetch, now: AT, cache, retry: { retries: 0 } });
    await check();
    now = Date.parse('2035-12-31T23:59:00Z');
    await check();
    expect(server.hits.get('/crl/intermediate.crl')).toBe(1);
    now = Date.parse('2036-01-01T00:00:01Z'); // past the CRL's nextUpdate
    await check();
    expect(server.hits.get('/crl/intermediate.crl')).toBe(2);
  });

  it('is bounded in entries and bytes, and keeps no failure', async () => {
    const body = (n: number) => ({ body: new Uint8Array(n), freshUntil: null, meta: null });
    const cache = new RevocationFetchCache({ maxEntries: 2, maxBytes: 1000, clock: () => 0 });
    let loads = 0;
    const load = (n: number) => async () => (loads++, body(n));
    await cache.get('a', load(100));
    await cache.get('b', load(100));
    await cache.get('c', load(100)); // evicts a, the least recently used
    expect(cache.stats()).toMatchObject({ entries: 2, bytes: 200 });
    await cache.get('a', load(100));
    expect(loads).toBe(4);
    await cache.get('big', load(900)); // 100 + 900 fits; the older entry goes
    expect(cache.stats().bytes).toBeLessThanOrEqual(1000);
    await cache.get('huge', load(5000)); // larger than the budget: used, not kept
    expect(cache.stats().bytes).toBeLessThanOrEqual(1000);
    let failures = 0;
    const failing = async () => (failures++, 'down');
    expect(await cache.get('f', failing)).toBe('down');
    expect(await cache.get('f', failing)).toBe('down');
    expect(failures).toBe(2);
  });
});

describe('AIA caIssuers downloads (a missing intermediate) are retried and shared too', () => {
  it('a 503 then the certificate: the chain is built; ten more concurrent builds download nothing', async () => {
    server.hits.clear();
    server.script = { '/ca/intermediate.cer': [503, 200] };
    const fetch = fetchTo(server, ['http://pki.kyso.test/ca/intermediate.cer']);
    const trust = trustFromCertificates([pki.rootPem]);
    const first = await buildChain(pki.entity('leader').certDer, [], trust, AT, { fetch });
    expect(first.chain.status).toBe('trusted');
    expect(server.hits.get('/ca/intermediate.cer')).toBe(2);
    const more = await Promise.all(Array.from({ length: 10 }, () => buildChain(pki.entity('seal').certDer, [], trust, AT, { fetch })));
    expect(more.every((b) => b.chain.status === 'trusted')).toBe(true);
    expect(server.hits.get('/ca/intermediate.cer')).toBe(2);
    server.script = {};
  });
});
