import { CertificatePicker } from './certificate-picker.js';

/** Registers `<certificate-picker>` unless the page already has it (two bundles on one page). */
if (!customElements.get('certificate-picker')) customElements.define('certificate-picker', CertificatePicker);

export { CertificatePicker };

declare global {
  interface HTMLElementTagNameMap {
    'certificate-picker': CertificatePicker;
  }
}
