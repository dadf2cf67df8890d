import { createHash, timingSafeEqual } from 'node:crypto';

/** What an API-key check found: the index of the matching configured key (for logs and rate limits), or null. */
export type KeyCheck = { readonly ok: true; readonly keyId: string } | { readonly ok: false };

/**
 * Checks `Authorization: Bearer KEY` against the configured keys. Every configured key is compared,
 * in constant time over SHA-256 digests (equal lengths, so `timingSafeEqual` applies and the length of
 * a key leaks nothing), and the loop never stops early: the time taken does not tell which key, or
 * how much of one, matched.
 */
export function apiKeyChecker(keys: readonly string[]): (authorization: string | undefined) => KeyCheck {
  const digests = keys.map((k) => createHash('sha256').update(k, 'utf8').digest());
  return (authorization) => {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
    // Digest something even without a key, so a missing header costs the same as a wrong one.
    const given = createHash('sha256').update(match?.[1] ?? '', 'utf8').digest();
    let found = -1;
    for (let i = 0; i < digests.length; i++) {
      if (timingSafeEqual(given, digests[i]!) && found < 0) found = i;
    }
    return match && found >= 0 ? { ok: true, keyId: `key${found + 1}` } : { ok: false };
  };
}
