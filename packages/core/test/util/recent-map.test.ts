import { describe, expect, it } from 'vitest';
import { hashBytes, RecentBytesMap, RecentMap } from '../../src/util/recent-map.js';

describe('RecentMap', () => {
  it('keeps at most its limit, forgetting the least recently used first', () => {
    const m = new RecentMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    expect(m.get('a')).toBe(1); // a is now the most recent
    m.set('c', 3);
    expect([m.get('a'), m.get('b'), m.get('c')]).toEqual([1, undefined, 3]);
  });
});

describe('RecentBytesMap: keyed by byte content', () => {
  it('finds an entry through any array holding the same bytes, and only through those', () => {
    const m = new RecentBytesMap<string>(8);
    m.set(Uint8Array.of(1, 2, 3), 'x');
    expect(m.get(new Uint8Array([1, 2, 3]))).toBe('x');
    expect(m.get(Uint8Array.of(0, 1, 2, 3, 4).subarray(1, 4))).toBe('x');
    expect(m.get(Uint8Array.of(1, 2))).toBeUndefined();
    expect(m.get(Uint8Array.of(1, 2, 3, 0))).toBeUndefined();
    expect(m.get(Uint8Array.of(1, 2, 4))).toBeUndefined();
    expect(m.get(new Uint8Array(0))).toBeUndefined();
  });

  it('keeps its own copy of the key: changing the caller’s array afterwards changes nothing', () => {
    const m = new RecentBytesMap<string>(8);
    const key = Uint8Array.of(9, 9, 9);
    m.set(key, 'nines');
    key[0] = 1;
    expect(m.get(Uint8Array.of(9, 9, 9))).toBe('nines');
    expect(m.get(key)).toBeUndefined();
  });

  it('tells apart keys whose hashes collide, by comparing the bytes', () => {
    const m = new RecentBytesMap<string>(8);
    const [a, b] = collidingPair();
    m.set(a, 'a');
    m.set(b, 'b');
    expect([m.get(a), m.get(b), m.size]).toEqual(['a', 'b', 2]);
    // A long key is hashed from a sample of its bytes: keys differing only outside the sample share a hash.
    const long = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31) & 0xff);
    const other = long.slice();
    other[33] ^= 0xff;
    expect(hashBytes(other)).toBe(hashBytes(long));
    m.set(long, 'long');
    expect(m.get(other)).toBeUndefined();
    m.set(other, 'other');
    expect([m.get(long), m.get(other)]).toEqual(['long', 'other']);
  });

  it('forgets the least recently used entry past its limit', () => {
    const m = new RecentBytesMap<number>(2);
    m.set(Uint8Array.of(1), 1);
    m.set(Uint8Array.of(2), 2);
    m.get(Uint8Array.of(1));
    m.set(Uint8Array.of(3), 3);
    expect([m.get(Uint8Array.of(1)), m.get(Uint8Array.of(2)), m.get(Uint8Array.of(3)), m.size]).toEqual([1, undefined, 3, 2]);
  });

  it('getOrCreate makes a value once, keeps null, and keeps nothing when making throws', () => {
    const m = new RecentBytesMap<number | null>(4);
    let made = 0;
    const make = () => (made++, 7);
    expect(m.getOrCreate(Uint8Array.of(5), make)).toBe(7);
    expect(m.getOrCreate(Uint8Array.of(5), make)).toBe(7);
    expect(made).toBe(1);
    expect(m.getOrCreate(Uint8Array.of(6), () => null)).toBeNull();
    expect(m.getOrCreate(Uint8Array.of(6), () => 1)).toBeNull();
    expect(() => m.getOrCreate(Uint8Array.of(8), () => { throw new Error('no'); })).toThrow('no');
    expect(m.get(Uint8Array.of(8))).toBeUndefined();
  });
});

/** Two different short arrays (hashed whole) with the same hash: a birthday search over a fixed sequence. */
function collidingPair(): [Uint8Array, Uint8Array] {
  const seen = new Map<number, Uint8Array>();
  let s = 12345;
  for (;;) {
    const b = new Uint8Array(6);
    for (let k = 0; k < 6; k++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      b[k] = s >>> 24;
    }
    const h = hashBytes(b);
    const other = seen.get(h);
    if (other && !other.every((x, i) => x === b[i])) return [other, b];
    seen.set(h, b);
  }
}
