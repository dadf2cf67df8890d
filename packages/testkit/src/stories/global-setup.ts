import { ensureStoryFixtures } from './generate.js';

/**
 * Vitest globalSetup of the `storybook` project: the stories fetch their
 * documents from `/fixtures` (Storybook's static folder `.fixtures/stories`),
 * so they must exist before the first story renders.
 */
export default async function setup(): Promise<void> {
  await ensureStoryFixtures();
}
