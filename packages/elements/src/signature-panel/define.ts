import '../pdf-page-view/define.js';
import { SignaturePanel } from './signature-panel.js';

/** Registers `<signature-panel>` (and the `<pdf-page-view>` it shows pages with) unless the page already has it. */
if (!customElements.get('signature-panel')) customElements.define('signature-panel', SignaturePanel);

export { SignaturePanel };
export type { ChangesDetail } from './signature-panel.js';
export { diffBoxes, mergeClose, type Raster, type PixelBox, type DiffOptions } from './visual-diff.js';

declare global {
  interface HTMLElementTagNameMap {
    'signature-panel': SignaturePanel;
  }
}
