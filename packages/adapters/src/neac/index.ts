import { Sp769Client, type Sp769ClientOptions } from '../vnpt-smartca/sp769-client.js';

/** NEAC's national eSign gateway. */
export const NEAC_ESIGN_URL = 'https://esign.neac.gov.vn';

/**
 * NEAC's eSign gateway ("Cổng eSign", one gateway to every licensed public CA):
 * the `sp769` bodies under `sign_v2/get_certificate` and `sign_v2/sign`, with
 * `ca_name` naming the signer's CA. The status path is not in a public
 * document: `sign_v2/sign/{id}/status` is inferred from the SmartCA shape
 * (pass `statusPath` when the gateway's documentation says otherwise).
 */
export function neacEsignClient(options: Sp769ClientOptions & { readonly caName: string | ((user: string) => string); readonly statusPath?: string }): Sp769Client {
  const { caName, statusPath, ...rest } = options;
  return new Sp769Client('neac', {
    certificate: 'sign_v2/get_certificate', sign: 'sign_v2/sign', status: statusPath ?? 'sign_v2/sign/{id}/status',
  }, { ...rest, extra: (user) => ({ ...(rest.extra?.(user) ?? {}), ca_name: typeof caName === 'function' ? caName(user) : caName }) });
}
