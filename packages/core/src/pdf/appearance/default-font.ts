import { kysoError } from '../../errors/index.js';

/** Supplies the bytes of the default appearance font (DejaVu Sans). */
export type FontLoader = () => Promise<Uint8Array>;

let loader: FontLoader | undefined;
let pending: Promise<Uint8Array> | undefined;

/**
 * Wires the default font. Core reads no files and fetches nothing, so the
 * host does it: Node reads `dejavu-fonts-ttf/ttf/DejaVuSans.ttf`, a browser
 * build fetches the bundled asset. Replacing the loader drops the cached bytes.
 */
export function setDefaultFontLoader(next: FontLoader | undefined): void {
  loader = next;
  pending = undefined;
}

/**
 * The default appearance font's bytes, loaded once through the loader set by
 * {@link setDefaultFontLoader}.
 *
 * @throws `ERR_SIG_APPEARANCE` when no loader is set or it fails.
 */
export async function loadDefaultFont(): Promise<Uint8Array> {
  if (!loader) {
    throw kysoError('ERR_SIG_APPEARANCE', 'no default font: pass appearance.font or call setDefaultFontLoader()');
  }
  const current = loader;
  pending ??= current();
  try {
    return await pending;
  } catch (cause) {
    pending = undefined; // let a later call retry
    throw kysoError('ERR_SIG_APPEARANCE', 'the default font could not be loaded', cause);
  }
}
