// React 19 JSX for the installed @kyso/elements: the five tags in JSX.IntrinsicElements, properties, kebab-case
// attributes and on<event> listeners typed. Each @ts-expect-error is an attack on the typings.
import '@kyso/elements/sign-document';
import '@kyso/elements/verify-badge';
import type {} from '@kyso/elements/react';

export const signer = (
  <sign-document signature-role="issue" src="/doc.pdf" level="B-T" tsa-url="/tsa" className="wide"
    onkyso-signed={(e) => e.detail.bytes.byteLength}
    onkyso-error={(e) => console.log(e.detail.code, e.detail.cause)} />
);
export const badge = <verify-badge src="/doc.pdf" trust-profile="vn-gov" onkyso-verified={(e) => e.detail.signatures.length} />;
// @ts-expect-error -- not a Decree 30 role
export const wrongRole = <sign-document signature-role="boss" />;
// @ts-expect-error -- the report has no such field
export const wrongDetail = <verify-badge onkyso-verified={(e) => e.detail.nope} />;
