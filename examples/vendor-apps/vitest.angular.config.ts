import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:angular`: the Angular app of examples/vendor-apps, apart from `npm test` (see test/angular-app.check.ts).
const repo = fileURLToPath(new URL('../..', import.meta.url));
export default defineConfig({
  root: repo,
  test: {
    include: ['examples/vendor-apps/test/angular-app.check.ts'],
    globalSetup: [`${repo}packages/testkit/src/global-setup.ts`],
    testTimeout: 400_000,
    hookTimeout: 400_000,
    pool: 'forks',
  },
});
