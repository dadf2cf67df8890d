export { CscAdapter, parseCredential, type CscAuthorizeRequest, type CscSignHashRequest, type CscServiceInfo } from './csc-adapter.js';
export { cscSignAlgorithm, pssParams, type CscSignAlgorithm } from './algorithms.js';
export type { CscFetch } from './http.js';
export type {
  CscAdapterOptions, CscAuth, CscAuthDataRequest, CscAuthObject, CscAuthorization, CscConfirmationOptions, CscCredential,
  CscPendingAuthorization,
} from './types.js';
