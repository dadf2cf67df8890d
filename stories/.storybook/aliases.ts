/**
 * Vite aliases for Storybook: the stories run against the TypeScript sources
 * of the packages (like the tests, see /vite.config.ts), so a story never shows
 * a stale build. In the page, core hashes with its portable engine.
 */
import { fileURLToPath } from 'node:url';

const src = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

/** `find` → `replacement` pairs in Vite's array form (order matters: the most specific first). */
export const kysoStorybookAliases = [
  { find: /^@kyso\/core\/worker$/, replacement: src('packages/core/src/worker/index.ts') },
  { find: /^@kyso\/core\/(sign|verify|ltv|appearance)$/, replacement: src('packages/core/src/entries/$1.ts') },
  { find: /^@kyso\/core$/, replacement: src('packages/core/src/index.ts') },
  { find: /^@kyso\/adapters$/, replacement: src('packages/adapters/src/index.ts') },
  // `@kyso/elements/<name>` registers one element, as the package's exports map does with the built files.
  { find: /^@kyso\/elements\/([a-z-]+)$/, replacement: src('packages/elements/src/$1/define.ts') },
  { find: /^@kyso\/elements$/, replacement: src('packages/elements/src/index.ts') },
  { find: /^#hash-engine$/, replacement: src('packages/core/src/crypto/hash-engine-portable.ts') },
];

/** The generated story documents (packages/testkit/src/stories), served as `/fixtures`. */
export const storyFixturesDir = src('.fixtures/stories');
