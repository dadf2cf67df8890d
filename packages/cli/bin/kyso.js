#!/usr/bin/env node
'use strict';
// CommonJS (bin/package.json): Node starts a CommonJS main without its ES module loader, ~5 ms less start-up than an
// ES module main (docs/decisions/0033-cli-start-up-per-verb.md). The fallback to dist/ and @kyso/server are ES
// modules, loaded with import(), which a CommonJS module has too.
const { readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { Script } = require('node:vm');

// kyso starts from bundle/<verb>.cjs (scripts/bundle.mjs: one script per verb instead of ~150 ES modules; a verb's
// script holds only what that verb runs), compiled with V8's code cache kept beside it: start-up is most of a
// one-file `kyso verify` (docs/decisions/0026-cli-start-up.md, 0033-cli-start-up-per-verb.md).
// In a checkout, a `tsc -b` newer than the bundle means the bundle may be stale: dist/ is then run instead, so what
// runs is always the last build. A packed install ships no build info, only the bundle and dist/.
const bundle = join(__dirname, '../bundle');

/** The verbs with a script of their own (scripts/bundle.mjs, VERB_MODULES); every other command line runs main.cjs. */
const VERBS = ['sign', 'verify', 'audit', 'extend', 'serve', 'worker'];

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
};

/** The id of a complete bundle no build is newer than, else undefined. */
function freshBundle() {
  const complete = join(bundle, 'complete');
  const made = mtime(complete);
  if (made === undefined) return undefined;
  const builds = ['../tsconfig.tsbuildinfo', '../../core/tsconfig.tsbuildinfo', '../../adapters/tsconfig.tsbuildinfo'];
  if (builds.some((f) => mtime(join(__dirname, f)) > made)) return undefined;
  try {
    return readFileSync(complete, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs bundle/<script>.cjs as Node runs a CommonJS module, through vm.Script with `cachedData`: V8 skips compiling
 * what the cache holds. The cache is named by the bundle's id (V8 itself checks only the source's length) and the
 * script, and written after the script's first run, atomically; where the folder is read-only (a system-wide install),
 * kyso runs without it. Undefined when the script is missing (an incomplete copy): dist/ runs instead.
 */
function loadBundle(id, name) {
  const file = join(bundle, `${name}.cjs`);
  // The bundle is ASCII (esbuild escapes other characters; scripts/bundle.mjs checks it): latin1 reads it without
  // UTF-8 decoding, into a one-byte string.
  let source;
  try {
    source = readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
  const cacheFile = join(bundle, `${name}.${id}.cache`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __kysoImport) { ${source}\n})`, {
    filename: file,
    cachedData,
  });
  const module = { exports: {} };
  // `kyso serve` / `kyso worker` / `kyso audit --queue` import @kyso/server, an ES module (scripts/bundle.mjs).
  const kysoImport = (specifier) => import(specifier);
  script.runInThisContext()(module.exports, createRequire(file), module, file, bundle, kysoImport);
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

async function run() {
  const id = freshBundle();
  const verb = process.argv[2];
  const loaded = id === undefined ? undefined : loadBundle(id, VERBS.includes(verb) ? verb : 'main');
  const { main, save } = loaded ?? { main: (await import('../dist/main.js')).main, save: () => {} };
  process.exitCode = await main(process.argv.slice(2));
  // After the run, so that the cache also holds the functions this run compiled.
  save();
}

run();
