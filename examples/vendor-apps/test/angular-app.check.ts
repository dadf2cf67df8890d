import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveUnderStrictCsp } from '@kyso/testkit';
import { checkSigned, exercise, makeApp, sh, vendorWorld, type VendorWorld } from './harness.js';

/**
 * Issue 14 §2, Angular (run at the end of `npm test` as a second Vitest run with
 * its own config; alone: `npm run test:angular`). The packed packages
 * in an app of the Angular CLI's default application builder (Angular 21, the
 * last major for Node 20; `examples/vendor-apps/angular`): `ng build`, then the
 * production build served under the strict Content-Security-Policy in
 * Debian's Chromium: the badge's verdict, a signature placed and made with a
 * PKCS#12 key, verified TOTAL_PASSED by the packed `kyso verify` and by
 * pdfsig, with no console error, failed request or violation.
 *
 * The builder does not bundle the workers a dependency starts with
 * `new Worker(new URL(…, import.meta.url))`, so this app is the one that needs
 * configuration: angular.json copies `@kyso/core/workers/` (the workers
 * bundled at pack time), the font and pdf.js's worker to `/kyso/`, and
 * `src/main.ts` names them (`createKyso({ workerUrl, verifyWorkerUrl, fontUrl })`,
 * `setPdfWorkerSrc`).
 */
describe('the packed packages in an Angular CLI app (application builder, production build under the strict CSP)', () => {
  let world: VendorWorld;
  let app: string;

  beforeAll(async () => {
    world = await vendorWorld('package.angular.json');
    app = makeApp(world, 'angular', 'src/app', 'public');
    // angular.json's asset inputs are relative to the app; the one install is a folder up.
    symlinkSync('../node_modules', join(app, 'node_modules'));
  }, 400_000);

  afterAll(async () => {
    await world?.close();
  });

  it('ng build, then the badge verdict and a signature made, verified by kyso verify and pdfsig, under the strict CSP', async () => {
    const build = sh(process.execPath, [join(world.apps, 'node_modules/@angular/cli/bin/ng.js'), 'build'], app, 400_000);
    expect(build.status, build.output).toBe(0);
    const served = await serveUnderStrictCsp(join(app, 'dist/app/browser'));
    try {
      await checkSigned(world, await exercise(world.browser, served.base + '/', served), 'angular-build');
    } finally {
      await served.close();
    }
  }, 400_000);
});
