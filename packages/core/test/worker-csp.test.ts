import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, existsSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, relative, resolve, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { chromium, type Browser } from 'playwright-core';
import { ensurePki, ensureSamples, fixturesDir } from '@kyso/testkit';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/chromium.mjs';

/**
 * Issue 5 §1: the worker client works under a strict Content-Security-Policy,
 * with no 'unsafe-eval', no 'unsafe-inline', no blob: workers. A Vite build of
 * a small page (test/browser/csp-page) signs and verifies through the worker;
 * a tiny server sends the policy; Debian's Chromium runs it. Any violation
 * fails: the policy's report-uri collects reports from the page and the
 * worker, and the page records `securitypolicyviolation` events and console errors.
 */
const CSP = "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self'";
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const repo = here('../../../');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
};

interface Served {
  readonly base: string;
  readonly reports: string[];
  close(): Promise<void>;
}

/** Serves `dist` and `/fixtures/*` on 127.0.0.1 with the policy; `/csp-report` collects violation reports. */
async function serve(dist: string): Promise<Served> {
  const reports: string[] = [];
  const inside = (root: string, path: string) => {
    const full = resolve(root, '.' + normalize(decodeURIComponent(path)));
    const rel = relative(root, full);
    return rel.startsWith('..') || isAbsolute(rel) ? null : full;
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/csp-report') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        reports.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(204).end();
      });
      return;
    }
    // A page that breaks the policy on purpose: proves that violations are seen.
    if (url.pathname === '/violation.html') {
      res.writeHead(200, { 'content-type': TYPES['.html']!, 'content-security-policy': `${CSP}; report-uri /csp-report` });
      res.end('<!doctype html><p>inline</p><script>document.title = "ran"</script>');
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end(); // the browser asks for it; a 404 would be a console error
      return;
    }
    const file = url.pathname.startsWith('/fixtures/')
      ? inside(fixturesDir(), url.pathname.slice('/fixtures'.length))
      : inside(dist, url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': `${CSP}; report-uri /csp-report`,
    });
    res.end(readFileSync(file));
  };
  const server: Server = createServer(handle);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    reports,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

describe('worker client under a strict CSP (Vite build, Debian Chromium)', () => {
  let out: string;
  let served: Served;
  let browser: Browser;

  beforeAll(async () => {
    await ensurePki();
    await ensureSamples();
    out = mkdtempSync(join(tmpdir(), 'kyso-csp-'));
    await build({
      configFile: false,
      logLevel: 'error',
      root: here('./browser/csp-page'),
      base: '/',
      resolve: {
        alias: [
          { find: /^@kyso\/core\/worker$/, replacement: join(repo, 'packages/core/src/worker/index.ts') },
          { find: /^@kyso\/core$/, replacement: join(repo, 'packages/core/src/index.ts') },
          { find: /^@kyso\/adapters$/, replacement: join(repo, 'packages/adapters/src/index.ts') },
          { find: /^#hash-engine$/, replacement: join(repo, 'packages/core/src/crypto/hash-engine-portable.ts') },
        ],
      },
      worker: { format: 'es' },
      build: { outDir: out, emptyOutDir: true, target: 'es2022', modulePreload: { polyfill: false }, assetsInlineLimit: 0 },
    });
    served = await serve(out);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  /** Opens `path`, waits until `#result` is filled (or the timeout), and collects console errors. */
  async function open(path: string, done: (page: import('playwright-core').Page) => Promise<unknown>) {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`); });
    await page.goto(served.base + path);
    await done(page);
    return { page, errors };
  }

  it('a page under the policy signs (visible, default font) and verifies through the worker with no violation', async () => {
    const { page, errors } = await open('/', (p) => p.waitForFunction(() => document.getElementById('result')?.textContent !== 'pending', null, { timeout: 60_000 }));
    const result = JSON.parse((await page.locator('#result').textContent()) ?? '{}');
    await page.close();
    expect(result).toMatchObject({ integrity: 'intact', cryptoValid: true, indication: 'INDETERMINATE', violations: [] });
    expect(result.signer).toMatch(/Nguyễn/);
    expect(errors).toEqual([]);
    expect(served.reports).toEqual([]);
  }, 90_000);

  it('the check can fail: an inline script on a page with the same policy is blocked and reported', async () => {
    const before = served.reports.length;
    const { page, errors } = await open('/violation.html', (p) => p.waitForTimeout(200));
    expect(await page.title()).toBe('');
    await page.close();
    await expect.poll(() => served.reports.length, { timeout: 10_000 }).toBeGreaterThan(before);
    expect(errors.join('\n')).toMatch(/Content Security Policy/);
    served.reports.length = before; // leave the list as the other test expects it
  });
});
