#!/usr/bin/env node
/**
 * The elements in Chromium (issue 5 §6), run by `npm run bench` through
 * scripts/bench.mjs, or alone: `node scripts/bench-browser.mjs [--sizes 1e6,20e6] [--runs 3]`
 * (after `tsc -b`: it bundles the built packages, as a vendor's page would).
 *
 *  (a) Time to the first verdict of `<verify-badge>`: from setting `.data` to
 *      `kyso-verified`, on signed documents of about 1 MB and 20 MB (made here
 *      with core in Node from .fixtures/samples/large-*.pdf and a software key),
 *      as a ratio to WebCrypto SHA-256 (`crypto.subtle.digest`) of the same
 *      bytes in the same page. Best of `runs` in a warm page, plus the page's
 *      first (cold) verdict, which includes starting the worker.
 *  (b) Gzip sizes of the production bundles, built by Vite with a vendor's
 *      default configuration (no `worker` or `optimizeDeps` options, issue 14
 *      §2): what a portal page with only `<verify-badge>` downloads before its
 *      first verdict, main thread and kyso's worker apart (pdf.js is never among
 *      them: it loads only when a page is shown); what a page with
 *      `<sign-document>` runs on its main thread until the draft is drawn; and
 *      the whole `<sign-document>` bundle with pdf.js and every worker.
 * Pages: packages/elements/bench/. Figures only: never asserted.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const pages = join(repo, 'packages/elements/bench');
const MB = 1e6;
const KB = 1024;
const SIGNING_TIME = new Date('2026-01-15T03:00:00Z');
/** Budgets (issue 14 §2, gzip, default Vite config): the portal page's main thread before pdf.js is needed, */
const BADGE_TARGET_KB = 25;
/** kyso's worker as the badge loads it for a verification, */
const WORKER_TARGET_KB = 180;
/** and `<sign-document>`'s main thread until the document is shown. */
const SIGN_SHOWN_TARGET_KB = 250;

const fmt = (x, d = 1) => x.toFixed(d);
const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;

/**
 * Builds one page of packages/elements/bench with Vite into `outDir`, with
 * Vite's defaults for everything a vendor would not set (no `worker`,
 * `optimizeDeps`, target or minifier options); returns the emitted files.
 */
async function buildPage(name, outDir, base = '/') {
  const { build } = await import('vite');
  await build({
    configFile: false,
    logLevel: 'error',
    root: pages,
    base,
    build: {
      outDir,
      emptyOutDir: true,
      chunkSizeWarningLimit: 8192,
      rollupOptions: { input: { [name]: join(pages, `${name}.html`) } },
    },
  });
  return listFiles(outDir);
}

function listFiles(dir, base = dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? listFiles(p, base) : [relative(base, p).split(sep).join('/')];
  });
}

/** Serves `roots` (URL prefix → folder) on 127.0.0.1. */
async function serve(roots) {
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.pdf': 'application/pdf' };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    for (const [prefix, dir] of Object.entries(roots)) {
      if (!path.startsWith(prefix)) continue;
      const file = resolve(dir, '.' + sep + (path.slice(prefix.length) || 'index.html'));
      if (!file.startsWith(resolve(dir) + sep)) break;
      try {
        const body = readFileSync(file);
        res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
        res.end(body);
        return;
      } catch {
        break;
      }
    }
    res.writeHead(404).end();
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { base: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }) };
}

/** Signed copies of the large samples, made with core in Node (invisible signature, software key). */
async function signedDocuments(sizes, dir) {
  const { ensurePki, ensureLargeSample } = await import('@kyso/testkit');
  const { fromPkcs8Pem } = await import('@kyso/adapters');
  const { signFile } = await import('@kyso/core/node');
  const pki = await ensurePki();
  const leader = pki.entity('leader');
  const adapter = await fromPkcs8Pem(
    readFileSync(leader.keyPath, 'utf8'), readFileSync(leader.certPath, 'utf8'), [pki.intermediatePath, pki.rootPath].map((p) => readFileSync(p, 'utf8')),
  );
  const out = [];
  for (const size of sizes) {
    const input = await ensureLargeSample(size);
    const name = `signed-${size}.pdf`;
    await signFile(input, join(dir, name), { adapter, signingTime: SIGNING_TIME });
    out.push({ size, name, bytes: statSync(join(dir, name)).size });
  }
  return out;
}

