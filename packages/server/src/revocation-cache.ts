import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { VerifyOptions } from '@kyso/core';
import * as asn1js from 'asn1js';
import { sequenceContents, timeOf, valueAt } from './asn1-decode.js';
import { ocspResponseFreshness, shareableOcspRequest } from './ocsp-share.js';
import { takeHostTurn, type CaRate } from './ca-rate-limit.js';

type FetchLike = NonNullable<VerifyOptions['fetch']>;
type FetchAnswer = Awaited<ReturnType<FetchLike>>;

/** Options of {@link sharedRevocationFetch}. */
export interface SharedFetchOptions {
  /** Redis key prefix; default `kyso:revocation`. */
  readonly prefix?: string;
  /** How long data without a readable nextUpdate (AIA certificates, odd CRLs) is kept; default 5 minutes. */
  readonly defaultTtlMs?: number;
  /** Ceiling for any entry, whatever its nextUpdate says; default 24 hours. */
  readonly maxTtlMs?: number;
  /** How long one process may hold the right to fetch a URL for everyone; default 15 s. */
  readonly lockMs?: number;
  /** Largest body kept; larger ones are used once, not shared. Default 32 MiB. */
  readonly maxBytes?: number;
  /** Milliseconds since the epoch; default `Date.now`. */
  readonly clock?: () => number;
  /**
   * Loads allowed per CA host name, across every process on this Redis: `limit` per `windowMs`.
   * Default 10 a second; `false` for none. Hits in the cache cost nothing; a load over the budget
   * waits for the next window, within its own time-out.
   */
  readonly caRate?: Partial<CaRate> | false;
}

/** Counters of a shared fetch (for `/metrics`). */
export interface SharedFetchStats {
  /** Answers served from Redis (kept, or fetched meanwhile by another process). */
  hits: number;
  /** Fetches made by this process for everyone. */
  loads: number;
  /** Requests passed through uncached (POSTs other than an unsigned OCSPRequest; or Redis unusable). */
  bypassed: number;
  /** Loads that waited for the CA host's rate limit before going out. */
  throttled: number;
}

/**
 * The nextUpdate of a DER CRL (RFC 5280 §5.1: CertificateList → TBSCertList { version?, signature,
 * issuer, thisUpdate, nextUpdate? }), or null when the body is not one or has none. Only the head of
 * the TBSCertList is decoded (asn1js, field by field): the revoked list after it may be megabytes.
 */
export function crlNextUpdate(der: Uint8Array): Date | null {
  const list = sequenceContents(der, 0, der.length);
  const tbs = list && sequenceContents(der, list.start, list.end);
  if (!tbs) return null;
  let field = valueAt(der, tbs.start, tbs.end);
  if (field?.value instanceof asn1js.Integer) field = valueAt(der, field.next, tbs.end); // version
  if (!(field?.value instanceof asn1js.Sequence)) return null; // signature algorithm
  field = valueAt(der, field.next, tbs.end);
  if (!(field?.value instanceof asn1js.Sequence)) return null; // issuer
  field = valueAt(der, field.next, tbs.end);
  if (!field || !isTime(field.value)) return null; // thisUpdate
  // nextUpdate is optional: a SEQUENCE there is the revoked list, which is not decoded.
  if (sequenceContents(der, field.next, tbs.end)) return null;
  field = valueAt(der, field.next, tbs.end);
  return field && isTime(field.value) ? timeOf(field.value) : null;
}

/** Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime } (RFC 5280 §4.1.2.5); GeneralizedTime extends UTCTime in asn1js. */
const isTime = (v: asn1js.AsnType): boolean => v instanceof asn1js.UTCTime;

/** Deletes the lock only if it is still ours (it may have expired and been taken by another process). */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

function answer(body: Uint8Array): FetchAnswer {
  return {
    ok: true,
    status: 200,
    headers: { get: (name: string) => (name.toLowerCase() === 'content-length' ? String(body.length) : null) },
    arrayBuffer: async () => body.slice().buffer as ArrayBuffer,
  };
}

/**
 * A `fetch` for `verify` (core's injected `fetch` option) that shares revocation downloads across
 * every process using the same Redis: each CRL and AIA certificate (GET, keyed by URL) and each OCSP
 * response (POST of an OCSPRequest, keyed by URL and the request's CertID, not its nonce: see
 * {@link shareableOcspRequest}) is fetched by one process for all of them (a Redis lock per key, the
 * others wait for the result: single flight across workers), and kept until the data's own nextUpdate
 * (RFC 5280 §5.1.2.5, RFC 6960 §4.2.2.1), within a ceiling. Only complete 200 answers are kept, and of
 * OCSP only `successful` responses; failures are never shared. Loads go out under a per-CA-host rate
 * limit shared by all processes ({@link SharedFetchOptions.caRate}). When Redis fails, the request
 * goes to the network as if there were no cache: a cache never changes a verdict.
 */
