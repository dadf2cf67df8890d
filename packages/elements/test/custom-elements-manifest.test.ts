import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The Custom Elements Manifest (`npm run manifest`, or `npm run analyze -w
 * @kyso/elements`) documents every element from its JSDoc: the analyzer is
 * run here into a temporary folder, as `prepack` runs it before publishing
 * (with the package's `custom-elements-manifest.config.mjs`). It describes the
 * modules a vendor installs (`dist/**\/*.js`, not the unshipped sources), and
 * tools find it through package.json's `customElements` field, which running
 * the analyzer must leave as it is (the analyzer's default rewrites it).
 */
const pkg = fileURLToPath(new URL('..', import.meta.url));
const cem = fileURLToPath(new URL('../../../node_modules/.bin/cem', import.meta.url));

interface Module {
  readonly path: string;
  readonly declarations?: (Declaration & { readonly superclass?: { readonly module?: string } })[];
  readonly exports?: { readonly declaration: { readonly module?: string } }[];
}
interface Named {
  readonly name: string;
  readonly description?: string;
}
interface Declaration {
  readonly tagName?: string;
  readonly customElement?: boolean;
  readonly events?: readonly Named[];
  readonly attributes?: readonly Named[];
  readonly cssParts?: readonly Named[];
  readonly cssProperties?: readonly Named[];
  readonly summary?: string;
}

const TAGS = ['certificate-picker', 'pdf-page-view', 'sign-document', 'signature-panel', 'verify-badge'];

describe('Custom Elements Manifest', () => {
  let out: string;
  let elements: Map<string, Declaration>;
  let modules: Module[];
  let packageJsonBefore: string;
  let packageJsonAfter: string;

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'kyso-cem-'));
    packageJsonBefore = readFileSync(join(pkg, 'package.json'), 'utf8');
    // The analyzer joins --outdir to the working directory, even an absolute one: give it the way there.
    // The same command as `npm run analyze` (prepack), only the output folder differs.
    execFileSync(cem, ['analyze', '--outdir', relative(pkg, out), '--quiet'], { cwd: pkg, stdio: 'pipe' });
    packageJsonAfter = readFileSync(join(pkg, 'package.json'), 'utf8');
    const manifest = JSON.parse(readFileSync(join(out, 'custom-elements.json'), 'utf8')) as { modules: Module[] };
    modules = manifest.modules;
    elements = new Map(manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement).map((d) => [d.tagName!, d]));
  }, 60_000);

  it('leaves package.json as it was, whose customElements field and exports name the packed manifest', () => {
    expect(packageJsonAfter).toBe(packageJsonBefore);
    const json = JSON.parse(packageJsonAfter) as { customElements?: string; files: string[]; exports: Record<string, unknown>; scripts: Record<string, string> };
    expect(json.customElements).toBe('custom-elements.json');
    expect(json.exports['./custom-elements.json']).toBe('./custom-elements.json');
    expect(json.files).toContain('custom-elements.json');
    expect(json.scripts.prepack).toMatch(/\bnpm run analyze\b/);
  });

  it('describes the shipped modules: every path is a built dist/*.js file, none a source', () => {
    const paths = new Set<string>();
    for (const m of modules) {
      paths.add(m.path);
      for (const d of m.declarations ?? []) if (d.superclass?.module?.includes('/')) paths.add(d.superclass.module.replace(/^\//, ''));
      for (const e of m.exports ?? []) if (e.declaration.module && !e.declaration.module.startsWith('.')) paths.add(e.declaration.module.replace(/^\//, ''));
    }
    for (const path of paths) {
      expect(path, path).toMatch(/^dist\/.+\.js$/);
      expect(existsSync(join(pkg, path)), path).toBe(true);
    }
    expect(modules.map((m) => m.path)).toContain('dist/verify-badge/verify-badge.js');
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('lists every element with a summary', () => {
    expect([...elements.keys()].sort()).toEqual(TAGS);
    for (const tag of TAGS) expect(elements.get(tag)!.summary, tag).toBeTruthy();
  });

  it('names only real events (kyso-*, described), none taken from a variable', () => {
    for (const [tag, d] of elements) {
      for (const e of d.events ?? []) {
        expect(e.name, `${tag} event`).toMatch(/^kyso-[a-z-]+$/);
        expect(e.description, `${tag} ${e.name}`).toBeTruthy();
      }
    }
    expect(elements.get('sign-document')!.events!.map((e) => e.name).sort()).toEqual([
      'kyso-before-sign', 'kyso-certificate-selected', 'kyso-error', 'kyso-signed',
    ]);
    expect(elements.get('pdf-page-view')!.events!.map((e) => e.name)).toContain('kyso-page-click');
  });

  it('describes every attribute, part and CSS custom property', () => {
    for (const [tag, d] of elements) {
      for (const list of [d.attributes, d.cssParts, d.cssProperties]) {
        for (const item of list ?? []) expect(item.description, `${tag} ${item.name}`).toBeTruthy();
      }
      expect(d.cssParts?.length, `${tag} parts`).toBeGreaterThan(0);
    }
  });
});
