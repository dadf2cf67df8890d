import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The shared corpus of PDFs signed by other tools lives outside the repository (CI puts it beside the clone).
const corpus = process.env.KYSO_CORPUS ?? src('../shared/corpus');
const corpusTests = existsSync(`${corpus}/manifest.json`) ? [] : ['packages/*/test/corpus/**'];

// Tests run against the TypeScript sources, so a test never sees a stale build.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@kyso\/core\/node$/, replacement: src('./packages/core/src/node/index.ts') },
      { find: /^@kyso\/core$/, replacement: src('./packages/core/src/index.ts') },
      { find: /^@kyso\/adapters$/, replacement: src('./packages/adapters/src/index.ts') },
      { find: /^@kyso\/testkit$/, replacement: src('./packages/testkit/src/index.ts') },
      { find: /^#hash-engine$/, replacement: src('./packages/core/src/crypto/hash-engine-node.ts') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...corpusTests],
    globalSetup: [src('./packages/testkit/src/global-setup.ts')],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
