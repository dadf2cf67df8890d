#!/usr/bin/env node
// Generates every test fixture (PKI, sample PDFs) into <repo root>/.fixtures.
// Usage: node packages/testkit/bin/make-fixtures.js [--force] [--large[=BYTES]] [--stories]
// --stories also writes the signed documents Storybook shows (.fixtures/stories, served as /fixtures).
import { ensureLargeSample, ensurePki, ensureSamples, ensureStoryFixtures, fixturesDir } from '../dist/index.js';

const args = process.argv.slice(2);
const force = args.includes('--force');
const largeArg = args.find((a) => a === '--large' || a.startsWith('--large='));

const started = Date.now();
const pki = await ensurePki({ force });
console.log(`PKI: ${pki.dir} (${pki.names.length} entities)`);
const samples = await ensureSamples({ force });
console.log(`samples: ${Object.keys(samples).length} in ${fixturesDir()}/samples`);
if (largeArg) {
  const size = largeArg.includes('=') ? Number(largeArg.split('=')[1]) : undefined;
  console.log(`large: ${await ensureLargeSample(size)}`);
}
if (args.includes('--stories')) console.log(`stories: ${(await ensureStoryFixtures({ force })).dir}`);
console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
