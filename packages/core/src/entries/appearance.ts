/**
 * `@kyso/core/appearance`: the visible signature's appearance, for pages that
 * preview it or place it themselves: labels and time in the Vietnamese
 * administrative style (Decree 30/2020/NĐ-CP), seal sizes and placements, the
 * default font, and the builder (which loads pdf-lib and fontkit on first call).
 * @packageDocumentation
 */
export type {
  SignatureRole, AppearanceImage, CopyForm, AppearanceOptions, AppearanceBox, PageRotation, BuildAppearanceInput, BuiltAppearance,
} from '../pdf/appearance/types.js';
export { formatVietnamTime } from '../pdf/appearance/time.js';
export { appearanceLines, APPEARANCE_LABELS } from '../pdf/appearance/labels.js';
export { PT_PER_MM, sealSizePt, placeIssueSeal, placeTopRight, type Rect, type Size } from '../pdf/appearance/layout.js';
export { loadDefaultFont, setDefaultFontLoader, type FontLoader } from '../pdf/appearance/default-font.js';
export { buildAppearance } from '../pdf/appearance/lazy.js';
