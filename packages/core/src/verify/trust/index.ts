/** Trust stores and the trust profiles kyso ships (`vn`, `vn-gov`, `vn-public`). */
export {
  trustProfile, trustFromCertificates, mergeTrust, readCertificates, distrust, certificateFingerprint, TRUST_PROFILE_NAMES,
  type TrustStore, type TrustProfileName,
} from './store.js';
