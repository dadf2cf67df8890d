/**
 * What the vendor-app tests share (packed-apps.test.ts: vanilla, React, Vue
 * with Vite; angular-app.check.ts: the Angular CLI): the packed packages
 * installed into a temporary folder outside the repository, each app made
 * from its template, Chromium driving an app through the two elements, and
 * the checks of the signed output by the packed CLI and pdfsig.
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import {
  ensurePki, ensureSamples, ensureStoryFixtures, fixturesDir, pkiRoutes, startCrlServer, startOcspResponder,
  type CrlServer, type OcspResponder, type StrictCspServer,
} from '@kyso/testkit';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/chromium.mjs';
import { packAll } from '../../../scripts/pack.mjs';

export const templates = fileURLToPath(new URL('..', import.meta.url));
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** The fixtures the apps fetch under /fixtures/ (see shared/kyso-page.ts). */
const FIXTURES = ['stories/root.cert.der', 'stories/valid.pdf', 'pki/leader.p12', 'samples/simple.pdf'];

/** What shared/kyso-page.ts records in `#result`. */
export interface PageRecord {
  readonly ready: boolean;
  readonly events: string[];
  readonly badge?: string;
  readonly signed?: { indication: string; subIndication: string | null; integrity: string; signer: string; bytes: number };
  readonly errors: string[];
  readonly violations: string[];
}

/** Runs a tool without a shell; never throws. */
export function sh(cmd: string, args: readonly string[], cwd: string, timeout = 180_000): { status: number | null; output: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' } });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** The packed packages installed for vendor apps, with Chromium and the test PKI's revocation servers. */
export interface VendorWorld {
  /** The temporary folder holding everything (removed by {@link VendorWorld.close}). */
  readonly work: string;
  /** The folder of the one npm install every app shares (its node_modules). */
  readonly apps: string;
  /** Tarballs by package name (`core`, `adapters`, …). */
  readonly tarballs: Record<string, string>;
  readonly browser: Browser;
  readonly ocsp: OcspResponder;
  readonly crl: CrlServer;
  close(): Promise<void>;
}

/**
 * Packs the packages (as `npm run pack`, on the current build) into a new
 * temporary folder and installs them from their tarballs with the
 * dependencies of `packageTemplate` (a file of this folder) from the npm
 * registry, `--prefer-offline`.
 */
export async function vendorWorld(packageTemplate: string): Promise<VendorWorld> {
  await ensurePki();
  await ensureSamples();
  await ensureStoryFixtures();
  const work = mkdtempSync(join(tmpdir(), 'kyso-vendor-'));
  const opened: { close(): Promise<void> }[] = [];
  const close = async () => {
    for (const o of opened.reverse()) await o.close();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const tarballs = packAll(join(work, 'pack'), { build: false });
    const apps = join(work, 'apps');
    mkdirSync(apps);
    const manifest = JSON.parse(readFileSync(join(templates, packageTemplate), 'utf8')) as Record<string, Record<string, string>>;
    for (const deps of [manifest.dependencies ?? {}, manifest.devDependencies ?? {}]) {
      for (const name of Object.keys(deps)) if (name.startsWith('@kyso/')) deps[name] = `file:${tarballs[name.slice('@kyso/'.length)]}`;
    }
    writeFileSync(join(apps, 'package.json'), JSON.stringify(manifest, null, 2));
    const install = sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], apps, 300_000);
    if (install.status !== 0) throw new Error(`npm install failed:\n${install.output}`);
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
    opened.push(browser);
    const ocsp = await startOcspResponder();
    opened.push(ocsp);
    const crl = await startCrlServer();
    opened.push(crl);
    return { work, apps, tarballs, browser, ocsp, crl, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Makes app `name` in the world from its template: the template's files, the
 * shared page script in `srcDir`, and the favicon and fixtures in `publicDir`.
 */
export function makeApp(world: VendorWorld, name: string, srcDir = 'src', publicDir = 'public'): string {
  const dir = join(world.apps, name);
  cpSync(join(templates, name), dir, { recursive: true });
  cpSync(join(templates, 'shared/kyso-page.ts'), join(dir, srcDir, 'kyso-page.ts'));
  mkdirSync(join(dir, publicDir), { recursive: true });
  cpSync(join(templates, 'shared/favicon.svg'), join(dir, publicDir, 'favicon.svg'));
  for (const f of FIXTURES) cpSync(join(fixturesDir(), f), join(dir, publicDir, 'fixtures', f));
  return dir;
}

/**
 * Runs an app in Chromium at `url`: the badge's verdict on the signed sample,
 * then a signature placed by a click on the draft and made with the PKCS#12
 * key; fails on any console error, page error, failed request or policy
 * violation (the page's own and, with `served`, the reports). Returns the
 * signed PDF.
 */
export async function exercise(browser: Browser, url: string, served?: StrictCspServer): Promise<Buffer> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 2000 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });
  page.on('requestfailed', (r) => problems.push(`failed ${r.url()} ${r.failure()?.errorText}`));
  const record = async (): Promise<PageRecord> => JSON.parse((await page.locator('#result').textContent()) || '{"events":[],"errors":[],"violations":[]}');
  const until = async (what: string, check: (r: PageRecord) => boolean) => {
    await expect.poll(async () => { const r = await record(); return check(r) || r.errors.length > 0; }, { timeout: 90_000, message: what }).toBe(true);
    const r = await record();
    expect(r.errors, what).toEqual([]);
    return r;
  };
  try {
    await page.goto(url);
    await until('the elements were set up', (r) => r.ready);
    expect((await until('the badge reached its verdict', (r) => r.badge !== undefined)).badge).toBe('valid');

    const draft = page.locator('sign-document pdf-page-view [part~="page"][data-page="1"]');
    await draft.locator('canvas').waitFor({ timeout: 90_000 });
    await expect.poll(() => page.locator('sign-document certificate-picker [part~="option"][aria-selected="true"]').count(), { timeout: 30_000 }).toBe(1);
    await draft.click({ position: { x: 300, y: 600 } });
    await page.locator('sign-document [part="sign-button"]').click();
    const signed = await until('kyso-signed', (r) => r.signed !== undefined);
    expect(signed.signed).toMatchObject({ integrity: 'intact', signer: 'Nguyễn Văn Đức' });
    const bytes = Buffer.from(await page.evaluate(() => (window as unknown as { kysoSigned: string }).kysoSigned), 'base64');
    expect(bytes.length).toBe(signed.signed!.bytes);
    expect(signed.violations).toEqual([]);
    if (served) {
      await new Promise((r) => setTimeout(r, 300)); // violation reports are posted asynchronously
      expect(served.reports).toEqual([]);
    }
    expect(problems).toEqual([]);
    return bytes;
  } finally {
    await context.close();
  }
}

