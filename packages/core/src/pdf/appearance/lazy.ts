import type { AppearanceBox, BuildAppearanceInput, BuiltAppearance, PageRotation } from './types.js';

/**
 * Builds the objects of a visible signature appearance (see `build.ts`).
 * Loaded on first use, so that importing kyso or signing invisibly does not
 * load pdf-lib and fontkit (about 45 MB of memory in Node).
 */
export async function buildAppearance(
  opts: BuildAppearanceInput,
  box: AppearanceBox,
  pageRotation: PageRotation,
  firstObjectNumber: number,
): Promise<BuiltAppearance> {
  const { buildAppearance: build } = await import('./build.js');
  return build(opts, box, pageRotation, firstObjectNumber);
}
