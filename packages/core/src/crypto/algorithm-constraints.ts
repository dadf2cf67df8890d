/**
 * Cryptographic constraints in one table: which digests and key sizes a
 * verifier calls weak, and from when (ETSI TS 119 312 and ETSI TS 119 172-4
 * "cryptographic constraints", as EU DSS applies them per algorithm and date).
 * The facts record what is weak ({@link weakAlgorithms}); a validation policy
 * decides what it still accepts. An algorithm decision is a row here, not a
 * comparison spread over the verifier.
 */
import type { DigestName } from './algorithm-table.js';

/** One row: an algorithm, or a key type below a size, and when it stopped being acceptable for new signatures. */
export interface CryptoConstraint {
  readonly kind: 'digest' | 'key';
  /** A digest name ('SHA-1') or a key type ('RSA'). */
  readonly algorithm: string;
  /** Keys only: sizes strictly below this are weak. */
  readonly minBits?: number;
  /** ISO 8601 date from which signatures made with it are weak (NIST SP 800-131A Rev. 2 §3, §9 for signature generation). */
  readonly weakFrom: string;
  /** Where the row comes from. */
  readonly reference: string;
}

/**
 * kyso's constraints. Without a date, every row applies (the facts list any
 * algorithm that is weak today); {@link isWeakAt} reads the dates for a
 * policy that judges a signature at the time it was made.
 */
export const CRYPTO_CONSTRAINTS: readonly CryptoConstraint[] = Object.freeze(([
  { kind: 'digest', algorithm: 'MD5', weakFrom: '2011-03-01T00:00:00Z', reference: 'RFC 6151 §2' },
  { kind: 'digest', algorithm: 'SHA-1', weakFrom: '2014-01-01T00:00:00Z', reference: 'NIST SP 800-131A Rev. 2 §9; ETSI TS 119 312 §6.2.2' },
  { kind: 'key', algorithm: 'RSA', minBits: 2048, weakFrom: '2014-01-01T00:00:00Z', reference: 'NIST SP 800-131A Rev. 2 §3; ETSI TS 119 312 §6.2.1' },
] satisfies CryptoConstraint[]).map((row) => Object.freeze(row)));

/** A key, as far as the constraints look at it. */
export interface ConstrainedKey {
  readonly keyAlgorithm: string;
  readonly keyBits: number;
}

/** The constraint row that makes a digest or key weak, or null when none does. */
export function constraintFor(subject: { readonly digest: string } | { readonly key: ConstrainedKey }): CryptoConstraint | null {
  if ('digest' in subject) return CRYPTO_CONSTRAINTS.find((c) => c.kind === 'digest' && c.algorithm === subject.digest) ?? null;
  const { keyAlgorithm, keyBits } = subject.key;
  return CRYPTO_CONSTRAINTS.find((c) => c.kind === 'key' && c.algorithm === keyAlgorithm && keyBits < (c.minBits ?? 0)) ?? null;
}

/**
 * A weak algorithm as the verification facts record it (`CmsFacts.weakAlgorithms`): the kind and algorithm
 * of the row that calls it weak, and for a key its size. Plain JSON data, read by field: a policy never
 * parses a name back (issue 18).
 */
export type WeakAlgorithm =
  | { readonly kind: 'digest'; readonly algorithm: DigestName | string }
  | { readonly kind: 'key'; readonly algorithm: string; readonly bits: number };

/**
 * The weak algorithms among a signature's digests and key, each once, digests
 * first. Every row applies regardless of date (see {@link isWeakAt} for dates).
 */
export function weakAlgorithms(used: { readonly digests: readonly (DigestName | string | null | undefined)[]; readonly key?: ConstrainedKey | null }): WeakAlgorithm[] {
  const out: WeakAlgorithm[] = [];
  for (const d of used.digests) {
    if (d && constraintFor({ digest: d }) && !out.some((w) => w.algorithm === d)) out.push({ kind: 'digest', algorithm: d });
  }
  if (used.key && constraintFor({ key: used.key })) out.push({ kind: 'key', algorithm: used.key.keyAlgorithm, bits: used.key.keyBits });
  return out;
}

/** How messages and reports name a weak algorithm: the digest ('SHA-1') or the key type and size ('RSA-1024'). */
export function weakAlgorithmName(weak: WeakAlgorithm): string {
  return weak.kind === 'digest' ? weak.algorithm : `${weak.algorithm}-${weak.bits}`;
}

/** True when the row applies to a signature made at `at` (its `weakFrom` is not after `at`). */
export function isWeakAt(constraint: CryptoConstraint, at: Date): boolean {
  return at.getTime() >= Date.parse(constraint.weakFrom);
}
