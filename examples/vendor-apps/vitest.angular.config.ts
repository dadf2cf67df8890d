import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The Angular app of examples/vendor-apps: `npm test` runs it after the main Vitest run; alone: `npm run test:angular`.
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
