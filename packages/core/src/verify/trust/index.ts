/** Trust stores and the trust profiles kyso ships (`vn-gov`, `vn-public`). */
export {
  trustProfile, trustFromCertificates, mergeTrust, readCertificates, TRUST_PROFILE_NAMES,
  type TrustStore, type TrustProfileName,
} from './store.js';
