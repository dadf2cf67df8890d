#!/usr/bin/env node
/**
 * Bundles the built CLI with @kyso/core, @kyso/adapters and their
 * dependencies into `packages/cli/bundle/`: one CommonJS script per verb
 * (`verify.cjs`, `sign.cjs`, `audit.cjs`, `extend.cjs`, `serve.cjs`,
 * `worker.cjs`), `main.cjs` for the rest (`kyso --help`, an unknown command),
 * which `bin/kyso.js` compiles with V8's code cache, and `worker.js`, the audit
 * pool's worker threads. Resolving and compiling ~150 separate ES modules was
 * most of a one-file `kyso verify` (docs/decisions/0026-cli-start-up.md); a
 * verb's script holds only what that verb can run, so a `kyso verify` reads,
 * deserializes and initializes no signing, LTV or appearance code
 * (docs/decisions/0033-cli-start-up-per-verb.md).
 *
 * Each script is `dist/main.js` (the one dispatcher, as `dist/` runs it) with
 * the other verbs' modules replaced by a stub that throws: `bin/kyso.js` runs
 * a verb's script only for that verb, so the stub is unreachable unless the
 * two disagree, and then it fails loudly (ERR_INTERNAL) rather than running
 * another verb.
 *
 * `worker.js` sits beside the scripts, so `new URL('./worker.js',
 * import.meta.url)` in the audit pool still names the bundled worker.
 * `@kyso/server` stays external: `kyso serve` / `kyso worker` import it only
 * when run, and it is not a dependency of @kyso/cli.
 *
 * Run after `tsc -b` (the root `build` script and the CLI's `prepack` do);
 * the folder is generated, not tracked. `bin/kyso.js` falls back to
 * `dist/main.js` when the bundle (or the verb's script) is missing or older
 * than a build.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cli = fileURLToPath(new URL('..', import.meta.url));

/**
 * The verbs with a script of their own, each by the module `main.ts` imports for it (`import()` in its `case`).
 * `bin/kyso.js` lists the same names.
 */
export const VERB_MODULES = {
  sign: './sign-command.js',
  verify: './verify-command.js',
  audit: './audit-command.js',
  extend: './extend-command.js',
  serve: './server-module.js',
  worker: './worker-command.js',
};

/** The scripts `bundleCli` writes: each verb's, and `main` for every other command line. */
export const BUNDLE_SCRIPTS = [...Object.keys(VERB_MODULES), 'main'];

/** The one module the CLI imports at run time, kept out of every script (see `bundleCli`). */
const SERVER_IMPORT = 'import("@kyso/server")';

/**
 * An esbuild plugin that replaces, in `dist/main.js`, the import of every verb module but `keep`'s by a module
 * that throws: the script for `keep` then holds none of the other verbs' code.
 */
