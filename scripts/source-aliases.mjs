/**
 * Where each `@kyso/*` import lives in the TypeScript sources, read from the packages' own `exports` maps: every
 * entry `./dist/X.js` is built from `src/X.ts` (each package compiles `src` into `dist`). Tests, Storybook, the fuzz
 * runner, the audit's worker threads under test and the example builds resolve kyso from its sources through this
 * one table, so a test never sees a stale build and a new export is reachable everywhere at once.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO = fileURLToPath(new URL('../', import.meta.url));

/**
 * Every source alias: `specifier` (e.g. `@kyso/core/verify`) and the absolute `.ts` path, most specific first;
 * `#hash-engine` (core's package import) maps to the Node engine or the portable one (pages and workers).
 */
export function sourceAliases(hashEngine = 'node') {
  const out = [];
  for (const dir of readdirSync(join(REPO, 'packages'))) {
    const manifest = join(REPO, 'packages', dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      const built = typeof target === 'string' ? target : target.default;
      const m = /^\.\/dist\/(.+)\.js$/.exec(built ?? '');
      if (!m) continue; // package.json, custom-elements.json: files, not modules
      const path = join(REPO, 'packages', dir, 'src', `${m[1]}.ts`);
      if (existsSync(path)) out.push({ specifier: pkg.name + subpath.slice(1), path });
    }
  }
  out.push({ specifier: '#hash-engine', path: join(REPO, 'packages/core/src/crypto', `hash-engine-${hashEngine}.ts`) });
  // Longest first: `@kyso/core/node` before `@kyso/core` where a consumer matches by prefix.
  return out.sort((a, b) => b.specifier.length - a.specifier.length || a.specifier.localeCompare(b.specifier));
}

/** The same as Vite/Rollup `resolve.alias` entries (exact matches). */
export function viteSourceAliases(hashEngine = 'node') {
  return sourceAliases(hashEngine).map(({ specifier, path }) => ({
    find: new RegExp(`^${specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`),
    replacement: path,
  }));
}
