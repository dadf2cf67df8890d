#!/usr/bin/env node
/**
 * Bundles the built CLI (`dist/main.js`, and `dist/audit/worker.js` for
 * `kyso audit`'s worker threads) with @kyso/core, @kyso/adapters and their
 * dependencies into `packages/cli/bundle/`: `main.cjs`, which `bin/kyso.js`
 * compiles with V8's code cache, and `worker.js`. Resolving and compiling
 * ~150 separate ES modules was most of a one-file `kyso verify`
 * (docs/decisions/0026-cli-start-up.md).
 *
 * `worker.js` sits beside `main.cjs`, so `new URL('./worker.js',
 * import.meta.url)` in the audit pool still names the bundled worker.
 * `@kyso/server` stays external: `kyso serve` / `kyso worker` import it only
 * when run, and it is not a dependency of @kyso/cli.
 *
 * Run after `tsc -b` (the root `build` script and the CLI's `prepack` do);
 * the folder is generated, not tracked. `bin/kyso.js` falls back to
 * `dist/main.js` when the bundle is missing or older than a build.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cli = fileURLToPath(new URL('..', import.meta.url));

/** Bundles the built CLI into `out` (emptied first; `packages/cli/bundle/` unless given). */
export async function bundleCli(out = join(cli, 'bundle')) {
  rmSync(out, { recursive: true, force: true });
  const common = {
    absWorkingDir: cli,
    outdir: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: ['@kyso/server'],
    // Whitespace only: identifiers stay readable in the stack an ERR_INTERNAL prints.
    minifyWhitespace: true,
    legalComments: 'eof',
    logLevel: 'error',
  };
  // The CLI as one CommonJS script, so that bin/kyso.js can compile it through vm.Script with V8's code cache
  // (Node 20 has no compile cache for ES modules). Its import.meta.url is the bundle's own file URL.
  await build({
    ...common,
    entryPoints: { main: 'dist/main.js' },
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    define: { 'import.meta.url': '__kysoImportMetaUrl' },
    banner: { js: 'var __kysoImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  });
  // A dynamic import() compiled by vm.Script does not run once V8 restores the script from its code cache
  // (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING on Node 20): the one module the CLI imports at run time, @kyso/server,
  // is imported by bin/kyso.js's __kysoImport, an ES module's import() from the same package folder.
  const main = join(out, 'main.cjs');
  const external = 'import("@kyso/server")';
  const code = readFileSync(main, 'utf8');
  if (!code.includes(external)) throw new Error(`bundle: ${external} not found in main.cjs; update scripts/bundle.mjs`);
  // bin/kyso.js reads the script as latin1 (no UTF-8 decoding): esbuild's default charset escapes everything else.
  if (/[^\x00-\x7f]/.test(code)) throw new Error('bundle: main.cjs is not ASCII; bin/kyso.js reads it as latin1');
  writeFileSync(main, code.replaceAll(external, '__kysoImport("@kyso/server")'));
  // kyso audit's worker threads: an ES module beside main.cjs, where the audit pool looks for './worker.js'.
  await build({ ...common, entryPoints: { worker: 'dist/audit/worker.js' }, format: 'esm' });
  // Marks a complete bundle, and names it: bin/kyso.js keys its code cache by this id, so that a cache made for
  // another build of main.cjs is never offered to V8 (which checks only the source's length).
  const id = createHash('sha256').update(readFileSync(main)).digest('hex').slice(0, 16);
  writeFileSync(join(out, 'complete'), id);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bundleCli();
