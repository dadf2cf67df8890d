/**
 * kyso's custom elements. Importing this module defines every element; import
 * `@kyso/elements/<name>` to define one (e.g. only `<verify-badge>` on a portal page).
 *
 * @packageDocumentation
 */
export { defaultKysoClient, setDefaultKysoClient } from './shared/client.js';
export { resolveLang, type Lang } from './shared/locale.js';
export { CertificatePicker } from './certificate-picker/define.js';
export { describeCertificate, type CertificateView, type CertificateWarning } from './certificate-picker/describe.js';
export type { CertificateSelectedDetail } from './certificate-picker/certificate-picker.js';
export { SignDocument, type BeforeSignDetail, type SignedDetail, type SignErrorDetail } from './sign-document/define.js';
export type { SigningRole } from './sign-document/strings.js';
export {
  PdfPageView, type PageOverlay, type DocumentLoadedDetail, type PageDetail, type PageClickDetail, type PageGeometry, type PageSpace,
  type ViewBox, type VisiblePoint,
} from './pdf-page-view/define.js';
export { setPdfWorkerSrc } from './shared/pdfjs.js';
export {
  VerifyBadge, documentState, signatureState, displayTime, SEVERITY, type BadgeState, type ReportState, type DocumentState,
} from './verify-badge/define.js';
export { SignaturePanel, diffBoxes, mergeClose, type ChangesDetail, type Raster, type PixelBox, type DiffOptions } from './signature-panel/define.js';
export type { ErrorDetail } from './shared/error-detail.js';
export type { KysoEventMap, KysoEventName, KysoEventDetail, VerifiedDetail, ReportCopiedDetail } from './shared/event-map.js';
export { KysoElement } from './shared/kyso-element.js';