export function sharedRevocationFetch(redis: Redis, base: FetchLike, options: SharedFetchOptions = {}): { fetch: FetchLike; stats: SharedFetchStats } {
  const prefix = options.prefix ?? 'kyso:revocation';
  const defaultTtl = options.defaultTtlMs ?? 5 * 60_000;
  const maxTtl = options.maxTtlMs ?? 24 * 3600_000;
  const lockMs = options.lockMs ?? 15_000;
  const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  const clock = options.clock ?? Date.now;
  const rate: CaRate | null = options.caRate === false ? null : { limit: options.caRate?.limit ?? 10, windowMs: options.caRate?.windowMs ?? 1000 };
  const stats: SharedFetchStats = { hits: 0, loads: 0, bypassed: 0, throttled: 0 };

  /** Asks the network, within the CA host's share of requests. */
  const send = async (url: string, init: Parameters<FetchLike>[1]): Promise<FetchAnswer> => {
    if (rate) {
      let host: string;
      try {
        host = new URL(url).hostname;
      } catch {
        return base(url, init);
      }
      const started = clock();
      await takeHostTurn(redis, prefix, host, rate, init?.signal);
      if (clock() - started >= rate.windowMs / 2) stats.throttled++;
    }
    return base(url, init);
  };

  /** How long to keep a body: until its nextUpdate, else the default, within the ceiling; null: do not keep. */
  const ttlOf = (body: Uint8Array, ocsp: boolean): number | null => {
    let next: Date | null;
    if (ocsp) {
      const read = ocspResponseFreshness(body);
      if (!read) return null; // not `successful` (RFC 6960 §4.2.1): never shared
      next = read.nextUpdate;
    } else {
      next = crlNextUpdate(body);
    }
    const ttl = Math.min(next ? next.getTime() - clock() : defaultTtl, maxTtl);
    // Stale data (nextUpdate past) is used once, not shared; core judges its freshness itself.
    return ttl > 0 && body.length <= maxBytes ? Math.floor(ttl) : null;
  };

  const load = async (url: string, init: Parameters<FetchLike>[1], ocsp: boolean, key: string, lock: string, token: string): Promise<FetchAnswer> => {
    stats.loads++;
    try {
      const res = await send(url, init);
      if (!res.ok || res.status !== 200) return res;
      const body = new Uint8Array(await res.arrayBuffer());
      const ttl = ttlOf(body, ocsp);
      if (ttl !== null) await redis.set(key, Buffer.from(body), 'PX', ttl).catch(() => {});
      return answer(body);
    } finally {
      await redis.eval(RELEASE, 1, lock, token).catch(() => {});
    }
  };

  const fetch: FetchLike = async (url, init) => {
    const method = (init?.method ?? 'GET').toUpperCase();
    let ocspRequest: Uint8Array | null = null;
    if (method === 'POST' && init?.body) ocspRequest = shareableOcspRequest(init.body);
    if (ocspRequest === null && (method !== 'GET' || init?.body)) {
      stats.bypassed++;
      return send(url, init);
    }
    // What goes out for everyone: an OCSP request without its nonce (see shareableOcspRequest).
    const sent = ocspRequest ? { ...init, body: ocspRequest } : init;
    const id = createHash('sha256').update(url);
    if (ocspRequest) id.update('\0ocsp\0').update(ocspRequest);
    const key = `${prefix}:${id.digest('hex')}`;
    const lock = `${key}:lock`;
    const token = randomBytes(16).toString('hex');
    let mine = false;
    try {
      const deadline = clock() + lockMs;
      for (;;) {
        const kept = await redis.getBuffer(key);
        if (kept) {
          stats.hits++;
          return answer(new Uint8Array(kept));
        }
        if ((await redis.set(lock, token, 'PX', lockMs, 'NX')) === 'OK') {
          // The previous holder may have stored the answer and let go between our read and our lock.
          const stored = await redis.getBuffer(key);
          if (stored) {
            await redis.eval(RELEASE, 1, lock, token);
            stats.hits++;
            return answer(new Uint8Array(stored));
          }
          mine = true;
          break;
        }
        // Another process is fetching it: wait for its result, as long as its lock may last.
        if (clock() > deadline || init?.signal?.aborted) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } catch {
      // Redis unusable: fall through to the network.
    }
    // Network errors of our own load reach the caller as they would without the cache (core retries them).
    if (mine) return load(url, sent, ocspRequest !== null, key, lock, token);
    stats.bypassed++;
    return send(url, sent);
  };
  return { fetch, stats };
}
