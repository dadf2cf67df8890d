export { RemoteSigningAdapter, type RemoteSigningAdapterOptions } from './remote-adapter.js';
export {
  RemoteSigningBackend, memoryTransactionStore,
  type RemoteSigningBackendOptions, type RemoteStartInput, type RemoteTransactionRecord, type RemoteTransactionStore,
} from './backend.js';
export { pollUntilSettled, settledError, type PollOptions } from './wait.js';
export type { RemoteFetch } from './http.js';
export type {
  RemoteDelivery, RemoteOutcome, RemoteSigningService, RemoteStartRequest, RemoteStarted, RemoteState, RemoteStatusReply, RemoteTransaction,
} from './types.js';
