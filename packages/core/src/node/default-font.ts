import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { setDefaultFontLoader } from '../pdf/appearance/default-font.js';

const require = createRequire(import.meta.url);

/** Path of the default appearance font (DejaVu Sans, free licence, full Vietnamese coverage). */
export function defaultFontPath(): string {
  return require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
}

/** Wires the default font loader for Node; importing `@kyso/core/node` does it. */
export function installNodeDefaultFont(): void {
  setDefaultFontLoader(async () => new Uint8Array(await readFile(defaultFontPath())));
}
