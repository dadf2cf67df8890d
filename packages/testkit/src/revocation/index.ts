/** Local OCSP responder and CRL server for revocation tests, and a fetch that routes the test PKI's URLs to them. */
export {
  startOcspResponder, startCrlServer, OCSP_MODES, CRL_MODES,
  type OcspMode, type OcspResponder, type OcspResponderOptions, type CrlMode, type CrlServer, type CrlServerOptions,
} from './servers.js';
export { ocspAnswer, ocspErrorAnswer, type OcspAnswerOptions } from './ocsp-response.js';
export { routeFetch, pkiRoutes, type RoutedFetch } from './route-fetch.js';
export { startScriptedRevocationServer, type ScriptedRevocationServer } from './scripted-server.js';
export { startPkiRevocation, type PkiRevocation } from './pki-revocation.js';
