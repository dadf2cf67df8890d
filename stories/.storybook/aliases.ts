/**
 * Vite aliases for Storybook: the stories run against the TypeScript sources
 * of the packages (like the tests, see /vite.config.ts), so a story never shows
 * a stale build. In the page, core hashes with its portable engine.
 */
import { fileURLToPath } from 'node:url';
import { viteSourceAliases } from '../../scripts/source-aliases.mjs';

const src = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

/** `find` → `replacement` pairs in Vite's array form, from the one table of source aliases. */
export const kysoStorybookAliases = viteSourceAliases('portable');

/** The generated story documents (packages/testkit/src/stories), served as `/fixtures`. */
export const storyFixturesDir = src('.fixtures/stories');
