/**
 * One fetch per revocation URL, shared by every verification that uses the
 * same `fetch`: an audit of a thousand documents signed under one CA asks
 * that CA's CRL server once, not a thousand times (which is what makes such
 * servers answer 503 and turns verdicts to "unknown" under load).
 *
 * Entries are kept until the data's own nextUpdate (RFC 5280 §5.1.2.5 for a
 * CRL, RFC 6960 §4.2.2.1 for an OCSP response), never longer than a ceiling,
 * and the cache is bounded in entries and bytes. Concurrent requests for the
 * same key share one exchange (single flight). Failures are never kept: the
 * next verification tries again.
 */
import type { FetchLike } from '../../options.js';

/** Limits of a {@link RevocationFetchCache}. */
export interface RevocationFetchCacheOptions {
  /** Most entries kept; the least recently used go first. Default 512. */
  readonly maxEntries?: number;
  /** Most bytes of bodies kept. Default 64 MiB. */
  readonly maxBytes?: number;
  /** How long data without a nextUpdate is kept; default 5 minutes. */
  readonly defaultTtlMs?: number;
  /** Ceiling for any entry, whatever its nextUpdate says; default 24 hours. */
  readonly maxTtlMs?: number;
  /** Milliseconds since the epoch; default `Date.now`. */
  readonly clock?: () => number;
}

/** What a load gives to keep: the body, until when it is fresh, and anything the user of the body needs (e.g. the OCSP nonce). */
export interface Loaded<M> {
  readonly body: Uint8Array;
  readonly freshUntil: Date | null;
  readonly meta: M;
}

interface Entry {
  readonly value: Loaded<unknown>;
  readonly expires: number;
}

/** Counters, for tests and diagnostics. */
export interface RevocationFetchCacheStats {
  /** Loads started (exchanges with the network, retries counted once). */
  readonly loads: number;
  /** Answers served from kept data or from a load already under way. */
  readonly hits: number;
  readonly entries: number;
  readonly bytes: number;
}

/** A bounded, single-flight cache of fetched revocation data, keyed by request (see the module comment). */
export class RevocationFetchCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Loaded<unknown> | string>>();
  private bytes = 0;
  private loads = 0;
  private hits = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly defaultTtlMs: number;
  private readonly maxTtlMs: number;
  private readonly clock: () => number;

  constructor(options: RevocationFetchCacheOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 512);
    this.maxBytes = Math.max(0, options.maxBytes ?? 64 * 1024 * 1024);
    this.defaultTtlMs = Math.max(0, options.defaultTtlMs ?? 5 * 60_000);
    this.maxTtlMs = Math.max(0, options.maxTtlMs ?? 24 * 3600_000);
    this.clock = options.clock ?? Date.now;
  }

  /**
   * The kept value for `key` while fresh; else the result of the load under
   * way for it; else starts `load`. A failure (a string) is handed to every
   * waiter of that load and not kept.
   */
  async get<M>(key: string, load: () => Promise<Loaded<M> | string>): Promise<Loaded<M> | string> {
    const now = this.clock();
    const kept = this.entries.get(key);
    if (kept && kept.expires > now) {
      // Most recently used last: Map keeps insertion order, so eviction takes the oldest.
      this.entries.delete(key);
      this.entries.set(key, kept);
      this.hits++;
      return kept.value as Loaded<M>;
    }
    if (kept) this.drop(key);
    const running = this.pending.get(key);
    if (running) {
      this.hits++;
      return running as Promise<Loaded<M> | string>;
    }
    this.loads++;
    const started = load().then(
      (v) => {
        if (typeof v !== 'string') this.keep(key, v);
        return v;
      },
      (e: unknown) => `${key}: ${e instanceof Error ? e.message : String(e)}`,
    ).finally(() => this.pending.delete(key));
    this.pending.set(key, started);
    return started as Promise<Loaded<M> | string>;
  }

  /** Loads, hits and what is kept now. */
  stats(): RevocationFetchCacheStats {
    return { loads: this.loads, hits: this.hits, entries: this.entries.size, bytes: this.bytes };
  }

  /** Forgets everything kept (loads under way finish and are kept). */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private keep(key: string, value: Loaded<unknown>): void {
    const now = this.clock();
    const until = value.freshUntil ? value.freshUntil.getTime() : now + this.defaultTtlMs;
    const expires = Math.min(until, now + this.maxTtlMs);
    // Stale data (nextUpdate already past) and bodies larger than the whole budget are used once, not kept.
    if (!(expires > now) || value.body.length > this.maxBytes) return;
    this.drop(key);
    this.entries.set(key, { value, expires });
    this.bytes += value.body.length;
    for (const [k] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.drop(k);
    }
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.value.body.length;
  }
}

const shared = new WeakMap<FetchLike, RevocationFetchCache>();

/**
 * The cache shared by every verification given this same `fetch` function:
 * one per process for the CLI, one per worker thread for `kyso audit`, one per
 * application that keeps passing its `fetch`. Keyed by the function, so two
 * callers routing URLs differently never see each other's answers.
 */
export function revocationCacheFor(fetch: FetchLike): RevocationFetchCache {
  let cache = shared.get(fetch);
  if (!cache) {
    cache = new RevocationFetchCache();
    shared.set(fetch, cache);
  }
  return cache;
}
