import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '@kyso/core';
import {
  ensurePki, ensureSamples, ocspAnswer, ocspErrorAnswer, startCrlServer, startPkiRevocation, type CrlServer, type PkiRevocation, type TestPki,
} from '@kyso/testkit';
import { connectRedis, crlNextUpdate, ocspResponseFreshness, shareableOcspRequest, sharedRevocationFetch } from '../src/index.js';
import { AT, signAs } from './helpers/documents.js';
import { startRedis, type TestRedis } from './helpers/redis.js';

type Fetch = Parameters<typeof sharedRevocationFetch>[1];

let pki: TestPki;
let redis: TestRedis;
let crl: CrlServer;
let revocation: PkiRevocation;
let signed: Uint8Array;
const clients: ReturnType<typeof connectRedis>[] = [];
const network = globalThis.fetch as unknown as Fetch;

/** A fresh connection: each stands for another `kyso worker` or `kyso serve` process. */
const connection = () => {
  const c = connectRedis(redis.url);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  pki = await ensurePki();
  redis = await startRedis();
  crl = await startCrlServer({ pki, delayMs: 300 });
  revocation = await startPkiRevocation(pki);
  signed = await signAs(pki, 'leader', new Uint8Array(readFileSync((await ensureSamples()).simple)));
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await crl?.close();
  await revocation?.close();
  await redis?.stop();
});

describe('the revocation cache shared through Redis', () => {
  it('reads a CRL\'s nextUpdate as pkijs does', () => {
    const parsed = new pkijs.CertificateRevocationList({ schema: asn1js.fromBER(pki.crlDer.slice().buffer).result });
    expect(crlNextUpdate(pki.crlDer)?.toISOString()).toBe(parsed.nextUpdate!.value.toISOString());
    expect(crlNextUpdate(pki.rootDer)).toBeNull();
    expect(crlNextUpdate(new Uint8Array([0x30, 0x84, 0xff]))).toBeNull();
  });

  it('fetches a CRL once for every process asking at the same time, and keeps it until its nextUpdate', async () => {
    crl.mode = 'slow'; // the first fetch is still under way when the others ask
    const before = crl.requests;
    const processes = Array.from({ length: 4 }, () => sharedRevocationFetch(connection(), network, { maxTtlMs: 20 * 365 * 86400_000 }));
    const answers = await Promise.all(processes.flatMap((p) => [p.fetch(crl.intermediateUrl), p.fetch(crl.intermediateUrl)]));
    crl.mode = 'ok';
    expect(crl.requests - before, JSON.stringify(processes.map((p) => p.stats))).toBe(1);
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(new Uint8Array(await a.arrayBuffer())).toEqual(pki.crlDer);
    }
    expect(processes.reduce((n, p) => n + p.stats.loads, 0)).toBe(1);
    expect(processes.reduce((n, p) => n + p.stats.hits, 0)).toBe(7);
    // Kept until nextUpdate: the key's time to live ends then (within the test's run time).
    const keys = await connection().keys('kyso:revocation:*');
    expect(keys).toHaveLength(1);
    const untilNext = crlNextUpdate(pki.crlDer)!.getTime() - Date.now();
    const ttl = await connection().pttl(keys[0]!);
    // Redis counts from when it stored the entry, a few milliseconds after kyso computed the time to live.
    expect(ttl).toBeLessThanOrEqual(untilNext + 1_000);
    expect(ttl).toBeGreaterThan(untilNext - 60_000);
    // A later process gets it from Redis, without the network.
    const later = sharedRevocationFetch(connection(), network);
    expect(new Uint8Array(await (await later.fetch(crl.intermediateUrl)).arrayBuffer())).toEqual(pki.crlDer);
    expect(crl.requests - before).toBe(1);
  });

  it('never shares a failure, and passes POSTs that are no OCSP request through', async () => {
    crl.mode = 'http500';
    const p = sharedRevocationFetch(connection(), network);
    const before = crl.requests;
    expect((await p.fetch(crl.rootUrl)).status).toBe(500);
    crl.mode = 'ok';
    const ok = await p.fetch(crl.rootUrl);
    expect(new Uint8Array(await ok.arrayBuffer())).toEqual(pki.rootCrlDer);
    expect(crl.requests - before).toBe(2);
    const posts = crl.requests;
    await p.fetch(crl.rootUrl, { method: 'POST', body: new Uint8Array([1]) });
    await p.fetch(crl.rootUrl, { method: 'POST', body: new Uint8Array([1]) });
    expect(crl.requests - posts).toBe(2);
    expect(p.stats.bypassed).toBe(2);
  });

  it('goes to the network when Redis is unusable', async () => {
    const dead = connectRedis('redis://127.0.0.1:1');
    clients.push(dead);
    const p = sharedRevocationFetch(dead, network);
    const res = await p.fetch(crl.rootCertUrl);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(pki.rootDer);
    expect(p.stats.bypassed).toBe(1);
  });
});

