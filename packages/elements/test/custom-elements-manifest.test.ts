import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The Custom Elements Manifest (`npm run manifest`, or `npm run analyze -w
 * @kyso/elements`) documents every element from its JSDoc: the analyzer is
 * run here into a temporary folder, as `prepack` runs it before publishing.
 */
const pkg = fileURLToPath(new URL('..', import.meta.url));
const cem = fileURLToPath(new URL('../../../node_modules/.bin/cem', import.meta.url));

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

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'kyso-cem-'));
    // The analyzer joins --outdir to the working directory, even an absolute one: give it the way there.
    execFileSync(cem, ['analyze', '--litelement', '--globs', 'src/**/*.ts', '--outdir', relative(pkg, out), '--quiet'], { cwd: pkg, stdio: 'pipe' });
    const manifest = JSON.parse(readFileSync(join(out, 'custom-elements.json'), 'utf8')) as { modules: { declarations?: Declaration[] }[] };
    elements = new Map(manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement).map((d) => [d.tagName!, d]));
  }, 60_000);
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
