import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig, type UserWorkspaceConfig } from 'vitest/config';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.mjs';
import { viteSourceAliases } from './scripts/source-aliases.mjs';
import { fixtureCommands } from './packages/testkit/src/browser-commands.js';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The shared corpus of PDFs signed by other tools lives outside the repository (CI puts it beside the clone).
const corpus = process.env.KYSO_CORPUS ?? src('../shared/corpus');
const corpusTests = existsSync(`${corpus}/manifest.json`) ? [] : ['packages/*/test/corpus/**'];

// Tests run against the TypeScript sources, so a test never sees a stale build (one table: scripts/source-aliases.mjs).
const kysoAliases = (hashEngine: 'node' | 'portable') => viteSourceAliases(hashEngine);

/** A fresh object per project: Vitest mutates the browser config it is given. */
const chromium = () => ({
  enabled: true,
  headless: true,
  provider: playwright({ launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] } }),
  instances: [{ browser: 'chromium' as const }],
  commands: fixtureCommands,
  screenshotDirectory: src('./out/screenshots'),
});

// `extends: true`: each project inherits the root's test options (global setup, time-outs).
const node: UserWorkspaceConfig = {
  extends: true,
  resolve: { alias: kysoAliases('node') },
  test: {
    name: 'node',
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/test/browser/**', ...corpusTests],
    pool: 'forks',
  },
};

// Browser specs: packages/*/test/browser/**, run in Debian's Chromium (never a downloaded browser).
const browser: UserWorkspaceConfig = {
  extends: true,
  resolve: { alias: kysoAliases('portable') },
  // Pre-bundled up front: optimising comlink on first use mid-run reloads the test page.
  optimizeDeps: { include: ['comlink'] },
  test: {
    name: 'browser',
    include: ['packages/*/test/browser/**/*.test.ts'],
    browser: chromium(),
  },
};

// Stories (stories/*.stories.ts) as tests: each story renders and its play function runs in Debian's Chromium.
// Storybook's own config (stories/.storybook/main.ts) supplies the aliases and serves the story documents as /fixtures.
process.env.STORYBOOK_DISABLE_TELEMETRY = '1';
const storybook: UserWorkspaceConfig = {
  plugins: [storybookTest({ configDir: src('./stories/.storybook') })],
  test: {
    name: 'storybook',
    // Stories that sign or render wait for the worker and pdf.js; the plugin's default (15 s) is too short on 2 shared cores.
    testTimeout: 60_000,
    globalSetup: [src('./packages/testkit/src/stories/global-setup.ts')],
    browser: chromium(),
  },
};

export default defineConfig({
  test: {
    globalSetup: [src('./packages/testkit/src/global-setup.ts')],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [node, browser, storybook],
  },
});