/** An OCSPRequest about `cert` (RFC 6960 §4.1.1), with a random nonce (RFC 8954) unless told otherwise, as core builds them. */
async function ocspRequestFor(cert: Uint8Array, issuer: Uint8Array, options: { nonce?: false } = {}): Promise<{ der: Uint8Array }> {
  const parse = (der: Uint8Array) => new pkijs.Certificate({ schema: asn1js.fromBER(der.slice().buffer).result });
  const request = new pkijs.OCSPRequest();
  await request.createForCertificate(parse(cert), { hashAlgorithm: 'SHA-1', issuerCertificate: parse(issuer) });
  if (options.nonce !== false) {
    const nonce = globalThis.crypto.getRandomValues(new Uint8Array(32));
    request.tbsRequest.requestExtensions = [
      new pkijs.Extension({ extnID: '1.3.6.1.5.5.7.48.1.2', extnValue: new asn1js.OctetString({ valueHex: nonce }).toBER(false) }),
    ];
  }
  return { der: new Uint8Array(request.toSchema(true).toBER(false)) };
}

describe('OCSP responses shared through Redis', () => {
  const leader = () => pki.entity('leader');

  it('keys a request by what it asks (the CertID), not by its nonce', async () => {
    const { certDer, chainDer } = leader();
    const a = await ocspRequestFor(certDer, chainDer[0]!);
    const b = await ocspRequestFor(certDer, chainDer[0]!);
    expect(a.der).not.toEqual(b.der); // two nonces
    const bare = await ocspRequestFor(certDer, chainDer[0]!, { nonce: false });
    expect(shareableOcspRequest(a.der)).toEqual(bare.der);
    expect(shareableOcspRequest(b.der)).toEqual(bare.der);
    const other = await ocspRequestFor(pki.entity('seal').certDer, pki.entity('seal').chainDer[0]!);
    expect(shareableOcspRequest(other.der)).not.toEqual(bare.der);
    expect(shareableOcspRequest(new Uint8Array([1]))).toBeNull();
    expect(shareableOcspRequest(pki.crlDer)).toBeNull();
  });

  it('keeps only successful responses, until their nextUpdate', async () => {
    const { certDer, chainDer } = leader();
    const request = (await ocspRequestFor(certDer, chainDer[0]!)).der;
    const next = new Date('2030-01-08T00:00:00Z');
    expect(ocspResponseFreshness(ocspAnswer(pki, request, { thisUpdate: new Date('2030-01-01T00:00:00Z'), nextUpdate: next }))).toEqual({ nextUpdate: next });
    // Without nextUpdate (RFC 6960 §4.2.2.1: newer information is always available): kept for the short default only.
    expect(ocspResponseFreshness(ocspAnswer(pki, request, { nextUpdate: null }))).toEqual({ nextUpdate: null });
    expect(ocspResponseFreshness(ocspErrorAnswer(3))).toBeNull(); // tryLater
    expect(ocspResponseFreshness(ocspErrorAnswer(1))).toBeNull(); // malformedRequest
    expect(ocspResponseFreshness(pki.crlDer)).toBeNull();
  });

  it('asks the responder once for two processes verifying the same signature, and both verdicts are the fresh one', async () => {
    const { ocsp, fetch: routed } = revocation;
    const network = routed as unknown as Fetch;
    const options = (fetch: Fetch) => ({ trust: [pki.rootDer], revocation: 'online' as const, at: new Date(AT), timeoutMs: 5000, fetch });
    // The reference: a verification without the shared cache, straight to the responder.
    const beforeFresh = ocsp.requests;
    const fresh = await verify(signed, options(network));
    const perVerify = ocsp.requests - beforeFresh;
    expect(perVerify).toBeGreaterThan(0);

    const before = ocsp.requests;
    const one = sharedRevocationFetch(connection(), network, { prefix: 'kyso:ocsp-test', maxTtlMs: 20 * 365 * 86400_000 });
    const two = sharedRevocationFetch(connection(), network, { prefix: 'kyso:ocsp-test', maxTtlMs: 20 * 365 * 86400_000 });
    const first = await verify(signed, options(one.fetch));
    const second = await verify(signed, options(two.fetch));
    expect(ocsp.requests - before, JSON.stringify([one.stats, two.stats])).toBe(perVerify);
    expect(two.stats.loads).toBe(0);
    expect(two.stats.hits).toBeGreaterThanOrEqual(perVerify);
    // What went out for everyone carries no nonce; the answer is accepted as the fresh one is.
    expect(ocsp.lastRequest && shareableOcspRequest(ocsp.lastRequest)).toEqual(ocsp.lastRequest);
    expect(fresh.signatures[0]!.indication).toBe('TOTAL_PASSED');
    expect(fresh.signatures[0]!.revocation.status).toBe('good');
    // The whole report, not only the verdict: a shared answer changes nothing a verifier sees.
    expect(JSON.stringify(first)).toBe(JSON.stringify(fresh));
    expect(JSON.stringify(second)).toBe(JSON.stringify(fresh));
  });

  it('never keeps a non-successful response or a failure', async () => {
    const { ocsp, fetch: routed } = revocation;
    const network = routed as unknown as Fetch;
    const { certDer, chainDer } = leader();
    const p = sharedRevocationFetch(connection(), network, { prefix: 'kyso:ocsp-fail' });
    const ask = async () => p.fetch(ocsp.url, { method: 'POST', body: (await ocspRequestFor(certDer, chainDer[0]!)).der });
    const before = ocsp.requests;
    ocsp.mode = 'http500';
    await ask();
    ocsp.mode = 'garbage'; // a 200 that is no successful OCSPResponse
    await ask();
    ocsp.mode = 'ok';
    expect(ocsp.requests - before).toBe(2);
    expect(await connection().keys('kyso:ocsp-fail:*')).toEqual([]);
    await ask();
    await ask();
    expect(ocsp.requests - before).toBe(3);
  });
});

