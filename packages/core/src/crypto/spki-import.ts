/**
 * WebCrypto public keys for `verify`, imported once per key and algorithm.
 * A verification imports the signer's key and every issuer's along the chain,
 * and an audit meets the same few CA keys in every file: the import (parsing
 * the SubjectPublicKeyInfo into an OpenSSL key in Node) was a fifth of
 * verifying a small file. Public keys only, so keeping them is harmless.
 * @internal
 */
import { bytesToLatin1 } from '../util/bytes.js';
import { RecentMap } from '../util/recent-map.js';
import { subtle, toArrayBufferView } from './digest.js';

/** A WebCrypto key, typed without the DOM lib. */
export type PublicCryptoKey = Awaited<ReturnType<ReturnType<typeof subtle>['importKey']>>;

/** WebCrypto import parameters of a public key (RSA with its hash, or an EC curve). */
export interface SpkiImportParams {
  readonly name: string;
  readonly hash?: string;
  readonly namedCurve?: string;
}

const imported = new RecentMap<string, Promise<PublicCryptoKey>>(64);

/**
 * The key of a DER SubjectPublicKeyInfo for `verify`. Rejects as WebCrypto
 * does for a key that does not import; a failed import is not remembered.
 */
export function importSpki(spki: Uint8Array, params: SpkiImportParams): Promise<PublicCryptoKey> {
  const id = `${params.name}/${params.hash ?? ''}/${params.namedCurve ?? ''}/${bytesToLatin1(spki)}`;
  return imported.getOrCreate(id, () => {
    const key = subtle().importKey('spki', toArrayBufferView(spki), params as Parameters<ReturnType<typeof subtle>['importKey']>[2], false, ['verify']);
    key.catch(() => imported.delete(id));
    return key;
  });
}
