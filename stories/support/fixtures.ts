/**
 * Where the stories find their documents: the generated set in
 * `.fixtures/stories`, served by Storybook as `/fixtures`, and the table of
 * what strict verification says about each (checked in Node by
 * packages/testkit/test/story-fixtures.test.ts).
 */
import {
  ANNOTATION_RECT, STORY_FIXTURES, STORY_FIXTURES_URL, STORY_IMAGES, STORY_KEYS, STORY_P12_PASSWORD, STORY_TRUST_FILE, type StoryFixtureName,
} from '../../packages/testkit/src/stories/catalog.js';

export { ANNOTATION_RECT, STORY_FIXTURES, STORY_P12_PASSWORD, type StoryFixtureName };

/** The URL of a story document. */
export const fixtureUrl = (name: StoryFixtureName): string => `${STORY_FIXTURES_URL}/${STORY_FIXTURES[name].file}`;

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`story fixture ${url}: HTTP ${response.status} (run \`npm run fixtures -- --stories\`)`);
  return new Uint8Array(await response.arrayBuffer());
}

/** The bytes of a story document. */
export const fixtureBytes = (name: StoryFixtureName): Promise<Uint8Array> => fetchBytes(fixtureUrl(name));

/** The test PKI's root certificate (DER): the only trust anchor the stories give their elements. */
export const trustRoot = (): Promise<Uint8Array> => fetchBytes(`${STORY_FIXTURES_URL}/${STORY_TRUST_FILE}`);

/** A test PKCS#12 file (published test keys, password {@link STORY_P12_PASSWORD}). */
export const testKey = (who: keyof typeof STORY_KEYS): Promise<Uint8Array> => fetchBytes(`${STORY_FIXTURES_URL}/${STORY_KEYS[who]}`);

/** A Decree 30 appearance image (PNG): the leader's signature or the agency's seal. */
export const appearanceImage = (which: keyof typeof STORY_IMAGES): Promise<Uint8Array> => fetchBytes(`${STORY_FIXTURES_URL}/${STORY_IMAGES[which]}`);
