#!/usr/bin/env node
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

// kyso starts from bundle/main.cjs (scripts/bundle.mjs: one script instead of ~150 ES modules), compiled with
// V8's code cache kept beside it: start-up is most of a one-file `kyso verify` (docs/decisions/0026-cli-start-up.md).
// In a checkout, a `tsc -b` newer than the bundle means the bundle may be stale: dist/ is then run instead, so what
// runs is always the last build. A packed install ships no build info, only the bundle and dist/.
const bundle = new URL('../bundle/', import.meta.url);

const mtime = (url) => {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return undefined;
  }
};

/** The id of a complete bundle no build is newer than, else undefined. */
function freshBundle() {
  const complete = new URL('complete', bundle);
  const made = mtime(complete);
  if (made === undefined) return undefined;
  const builds = ['../tsconfig.tsbuildinfo', '../../core/tsconfig.tsbuildinfo', '../../adapters/tsconfig.tsbuildinfo'];
  if (builds.some((f) => mtime(new URL(f, import.meta.url)) > made)) return undefined;
  try {
    return readFileSync(complete, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs bundle/main.cjs as Node runs a CommonJS module, through vm.Script with `cachedData`: V8 skips compiling what
 * the cache holds. The cache is named by the bundle's id (V8 itself checks only the source's length) and the verb,
 * and written after the verb's first run, atomically; where the folder is read-only (a system-wide install), kyso runs without it.
 */
function loadBundle(id) {
  const file = fileURLToPath(new URL('main.cjs', bundle));
  // One cache per verb: each compiles its own functions during its run (a verify run caches none of signing's).
  const verb = ['sign', 'verify', 'audit', 'extend', 'serve', 'worker'].includes(process.argv[2]) ? process.argv[2] : 'other';
  const cacheFile = fileURLToPath(new URL(`main.${id}.${verb}.cache`, bundle));
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // The bundle is ASCII (esbuild escapes other characters; scripts/bundle.mjs checks it): latin1 reads it without
  // UTF-8 decoding, into a one-byte string.
  const source = readFileSync(file, 'latin1');
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __kysoImport) { ${source}\n})`, {
    filename: file,
    cachedData,
  });
  const module = { exports: {} };
  // `kyso serve` / `kyso worker` / `kyso audit --queue` import @kyso/server, an ES module (scripts/bundle.mjs).
  const kysoImport = (specifier) => import(specifier);
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file), kysoImport);
  const save = () => {
    if (cachedData !== undefined && !script.cachedDataRejected) return;
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, cacheFile);
    } catch {
      rmSync(temporary, { force: true });
    }
  };
  return { main: module.exports.main, save };
}

const id = freshBundle();
const { main, save } = id ? loadBundle(id) : { main: (await import('../dist/main.js')).main, save: () => {} };
process.exitCode = await main(process.argv.slice(2));
// After the run, so that the cache also holds the functions this run compiled.
save();