/** A CA's web server on `host`: answers every path with a few bytes and notes when each request arrived. */
async function startCaHost(host: string): Promise<{ url: string; arrivals: number[]; server: Server }> {
  const arrivals: number[] = [];
  const server = createServer((_req, res) => {
    arrivals.push(Date.now());
    res.end(Buffer.from('certificate bytes'));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { url: `http://${host}:${(server.address() as AddressInfo).port}`, arrivals, server };
}

describe('the per-CA-host rate limit shared through Redis', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    for (const s of servers) await new Promise((r) => s.close(r));
  });

  it('spreads the loads of every process so that no window sees more than the limit, and leaves other hosts alone', async () => {
    const ca = await startCaHost('127.0.0.1');
    const other = await startCaHost('127.0.0.2');
    servers.push(ca.server, other.server);
    const limit = 3;
    const windowMs = 1000;
    const options = { prefix: 'kyso:rate-test', caRate: { limit, windowMs } };
    const processes = [sharedRevocationFetch(connection(), network, options), sharedRevocationFetch(connection(), network, options)];
    // Start just after a window opens (Redis's TIME and Date.now read the same clock here), so that a
    // request let through in one window cannot reach the server in the next.
    await new Promise((r) => setTimeout(r, windowMs - (Date.now() % windowMs) + 20));
    const loads = [
      ...Array.from({ length: 12 }, (_, i) => processes[i % 2]!.fetch(`${ca.url}/aia/${i}.cer`)),
      ...Array.from({ length: limit }, (_, i) => processes[i % 2]!.fetch(`${other.url}/aia/${i}.cer`)),
    ];
    for (const res of await Promise.all(loads)) expect(res.status).toBe(200);
    const perWindow = (arrivals: number[]) => {
      const counts = new Map<number, number>();
      for (const t of arrivals) counts.set(Math.floor(t / windowMs), (counts.get(Math.floor(t / windowMs)) ?? 0) + 1);
      return [...counts.entries()].sort(([a], [b]) => a - b);
    };
    const first = Math.floor(Math.min(...ca.arrivals, ...other.arrivals) / windowMs);
    const caWindows = perWindow(ca.arrivals);
    expect(ca.arrivals).toHaveLength(12);
    for (const [, n] of caWindows) expect(n, JSON.stringify(caWindows)).toBeLessThanOrEqual(limit);
    expect(caWindows.length).toBeGreaterThanOrEqual(12 / limit);
    // The other host has a budget of its own: its loads all went out in the first window, while the first host's waited.
    expect(perWindow(other.arrivals)).toEqual([[first, limit]]);
    expect(processes[0]!.stats.throttled + processes[1]!.stats.throttled).toBeGreaterThan(0);
    // Hits cost nothing: asking again is served from Redis, whatever the budget.
    const before = ca.arrivals.length;
    const again = await Promise.all(Array.from({ length: 12 }, (_, i) => processes[i % 2]!.fetch(`${ca.url}/aia/${i}.cer`)));
    for (const res of again) expect(res.status).toBe(200);
    expect(ca.arrivals.length).toBe(before);
  });

  it('waits for the budget only as long as the request\'s time-out', async () => {
    const ca = await startCaHost('127.0.0.1');
    servers.push(ca.server);
    const p = sharedRevocationFetch(connection(), network, { prefix: 'kyso:rate-timeout', caRate: { limit: 1, windowMs: 3600_000 } });
    expect((await p.fetch(`${ca.url}/crl/a.crl`)).status).toBe(200);
    await expect(p.fetch(`${ca.url}/crl/b.crl`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect(ca.arrivals).toHaveLength(1);
  });
});
