// A vendor's own code against the installed @kyso/elements: every kyso-* event is typed by name (on an element,
// on document.body and on document), kyso-error carries {code, message, cause}, and Vue's GlobalComponents know the
// five tags. Each @ts-expect-error is an attack on the typings: unused, it fails the type-check.
import '@kyso/elements/verify-badge';
import '@kyso/elements/sign-document';
import type { ErrorDetail, KysoEventMap, SignedDetail } from '@kyso/elements';
import type { GlobalComponents } from 'vue';
import type {} from '@kyso/elements/vue';

const badge = document.querySelector('verify-badge')!;
badge.addEventListener('kyso-verified', (e) => {
  const count: number = e.detail.signatures.length;
  return count;
});
// @ts-expect-error -- the report has no such field: the detail is typed, not any
badge.addEventListener('kyso-verified', (e) => e.detail.nope);

const signer = document.createElement('sign-document');
signer.signatureRole = 'issue';
signer.addEventListener('kyso-signed', (e) => {
  const bytes: Uint8Array = e.detail.bytes;
  return bytes;
});
signer.addEventListener('kyso-before-sign', (e) => e.preventDefault());
document.addEventListener('kyso-error', (e) => {
  const detail: ErrorDetail = e.detail;
  const code: string = detail.code;
  return [code, detail.cause];
});
document.body.addEventListener('kyso-page-click', (e) => e.detail.page + e.detail.x);
// @ts-expect-error -- a code that does not exist
export const wrong: ErrorDetail['code'] = 'ERR_NOT_A_CODE';
export type Signed = KysoEventMap['kyso-signed'] extends CustomEvent<SignedDetail> ? true : never;

type Props<T extends keyof GlobalComponents> = InstanceType<GlobalComponents[T]>['$props'];
export const vueSigner: Props<'sign-document'> = {
  'signature-role': 'issue', src: '/doc.pdf',
  onKysoSigned: (e) => e.detail.bytes.byteLength,
  onKysoError: (e) => e.detail.code,
};
// @ts-expect-error -- not a Decree 30 role
export const vueWrongRole: Props<'sign-document'> = { 'signature-role': 'boss' };
