import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveUnderStrictCsp } from '@kyso/testkit';
import { PACKAGES } from '../../../scripts/pack.mjs';
import { checkSigned, exercise, makeApp, sh, templates, vendorWorld, type VendorWorld } from './harness.js';

/**
 * Issue 14: kyso as a vendor installs it. The published packages are packed
 * (`scripts/pack.mjs`, what `npm run pack` does, prepack scripts included) and
 * installed from their tarballs, with everything else from the npm registry,
 * into apps made outside the repository from the templates beside this file
 * (vanilla TypeScript, React 19, Vue 3), each with the default Vite config of
 * its framework: no `optimizeDeps`, no `worker` options. For the dev server
 * and for the production build served under the strict Content-Security-Policy,
 * Debian's Chromium runs the app: `<verify-badge>` reaches its verdict on a
 * signed sample, `<sign-document>` signs a draft with a PKCS#12 key where the
 * user clicks, and the output passes the packed `kyso verify` (TOTAL_PASSED,
 * revocation checked online against the test PKI's local OCSP and CRL servers)
 * and poppler's pdfsig; no console error, no failed request, no violation.
 * Vendor code is type-checked against the installed packages with `strict`
 * and `skipLibCheck: false`. One `npm install` serves every app (one folder
 * with the three frameworks' dependencies); everything is removed after.
 * The packages must be built (`npm test` builds first).
 */
const APPS = ['vanilla', 'react', 'vue'] as const;
type App = (typeof APPS)[number];

