import { AUTO_TEXT_SIZE, FIXED_TEXT_SIZE } from './build.js';
import { loadDefaultFont } from './default-font.js';
import { appearanceLines } from './labels.js';
import { measureLines, type Size } from './layout.js';
import { createTextMeasurer } from './measure.js';
import type { BuildAppearanceInput } from './types.js';

/**
 * The box an appearance's text needs at its nominal size (10 pt for
 * `appendix` / `copy`, else `fontSize` or 12 pt), padding included, with the
 * same font as {@link buildAppearance} would use. For text-only signatures
 * (`appendix`, `copy`) this is the widget size to pass to `placeTopRight`.
 *
 * @throws as {@link appearanceLines}; `ERR_SIG_APPEARANCE` when no font is available.
 */
export async function textBlockSize(opts: BuildAppearanceInput): Promise<Size> {
  const lines = appearanceLines(opts);
  const fixed = opts.role === 'appendix' || opts.role === 'copy';
  const size = opts.fontSize ?? (fixed ? FIXED_TEXT_SIZE : AUTO_TEXT_SIZE);
  if (!lines.length) return { width: 0, height: 0 };
  const font = createTextMeasurer(opts.font ?? (await loadDefaultFont()));
  return measureLines(lines, font, size);
}
