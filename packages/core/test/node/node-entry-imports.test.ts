import { describe, expect, it } from 'vitest';
import { coreSources, resolveImport } from '../architecture/source-files.js';

// `@kyso/core/node` is imported by every Node process that reads PDF files, `kyso verify` and the verification
// service included: its static imports must not reach the signing code, which `signFile` loads on first use
// (docs/decisions/0033-cli-start-up-per-verb.md).

/** Every core source the static, value-level imports of `entry` reach (`import type` and `import()` are not edges). */
function staticallyReached(entry: string): Set<string> {
  const byPath = new Map(coreSources().map((f) => [f.path, f.text]));
  const reached = new Set<string>();
  const visit = (path: string): void => {
    if (reached.has(path) || !byPath.has(path)) return;
    reached.add(path);
    const runtime = [...byPath.get(path)!.matchAll(/^(?:import|export)(?!\s+type\s)[^;]*?from\s+['"]([^'"]+)['"]/gms)].map((m) => m[1]!);
    for (const spec of runtime.filter((i) => i.startsWith('.'))) visit(resolveImport(path, spec));
  };
  visit(entry);
  return reached;
}

describe('@kyso/core/node', () => {
  it('reaches no signing, LTV or appearance-building module through its static imports', () => {
    const reached = [...staticallyReached('node/index.ts')];
    expect(reached).toContain('node/file-source.ts');
    expect(reached.filter((p) => p.startsWith('sign/') || p.startsWith('ltv/') || p.startsWith('verify/') || p === 'pdf/appearance/build.ts')).toEqual([]);
  });

  it('the walk can fail: the signing entry reaches the signing modules', () => {
    const reached = staticallyReached('entries/sign.ts');
    expect(reached.has('sign/prepare.ts') && reached.has('ltv/sign-long-term.ts')).toBe(true);
  });
});
