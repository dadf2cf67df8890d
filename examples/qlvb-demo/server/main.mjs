#!/usr/bin/env node
// @ts-check
// Builds the pages and runs the QLVB demo server until Ctrl-C.
//
//   node examples/qlvb-demo/server/main.mjs [--port N] [--data DIR] [--web-dir DIR] [--no-build] [--open]
//
// Port: --port, else $KYSO_DEMO_PORT, else 5173; when busy, a free port is taken and printed.
// Data: --data, else $KYSO_DEMO_DATA, else <repo>/.data/qlvb-demo (git-ignored).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startDemoServer } from './app.mjs';
import { buildWeb } from './web-build.mjs';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** Default locations and port, shared with scripts/start.mjs. */
export const DEFAULTS = {
  port: 5173,
  dataDir: resolve(repo, '.data/qlvb-demo'),
  webDir: resolve(repo, 'out/qlvb-demo/web'),
};

/**
 * @param {string[]} argv
 * @returns {Promise<Awaited<ReturnType<typeof startDemoServer>>>}
 */
export async function runDemo(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' }, data: { type: 'string' }, 'web-dir': { type: 'string' },
      'no-build': { type: 'boolean', default: false }, open: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port ?? process.env.KYSO_DEMO_PORT ?? DEFAULTS.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`bad port ${values.port}`);
  const dataDir = resolve(values.data ?? process.env.KYSO_DEMO_DATA ?? DEFAULTS.dataDir);
  const webDir = resolve(values['web-dir'] ?? DEFAULTS.webDir);
  if (!values['no-build']) {
    const t = performance.now();
    await buildWeb(webDir, { quiet: true });
    console.log(`qlvb-demo: pages built in ${Math.round(performance.now() - t)} ms`);
  }
  const demo = await startDemoServer({ dataDir, webDir, port });
  console.log(`qlvb-demo: documents in ${dataDir}`);
  // One line tests and scripts can parse.
  console.log(`qlvb-demo: listening on ${demo.url}`);
  console.log(`qlvb-demo: portal page ${demo.url}portal`);
  if (values.open) openBrowser(demo.url);
  return demo;
}

/** Opens the system browser when there is a display; silently does nothing otherwise. @param {string} url */
export function openBrowser(url) {
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  try {
    const child = spawn('xdg-open', [url], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no opener installed: the URL is printed anyway
  }
}

/**
 * Closes the demo cleanly on Ctrl-C or SIGTERM, once, then exits.
 * @param {{ close(): Promise<void> }} demo
 */
export function closeOnSignals(demo) {
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    await demo.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  closeOnSignals(await runDemo(process.argv.slice(2)));
}
