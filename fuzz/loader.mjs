/**
 * Module hooks (node:module register) that let the fuzz runner import the
 * TypeScript sources directly, as vitest does: a fuzz run never exercises a
 * stale build. `@kyso/*` resolve to the packages' `src/`, `.js` specifiers
 * to the `.ts` file beside them, and TypeScript is stripped by esbuild.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transform } from 'esbuild';
import { sourceAliases } from '../scripts/source-aliases.mjs';


const ALIASES = Object.fromEntries(sourceAliases('node').map((a) => [a.specifier, pathToFileURL(a.path).href]));

export async function resolve(specifier, context, next) {
  const alias = ALIASES[specifier];
  if (alias) return { url: alias, shortCircuit: true, format: 'module' };
  if ((specifier.startsWith('.') || specifier.startsWith('/')) && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const asJs = new URL(specifier, context.parentURL);
    if (!existsSync(fileURLToPath(asJs))) {
      const asTs = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
      if (existsSync(fileURLToPath(asTs))) return { url: asTs.href, shortCircuit: true, format: 'module' };
    }
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (url.startsWith('file:') && url.endsWith('.ts')) {
    const path = fileURLToPath(url);
    const code = await readFile(path, 'utf8');
    const out = await transform(code, { loader: 'ts', format: 'esm', target: 'es2022', sourcefile: path, sourcemap: 'inline' });
    return { format: 'module', source: out.code, shortCircuit: true };
  }
  return next(url, context);
}

export { pathToFileURL };
