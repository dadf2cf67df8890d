import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Server-side rendering imports a page's modules in Node: every entry of
 * every package must load there, in a plain Node process with no DOM shim,
 * and leave no `window` or `document` behind (a framework that sees one
 * takes the process for a browser). `customElements` may be defined: that is
 * Lit's own SSR guard (its Node build registers into a shim registry).
 */
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const PACKAGES = ['core', 'adapters', 'agent', 'elements'];

/** Every JavaScript entry a package exports (`@kyso/x`, `@kyso/x/sub`), as a vendor's import names it. */
function entries(pkg: string): string[] {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
  return Object.keys(manifest.exports).filter((k) => !k.endsWith('.json')).map((k) => (k === '.' ? manifest.name : `${manifest.name}${k.slice(1)}`));
}

const PROBE = `
const spec = process.argv[1];
await import(spec);
const left = ['window', 'document'].filter((n) => typeof globalThis[n] !== 'undefined');
process.stdout.write(JSON.stringify({ spec, left }));
`;

beforeAll(() => {
  // Entries resolve to dist, as in an installed package: build what the sources say (incremental).
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', ...PACKAGES.map((p) => join(root, 'packages', p))], { stdio: 'pipe' });
}, 180_000);

describe('every package entry imports in plain Node (SSR), without a DOM', () => {
  const all = PACKAGES.flatMap(entries);

  it('lists the entries of every package', () => {
    expect(all).toEqual(expect.arrayContaining(['@kyso/core', '@kyso/core/worker', '@kyso/adapters', '@kyso/elements', '@kyso/elements/sign-document']));
  });

  it.each(all)('%s', (spec) => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, spec], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ spec, left: [] });
  });
});
