import { cpSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, ensureSamples, type TestPki } from '@kyso/testkit';
import { BUNDLE_SCRIPTS, bundleCli } from '../scripts/bundle.mjs';
import { binPath, repoRoot, requireBuild, runBinary, runMain, tempDir } from './helpers/cli.js';

// The packed @kyso/cli runs bundle/<verb>.cjs (scripts/bundle.mjs) through bin/kyso.js, with V8's code cache, for
// start-up time (docs/decisions/0026-cli-start-up.md, 0033-cli-start-up-per-verb.md). These lay out bin/ and a fresh
// bundle/ as the package ships them, apart from the repository's dist/ folders, and check that the bundle, with and
// without its cache, does what the sources do.

const PIN_VAR = 'KYSO_CLI_TEST_PIN';

let pki: TestPki;
let tmp: ReturnType<typeof tempDir>;
let pkg: string;
let bin: string;
let signed: string;
let register: string;
let loads: string;
/** By script, the files esbuild put in it. */
let modules: Readonly<Record<string, readonly string[]>>;

const caches = () => readdirSync(join(pkg, 'bundle')).filter((f) => f.endsWith('.cache')).sort();
const verifyArgs = () => ['verify', signed, '--trust', pki.rootPath, '--offline', '--at', '2026-01-16T00:00:00Z', '--lang', 'en'];

