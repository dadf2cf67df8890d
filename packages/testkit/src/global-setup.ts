import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki } from './pki/generate.js';
import { ensureSamples } from './samples/ensure.js';

/**
 * Vitest globalSetup: makes sure the test PKI and the sample PDFs exist in
 * `.fixtures/` before any test file runs (the large sample is left to the
 * tests that need it).
 *
 * It also gives the run a temporary folder of its own: TMPDIR (TMP, TEMP)
 * points into a fresh `kyso-vitest-*` folder, which the test processes
 * inherit, so what the tests create in `os.tmpdir()` is told apart from what
 * other runs on the machine create. At the end, anything kyso-made still in
 * it (a test that did not remove its folder, also when it failed) fails the
 * run with the list; the folder is then removed either way, so the system's
 * temporary directory keeps nothing of the run.
 * @returns the teardown.
 */
export default async function setup(): Promise<() => void> {
  const runTmp = isolateTemporaryDirectory();
  await ensurePki();
  await ensureSamples();
  return () => {
    if (!runTmp) return;
    const leftovers = kysoMade(runTmp.dir);
    runTmp.restore();
    rmSync(runTmp.dir, { recursive: true, force: true });
    if (leftovers.length) {
      const list = leftovers.map((n) => `  ${n}`).join('\n');
      process.stderr.write(`\nkyso tests left ${leftovers.length} temporary entr${leftovers.length === 1 ? 'y' : 'ies'} behind (removed now):\n${list}\n`);
      process.exitCode = 1;
      throw new Error(`tests left temporary files behind: ${leftovers.join(', ')}`);
    }
  };
}

/** Entries a kyso test or kyso itself made: `kyso-*` folders and `.NAME.kyso-HOST-PID-HEX.tmp` files. */
export function kysoMade(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => n.startsWith('kyso') || /\.kyso-[0-9a-f]{8}-\d+-[0-9a-f]+\.tmp$/.test(n)).sort();
  } catch {
    return [];
  }
}

function isolateTemporaryDirectory(): { dir: string; restore: () => void } | null {
  // A nested run (a test that starts vitest) keeps its parent's folder.
  if (process.env.KYSO_TEST_TMPDIR) return null;
  const saved = { TMPDIR: process.env.TMPDIR, TMP: process.env.TMP, TEMP: process.env.TEMP };
  const dir = mkdtempSync(join(tmpdir(), 'kyso-vitest-'));
  process.env.TMPDIR = process.env.TMP = process.env.TEMP = dir;
  process.env.KYSO_TEST_TMPDIR = dir;
  return {
    dir,
    restore: () => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      delete process.env.KYSO_TEST_TMPDIR;
    },
  };
}
