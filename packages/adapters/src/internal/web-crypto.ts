/**
 * WebCrypto's types as the platform gives them: the DOM library's in a page,
 * `@types/node`'s in Node. Named through `globalThis.crypto` rather than the
 * DOM's global names (`CryptoKey`, `RsaHashedImportParams`, ...), so that a
 * Node-only TypeScript project (no "DOM" in `lib`) can read kyso's
 * declarations with `skipLibCheck: false`.
 */
type Subtle = (typeof globalThis.crypto)['subtle'];

/** A WebCrypto key (`CryptoKey`). */
export type WebCryptoKey = Awaited<ReturnType<Subtle['importKey']>>;
/** The `algorithm` argument of `subtle.importKey`. */
export type ImportAlgorithm = Parameters<Subtle['importKey']>[2];
/** The `algorithm` argument of `subtle.sign` and `subtle.verify`. */
export type SignAlgorithm = Parameters<Subtle['sign']>[0];
