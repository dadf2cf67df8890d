import { readFile } from 'node:fs';
import { createRequire } from 'node:module';
import { setDefaultFontLoader } from '../pdf/appearance/default-font.js';

const require = createRequire(import.meta.url);

/** Path of the default appearance font (DejaVu Sans, free licence, full Vietnamese coverage). */
export function defaultFontPath(): string {
  return require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
}

/** Wires the default font loader for Node; importing `@kyso/core/node` does it. */
export function installNodeDefaultFont(): void {
  // node:fs's callback form, not node:fs/promises: importing `@kyso/core/node` (every `kyso verify`) then loads no
  // fs/promises, readline or file-watcher built-ins, a millisecond of start-up (docs/decisions/0033).
  setDefaultFontLoader(() => new Promise<Uint8Array>((resolve, reject) => {
    readFile(defaultFontPath(), (error, data) => (error ? reject(error) : resolve(new Uint8Array(data))));
  }));
}
