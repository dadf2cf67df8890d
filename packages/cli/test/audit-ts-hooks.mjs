/**
 * Module loader hooks (node:module register) that let the audit's worker
 * threads run kyso from its TypeScript sources under the test runner, as
 * vite.config.ts does for the test files themselves: the same @kyso/* aliases,
 * `.js` specifiers answered by the `.ts` file beside them, and TypeScript
 * stripped by rolldown's transform (already installed with vitest).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformSync } from 'rolldown/experimental';
import { sourceAliases } from '../../../scripts/source-aliases.mjs';

const ALIASES = Object.fromEntries(sourceAliases('node').map((a) => [a.specifier, pathToFileURL(a.path).href]));

export async function resolve(specifier, context, next) {
  const alias = ALIASES[specifier];
  if (alias) return { url: alias, shortCircuit: true };
  if (context.parentURL?.endsWith('.ts') && /^\.\.?\//.test(specifier) && specifier.endsWith('.js')) {
    const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(ts))) return { url: ts.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const path = fileURLToPath(url);
  const { code, errors } = transformSync(path, readFileSync(path, 'utf8'), { lang: 'ts', sourcemap: false });
  if (errors?.length) throw new Error(`${path}: ${errors.map((e) => e.message).join('; ')}`);
  return { format: 'module', source: code, shortCircuit: true };
}
