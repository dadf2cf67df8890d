import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, ensureSamples, type TestPki } from '@kyso/testkit';
import { bundleCli } from '../scripts/bundle.mjs';
import { binPath, requireBuild, runBinary, runMain, tempDir } from './helpers/cli.js';

// The packed @kyso/cli runs bundle/ (scripts/bundle.mjs) through bin/kyso.js, for start-up time
// (docs/decisions/0026-cli-start-up.md). These lay out bin/ and a fresh bundle/ as the package ships them,
// apart from the repository's dist/ folders, and watch which modules a run resolves.

const PIN_VAR = 'KYSO_CLI_TEST_PIN';

let pki: TestPki;
let tmp: ReturnType<typeof tempDir>;
let bin: string;
let signed: string;
let register: string;
let loads: string;

beforeAll(async () => {
  requireBuild();
  pki = await ensurePki();
  const samples = await ensureSamples();
  tmp = tempDir();
  const pkg = join(tmp.dir, 'cli');
  mkdirSync(join(pkg, 'bin'), { recursive: true });
  bin = join(pkg, 'bin/kyso.js');
  copyFileSync(binPath, bin);
  await bundleCli(join(pkg, 'bundle'));
  signed = join(tmp.dir, 'signed.pdf');
  const run = await runMain(
    ['sign', samples.simple, '-o', signed, '--p12', pki.entity('leader').p12Path!, '--pin-env', PIN_VAR, '--signing-time', '2026-01-15T03:00:00Z'],
    { [PIN_VAR]: pki.p12Password },
  );
  expect(run.code).toBe(0);
  // A module-resolution hook (it runs on Node's loader thread) that writes down every URL the run resolves.
  loads = join(tmp.dir, 'loads.txt');
  const hooks = join(tmp.dir, 'hooks.mjs');
  writeFileSync(hooks, [
    "import { appendFileSync } from 'node:fs';",
    'export async function resolve(specifier, context, next) {',
    '  const result = await next(specifier, context);',
    `  appendFileSync(${JSON.stringify(loads)}, result.url + '\\n');`,
    '  return result;',
    '}',
  ].join('\n'));
  register = join(tmp.dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
}, 120_000);

afterAll(() => tmp?.remove());

describe('the bundled kyso binary', () => {
  it('verifies from its bundle alone, with the same report and exit code as the sources, loading no audit worker code', async () => {
    writeFileSync(loads, '');
    const args = ['verify', signed, '--trust', pki.rootPath, '--offline', '--at', '2026-01-16T00:00:00Z', '--lang', 'en'];
    const run = await runBinary(['--import', register, bin, ...args], { command: process.execPath });
    const expected = await runMain(args);
    expect(run).toEqual(expected);
    expect(run.stdout).toContain('Signature1');

    const resolved = [...new Set(readFileSync(loads, 'utf8').split('\n').filter(Boolean))];
    const files = resolved.filter((url) => url.startsWith('file:'));
    const ours = pathToFileURL(join(tmp.dir, 'cli')).href + '/';
    // Nothing from the repository's dist/ folders or node_modules: the bundle holds core, adapters and their dependencies.
    expect(files.filter((url) => !url.startsWith(ours))).toEqual([]);
    expect(files).toContain(pathToFileURL(join(tmp.dir, 'cli/bundle/main.js')).href);
    // kyso audit's worker pool (worker threads) loads only for audit.
    expect(resolved).not.toContain('node:worker_threads');
  });

  it('answers --help for every verb from the bundle', async () => {
    for (const verb of ['sign', 'verify', 'audit', 'extend']) {
      const run = await runBinary([bin, verb, '--help'], { command: process.execPath });
      expect(run).toEqual(await runMain([verb, '--help']));
      expect(run.code).toBe(0);
    }
  });
});
