/**
 * Loader hooks for the `kyso` processes the server tests spawn (workers): `@kyso/server` from its
 * TypeScript sources; everything else as the CLI's audit hooks resolve and load it (registered first).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SERVER = pathToFileURL(fileURLToPath(new URL('../../src/index.ts', import.meta.url))).href;

export async function resolve(specifier, context, next) {
  if (specifier === '@kyso/server') return { url: SERVER, shortCircuit: true };
  if (context.parentURL?.endsWith('.ts') && /^\.\.?\//.test(specifier) && specifier.endsWith('.js')) {
    const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(ts))) return { url: ts.href, shortCircuit: true };
  }
  return next(specifier, context);
}
