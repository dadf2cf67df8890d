/**
 * The fixed-seed slice of the fuzz campaign (`npm run fuzz` runs the long,
 * coverage-guided one): for every target, structure-aware mutations of the
 * generated seeds (fast-check, fixed seed, so a failure replays), then the
 * corpus the campaigns kept (fuzz/corpus/<target>/, with the reduced inputs of
 * past findings as `finding-*`) replayed. The property is
 * the target's contract: nothing escapes but a typed KysoError (or nothing at
 * all, for the readers documented never to throw). A hang shows as the
 * test's time-out; the campaign's watchdog bounds each input instead.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@kyso/testkit';
import { mutate } from './mutators.js';
import { buildSeeds, type Seeds } from './seeds.js';
import { runOne, TARGETS } from './targets.js';

/** Mutations per target: a few thousand in all, sized so the file runs in about a minute on two busy cores. */
const RUNS: Record<string, number> = {
  'pdf-document': 300,
  'pdf-objects': 400,
  'pdf-text': 400,
  cms: 300,
  certificate: 600,
  revocation: 400,
  'agent-protocol': 2000,
  'token-agent-adapter': 300,
  verify: 200,
};
const SEED = 20261207;

let seeds: Seeds;

beforeAll(async () => {
  seeds = await buildSeeds();
});

/** The inputs a campaign kept for this target (new coverage), replayed as regression inputs. */
function keptCorpus(target: string): Uint8Array[] {
  const dir = join(repoRoot(), 'fuzz', 'corpus', target);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().map((f) => new Uint8Array(readFileSync(join(dir, f))));
}

describe('fuzz slice: every target keeps its contract on mutated seeds', () => {
  it('has a run count for every target', () => {
    expect(Object.keys(RUNS).sort()).toEqual(TARGETS.map((t) => t.name).sort());
  });

  for (const target of TARGETS) {
    it(`${target.name}: ${RUNS[target.name]} structure-aware mutations (seed ${SEED})`, async () => {
      const pool = seeds.byKind[target.kind];
      await fc.assert(
        fc.asyncProperty(fc.nat(pool.length - 1), fc.nat(), async (i, mutation) => {
          const input = mutate(target.kind, pool[i]!, mutation, pool);
          const crash = await runOne(target, input, seeds.context);
          expect(crash?.message ?? null).toBeNull();
        }),
        { seed: SEED, numRuns: RUNS[target.name]!, endOnFailure: true },
      );
    }, 120_000);

    it(`${target.name}: the kept corpus replays without a crash`, async () => {
      for (const input of keptCorpus(target.name)) {
        const crash = await runOne(target, input, seeds.context);
        expect(crash?.message ?? null).toBeNull();
      }
    }, 120_000);
  }
});
