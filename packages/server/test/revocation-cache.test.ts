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

  it('reads nextUpdate from the head of a CRL of 20,000 entries, in either time form, and none when it is absent', () => {
    const big = crlOf({ entries: 20_000, nextUpdate: new asn1js.GeneralizedTime({ valueDate: new Date('2051-03-04T05:06:07Z') }) });
    expect(big.length).toBeGreaterThan(400_000);
    // More nodes than asn1js decodes by default: only the head is read.
    expect(asn1js.fromBER(big).offset).toBe(-1);
    expect(crlNextUpdate(big)?.toISOString()).toBe('2051-03-04T05:06:07.000Z');
    // RFC 5280 §4.1.2.5.1: a two-digit year 50–99 is 19xx, 00–49 is 20xx.
    expect(crlNextUpdate(crlOf({ nextUpdate: new asn1js.UTCTime({ valueDate: new Date('2049-12-31T23:59:59Z') }) }))?.toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(crlNextUpdate(crlOf({ nextUpdate: utcTime('500101000000Z') }))?.toISOString()).toBe('1950-01-01T00:00:00.000Z');
    // Absent (RFC 5280 §5.1.2.5 makes it optional): the revoked list or the extensions follow thisUpdate.
    expect(crlNextUpdate(crlOf({ entries: 3 }))).toBeNull();
    expect(crlNextUpdate(crlOf({}))).toBeNull();
  });

  it('reads no nextUpdate from what is not a CRL, and never throws on damaged bytes', () => {
    const good = crlOf({ entries: 2, nextUpdate: new asn1js.UTCTime({ valueDate: new Date('2030-01-01T00:00:00Z') }) });
    expect(crlNextUpdate(good)?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    // A time not in RFC 5280's form (no seconds), and one asn1js cannot read (it throws on such a GeneralizedTime).
    expect(crlNextUpdate(crlOf({ nextUpdate: utcTime('3001010000Z') }))).toBeNull();
    expect(crlNextUpdate(crlOf({ nextUpdate: new asn1js.GeneralizedTime({ valueHex: new TextEncoder().encode('2030x101000000Z') }) }))).toBeNull();
    for (const bad of [new Uint8Array(0), good.subarray(0, 40), Uint8Array.of(0x30, 0x80, 0x30, 0x80, 0, 0, 0, 0), pki.rootDer, pki.entity('leader').certDer]) {
      expect(crlNextUpdate(bad)).toBeNull();
    }
    for (const damaged of flippedBytes(good)) expect(() => crlNextUpdate(damaged)).not.toThrow();
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

/** `bytes` with one byte flipped, at a hundred places spread over it. */
function flippedBytes(bytes: Uint8Array): Uint8Array[] {
  const step = Math.max(1, Math.floor(bytes.length / 100));
  return Array.from({ length: Math.ceil(bytes.length / step) }, (_, i) => {
    const copy = bytes.slice();
    copy[i * step] ^= 0xff;
    return copy;
  });
}

/** A UTCTime of exactly these characters. */
const utcTime = (text: string) => new asn1js.UTCTime({ valueHex: new TextEncoder().encode(text) });

/**
 * A CertificateList (RFC 5280 §5.1) with `entries` revoked serials and the given nextUpdate (none when left out);
 * its signature is not a real one, which reading nextUpdate does not look at.
 */
function crlOf(options: { entries?: number; nextUpdate?: asn1js.UTCTime }): Uint8Array {
  const algorithm = () => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.1.11' }), new asn1js.Null()] });
  const revoked = Array.from({ length: options.entries ?? 0 }, (_, i) => new asn1js.Sequence({
    value: [new asn1js.Integer({ value: 1_000_000 + i }), new asn1js.UTCTime({ valueDate: new Date('2026-01-01T00:00:00Z') })],
  }));
  const tbs = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 1 }),
      algorithm(),
      new asn1js.Sequence({ value: [new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '2.5.4.3' }), new asn1js.Utf8String({ value: 'CA thử nghiệm' })] })] })] }),
      new asn1js.UTCTime({ valueDate: new Date('2026-01-01T00:00:00Z') }),
      ...(options.nextUpdate ? [options.nextUpdate] : []),
      ...(revoked.length ? [new asn1js.Sequence({ value: revoked })] : []),
    ],
  });
  return new Uint8Array(new asn1js.Sequence({ value: [tbs, algorithm(), new asn1js.BitString({ valueHex: new Uint8Array(32) })] }).toBER(false));
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

  it('keeps every part of a request but its nonce: other extensions, the requestor, the CertIDs; a signed request is not shared', async () => {
    const { certDer, chainDer } = leader();
    const request = new pkijs.OCSPRequest({ schema: asn1js.fromBER((await ocspRequestFor(certDer, chainDer[0]!)).der).result });
    const preferred = new pkijs.Extension({
      // id-pkix-ocsp-pref-sig-algs (RFC 6960 §4.4.7), an extension that names what is asked for, not who asks.
      extnID: '1.3.6.1.5.5.7.48.1.8', extnValue: new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.1.11' })] })] }).toBER(false),
    });
    request.tbsRequest.requestExtensions!.push(preferred);
    request.tbsRequest.requestorName = new pkijs.GeneralName({ type: 1, value: 'ocsp@bo.gov.vn' });
    const shared = shareableOcspRequest(new Uint8Array(request.toSchema(true).toBER(false)));
    request.tbsRequest.requestExtensions = [preferred];
    expect(shared).toEqual(new Uint8Array(request.toSchema(true).toBER(false)));
    // The same request asked twice with different nonces is one key; without its nonce it is already shareable as it is.
    expect(shareableOcspRequest(shared!)).toEqual(shared);
    request.optionalSignature = new pkijs.Signature({
      signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.11' }),
      signature: new asn1js.BitString({ valueHex: new Uint8Array(256) }),
    });
    expect(shareableOcspRequest(new Uint8Array(request.toSchema(true).toBER(false)))).toBeNull();
  });

  it('refuses a damaged request (not shared, sent as it is) and never throws on one', async () => {
    const { certDer, chainDer } = leader();
    const der = (await ocspRequestFor(certDer, chainDer[0]!)).der;
    expect(der[1]).toBeLessThan(0x80); // a short-form length, which the cases below rewrite
    const refused = [
      der.subarray(0, der.length - 1), // truncated
      Uint8Array.of(...der, 0x00), // a byte after it
      // The TBSRequest longer than the OCSPRequest holding it: asn1js decodes it anyway; X.690 §8.1.1.3 does not.
      Uint8Array.of(0x30, der[1]! - 1, ...der.subarray(2)),
      // Indefinite lengths (BER, not DER).
      Uint8Array.of(0x30, 0x80, ...der.subarray(2), 0x00, 0x00),
      // A SEQUENCE that is no OCSPRequest: a certificate.
      certDer,
    ];
    for (const body of refused) expect(shareableOcspRequest(body)).toBeNull();
    for (const damaged of flippedBytes(der)) expect(() => shareableOcspRequest(damaged)).not.toThrow();
    // Through the shared fetch: passed through as it is, never kept, however often it is asked.
    const { ocsp, fetch: routed } = revocation;
    const p = sharedRevocationFetch(connection(), routed as unknown as Fetch, { prefix: 'kyso:ocsp-damaged' });
    const before = ocsp.requests;
    for (let i = 0; i < 2; i++) await p.fetch(ocsp.url, { method: 'POST', body: refused[2]! });
    expect(ocsp.requests - before).toBe(2);
    expect(p.stats.bypassed).toBe(2);
    expect(await connection().keys('kyso:ocsp-damaged:*')).toEqual([]);
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

  it('refuses a damaged response without throwing: trailing bytes, a wrong type, bytes asn1js chokes on', async () => {
    const { certDer, chainDer } = leader();
    const good = ocspAnswer(pki, (await ocspRequestFor(certDer, chainDer[0]!)).der, { nextUpdate: new Date('2030-01-08T00:00:00Z') });
    expect(ocspResponseFreshness(good)).toEqual({ nextUpdate: new Date('2030-01-08T00:00:00Z') });
    expect(ocspResponseFreshness(Uint8Array.of(...good, 0x00))).toBeNull();
    expect(ocspResponseFreshness(good.subarray(0, good.length - 1))).toBeNull();
    // responseType other than id-pkix-ocsp-basic (RFC 6960 §4.2.1).
    const other = new pkijs.OCSPResponse({ schema: asn1js.fromBER(good).result });
    other.responseBytes!.responseType = '1.3.6.1.5.5.7.48.1.9';
    expect(ocspResponseFreshness(new Uint8Array(other.toSchema().toBER(false)))).toBeNull();
    // A GeneralizedTime asn1js cannot read: its decoder throws, which is a refusal here.
    const text = Buffer.from(good).indexOf('20300108000000Z', 0, 'latin1');
    expect(text).toBeGreaterThan(0);
    const badTime = good.slice();
    badTime[text + 4] = 0x78; // "2030x108000000Z"
    const basic = new pkijs.OCSPResponse({ schema: asn1js.fromBER(badTime).result }).responseBytes!.response.getValue();
    expect(() => asn1js.fromBER(basic)).toThrow();
    expect(ocspResponseFreshness(badTime)).toBeNull();
    for (const damaged of flippedBytes(good)) expect(() => ocspResponseFreshness(damaged)).not.toThrow();
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
