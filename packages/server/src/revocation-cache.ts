import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { VerifyOptions } from '@kyso/core';

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
}

/** Counters of a shared fetch (for `/metrics`). */
export interface SharedFetchStats {
  /** Answers served from Redis (kept, or fetched meanwhile by another process). */
  hits: number;
  /** Fetches made by this process for everyone. */
  loads: number;
  /** Requests passed through uncached (POST, e.g. OCSP with its nonce; or Redis unusable). */
  bypassed: number;
}

/** Reads one DER TLV at `at`: tag, content start, content end. */
function tlv(der: Uint8Array, at: number): { tag: number; start: number; end: number } | null {
  if (at + 2 > der.length) return null;
  const tag = der[at]!;
  let len = der[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > der.length) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i]!;
    start += n;
  }
  return start + len > der.length ? null : { tag, start, end: start + len };
}

/** A UTCTime (0x17) or GeneralizedTime (0x18) value. */
function timeOf(der: Uint8Array, t: { tag: number; start: number; end: number }): Date | null {
  const s = new TextDecoder().decode(der.subarray(t.start, t.end));
  const m = t.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return null;
  // RFC 5280 §4.1.2.5.1: two-digit years 50–99 are 19xx, 00–49 are 20xx.
  const year = t.tag === 0x17 ? (Number(m[1]) >= 50 ? 1900 : 2000) + Number(m[1]) : Number(m[1]);
  const d = new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * The nextUpdate of a DER CRL (RFC 5280 §5.1: CertificateList → TBSCertList { version?, signature,
 * issuer, thisUpdate, nextUpdate? }), or null when the body is not one or has none.
 */
export function crlNextUpdate(der: Uint8Array): Date | null {
  const list = tlv(der, 0);
  if (!list || list.tag !== 0x30) return null;
  const tbs = tlv(der, list.start);
  if (!tbs || tbs.tag !== 0x30) return null;
  let at = tbs.start;
  let field = tlv(der, at);
  if (field?.tag === 0x02) field = tlv(der, (at = field.end)); // version
  if (field?.tag !== 0x30) return null; // signature algorithm
  field = tlv(der, (at = field.end));
  if (field?.tag !== 0x30) return null; // issuer
  field = tlv(der, (at = field.end));
  if (!field || (field.tag !== 0x17 && field.tag !== 0x18)) return null; // thisUpdate
  field = tlv(der, field.end);
  if (!field || (field.tag !== 0x17 && field.tag !== 0x18)) return null; // nextUpdate is optional
  return timeOf(der, field);
}

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
 * every process using the same Redis: each GET (CRLs, AIA certificates) is fetched by one process
 * for all of them (a Redis lock per URL, the others wait for the result: single flight across
 * workers), and kept until the CRL's own nextUpdate (RFC 5280 §5.1.2.5), within a ceiling. POSTs
 * (OCSP requests carry a fresh nonce each, RFC 8954) pass through: each process's own cache in core
 * handles those. Only complete 200 answers are kept; failures are never shared. When Redis fails,
 * the request goes to the network as if there were no cache: a cache never changes a verdict.
 */
export function sharedRevocationFetch(redis: Redis, base: FetchLike, options: SharedFetchOptions = {}): { fetch: FetchLike; stats: SharedFetchStats } {
  const prefix = options.prefix ?? 'kyso:revocation';
  const defaultTtl = options.defaultTtlMs ?? 5 * 60_000;
  const maxTtl = options.maxTtlMs ?? 24 * 3600_000;
  const lockMs = options.lockMs ?? 15_000;
  const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  const clock = options.clock ?? Date.now;
  const stats: SharedFetchStats = { hits: 0, loads: 0, bypassed: 0 };

  const load = async (url: string, init: Parameters<FetchLike>[1], key: string, lock: string, token: string): Promise<FetchAnswer> => {
    stats.loads++;
    try {
      const res = await base(url, init);
      if (!res.ok || res.status !== 200) return res;
      const body = new Uint8Array(await res.arrayBuffer());
      const next = crlNextUpdate(body);
      const ttl = Math.min(next ? next.getTime() - clock() : defaultTtl, maxTtl);
      // Stale data (nextUpdate past) is used once, not shared; core judges its freshness itself.
      if (ttl > 0 && body.length <= maxBytes) await redis.set(key, Buffer.from(body), 'PX', Math.floor(ttl)).catch(() => {});
      return answer(body);
    } finally {
      await redis.eval(RELEASE, 1, lock, token).catch(() => {});
    }
  };

  const fetch: FetchLike = async (url, init) => {
    if ((init?.method ?? 'GET').toUpperCase() !== 'GET' || init?.body) {
      stats.bypassed++;
      return base(url, init);
    }
    const key = `${prefix}:${createHash('sha256').update(url).digest('hex')}`;
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
    if (mine) return load(url, init, key, lock, token);
    stats.bypassed++;
    return base(url, init);
  };
  return { fetch, stats };
}
