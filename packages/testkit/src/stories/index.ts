/** The documents Storybook shows: the table of claims (browser-safe) and their Node generator. */
export * from './catalog.js';
export { ensureStoryFixtures, type EnsureStoryFixturesOptions, type StoryFixturePaths } from './generate.js';
export { appendDss, appendAnnotation, appendPageContentChange, type DssData } from './updates.js';
export { appendUpdate, type UpdateObject, type UpdateContext } from './append.js';