/** A port nobody listens on now (the dev server is told to take exactly it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

describe('the packed packages in vendor apps (Vite default config: vanilla, React, Vue; dev server and production build)', () => {
  let world: VendorWorld;
  let work: string;
  let apps: string;
  let tarballs: Record<string, string>;
  let installed = false;

  beforeAll(async () => {
    world = await vendorWorld('package.template.json');
    ({ work, apps, tarballs } = world);
    installed = true;
    for (const app of APPS) makeApp(world, app);
  }, 300_000);

  afterAll(async () => {
    await world?.close();
  });

  const pkg = (name: string) => join(apps, 'node_modules/@kyso', name);
  /** A tarball's content as npm would unpack it (the agent is not installed: its PKCS#11 binding compiles). */
  const unpacked = (name: string) => {
    const dir = join(work, 'unpacked', name);
    if (!existsSync(dir)) {
      mkdirSync(dir, { recursive: true });
      const tar = sh('tar', ['xzf', tarballs[name]!, '-C', dir, '--strip-components=1'], work);
      if (tar.status !== 0) throw new Error(tar.output);
    }
    return dir;
  };
  const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const listFiles = (dir: string, base = dir): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? listFiles(join(dir, d.name), base) : [posix.relative(base.split('\\').join('/'), join(dir, d.name).split('\\').join('/'))]);

  it('each tarball carries built JS and types, README, the Apache-2.0 LICENSE, engines, sideEffects, exports with ./package.json, and its cross-dependencies at released versions', () => {
    expect(installed).toBe(true);
    const versions = Object.fromEntries(PACKAGES.map((name) => [`@kyso/${name}`, readJson(join(unpacked(name), 'package.json')).version as string]));
    for (const name of PACKAGES) {
      const dir = unpacked(name);
      const json = readJson(join(dir, 'package.json')) as {
        license: string; engines?: { node?: string }; sideEffects?: unknown; exports?: Record<string, unknown>;
        dependencies?: Record<string, string>; files: string[];
      };
      expect(existsSync(join(dir, 'README.md')), `${name} README`).toBe(true);
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8'), `${name} LICENSE`).toMatch(/Apache License\s+Version 2\.0/);
      expect(json.license).toBe('Apache-2.0');
      expect(json.engines?.node, `${name} engines`).toMatch(/^>=20\.19/);
      expect(json.sideEffects, `${name} sideEffects`).toBeDefined();
      expect(json.exports?.['./package.json'], `${name} exports ./package.json`).toBe('./package.json');
      for (const [dep, range] of Object.entries(json.dependencies ?? {})) {
        if (dep.startsWith('@kyso/')) expect(range, `${name} → ${dep}`).toBe(versions[dep]);
      }
      const files = listFiles(dir);
      expect(files.some((f) => f.startsWith('dist/') && f.endsWith('.js')), `${name} dist`).toBe(true);
      expect(files.some((f) => f.startsWith('dist/') && f.endsWith('.d.ts')), `${name} types`).toBe(true);
      // A source map only with the sources it points at.
      for (const map of files.filter((f) => f.endsWith('.map'))) {
        const { sources } = JSON.parse(readFileSync(join(dir, map), 'utf8')) as { sources: string[] };
        for (const source of sources) {
          const target = posix.normalize(posix.join(posix.dirname(map), source));
          expect(files.includes(target), `${name}: ${map} points at ${target}`).toBe(true);
        }
      }
      // Nothing only one bundler understands.
      for (const js of files.filter((f) => f.startsWith('dist/') && f.endsWith('.js'))) {
        expect(readFileSync(join(dir, js), 'utf8'), `${name}/${js}`).not.toMatch(/['"][^'"\n]+\?(?:url|worker|raw|inline|sharedworker)['"]/);
      }
    }
  });

  it('sideEffects name exactly the modules that act when imported; the elements\' manifest ships and is found through customElements and exports', () => {
    expect(installed).toBe(true);
    // The sources ship too (with the source maps), and a bundler aliased to them (as kyso's own tests are) must keep their effects.
    expect(readJson(join(pkg('core'), 'package.json')).sideEffects).toEqual([
      './dist/node/index.js', './dist/worker/entry.js', './dist/worker/verify-entry.js', './src/node/index.ts', './src/worker/entry.ts', './src/worker/verify-entry.ts',
      './workers/entry.js', './workers/verify-entry.js',
    ]);
    expect(readJson(join(pkg('adapters'), 'package.json')).sideEffects).toBe(false);
    const elements = readJson(join(pkg('elements'), 'package.json')) as { sideEffects: string[]; customElements: string; exports: Record<string, unknown> };
    expect(elements.sideEffects).toEqual(['./dist/*/define.js', './dist/shared/pdf-worker.js', './src/*/define.ts', './src/shared/pdf-worker.ts']);
    // Every module that registers a tag is one of them.
    const defines = listFiles(join(pkg('elements'), 'dist')).filter((f) => f.endsWith('.js') && /customElements\.define\(/.test(readFileSync(join(pkg('elements'), 'dist', f), 'utf8')));
    expect(defines.length).toBe(5);
    for (const f of defines) expect(f).toMatch(/^[a-z-]+\/define\.js$/);
    expect(elements.exports['./custom-elements.json']).toBe('./custom-elements.json');
    const manifest = readJson(join(pkg('elements'), elements.customElements)) as { modules: { path: string; declarations?: { tagName?: string }[] }[] };
    const tags = manifest.modules.flatMap((m) => (m.declarations ?? []).map((d) => d.tagName).filter(Boolean));
    expect(tags.sort()).toEqual(['certificate-picker', 'pdf-page-view', 'sign-document', 'signature-panel', 'verify-badge']);
    for (const m of manifest.modules) expect(existsSync(join(pkg('elements'), m.path)), m.path).toBe(true);
  });

  it('vendor code type-checks against the installed packages (strict, skipLibCheck false)', () => {
    expect(installed).toBe(true);
    const dir = join(apps, 'typecheck');
    mkdirSync(dir);
    cpSync(join(templates, 'shared/tsconfig.json'), join(dir, 'tsconfig.json'));
    cpSync(join(templates, 'shared/kyso-page.ts'), join(dir, 'kyso-page.ts'));
    cpSync(join(templates, 'vanilla/src/main.ts'), join(dir, 'main.ts'));
    // Vendor files of their own (e.g. typecheck/vendor.ts: events and JSX typings) are checked with them.
    cpSync(join(templates, 'typecheck'), dir, { recursive: true });
    const tsc = sh(process.execPath, [join(apps, 'node_modules/typescript/bin/tsc'), '-p', dir], dir);
    expect(tsc.output).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);

  async function withDevServer(app: App, body: (url: string) => Promise<void>): Promise<void> {
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, [join(apps, 'node_modules/vite/bin/vite.js'), '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--clearScreen', 'false'], {
      cwd: join(apps, app), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' },
    });
    let log = '';
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    try {
      await expect.poll(() => /ready in/.test(log) || child.exitCode !== null, { timeout: 60_000 }).toBe(true);
      expect(child.exitCode, log).toBe(null);
      await body(`http://127.0.0.1:${port}/`);
      expect(log).not.toMatch(/\berror\b/i);
    } finally {
      child.kill();
      await new Promise((ok) => (child.exitCode !== null ? ok(undefined) : child.once('exit', ok)));
    }
  }

  for (const app of APPS) {
    it(`${app}: the dev server, then the production build under the strict CSP: badge verdict, signature made, verified by kyso verify and pdfsig`, async () => {
      expect(installed).toBe(true);
      await withDevServer(app, async (url) => checkSigned(world, await exercise(world.browser, url), `${app}-dev`));

      const build = sh(process.execPath, [join(apps, 'node_modules/vite/bin/vite.js'), 'build'], join(apps, app));
      expect(build.status, build.output).toBe(0);
      const served = await serveUnderStrictCsp(join(apps, app, 'dist'));
      try {
        await checkSigned(world, await exercise(world.browser, served.base + '/', served), `${app}-build`);
      } finally {
        await served.close();
      }
    }, 240_000);
  }
});
