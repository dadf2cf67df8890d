/**
 * pdf-lib and fontkit, taken from their self-contained builds. Their default
 * ES builds (`pdf-lib/es`, `@pdf-lib/fontkit/dist/fontkit.es.js`) import
 * `pako`, a CommonJS package: a dev server that serves dependencies
 * unbundled (Vite's, for the modules of kyso's worker) cannot load it ("does
 * not provide an export named 'default'"), so a vendor would have to list it
 * in their bundler's configuration. `pdf-lib.esm.min.js` is one ES module with
 * pako inside; fontkit's UMD file has pako inside too and works as CommonJS
 * (Node, bundlers) and as a plain script (an ES module context, where it sets
 * `globalThis.fontkit`). Loaded only with visible signatures (`lazy.ts`).
 */
import * as fontkitBuild from '@pdf-lib/fontkit/dist/fontkit.umd.min.js';
import type Fontkit from '@pdf-lib/fontkit';

export { PDFDocument } from 'pdf-lib/dist/pdf-lib.esm.min.js';

type FontkitApi = typeof Fontkit;

/** fontkit: the UMD's `module.exports` where it ran as CommonJS, else the global it set. */
export const fontkit: FontkitApi =
  (fontkitBuild as { default?: FontkitApi }).default ?? (globalThis as unknown as { fontkit: FontkitApi }).fontkit;
