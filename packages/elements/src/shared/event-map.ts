import type { VerificationReport } from '@kyso/core';
import type { CertificateSelectedDetail } from '../certificate-picker/certificate-picker.js';
import type { DocumentLoadedDetail, PageClickDetail, PageDetail } from '../pdf-page-view/pdf-page-view.js';
import type { BeforeSignDetail, SignedDetail } from '../sign-document/sign-document.js';
import type { ChangesDetail } from '../signature-panel/signature-panel.js';
import type { ErrorDetail } from './error-detail.js';

/** Detail of `kyso-verified`: the verification report of `<verify-badge>`'s document. */
export type VerifiedDetail = VerificationReport;
/** `kyso-report-copied` carries no detail. */
export type ReportCopiedDetail = null;

/**
 * Every event kyso's elements fire, by name. All bubble and are composed
 * (they cross the shadow roots of elements that embed others). Merged into
 * `HTMLElementEventMap`, so that `addEventListener('kyso-verified', (e) =>
 * e.detail.signatures)` type-checks on any element or on `document`.
 */
export interface KysoEventMap {
  /** Any element: a failure; `detail.code` is stable, `detail.message` is in the element's language, `detail.cause` is for developers. */
  'kyso-error': CustomEvent<ErrorDetail>;
  /** `<certificate-picker>` (also from inside `<sign-document>`): a certificate was chosen. */
  'kyso-certificate-selected': CustomEvent<CertificateSelectedDetail>;
  /** `<sign-document>`: cancelable; `preventDefault()` stops signing. */
  'kyso-before-sign': CustomEvent<BeforeSignDetail>;
  /** `<sign-document>`: the signed PDF and its verification report. */
  'kyso-signed': CustomEvent<SignedDetail>;
  /** `<verify-badge>`: verification finished. */
  'kyso-verified': CustomEvent<VerifiedDetail>;
  /** `<pdf-page-view>`: the document was opened. */
  'kyso-document-loaded': CustomEvent<DocumentLoadedDetail>;
  /** `<pdf-page-view>`: a page was drawn. */
  'kyso-page-rendered': CustomEvent<PageDetail>;
  /** `<pdf-page-view>`: the current page changed. */
  'kyso-page-change': CustomEvent<PageDetail>;
  /** `<pdf-page-view>`: a page was clicked, at a point in visible page space. */
  'kyso-page-click': CustomEvent<PageClickDetail>;
  /** `<signature-panel>`: the comparison for one signature finished. */
  'kyso-changes': CustomEvent<ChangesDetail>;
  /** `<signature-panel>`: the JSON report was copied to the clipboard. */
  'kyso-report-copied': CustomEvent<ReportCopiedDetail>;
}

/** The name of one of kyso's events. */
export type KysoEventName = keyof KysoEventMap;
/** The detail type of the event `K`. */
export type KysoEventDetail<K extends KysoEventName> = KysoEventMap[K] extends CustomEvent<infer D> ? D : never;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merges kyso's events into the DOM's map
  interface HTMLElementEventMap extends KysoEventMap {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- listeners on `document` see them too (they are composed and bubble)
  interface DocumentEventMap extends KysoEventMap {}
}
