import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/**
 * The kyso repository root: the nearest folder above this module whose
 * package.json declares `workspaces`. Works from `src/` (vitest) and `dist/`.
 */
export function repoRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const json = JSON.parse(readFileSync(pkg, 'utf8')) as { workspaces?: unknown };
      if (json.workspaces) return (cachedRoot = dir);
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('testkit: no package.json with "workspaces" above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** `<repo root>/.fixtures`, the git-ignored home of every generated fixture. */
export function fixturesDir(): string {
  return join(repoRoot(), '.fixtures');
}
