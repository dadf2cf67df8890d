import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, isAbsolute, join, normalize, relative, resolve } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/chromium.mjs';
import { viteSourceAliases } from '../../../scripts/source-aliases.mjs';
import { fixturesDir } from './paths.js';

/** The policy kyso's pages must work under (issue 5): nothing inline, no eval, no blob: workers. */
export const STRICT_CSP = "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
};

/** A page served under {@link STRICT_CSP}. */
export interface StrictCspServer {
  readonly base: string;
  /** Bodies of the violation reports the policy's report-uri received (page and workers). */
  readonly reports: string[];
  close(): Promise<void>;
}

/**
 * Serves `dist` and `/fixtures/*` (from `.fixtures/`) on 127.0.0.1 with the
 * strict policy on every response; `/csp-report` collects violation reports.
 * `/violation.html` breaks the policy on purpose (an inline script), so a test
 * can prove that its checks see violations at all.
 */
export async function serveUnderStrictCsp(dist: string): Promise<StrictCspServer> {
  const reports: string[] = [];
  const policy = `${STRICT_CSP}; report-uri /csp-report`;
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
    if (url.pathname === '/violation.html') {
      res.writeHead(200, { 'content-type': TYPES['.html']!, 'content-security-policy': policy });
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
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': policy });
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

/**
 * A Vite production build of the page in `root` against kyso's TypeScript
 * sources (browser hash engine), into a new temporary folder, which it returns.
 * `aliases` come first (e.g. `@kyso/elements/<name>`).
 */
export async function buildStrictCspPage(root: string, aliases: readonly { find: string | RegExp; replacement: string }[] = []): Promise<string> {
  const { build } = await import('vite');
  const out = mkdtempSync(join(tmpdir(), 'kyso-csp-'));
  await build({
    configFile: false,
    logLevel: 'error',
    root,
    base: '/',
    resolve: {
      alias: [
        ...aliases,
        ...viteSourceAliases('portable'),
      ],
    },
    worker: { format: 'es' },
    build: { outDir: out, emptyOutDir: true, target: 'es2022', modulePreload: { polyfill: false }, assetsInlineLimit: 0 },
  });
  return out;
}

/** A page built by {@link buildStrictCspPage}, served under the strict policy, and a headless Debian Chromium. */
export interface StrictCspSite {
  /** The built folder (removed by `close`). */
  readonly out: string;
  readonly served: StrictCspServer;
  readonly browser: import('playwright-core').Browser;
  /** Closes the browser and the server and removes the build. */
  close(): Promise<void>;
}

/**
 * Builds the page in `root` against kyso's sources, lets `prepare` add files to the build (documents, settings),
 * serves it under {@link STRICT_CSP} and launches Debian's Chromium with the project's flags: what every
 * strict-CSP test of a page needs, in one place.
 */
export async function openStrictCspSite(root: string, prepare?: (out: string) => void | Promise<void>): Promise<StrictCspSite> {
  const { chromium } = await import('playwright-core');
  const out = await buildStrictCspPage(root);
  let served: StrictCspServer | undefined;
  try {
    await prepare?.(out);
    served = await serveUnderStrictCsp(out);
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
    const site = served;
    return {
      out, served: site, browser,
      async close() {
        await browser.close();
        await site.close();
        rmSync(out, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await served?.close();
    rmSync(out, { recursive: true, force: true });
    throw error;
  }
}
