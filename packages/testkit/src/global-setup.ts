import { ensurePki } from './pki/generate.js';
import { ensureSamples } from './samples/ensure.js';

/**
 * Vitest globalSetup: makes sure the test PKI and the sample PDFs exist in
 * `.fixtures/` before any test file runs (the large sample is left to the
 * tests that need it).
 */
export default async function setup(): Promise<void> {
  await ensurePki();
  await ensureSamples();
}