/**
 * The packed CLI and pdfsig agree that the page's output is a valid signature
 * of the test PKI. The CLI checks revocation online: its fetch is routed to the
 * local OCSP and CRL servers (route-pki-fetch.mjs; it runs asynchronously, as
 * the servers live in this process).
 */
export async function checkSigned(world: VendorWorld, bytes: Buffer, name: string): Promise<void> {
  const file = join(world.work, `${name}.pdf`);
  writeFileSync(file, bytes);
  const pki = join(fixturesDir(), 'pki');
  const cli = await new Promise<{ status: number; output: string }>((ok) => {
    execFile(process.execPath, [
      '--import', here('./route-pki-fetch.mjs'),
      join(world.apps, 'node_modules/@kyso/cli/bin/kyso.js'), 'verify', file, '--trust', join(pki, 'root.cert.pem'), '--revocation', 'online', '--format', 'json',
    ], { cwd: world.work, env: { ...process.env, KYSO_PKI_ROUTES: JSON.stringify(pkiRoutes({ ocsp: world.ocsp, crl: world.crl })) } }, (error, stdout, stderr) =>
      ok({ status: error ? Number(error.code) : 0, output: `${stdout}${stderr}` }));
  });
  expect(cli.status, cli.output).toBe(0);
  const report = JSON.parse(cli.output) as { signatures: { indication: string; signer: { commonName?: string } }[] };
  expect(report.signatures.map((s) => [s.indication, s.signer.commonName])).toEqual([['TOTAL_PASSED', 'Nguyễn Văn Đức']]);
  // poppler checks the signature value; the certificate's trust it leaves "unknown" when the OCSP address in the
  // certificate cannot be reached (docs toolchain notes), which is not kyso's to fix.
  const pdfsig = sh('pdfsig', ['-nssdir', `sql:${join(pki, 'nssdb')}`, file], world.work);
  expect(pdfsig.output).toMatch(/Signature #1:[\s\S]*Signature Validation: Signature is Valid\./);
  expect(pdfsig.output).not.toMatch(/Signature #2/);
}
