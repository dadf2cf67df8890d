#!/usr/bin/env node
/**
 * Copies the default appearance font (DejaVu Sans, from the `dejavu-fonts-ttf`
 * package) and its licence into `packages/core/assets/`, beside `dist/`. The
 * worker finds it as `new URL('../../assets/DejaVuSans.ttf', import.meta.url)`:
 * a path inside @kyso/core, the same from `src/worker` and `dist/worker`,
 * which every bundler and dev server follows (a bare package path there is
 * resolved by a production build only). Run by `npm run build`, `prepare` and
 * core's `prepack`; the folder is generated, not tracked.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const core = fileURLToPath(new URL('..', import.meta.url));
const fonts = dirname(createRequire(join(core, 'package.json')).resolve('dejavu-fonts-ttf/package.json'));
const assets = join(core, 'assets');
mkdirSync(assets, { recursive: true });
copyFileSync(join(fonts, 'ttf/DejaVuSans.ttf'), join(assets, 'DejaVuSans.ttf'));
copyFileSync(join(fonts, 'LICENSE'), join(assets, 'DejaVuSans.LICENSE'));
