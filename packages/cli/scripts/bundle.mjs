#!/usr/bin/env node
/**
 * Bundles the built CLI (`dist/main.js`, and `dist/audit/worker.js` for
 * `kyso audit`'s worker threads) with @kyso/core, @kyso/adapters and their
 * dependencies into `packages/cli/bundle/`: ES modules that `bin/kyso.js`
 * runs. Resolving and compiling ~150 separate modules was most of a one-file
 * `kyso verify`; a few large files load faster (docs/decisions/0026-cli-start-up.md).
 *
 * Code splitting keeps what core and the CLI load lazily (one verb's module,
 * LTV, the appearance builder, fontkit) in chunks of their own, loaded only
 * when needed. Chunks sit beside the entries, so `new URL('./worker.js',
 * import.meta.url)` in the audit pool still names the bundled worker.
 * `@kyso/server` stays external: `kyso serve` / `kyso worker` import it only
 * when run, and it is not a dependency of @kyso/cli.
 *
 * Run after `tsc -b` (the root `build` script and the CLI's `prepack` do);
 * the folder is generated, not tracked. `bin/kyso.js` falls back to
 * `dist/main.js` when the bundle is missing or older than a build.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cli = fileURLToPath(new URL('..', import.meta.url));

/** Bundles the built CLI into `out` (emptied first; `packages/cli/bundle/` unless given). */
export async function bundleCli(out = join(cli, 'bundle')) {
  rmSync(out, { recursive: true, force: true });
  await build({
    absWorkingDir: cli,
    entryPoints: { main: 'dist/main.js', worker: 'dist/audit/worker.js' },
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['@kyso/server'],
    // Whitespace only: identifiers stay readable in the stack an ERR_INTERNAL prints.
    minifyWhitespace: true,
    legalComments: 'eof',
    chunkNames: 'chunk-[hash]',
    logLevel: 'error',
  });
  // Marks a complete bundle: bin/kyso.js runs it only when this is newer than the last build.
  writeFileSync(join(out, 'complete'), `${new Date().toISOString()}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bundleCli();
