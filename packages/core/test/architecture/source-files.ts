/**
 * What the architecture tests read: core's source files, their imports, and
 * the layer each file belongs to (docs/decisions/0032).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A source file of core: its path relative to `src/` (with `/`) and its text. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

export const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every `.ts` file under `packages/core/src`. */
export function coreSources(): SourceFile[] {
  return walk(SRC).map((p) => ({ path: relative(SRC, p).split('\\').join('/'), text: readFileSync(p, 'utf8') }));
}

/** Comment lines removed (`//`, `/*`, ` * `), so that an import named in prose is not one. */
const code = (text: string): string => text.split('\n').filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line)).join('\n');

/** Static imports and re-exports, `import type` included: what the module names at the top. */
export function staticImports(text: string): string[] {
  return [...code(text).matchAll(/^\s*(?:import|export)\b[^;'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

/** Every module a file names: static and type imports, re-exports, `import('…')` and `typeof import('…')`. */
export function allImports(text: string): string[] {
  return [...staticImports(text), ...[...code(text).matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!)];
}

/** `spec` (relative, `.js`) imported from `from`, as a path relative to `src/` ending in `.ts`. */
export function resolveImport(from: string, spec: string): string {
  const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
  const out: string[] = [];
  for (const part of (dir + spec).replace(/\.js$/, '.ts').split('/')) part === '..' ? out.pop() : part !== '.' && out.push(part);
  return out.join('/');
}

/**
 * Every core source the static, value-level imports of `entries` reach: static imports and re-exports that survive
 * compilation. `import type` and `import('./x.js')` are not edges: the lazy edge is what the tests that walk this
 * are about (what a process loads at start).
 */
export function staticallyReached(sources: readonly SourceFile[], ...entries: string[]): Set<string> {
  const byPath = new Map(sources.map((f) => [f.path, f.text]));
  const reached = new Set<string>();
  const visit = (path: string): void => {
    if (reached.has(path) || !byPath.has(path)) return;
    reached.add(path);
    const runtime = [...byPath.get(path)!.matchAll(/^(?:import|export)(?!\s+type\s)[^;]*?from\s+['"]([^'"]+)['"]/gms)].map((m) => m[1]!);
    for (const spec of runtime.filter((i) => i.startsWith('.'))) visit(resolveImport(path, spec));
  };
  for (const entry of entries) visit(entry);
  return reached;
}

/**
 * Core's layers, lowest first. A file belongs to the entry whose folder
 * (`name/`) or file (`name.ts`) it is in. A file may import its own layer's
 * modules and lower layers' only; inside layers 1 to 3 the folders are
 * independent of each other (the PDF layer knows no cryptography and
 * cryptography no PDF; signing never reads verification and verification never
 * reads signing). Type imports count: a type names the layer it comes from.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['util/', 'errors/', 'options.ts', 'progress.ts', 'adapter.ts', 'full-document.ts'],
  ['pdf/', 'crypto/'],
  ['sign/', 'verify/'],
  ['ltv/'],
  ['entries/', 'index.ts', 'node/', 'worker/'],
];

/** Layers whose parts may import each other (the shared bottom, and the entries). */
const OPEN_LAYERS = new Set([0, LAYERS.length - 1]);

/** The layer and part (`pdf/`, `index.ts`, …) of a path relative to `src/`; undefined when no layer names it. */
export function layerOf(path: string): { readonly layer: number; readonly part: string } | undefined {
  for (const [layer, parts] of LAYERS.entries()) {
    const part = parts.find((p) => (p.endsWith('/') ? path.startsWith(p) : path === p));
    if (part) return { layer, part };
  }
  return undefined;
}

/** One import that crosses the layers the wrong way. */
export interface LayerViolation {
  readonly from: string;
  readonly to: string;
  readonly why: 'upward' | 'sideways' | 'no-layer';
}

/** Every import between core's files that goes up a layer, sideways between independent folders, or to or from a file no layer names. */
export function layerViolations(files: readonly SourceFile[]): LayerViolation[] {
  const out: LayerViolation[] = [];
  for (const file of files) {
    const from = layerOf(file.path);
    if (!from) {
      out.push({ from: file.path, to: file.path, why: 'no-layer' });
      continue;
    }
    for (const spec of allImports(file.text).filter((s) => s.startsWith('.'))) {
      const to = resolveImport(file.path, spec);
      const target = layerOf(to);
      if (!target) out.push({ from: file.path, to, why: 'no-layer' });
      else if (target.layer > from.layer) out.push({ from: file.path, to, why: 'upward' });
      else if (target.layer === from.layer && target.part !== from.part && !OPEN_LAYERS.has(from.layer)) out.push({ from: file.path, to, why: 'sideways' });
    }
  }
  return out;
}
