export type {
  SignatureRole, AppearanceImage, CopyForm, AppearanceOptions, AppearanceBox, PageRotation,
  BuildAppearanceInput, BuiltAppearance,
} from './types.js';
export { buildAppearance, rotationMatrix } from './build.js';
export { textBlockSize } from './text-size.js';
export { formatVietnamTime } from './time.js';
export { appearanceLines, showsText, APPEARANCE_LABELS, type AppearanceTextInput } from './labels.js';
export {
  PT_PER_MM, TEXT_PADDING, LINE_HEIGHT, MIN_FONT_SIZE, sealSizePt, placeIssueSeal, placeTopRight, measureLines,
  fitFontSize, fitCentered, lineHeight, type Rect, type Size, type TextMeasurer,
} from './layout.js';
export { createTextMeasurer, FONT_FEATURES, type FontMetrics } from './measure.js';
export { readImageInfo, isPng, isJpeg, type ImageInfo } from './image-info.js';
export { loadDefaultFont, setDefaultFontLoader, type FontLoader } from './default-font.js';
