/**
 * Key sources for kyso behind the one `SigningAdapter` interface of
 * `@kyso/core`. The software adapters here run in browsers, workers and
 * Node alike: they use WebCrypto (`globalThis.crypto.subtle`) and pkijs only.
 *
 * - {@link Pkcs12Adapter}: a `.p12` / `.pfx` file and its password.
 * - {@link CryptoKeyAdapter}: a WebCrypto `CryptoKey` plus its certificate;
 *   {@link fromPkcs8Pem} builds one from PEM files in Node scripts and tests.
 * - {@link CscAdapter}: a remote signing service speaking the Cloud Signature
 *   Consortium API v2 (remote HSM, confirmation on a phone), with staged
 *   calls whose state is plain JSON and batches under one authorisation.
 * - {@link RemoteSigningAdapter}: the page side of the Vietnamese remote signing
 *   services (RSSP / ETSI TS 119 432, VNPT SmartCA, NEAC eSign, Viettel MySign),
 *   talking to the integrator's {@link RemoteSigningBackend}, which holds a
 *   service client such as {@link RsspClient} (server only: it holds secrets).
 *
 * @packageDocumentation
 */
export { Pkcs12Adapter } from './pkcs12-adapter.js';
export { CryptoKeyAdapter, fromPkcs8Pem, type CryptoKeyAdapterOptions } from './crypto-key-adapter.js';
export * from './csc/index.js';
export * from './vgca/index.js';
export * from './token-agent/index.js';
export * from './remote/index.js';
export * from './rssp/index.js';
export * from './vnpt-smartca/index.js';
export {
  SmartCaCscClient, VNPT_SMARTCA_CSC_URL, vnptSmartCaCscClient, type SmartCaCscClientOptions, type SmartCaCscGrant,
} from './vnpt-smartca/csc-client.js';
export { neacEsignClient, NEAC_ESIGN_URL } from './neac/index.js';
export * from './mysign/index.js';
