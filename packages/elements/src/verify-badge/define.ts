import { VerifyBadge } from './verify-badge.js';

/** Registers `<verify-badge>` unless the page already has it (two bundles on one page). */
if (!customElements.get('verify-badge')) customElements.define('verify-badge', VerifyBadge);

export { VerifyBadge };
export { documentState, signatureState, displayTime, SEVERITY, type BadgeState, type ReportState, type DocumentState } from './badge-state.js';

declare global {
  interface HTMLElementTagNameMap {
    'verify-badge': VerifyBadge;
  }
}
