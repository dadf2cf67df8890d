/**
 * node:crypto, when this realm is Node, for the software-key path
 * (docs/decisions/0037-software-key-start-up.md).
 *
 * Reached through `process.getBuiltinModule` (Node ≥ 20.16) rather than an
 * import, so that a browser bundle never sees a `node:` specifier and the
 * same module serves both: where it returns `undefined` (pages, workers,
 * Node without the function), the callers use WebCrypto as before.
 *
 * Why not WebCrypto in Node too: a `kyso sign` process opens one PKCS#12
 * file and signs once, and Node's WebCrypto pays a cold set-up on first use
 * (its CryptoKey classes, ~15–30 ms of a ~300 ms profile) on top of the same
 * OpenSSL calls node:crypto makes directly. Node's WebCrypto is itself built
 * on node:crypto (`importKey('pkcs8')` is `createPrivateKey` plus checks), so
 * both paths give OpenSSL the same bytes and accept the same keys.
 *
 * Only the few functions used are typed here, structurally, so that the
 * package's declarations need nothing from `@types/node`.
 */

/** A node:crypto KeyObject, as far as the adapters look at it. */
export interface NodeKeyObject {
  readonly type: string;
  /** `rsa`, `rsa-pss`, `ec`, `ed25519`, … */
  readonly asymmetricKeyType?: string;
  /** For EC keys the OpenSSL curve name (`prime256v1`, `secp384r1`, `secp521r1`). */
  readonly asymmetricKeyDetails?: { readonly namedCurve?: string };
}

/** The key argument of `sign` / `verify`, with the padding options they take. */
export interface NodeSignKey {
  readonly key: NodeKeyObject;
  readonly padding?: number;
  readonly saltLength?: number;
  readonly dsaEncoding?: 'der' | 'ieee-p1363';
}

/** The part of node:crypto the software-key path uses. */
export interface NodeCrypto {
  createPrivateKey(input: { key: Uint8Array; format: 'der'; type: 'pkcs8' }): NodeKeyObject;
  createPublicKey(input: { key: Uint8Array; format: 'der'; type: 'spki' }): NodeKeyObject;
  sign(algorithm: string, data: Uint8Array, key: NodeSignKey, callback: (error: Error | null, signature: Uint8Array) => void): void;
  verify(algorithm: string, data: Uint8Array, key: NodeSignKey, signature: Uint8Array): boolean;
  createHash(algorithm: string): { update(data: Uint8Array): { digest(): Uint8Array } };
  /** One-shot digest (Node ≥ 20.12), cheaper per call than `createHash`. */
  hash?(algorithm: string, data: Uint8Array, outputEncoding: 'buffer'): Uint8Array;
  createHmac(algorithm: string, key: Uint8Array): { update(data: Uint8Array): { digest(): Uint8Array } };
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
  pbkdf2(
    password: Uint8Array, salt: Uint8Array, iterations: number, keylen: number, digest: string,
    callback: (error: Error | null, key: Uint8Array) => void,
  ): void;
  createDecipheriv(algorithm: string, key: Uint8Array, iv: Uint8Array): { update(data: Uint8Array): Uint8Array; final(): Uint8Array };
  readonly constants: { readonly RSA_PKCS1_PADDING: number; readonly RSA_PKCS1_PSS_PADDING: number };
}

/**
 * node:crypto, or `undefined` outside Node. Looked up on each call (a map
 * lookup inside Node), so that a test can take it away to run the WebCrypto
 * path on the same inputs.
 */
export function nodeCrypto(): NodeCrypto | undefined {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return (host?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined) ?? undefined;
}

/** node:crypto's name of a WebCrypto hash (`SHA-256` → `sha256`). */
export function nodeHashName(hash: string): string {
  return hash.replace('-', '').toLowerCase();
}