/**
 * Runs the browser bench and returns its figures and the lines of its table.
 * @param {{ sizes?: number[], runs?: number }} [options]
 */
export async function benchBrowser(options = {}) {
  const sizes = options.sizes ?? [1e6, 20e6];
  const runs = options.runs ?? 3;
  const { chromium } = await import('playwright-core');
  const work = mkdtempSync(join(tmpdir(), 'kyso-bench-browser-'));
  const badgeDir = join(work, 'badge');
  const signDir = join(work, 'sign');
  const docsDir = join(work, 'docs');
  let browser;
  let server;
  try {
    process.stderr.write('bench-browser: building the pages and signing the documents…\n');
    mkdirSync(docsDir, { recursive: true });
    await buildPage('badge', badgeDir);
    const signFiles = await buildPage('sign', signDir, '/sign/');
    const docs = await signedDocuments(sizes, docsDir);
    const { fixturesDir } = await import('@kyso/testkit');
    server = await serve({ '/docs/': docsDir, '/samples/': join(fixturesDir(), 'samples'), '/sign/': signDir, '/': badgeDir });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
    const page = await browser.newPage();
    // Every script the page and its workers fetch: the badge's download before its first verdict. Playwright
    // gives no frame for a request a worker makes, which tells the worker's scripts from the page's.
    const scripts = new Map();
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (!/\.m?js$/.test(url.pathname)) return;
      let side = 'main';
      try {
        r.frame();
      } catch {
        side = 'worker';
      }
      scripts.set(url.pathname.slice(1), side);
    });
    // The worker's own script is fetched on the page's behalf (it has a frame): name it by the worker's URL.
    const workers = new Set();
    page.on('worker', (w) => workers.add(new URL(w.url()).pathname.slice(1)));
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.base}/badge.html`);
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');

    const rows = [];
    let firstVerdictScripts;
    for (const doc of docs) {
      process.stderr.write(`bench-browser: verify-badge on ${fmt(doc.bytes / MB)} MB (from large-${doc.size}.pdf)…\n`);
      const r = await page.evaluate(([url, n]) => globalThis.kysoBench(url, n), [`/docs/${doc.name}`, runs]);
      firstVerdictScripts ??= new Map(scripts);
      rows.push(r);
    }
    if (errors.length) throw new Error(`the bench page failed: ${errors.join('; ')}`);

    // What the portal page downloads until the first verdict; kyso's worker apart (a module worker of its own).
    const loaded = [...firstVerdictScripts].map(([f, side]) => [f, workers.has(f) ? 'worker' : side]);
    const mainChunks = loaded.filter(([, side]) => side === 'main').map(([f]) => f);
    const workerChunks = loaded.filter(([, side]) => side === 'worker').map(([f]) => f);
    const badgeMain = mainChunks.reduce((s, f) => s + gz(join(badgeDir, f)), 0);
    const badgeWorker = workerChunks.reduce((s, f) => s + gz(join(badgeDir, f)), 0);
    const badgePdfjs = loaded.some(([f]) => /(^|\/)pdf[.-]/.test(f.split('/').pop() ?? ''));
    if (process.env.KYSO_BENCH_DEBUG) process.stderr.write(`${JSON.stringify(loaded)}\n`);
    // <sign-document>: every script its build emits (kyso's worker and its lazy chunks, pdf.js and pdf.js's worker
    // included); pdf.js's share is its two files (pdfjs-dist's `pdf` and `pdf.worker.min`).
    const js = signFiles.filter((f) => /\.m?js$/.test(f));
    const signTotal = js.reduce((s, f) => s + gz(join(signDir, f)), 0);
    const signPdfjs = js.filter((f) => /^pdf[.-]/.test(f.split('/').pop() ?? '')).reduce((s, f) => s + gz(join(signDir, f)), 0);
    // (pdf-worker-*.js: the elements' module worker that runs pdf.js's worker)

    // <sign-document> until the draft is drawn: the main thread's scripts (the workers' apart).
    const signPage = await browser.newPage();
    const signScripts = new Map();
    signPage.on('request', (r) => {
      const url = new URL(r.url());
      if (!/\.m?js$/.test(url.pathname)) return;
      let side = 'main';
      try {
        r.frame();
      } catch {
        side = 'worker';
      }
      signScripts.set(url.pathname.slice('/sign/'.length), side);
    });
    const signWorkers = new Set();
    signPage.on('worker', (w) => signWorkers.add(new URL(w.url()).pathname.slice('/sign/'.length)));
    await signPage.goto(`${server.base}/sign/sign.html`);
    await signPage.locator('sign-document pdf-page-view [part~="page"][data-page="1"] canvas').waitFor({ timeout: 120_000 });
    const signShownChunks = [...signScripts].filter(([f, side]) => side === 'main' && !signWorkers.has(f)).map(([f]) => f);
    const signShown = signShownChunks.reduce((s, f) => s + gz(join(signDir, f)), 0);
    await signPage.close();

    const lines = [];
    lines.push('');
    lines.push('elements in Chromium (scripts/bench-browser.mjs): <verify-badge> time to first verdict (setting .data → kyso-verified, trust-profile none,');
    lines.push(`embedded revocation), best of ${runs} in a warm page, against WebCrypto SHA-256 (crypto.subtle.digest) of the same bytes in the same page.`);
    const header = ['size MB', 'digest ms', 'digest MB/s', 'verdict ms', 'verdict MB/s', 'verdict/digest', 'cold ms', 'state'];
    const table = rows.map((r) => [
      fmt(r.bytes / MB), fmt(r.digestMs), fmt(r.bytes / MB / (r.digestMs / 1000), 0), fmt(r.verdictMs), fmt(r.bytes / MB / (r.verdictMs / 1000), 0),
      fmt(r.verdictMs / r.digestMs, 2), r.coldMs === null ? '' : fmt(r.coldMs), r.state,
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
    const line = (cells) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
    lines.push(line(header));
    for (const row of table) lines.push(line(row));
    lines.push('(verdict/digest: how many SHA-256 passes the verdict costs; the badge hands the worker a copy of the bytes, which is counted.)');
    const meets = (bytes, kb) => `target ≤ ${kb} KB: ${bytes <= kb * KB ? 'yes' : 'NO'}`;
    lines.push('bundle sizes (Vite production build with the default config, gzip -9):');
    lines.push(`  <verify-badge> until its first verdict, main thread: ${fmt(badgeMain / KB)} KB (${mainChunks.length} chunk(s); ${meets(badgeMain, BADGE_TARGET_KB)}); ` +
      `pdf.js loaded: ${badgePdfjs ? 'YES' : 'no'}`);
    lines.push(`  kyso worker for the verification: ${fmt(badgeWorker / KB)} KB (${workerChunks.length} file(s); ${meets(badgeWorker, WORKER_TARGET_KB)})`);
    lines.push(`  <sign-document> until the draft is drawn, main thread: ${fmt(signShown / KB)} KB (${signShownChunks.length} chunk(s), pdf.js included; ` +
      `${meets(signShown, SIGN_SHOWN_TARGET_KB)})`);
    lines.push(`  <sign-document>, every script the entry can load (page and workers): ${fmt(signTotal / KB)} KB, ` +
      `of which pdf.js and its worker ${fmt(signPdfjs / KB)} KB`);
    return { rows, bundles: { badgeMain, badgeWorker, badgePdfjs, signShown, signTotal, signPdfjs }, lines };
  } finally {
    await browser?.close();
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Runs {@link benchBrowser} and prints its table to stdout.
 * @param {{ sizes?: number[], runs?: number }} [options]
 */
export async function printBenchBrowser(options = {}) {
  const { lines } = await benchBrowser(options);
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { sizes: { type: 'string' }, runs: { type: 'string' } } });
  const sizes = values.sizes ? values.sizes.split(',').map((s) => Math.round(Number(s))) : undefined;
  await printBenchBrowser({ sizes, runs: values.runs ? Number(values.runs) : undefined });
}
