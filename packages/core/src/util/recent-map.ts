import { equalBytes } from './bytes.js';

/**
 * A map that keeps at most `limit` entries, forgetting the least recently
 * used first: the caches of work that depends only on a certificate or a
 * key, which a process meets again and again but must not hoard.
 */
export class RecentMap<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly limit: number) {}

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // Most recently used last, so the oldest is the first key.
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.limit) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, value);
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  /** The value for `key`, made by `make` (and kept) when there is none. */
  getOrCreate(key: K, make: () => V): V {
    let value = this.get(key);
    if (value === undefined) this.set(key, (value = make()));
    return value;
  }
}

interface BytesEntry<V> {
  /** A private copy of the key: a caller changing its array afterwards cannot change what the entry is for. */
  readonly key: Uint8Array;
  readonly hash: number;
  value: V;
}

/**
 * A {@link RecentMap} keyed by byte content: the caches of work that depends only on an encoding (a
 * certificate, an AlgorithmIdentifier, a signed attribute), which arrive as new arrays holding the same bytes
 * in every file of an audit. A lookup hashes a sample of the bytes (see hashBytes) and compares them in full
 * with each entry of the same hash, so two encodings share an entry only when they are equal byte for byte;
 * no text key is built (a latin1 string of a certificate cost more than the comparison).
 */
export class RecentBytesMap<V> {
  readonly #buckets = new Map<number, BytesEntry<V>[]>();
  /** Every entry, least recently used first. */
  readonly #order = new Set<BytesEntry<V>>();

  constructor(readonly limit: number) {}

  get size(): number {
    return this.#order.size;
  }

  get(key: Uint8Array): V | undefined {
    const entry = this.#find(key, hashBytes(key));
    if (!entry) return undefined;
    this.#touch(entry);
    return entry.value;
  }

  set(key: Uint8Array, value: V): void {
    this.#put(key, hashBytes(key), value);
  }

  /** The value for `key`, made by `make` (and kept) when there is none; nothing is kept when `make` throws. */
  getOrCreate(key: Uint8Array, make: () => V): V {
    const hash = hashBytes(key);
    const entry = this.#find(key, hash);
    if (entry) {
      this.#touch(entry);
      return entry.value;
    }
    const value = make();
    this.#put(key, hash, value);
    return value;
  }

  #find(key: Uint8Array, hash: number): BytesEntry<V> | undefined {
    const bucket = this.#buckets.get(hash);
    if (bucket) for (const entry of bucket) if (equalBytes(entry.key, key)) return entry;
    return undefined;
  }

  #touch(entry: BytesEntry<V>): void {
    this.#order.delete(entry);
    this.#order.add(entry);
  }

  #put(key: Uint8Array, hash: number, value: V): void {
    const known = this.#find(key, hash);
    if (known) {
      known.value = value;
      this.#touch(known);
      return;
    }
    if (this.#order.size >= this.limit) {
      const oldest = this.#order.values().next().value!;
      this.#order.delete(oldest);
      const bucket = this.#buckets.get(oldest.hash)!;
      if (bucket.length === 1) this.#buckets.delete(oldest.hash);
      else bucket.splice(bucket.indexOf(oldest), 1);
    }
    const entry: BytesEntry<V> = { key: key.slice(), hash, value };
    const bucket = this.#buckets.get(hash);
    if (bucket) bucket.push(entry);
    else this.#buckets.set(hash, [entry]);
    this.#order.add(entry);
  }
}

/**
 * 32-bit FNV-1a over the length and at most {@link SAMPLED} bytes: all of a short key, else its first 32, 32
 * spread over its middle and its last 64 (a certificate's signature value, a message digest: what tells
 * encodings of one kind apart). Equality is always checked in full, so the sample only decides how many
 * entries a lookup compares, never whether it matches: a lookup hashes ~130 bytes, not a whole certificate.
 * @internal (exported for tests)
 */
export function hashBytes(bytes: Uint8Array): number {
  const n = bytes.length;
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  if (n <= SAMPLED) {
    for (let i = 0; i < n; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    return h >>> 0;
  }
  for (let i = 0; i < 32; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  const step = Math.floor((n - 96) / 32);
  for (let i = 0, at = 32; i < 32; i++, at += step) h = Math.imul(h ^ bytes[at]!, 0x01000193);
  for (let i = n - 64; i < n; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

const SAMPLED = 128;
