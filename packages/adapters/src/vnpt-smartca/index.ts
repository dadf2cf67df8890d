import { Sp769Client, type Sp769ClientOptions } from './sp769-client.js';

export { Sp769Client, SP769_DEFAULT_MESSAGES, type Sp769ClientOptions, type Sp769MessageKind, type Sp769Paths } from './sp769-client.js';

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
