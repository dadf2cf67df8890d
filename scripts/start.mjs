#!/usr/bin/env node
// `npm start`: builds kyso (tsc -b) and the demo pages (Vite), then serves the QLVB demo and the portal page
// on 127.0.0.1 until Ctrl-C, with the embedded test PKI (keys, TSA, OCSP, CRL). Opens a browser only when
// there is a display. Nothing is installed and no external service is used.
//
// `npm start -- --check` (or KYSO_START_ONCE=1, or CI set as CI services and .ci/run do): runs everything once,
// headless, and exits with 0 when
//   1. the Node flow signs the sample twice and pdfsig and kyso find both signatures valid (`npm run demo:cli`);
//   2. the web flow in Chromium approves, numbers, issues and publishes a fresh draft, and the portal badge
//      says valid with allowed changes (the number and date filled after the leader signed), with no
//      Content-Security-Policy violation;
//   3. the published file passes pdfsig and qpdf --check;
//   4. the published file, drawn by pdftoppm, shows what Decree 30/2020 Appendix I asks: the agency's red seal
//      over the left third of the leader's blue signature (measured by colour, examples/qlvb-demo/flow/measure.mjs).
// The check uses a temporary data folder, so it never touches the documents of a running demo.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const ciEnv = process.env.CI;
const once = args.includes('--check') || process.env.KYSO_START_ONCE === '1' || (ciEnv !== undefined && ciEnv !== '' && ciEnv !== 'false' && ciEnv !== '0');

// The server imports the compiled packages: build them first (about a second when nothing changed).
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b'], { cwd: root, stdio: 'inherit' });

if (!once) {
  const { runDemo, closeOnSignals } = await import('../examples/qlvb-demo/server/main.mjs');
  closeOnSignals(await runDemo([...args, '--open']));
  console.log('Ctrl-C to stop.');
} else {
  const { runCliDemo } = await import('./demo-cli.mjs');
  const { runDemo } = await import('../examples/qlvb-demo/server/main.mjs');
  const drive = await import('../examples/qlvb-demo/flow/drive.mjs');
  const measure = await import('../examples/qlvb-demo/flow/measure.mjs');
  let failed = false;
  const data = mkdtempSync(join(tmpdir(), 'kyso-start-check-'));
  try {
    await runCliDemo();
    console.log('\n--- web demo, once, headless ---');
    const demo = await runDemo(['--port', '0', '--data', data]);
    const browser = await drive.launchBrowser();
    try {
      const { page, violations } = await drive.openWatchedPage(browser);
      const doc = demo.store.list().find((d) => d.state === 'draft');
      if (!doc) throw new Error('no draft seeded');
      await drive.approve(page, demo.url, doc.id);
      await drive.giveNumber(page, '7', new Date().toISOString().slice(0, 10));
      await drive.issue(page);
      await drive.publish(page);
      const verdict = await drive.portalVerdict(page, demo.url, doc.id);
      console.log(`portal badge: ${verdict}`);
      // Every signature TOTAL_PASSED; the leader's reports the number and date filled after it, an allowed change.
      if (verdict !== 'valid-changes') throw new Error(`the portal badge says ${verdict}, expected valid-changes`);
      if (violations.length) throw new Error(`Content-Security-Policy violations:\n${violations.join('\n')}`);
      const published = join(data, 'docs', doc.id, 'issued.pdf');
      const sig = execFileSync('pdfsig', ['-nssdir', `sql:${demo.pki.nssDir}`, '-no-ocsp', published], { encoding: 'utf8' });
      const valid = (sig.match(/Signature Validation: Signature is Valid\./g) ?? []).length;
      if (valid !== 2) throw new Error(`pdfsig: ${valid} valid signature(s) in the published file, expected 2`);
      execFileSync('qpdf', ['--check', published], { stdio: 'ignore' });
      console.log('published file: pdfsig 2 valid signatures, qpdf --check clean');
      const seal = measure.measureSeal(published);
      const problems = measure.sealProblems(seal);
      if (problems.length) throw new Error(`the published decision does not look as Decree 30 asks:\n  ${problems.join('\n  ')}`);
      console.log(`published file, as drawn: the red seal covers the left ${Math.round(seal.covered * 100)}% of the leader's blue signature`);
    } finally {
      await browser.close();
      await demo.close();
    }
    console.log('\nnpm start --check: OK');
  } catch (e) {
    failed = true;
    console.error(`npm start --check failed: ${e instanceof Error ? e.message : e}`);
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}
