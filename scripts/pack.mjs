#!/usr/bin/env node
/**
 * `npm run pack`: the tarballs a vendor installs, as `npm publish` would make
 * them (each package's `prepack` runs: elements writes its Custom Elements
 * Manifest), into one folder, `out/pack/` unless `--out DIR` is given.
 * Builds first (`tsc -b`). Prints the tarballs' paths, one a line.
 *
 * Usage: node scripts/pack.mjs [--out DIR] [--quiet]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The published packages, in dependency order (testkit is private). */
export const PACKAGES = ['core', 'adapters', 'elements', 'server', 'cli', 'agent'];

const repo = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds and packs every published package into `out` (emptied of earlier
 * kyso tarballs first); returns the tarballs' absolute paths by package name
 * (`core`, `adapters`, …).
 */
export function packAll(out = join(repo, 'out/pack'), { build = true } = {}) {
  out = resolve(out);
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(out)) if (/^kyso-.*\.tgz$/.test(f)) rmSync(join(out, f));
  if (build) execFileSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-b'], { cwd: repo, stdio: 'pipe' });
  const tarballs = {};
  for (const name of PACKAGES) {
    const json = execFileSync('npm', ['pack', '--json', '--pack-destination', out, '-w', `packages/${name}`], {
      cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    });
    // A lifecycle script (prepack) may print before npm's JSON: read from the array's first line.
    const [info] = JSON.parse(json.slice(json.search(/^\[/m)));
    tarballs[name] = join(out, info.filename);
  }
  return tarballs;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, quiet: { type: 'boolean' } } });
  const tarballs = packAll(values.out);
  if (!values.quiet) for (const path of Object.values(tarballs)) process.stdout.write(path + '\n');
}
