import { SignDocument } from './sign-document.js';

/** Registers `<sign-document>` (and the `<certificate-picker>` and `<pdf-page-view>` it uses) unless the page already has it. */
if (!customElements.get('sign-document')) customElements.define('sign-document', SignDocument);

export { SignDocument };
export type { BeforeSignDetail, SignedDetail, SignErrorDetail } from './sign-document.js';

declare global {
  interface HTMLElementTagNameMap {
    'sign-document': SignDocument;
  }
}
