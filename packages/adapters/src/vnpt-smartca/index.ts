import { Sp769Client, type Sp769ClientOptions } from './sp769-client.js';
import { SmartCaThClient, type SmartCaThClientOptions } from './th-client.js';

export { Sp769Client, SP769_DEFAULT_MESSAGES, type Sp769ClientOptions, type Sp769MessageKind, type Sp769Paths } from './sp769-client.js';
export {
  SmartCaThClient, SMARTCA_TH_DEFAULT_MESSAGES, type SmartCaThAuthorization, type SmartCaThClientOptions, type SmartCaThFailure,
} from './th-client.js';

/** VNPT SmartCA's production gateway (`sp769`); UAT is `https://rmgateway.vnptit.vn/sca/sp769`. */
export const VNPT_SMARTCA_URL = 'https://gwsca.vnpt.vn/sca/sp769';

/**
 * VNPT SmartCA (`sp769` API, "Tài liệu tích hợp VNPT SmartCA" §3): server-side
 * client for {@link RemoteSigningBackend}. Register `<your back end>/callback`
 * as the webhook URL with VNPT.
 */
export function vnptSmartCaClient(options: Sp769ClientOptions): Sp769Client {
  return new Sp769Client('vnpt-smartca', {
    certificate: 'v1/credentials/get_certificate', sign: 'v1/signatures/sign', status: 'v1/signatures/sign/{id}/status',
  }, options);
}

/**
 * VNPT SmartCA "TH" (password + OTP, no phone confirmation; for batch runs and
 * e-seals): server-side client for {@link RemoteSigningBackend}. Same base URL
 * as {@link vnptSmartCaClient}; `authorize` supplies the subscriber's password
 * and current OTP for each signing.
 */
export function vnptSmartCaThClient(options: SmartCaThClientOptions): SmartCaThClient {
  return new SmartCaThClient(options);
}