function onlyVerb(keep) {
  const others = Object.entries(VERB_MODULES).filter(([verb]) => verb !== keep);
  const main = join(cli, 'dist/main.js');
  return {
    name: 'kyso-only-verb',
    setup(b) {
      b.onResolve({ filter: /^\.\/[a-z-]+\.js$/ }, (args) => {
        const other = others.find(([, module]) => module === args.path);
        if (!other || resolve(args.importer) !== main) return undefined;
        return { path: other[0], namespace: 'kyso-other-verb' };
      });
      b.onLoad({ filter: /.*/, namespace: 'kyso-other-verb' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`kyso: this script holds the ${keep} command only, not ${args.path} (bin/kyso.js chose the wrong bundle script)`)});`,
        loader: 'js',
      }));
    },
  };
}

/** The namespace of the module through which core's `pdf/filters.js` gets fflate in the scripts. */
const FFLATE_ON_FIRST_USE = 'kyso-fflate-on-first-use';

/**
 * fflate builds its Huffman and bit-reversal tables when its module loads: 3–6 ms of interpreted loops in a cold
 * process, paid by every `kyso verify` and `kyso sign`, though a PDF with a classic cross-reference table and no
 * object streams inflates nothing. In the scripts, core's `pdf/filters.js` gets fflate's `Inflate` through a module
 * that loads fflate (the same code, bundled as a module initialized when first required) on the first `new Inflate`.
 * Where another build moves or widens what filters.js imports, esbuild fails (no such export) or `bundleCli` does
 * (the module unused).
 */
function fflateOnFirstUse() {
  return {
    name: FFLATE_ON_FIRST_USE,
    setup(b) {
      b.onResolve({ filter: /^fflate(\/browser)?$/ }, (args) => (
        /[\\/]core[\\/]dist[\\/]pdf[\\/]filters\.js$/.test(args.importer) ? { path: 'fflate', namespace: FFLATE_ON_FIRST_USE } : undefined
      ));
      b.onLoad({ filter: /.*/, namespace: FFLATE_ON_FIRST_USE }, () => ({
        contents: [
          'let fflate;',
          'export class Inflate {',
          '  constructor(ondata) {',
          // "fflate" is aliased to its browser build (above).
          '    fflate ??= require("fflate");',
          '    return new fflate.Inflate(ondata);',
          '  }',
          '}',
        ].join('\n'),
        loader: 'js',
        resolveDir: cli,
      }));
    },
  };
}

/**
 * pdf-lib and fontkit (1.5 MB of the 2.7 MB signing script) draw visible signatures only. The scripts get them from
 * `libraries.cjs`, a script of their own that bin/kyso.js loads (with its own code cache) the first time core's
 * appearance builder needs them, through `__kysoLibrary(specifier)`: an invisible signature reads and deserializes
 * none of their code. The specifiers are those core's `pdf/appearance/libraries.js` imports (their self-contained
 * builds); `bundleCli` fails if the signing script no longer uses them.
 */
export const LIBRARIES = ['pdf-lib/dist/pdf-lib.esm.min.js', '@pdf-lib/fontkit/dist/fontkit.umd.min.js'];
const LIBRARY_ON_FIRST_USE = 'kyso-library-on-first-use';

function librariesOnFirstUse() {
  return {
    name: LIBRARY_ON_FIRST_USE,
    setup(b) {
      b.onResolve({ filter: /^(pdf-lib|@pdf-lib\/fontkit)\// }, (args) => (
        LIBRARIES.includes(args.path) ? { path: args.path, namespace: LIBRARY_ON_FIRST_USE } : undefined
      ));
      // A CommonJS module, so esbuild initializes it (and calls bin/kyso.js) only when it is first required.
      b.onLoad({ filter: /.*/, namespace: LIBRARY_ON_FIRST_USE }, (args) => ({
        contents: `module.exports = __kysoLibrary(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}

/**
 * Bundles the built CLI into `out` (emptied first; `packages/cli/bundle/` unless given).
 * @returns the bundle's id and, by script, the files esbuild put in it (paths relative to packages/cli).
 */
export async function bundleCli(out = join(cli, 'bundle')) {
  rmSync(out, { recursive: true, force: true });
  const common = {
    absWorkingDir: cli,
    outdir: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: ['@kyso/server'],
    // fflate's Node build loads worker_threads when it loads (for its asynchronous API, which kyso does not use):
    // ~1 ms of every start-up. Its browser build is the same code with a Web Worker shim that is never started.
    alias: { fflate: 'fflate/browser' },
    // Whitespace only: identifiers stay readable in the stack an ERR_INTERNAL prints.
    minifyWhitespace: true,
    legalComments: 'eof',
    logLevel: 'error',
    metafile: true,
  };
  // Each script is CommonJS, so that bin/kyso.js can compile it through vm.Script with V8's code cache (Node 20 has
  // no compile cache for ES modules). Its import.meta.url is the script's own file URL.
  const [scripts, libraries] = await Promise.all([
    Promise.all(BUNDLE_SCRIPTS.map((script) => build({
      ...common,
      entryPoints: { [script]: 'dist/main.js' },
      outExtension: { '.js': '.cjs' },
      format: 'cjs',
      define: { 'import.meta.url': '__kysoImportMetaUrl' },
      banner: { js: 'var __kysoImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
      plugins: [onlyVerb(script), fflateOnFirstUse(), librariesOnFirstUse()],
    }))),
    // The library script: each library's module.exports (for pdf-lib's ES module, its namespace), by specifier.
    build({
      ...common,
      stdin: {
        contents: `module.exports = {\n${LIBRARIES.map((l) => `  ${JSON.stringify(l)}: require(${JSON.stringify(l)}),\n`).join('')}};\n`,
        resolveDir: cli,
        sourcefile: 'libraries.cjs',
      },
      outfile: join(out, 'libraries.cjs'),
      outdir: undefined,
      format: 'cjs',
    }),
    // kyso audit's worker threads: an ES module beside the scripts, where the audit pool looks for './worker.js'.
    build({ ...common, entryPoints: { worker: 'dist/audit/worker.js' }, format: 'esm' }),
  ]);
  // What each script holds: the inputs of its output with bytes in it (the metafile's `inputs` also lists files
  // esbuild read and then dropped entirely by tree shaking).
  const held = (result) => Object.values(result.metafile.outputs).flatMap((o) => Object.entries(o.inputs))
    .filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path).sort();
  const modules = Object.fromEntries(BUNDLE_SCRIPTS.map((script, i) => [script, held(scripts[i])]));
  modules.libraries = held(libraries);
  if (!LIBRARIES.every((l) => modules.sign.includes(`${LIBRARY_ON_FIRST_USE}:${l}`))) {
    throw new Error(`bundle: core no longer imports ${LIBRARIES.join(' and ')}; update scripts/bundle.mjs`);
  }
  if (!modules.verify.includes(`${FFLATE_ON_FIRST_USE}:fflate`)) {
    throw new Error('bundle: core/dist/pdf/filters.js no longer imports fflate; update scripts/bundle.mjs');
  }
  const ids = createHash('sha256');
  for (const script of [...BUNDLE_SCRIPTS, 'libraries']) {
    const file = join(out, `${script}.cjs`);
    const code = readFileSync(file, 'utf8');
    // A dynamic import() compiled by vm.Script does not run once V8 restores the script from its code cache
    // (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING on Node 20): the one module the CLI imports at run time, @kyso/server,
    // is imported by bin/kyso.js's __kysoImport, an import() from the same package folder.
    if (script === 'serve' && !code.includes(SERVER_IMPORT)) {
      throw new Error(`bundle: ${SERVER_IMPORT} not found in serve.cjs; update scripts/bundle.mjs`);
    }
    // bin/kyso.js reads the scripts as latin1 (no UTF-8 decoding): esbuild's default charset escapes everything else.
    if (/[^\x00-\x7f]/.test(code)) throw new Error(`bundle: ${script}.cjs is not ASCII; bin/kyso.js reads it as latin1`);
    const final = code.replaceAll(SERVER_IMPORT, '__kysoImport("@kyso/server")');
    writeFileSync(file, final);
    ids.update(`${script}\0${final}\0`);
  }
  // Marks a complete bundle, and names it: bin/kyso.js keys its code caches by this id, so that a cache made for
  // another build of a script is never offered to V8 (which checks only the source's length).
  const id = ids.digest('hex').slice(0, 16);
  writeFileSync(join(out, 'complete'), id);
  return { id, modules };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bundleCli();
