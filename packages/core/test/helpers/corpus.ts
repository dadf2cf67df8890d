import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The public corpus of PDFs signed by other tools: `$KYSO_CORPUS`, else `../shared/corpus` beside the repository
 * (where the project's CI places it). The corpus tests are only collected when it exists (see vite.config.ts).
 */
export function corpusDir(): string {
  const repo = fileURLToPath(new URL('../../../../', import.meta.url));
  return process.env.KYSO_CORPUS ?? join(repo, '..', 'shared', 'corpus');
}

export function hasCorpus(): boolean {
  return existsSync(join(corpusDir(), 'manifest.json'));
}
