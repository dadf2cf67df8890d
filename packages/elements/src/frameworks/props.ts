/**
 * What a framework may set on each element: its properties (camelCase, any
 * value, including objects such as `adapter` or `data`) and its attributes
 * (kebab-case strings). Shared by the React and Vue typings.
 *
 * @packageDocumentation
 */
import type { CertificatePicker } from '../certificate-picker/certificate-picker.js';
import type { PdfPageView } from '../pdf-page-view/pdf-page-view.js';
import type { SignDocument } from '../sign-document/sign-document.js';
import type { SignaturePanel } from '../signature-panel/signature-panel.js';
import type { VerifyBadge } from '../verify-badge/verify-badge.js';
import type { KysoEventMap } from '../shared/event-map.js';

type Settable<E, K extends keyof E> = { [P in K]?: E[P] };

/** `<sign-document>`: properties and attributes. */
export type SignDocumentProps = Settable<SignDocument,
  'src' | 'file' | 'data' | 'signatureRole' | 'adapter' | 'level' | 'tsaUrl' | 'fetch' | 'placement' | 'anchor' | 'anchorPosition'
  | 'image' | 'docNumber' | 'copyForm' | 'reason' | 'trust' | 'revocation' | 'client' | 'lang'> & {
  /** The Decree 30 role (not `role`, the element's ARIA role). */
  'signature-role'?: SignDocument['signatureRole'];
  'tsa-url'?: string;
  'anchor-position'?: SignDocument['anchorPosition'];
  'doc-number'?: string;
  'copy-form'?: SignDocument['copyForm'];
};

/** `<verify-badge>`: properties and attributes. */
export type VerifyBadgeProps = Settable<
  VerifyBadge, 'src' | 'data' | 'transferData' | 'trustProfile' | 'revocation' | 'trust' | 'fetch' | 'at' | 'client' | 'lang'
> & {
  'trust-profile'?: VerifyBadge['trustProfile'];
  'transfer-data'?: boolean;
};

/** `<signature-panel>`: properties. */
export type SignaturePanelProps = Settable<SignaturePanel, 'report' | 'data' | 'lang'>;

/** `<pdf-page-view>`: properties and attributes. */
export type PdfPageViewProps = Settable<PdfPageView, 'src' | 'data' | 'scale' | 'page' | 'overlays' | 'lang'>;

/** `<certificate-picker>`: properties. */
export type CertificatePickerProps = Settable<CertificatePicker, 'adapter' | 'selected' | 'at' | 'lang'>;

/** Each tag's props. */
export interface KysoElementProps {
  'sign-document': SignDocumentProps;
  'verify-badge': VerifyBadgeProps;
  'signature-panel': SignaturePanelProps;
  'pdf-page-view': PdfPageViewProps;
  'certificate-picker': CertificatePickerProps;
}

/** Each tag's element class. */
export interface KysoElementClasses {
  'sign-document': SignDocument;
  'verify-badge': VerifyBadge;
  'signature-panel': SignaturePanel;
  'pdf-page-view': PdfPageView;
  'certificate-picker': CertificatePicker;
}

/** The events each tag fires (its own and those that bubble out of the elements it embeds). */
export interface KysoElementEvents {
  'sign-document': 'kyso-before-sign' | 'kyso-signed' | 'kyso-error' | 'kyso-certificate-selected';
  'verify-badge': 'kyso-verified' | 'kyso-error';
  'signature-panel': 'kyso-changes' | 'kyso-report-copied' | 'kyso-error';
  'pdf-page-view': 'kyso-document-loaded' | 'kyso-page-rendered' | 'kyso-page-change' | 'kyso-page-click' | 'kyso-error';
  'certificate-picker': 'kyso-certificate-selected' | 'kyso-error';
}

/** A listener of kyso event `K`. */
export type KysoListener<K extends keyof KysoEventMap> = (event: KysoEventMap[K]) => void;