beforeAll(async () => {
  requireBuild();
  pki = await ensurePki();
  const samples = await ensureSamples();
  tmp = tempDir();
  pkg = join(tmp.dir, 'cli');
  // The whole bin/ folder: bin/package.json makes bin/kyso.js a CommonJS script.
  cpSync(dirname(binPath), join(pkg, 'bin'), { recursive: true });
  bin = join(pkg, 'bin/kyso.js');
  copyFileSync(join(repoRoot, 'packages/cli/package.json'), join(pkg, 'package.json'));
  ({ modules } = await bundleCli(join(pkg, 'bundle')));
  // As installed: the package's dependencies (here @kyso/server, imported by `kyso serve`) in a node_modules above it.
  symlinkSync(join(repoRoot, 'node_modules'), join(tmp.dir, 'node_modules'), 'dir');
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
  it('verifies from its bundle alone, then from its code cache, with the report and exit code of the sources', async () => {
    const expected = await runMain(verifyArgs());
    expect(expected.stdout).toContain('Signature1');
    // A run that only prints the usage text, or refuses its command line, leaves no cache: a cache is written once,
    // and one made by `kyso verify --help` would hold none of a verification's functions.
    expect((await runBinary([bin, 'verify', '--help'], { command: process.execPath })).code).toBe(0);
    expect((await runBinary([bin, 'verify', '--no-such-option'], { command: process.execPath })).code).toBe(64);
    expect(caches()).toEqual([]);

    writeFileSync(loads, '');
    const first = await runBinary(['--import', register, bin, ...verifyArgs()], { command: process.execPath });
    expect(first).toEqual(expected);
    // No ES module from the repository's dist/ folders or node_modules: the bundle holds core, adapters and their
    // dependencies, and is read as one script.
    const files = [...new Set(readFileSync(loads, 'utf8').split('\n').filter((url) => url.startsWith('file:')))];
    expect(files).toEqual([pathToFileURL(bin).href]);
    // The first run leaves V8's code cache of the verb's script, named by the script and the bundle's id.
    const id = readFileSync(join(pkg, 'bundle/complete'), 'utf8').trim();
    expect(caches()).toEqual([`verify.${id}.cache`]);

    const second = await runBinary([bin, ...verifyArgs()], { command: process.execPath });
    expect(second).toEqual(expected);
  });

  it('verifies a file with compressed cross-reference streams (fflate, loaded on the first inflate) as the sources do', async () => {
    const samples = await ensureSamples();
    const output = join(tmp.dir, 'xref-stream-signed.pdf');
    const signing = await runMain(
      ['sign', samples['xref-stream'], '-o', output, '--p12', pki.entity('leader').p12Path!, '--pin-env', PIN_VAR, '--signing-time', '2026-01-15T03:00:00Z'],
      { [PIN_VAR]: pki.p12Password },
    );
    expect(signing.code).toBe(0);
    expect(readFileSync(output, 'latin1')).toContain('/FlateDecode');
    const args = ['verify', output, '--trust', pki.rootPath, '--offline', '--at', '2026-01-16T00:00:00Z', '--lang', 'en', '--format', 'json'];
    const expected = await runMain(args);
    expect(expected.stdout).toContain('"Signature1"');
    expect(await runBinary([bin, ...args], { command: process.execPath })).toEqual(expected);
  });

  it("gives each verb a script of its own: verify's holds no signing, appearance, key or other verb's code", () => {
    expect([...BUNDLE_SCRIPTS].sort()).toEqual(['audit', 'extend', 'main', 'serve', 'sign', 'verify', 'worker']);
    const held = (script: string, pattern: RegExp) => modules[script]!.filter((path) => pattern.test(path));
    // What a verification runs is there (the command, core's verifier, the certificate decoder)...
    expect(held('verify', /^dist\/verify-command\.js$|\/core\/dist\/verify\/verify\.js$|\/node_modules\/pkijs\//)).toHaveLength(3);
    // ...and none of: signing (core's prepare/finish/sign and the one-call long-term sign), the appearance builder with
    // pdf-lib and fontkit, the key adapters (PKCS#12), the other verbs' commands and the service.
    const signing = /\/core\/dist\/(sign\/(prepare|finish|sign|signing-request)|ltv\/sign-long-term|pdf\/appearance\/(build|libraries|measure))\.js$/;
    const libraries = /\/node_modules\/(pdf-lib|@pdf-lib\/fontkit)\//;
    const otherVerbs = /^dist\/((sign|sign-queue|audit|extend|worker)-command|server-module)\.js$/;
    for (const pattern of [signing, libraries, /\/adapters\/dist\//, otherVerbs]) expect(held('verify', pattern)).toEqual([]);
    // The test can fail: the signing script holds exactly those.
    expect(held('sign', signing).length).toBeGreaterThanOrEqual(5);
    expect(held('sign', /^dist\/sign-command\.js$/)).toHaveLength(1);
    expect(held('sign', /^dist\/verify-command\.js$/)).toEqual([]);
    // The script of every other command line (kyso --help, an unknown command) holds no verb at all.
    expect(held('main', /-command\.js$|\/core\/dist\/(sign|verify|ltv)\//)).toEqual([]);
     // pdf-lib and fontkit are in no verb's script, only in the library script a visible signature loads.
    for (const script of BUNDLE_SCRIPTS) expect(held(script, libraries)).toEqual([]);
    expect(held('libraries', libraries)).toHaveLength(2);
  });

  it('draws a visible signature with pdf-lib and fontkit from their own script, loaded on first use: the bytes of the sources', async () => {
    const samples = await ensureSamples();
    const args = (output: string) => [
      'sign', samples.simple, '-o', output, '--p12', pki.entity('leader').p12Path!, '--pin-env', PIN_VAR,
      '--role', 'approve', '--signing-time', '2026-01-15T03:00:00Z',
    ];
    const fromSources = join(tmp.dir, 'visible-sources.pdf');
    expect((await runMain(args(fromSources), { [PIN_VAR]: pki.p12Password })).code).toBe(0);
    const id = readFileSync(join(pkg, 'bundle/complete'), 'utf8').trim();
    for (const round of ['without', 'with'] as const) {
      const fromBundle = join(tmp.dir, `visible-bundle-${round}-cache.pdf`);
      const run = await runBinary([bin, ...args(fromBundle)], { command: process.execPath, env: { [PIN_VAR]: pki.p12Password } });
      expect(run).toEqual({ code: 0, stdout: `${fromBundle}\n`, stderr: '' });
      expect(readFileSync(fromBundle).equals(readFileSync(fromSources))).toBe(true);
      // The library script keeps a code cache of its own, as the verbs' scripts do.
      expect(caches()).toContain(`libraries.${id}.cache`);
    }
  });

  it('signs from the bundle, as the sources do', async () => {
    const output = join(tmp.dir, 'bundle-signed.pdf');
    const run = await runBinary([bin, 'sign', signed, '-o', output, '--p12', pki.entity('seal').p12Path!, '--pin-env', PIN_VAR], {
      command: process.execPath, env: { [PIN_VAR]: pki.p12Password },
    });
    expect(run).toEqual({ code: 0, stdout: `${output}\n`, stderr: '' });
    const report = await runMain(['verify', output, '--trust', pki.rootPath, '--offline', '--lang', 'en', '--format', 'json']);
    expect((JSON.parse(report.stdout) as { signatures: unknown[] }).signatures).toHaveLength(2);
  });

  it('answers --help for every verb from the bundle, serve (an ES module imported at run time) included', async () => {
    for (const verb of ['sign', 'verify', 'audit', 'extend', 'serve', 'worker']) {
      const run = await runBinary([bin, verb, '--help'], { command: process.execPath });
      expect(run).toEqual(await runMain([verb, '--help']));
      expect(run.code).toBe(0);
    }
  });

  it("runs dist/ when the verb's script is missing (an incomplete copy of the bundle)", async () => {
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(join(pkg, 'dist/main.js'), "export async function main(argv) { process.stdout.write(`dist ${argv.join(' ')}\\n`); return 0; }\n");
    const extend = join(pkg, 'bundle/extend.cjs');
    const kept = readFileSync(extend);
    rmSync(extend);
    try {
      expect(await runBinary([bin, 'extend', '--help'], { command: process.execPath })).toEqual({ code: 0, stdout: 'dist extend --help\n', stderr: '' });
      // The other scripts still run from the bundle.
      expect(await runBinary([bin, 'verify', '--help'], { command: process.execPath })).toEqual(await runMain(['verify', '--help']));
    } finally {
      writeFileSync(extend, kept);
      rmSync(join(pkg, 'dist'), { recursive: true });
    }
  });

  it('runs dist/ instead of a bundle older than the last build', async () => {
    // A build newer than the bundle (tsc -b rewrites tsconfig.tsbuildinfo): the bundle may be stale.
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(join(pkg, 'dist/main.js'), "export async function main(argv) { process.stdout.write(`dist ${argv.join(' ')}\\n`); return 0; }\n");
    const info = join(pkg, 'tsconfig.tsbuildinfo');
    writeFileSync(info, '{}');
    const later = new Date(Date.now() + 60_000);
    utimesSync(info, later, later);
    expect(await runBinary([bin, 'verify', '--help'], { command: process.execPath })).toEqual({ code: 0, stdout: 'dist verify --help\n', stderr: '' });
  });
});
