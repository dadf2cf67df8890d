#!/usr/bin/env node
import { statSync } from 'node:fs';

// The bundle (scripts/bundle.mjs: a few files instead of ~150 modules) starts much faster than dist/ (decision 0026).
// In a checkout, a `tsc -b` newer than the bundle means the bundle may be stale: dist/ is then run instead, so
// what runs is always the last build. A packed install ships no build info, only the bundle and dist/.
const mtime = (path) => {
  try {
    return statSync(new URL(path, import.meta.url)).mtimeMs;
  } catch {
    return undefined;
  }
};
const bundled = mtime('../bundle/complete');
const fresh = bundled !== undefined &&
  ['../tsconfig.tsbuildinfo', '../../core/tsconfig.tsbuildinfo', '../../adapters/tsconfig.tsbuildinfo'].every((f) => !(mtime(f) > bundled));
const { main } = await import(fresh ? '../bundle/main.js' : '../dist/main.js');

process.exitCode = await main(process.argv.slice(2));
