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

/** The bundle's id while its scripts run, and what writes each script's code cache once the command is done. */
let bundleId;
const saves = [];

/**
 * Runs bundle/<name>.cjs as Node runs a CommonJS module, through vm.Script with `cachedData`: V8 skips compiling
 * what the cache holds. The cache is named by the script and the bundle's id (V8 itself checks only the source's
 * length), and written after the command ran, atomically; where the folder is read-only (a system-wide install),
 * kyso runs without it. Returns the script's exports, or undefined when the script is missing (an incomplete copy).
 */
function runScript(name) {
  const file = join(bundle, `${name}.cjs`);
  // The bundle is ASCII (esbuild escapes other characters; scripts/bundle.mjs checks it): latin1 reads it without
  // UTF-8 decoding, into a one-byte string.
  let source;
  try {
    source = readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
  const cacheFile = join(bundle, `${name}.${bundleId}.cache`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname, __kysoImport, __kysoLibrary) { ${source}\n})`,
    { filename: file, cachedData },
  );
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, bundle, kysoImport, kysoLibrary);
  saves.push(() => {
    if (cachedData !== undefined && !script.cachedDataRejected) return;
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, cacheFile);
    } catch {
      rmSync(temporary, { force: true });
    }
  });
  return module.exports;
}

/** `kyso serve` / `kyso worker` / `kyso audit --queue` import @kyso/server, an ES module (scripts/bundle.mjs). */
const kysoImport = (specifier) => import(specifier);

let libraries;
/** pdf-lib and fontkit, from bundle/libraries.cjs, run the first time a visible signature needs them (scripts/bundle.mjs). */
function kysoLibrary(specifier) {
  libraries ??= runScript('libraries');
  if (libraries === undefined) throw new Error(`kyso: ${join(bundle, 'libraries.cjs')} is missing; install @kyso/cli again`);
  return libraries[specifier];
}

async function run() {
  bundleId = freshBundle();
  const verb = process.argv[2];
  const bundled = bundleId === undefined ? undefined : runScript(VERBS.includes(verb) ? verb : 'main');
  const { main } = bundled ?? (await import('../dist/main.js'));
  const args = process.argv.slice(2);
  process.exitCode = await main(args);
  // After the run, so that each cache also holds the functions this run compiled. A cache is written once and kept, so
  // not after a run that only printed a usage text or refused its command line (exit status 64): `kyso verify --help`
  // as the first run would leave a cache of the help text's few functions to every later verification.
  const usageOnly = args.slice(1).includes('--help') || args.slice(1).includes('-h') || process.exitCode === 64;
  if (VERBS.includes(verb) && usageOnly) return;
  for (const save of saves) save();
}

run();
