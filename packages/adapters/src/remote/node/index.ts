/**
 * @packageDocumentation
 * `@kyso/adapters/remote-handler`: the integrator's server half of remote
 * signing (VNPT SmartCA, NEAC eSign, Viettel MySign, RSSP / ETSI TS 119 432),
 * for Node. The page half, {@link RemoteSigningAdapter}, and the service
 * clients are in `@kyso/adapters`.
 */
export { createRemoteSigningHandler, type RemoteSigningHandlerOptions } from './handler.js';
export { fileTransactionStore } from './file-store.js';
