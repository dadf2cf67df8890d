import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, startCrlServer, type CrlServer, type TestPki } from '@kyso/testkit';
import { connectRedis, crlNextUpdate, sharedRevocationFetch } from '../src/index.js';
import { startRedis, type TestRedis } from './helpers/redis.js';

type Fetch = Parameters<typeof sharedRevocationFetch>[1];

let pki: TestPki;
let redis: TestRedis;
let crl: CrlServer;
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
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await crl?.close();
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

  it('never shares a failure, and passes POSTs (OCSP with its nonce) through', async () => {
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
