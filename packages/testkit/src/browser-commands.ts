import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { viteSourceAliases } from '../../../scripts/source-aliases.mjs';
import { run } from './exec.js';
import { fixturesDir, repoRoot } from './paths.js';
import { ensurePki } from './pki/generate.js';
import { ensureLargeSample } from './samples/ensure.js';
import { pkiRoutes } from './revocation/route-fetch.js';
import { startCrlServer, startOcspResponder } from './revocation/servers.js';
import { startTsaServer, type TsaMode } from './tsa/server.js';

/** Resolves `path` inside `.fixtures/`, refusing anything that escapes it. */
function insideFixtures(path: string): string {
  const root = fixturesDir();
  const full = resolve(root, path);
  const rel = relative(root, full);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`not a fixture path: ${path}`);
  return full;
}

/**
 * Fixture readers. The page asks the Node side for generated fixtures
 * (test PKI, signed samples), which never leave `.fixtures/`. Base64 because
 * command results cross the browser bridge as JSON.
 */
const readerCommands = {
  /** The bytes of `.fixtures/<path>`, base64. */
  async readFixture(_ctx: unknown, path: string): Promise<string> {
    return (await readFile(insideFixtures(path))).toString('base64');
  },
  /** The text of `.fixtures/<path>` (PEM, JSON manifests). */
  async readFixtureText(_ctx: unknown, path: string): Promise<string> {
    return readFile(insideFixtures(path), 'utf8');
  },
  /** The absolute path of the fixtures folder, for tests that pass paths to servers. */
  async fixturesRoot(): Promise<string> {
    return join(fixturesDir());
  },
};

// ---------------------------------------------------------------------------------------------
// Servers and Node-side signing for browser specs (worker client, elements, stories).

/** Servers a page started, by the id returned to it; `stopServers` closes them. */
const running = new Map<string, { close(): Promise<void> }>();
let nextServer = 1;

/** What {@link nodeCommands.signInNode} signs: JSON-safe, fixture paths instead of bytes. */
export interface NodeSignRequest {
  /** Fixture path of the input PDF, e.g. `samples/simple.pdf`. */
  readonly pdf: string;
  /** Fixture path of the PKCS#12, e.g. `pki/leader.p12` (password: the test PKI's). */
  readonly p12: string;
  /** `SignOptions` without the adapter; `signingTime` as ISO 8601. */
  readonly options: Record<string, unknown> & { readonly signingTime?: string };
}

/** The Node path of core, from its TypeScript sources: what `node-core-entry.ts` exports. */
interface NodeCore {
  sign(pdf: Uint8Array, options: Record<string, unknown>): Promise<Uint8Array>;
  Pkcs12Adapter: { open(bytes: Uint8Array, password: string): Promise<unknown> };
}

/**
 * Runs `body` with core, its Node wiring and the adapters loaded from their
 * TypeScript sources (as the Node test project does, node:crypto hash
 * engine), so the Node path never runs a stale build. A short-lived Vite
 * server with the repository's aliases, kept open while `body` runs because
 * core loads its appearance code lazily; the browser project's own server is
 * no use here, as it resolves packages for the browser.
 */
async function withNodeCore<T>(body: (core: NodeCore) => Promise<T>): Promise<T> {
  const { createServer } = await import('vite');
  const root = repoRoot();
  const at = (p: string) => join(root, p);
  const server = await createServer({
    configFile: false,
    logLevel: 'error',
    root,
    appType: 'custom',
    server: { middlewareMode: true, watch: null, ws: false },
    optimizeDeps: { noDiscovery: true, include: [] },
    resolve: {
      alias: viteSourceAliases('node'),
    },
  });
  try {
    return await body((await server.ssrLoadModule(at('packages/testkit/src/node-core-entry.ts'))) as unknown as NodeCore);
  } finally {
    await server.close();
  }
}

const nodeCommands = {
  /** Starts a test TSA (CORS-enabled, 127.0.0.1); returns its id and URL. */
  async startTsa(_ctx: unknown, mode: TsaMode = 'ok'): Promise<{ id: string; url: string }> {
    const server = await startTsaServer({ mode });
    const id = `tsa-${nextServer++}`;
    running.set(id, server);
    return { id, url: server.url };
  },
  /** Starts the test OCSP responder and CRL server; returns the routes from the test PKI's URLs to them. */
  async startRevocation(): Promise<{ id: string; routes: Record<string, string> }> {
    const pki = await ensurePki();
    const ocsp = await startOcspResponder({ pki });
    const crl = await startCrlServer({ pki });
    const id = `revocation-${nextServer++}`;
    running.set(id, { close: async () => void (await Promise.all([ocsp.close(), crl.close()])) });
    return { id, routes: pkiRoutes({ ocsp, crl }) };
  },
  /** Makes sure `.fixtures/samples/large-<size>.pdf` exists (writing it takes a few seconds); returns its fixture path. */
  async ensureLargeSample(_ctx: unknown, sizeBytes: number): Promise<string> {
    return relative(fixturesDir(), await ensureLargeSample(sizeBytes));
  },
  /** Closes servers started by the commands above. */
  async stopServers(_ctx: unknown, ids: readonly string[]): Promise<void> {
    await Promise.all(ids.map((id) => running.get(id)?.close()));
    for (const id of ids) running.delete(id);
  },
  /** The text poppler's `pdftotext` reads from a PDF (widget appearances included). */
  async pdfText(_ctx: unknown, pdfBase64: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'kyso-pdftotext-'));
    try {
      const file = join(dir, 'in.pdf');
      await writeFile(file, Buffer.from(pdfBase64, 'base64'));
      return (await run('pdftotext', [file, '-'])).stdout.toString('utf8');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  /**
   * Signs in Node with core directly (its TypeScript sources, loaded by the
   * project's Vite server, the code the browser runs) and checks the output
   * with poppler's `pdfsig` against the test PKI's NSS database. Returns the
   * signed bytes (base64) and pdfsig's report.
   */
  async signInNode(_ctx: unknown, request: NodeSignRequest): Promise<{ pdf: string; pdfsig: string }> {
    const pki = await ensurePki();
    const { signingTime, ...rest } = request.options;
    const p12 = new Uint8Array(await readFile(insideFixtures(request.p12)));
    const pdf = new Uint8Array(await readFile(insideFixtures(request.pdf)));
    const signed = await withNodeCore(async ({ sign, Pkcs12Adapter }) => {
      const adapter = await Pkcs12Adapter.open(p12, pki.p12Password);
      return sign(pdf, { ...rest, ...(signingTime ? { signingTime: new Date(signingTime) } : {}), adapter });
    });
    const dir = await mkdtemp(join(tmpdir(), 'kyso-node-sign-'));
    try {
      const file = join(dir, 'signed.pdf');
      await writeFile(file, signed);
      // -no-ocsp: the test PKI's AIA URLs are not reachable; the signature and chain are what is checked.
      const { stdout } = await run('pdfsig', ['-nssdir', `sql:${pki.nssDir}`, '-no-ocsp', file]);
      return { pdf: Buffer.from(signed).toString('base64'), pdfsig: stdout.toString('utf8') };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

// ---------------------------------------------------------------------------------------------
// The token agent (issue 6) for browser specs: a real `kyso-agent` process on SoftHSM2.

/**
 * Starts `kyso-agent --config` (packages/agent, built first with `tsc -b`) on a
 * private copy of the SoftHSM2 fixture tokens, allowing exactly the page's
 * origin (or `allowedOrigins`); the PIN comes from its config (the page never sends one). An agent
 * with a configured PIN serves only unattended clients that present its client credential (issue 12),
 * so the spec's page plays that client: it receives `clientToken`. Returns the server id (for
 * `stopServers`), the agent's ws:// URL and the credential.
 */
async function startTokenAgent(ctx: unknown, options: { pinDelayMs?: number; allowedOrigins?: string[] } = {}): Promise<{ id: string; url: string; origin: string; clientToken: string }> {
  const { spawn } = await import('node:child_process');
  const { createInterface } = await import('node:readline');
  const { copySoftHsm } = await import('./softhsm/index.js');
  const root = repoRoot();
  await run('npx', ['tsc', '-b', 'packages/agent'], { cwd: root });
  const page = (ctx as { page?: { url(): string } }).page;
  const origin = new URL(page?.url() ?? 'http://localhost:63315').origin;
  const dir = await mkdtemp(join(tmpdir(), 'kyso-browser-agent-'));
  const hsm = await copySoftHsm(join(dir, 'softhsm'));
  const config = join(dir, 'agent.json');
  const { randomBytes } = await import('node:crypto');
  const clientToken = randomBytes(24).toString('hex');
  const allowedOrigins = options.allowedOrigins ?? [origin];
  await writeFile(config, JSON.stringify({
    module: hsm.module, allowedOrigins, port: 0, consentFile: false, log: 'off',
    unattended: { origins: allowedOrigins, clientToken },
    pin: { source: 'config', value: hsm.tokens[0]!.userPin, ...(options.pinDelayMs ? { delayMs: options.pinDelayMs } : {}) },
    env: { SOFTHSM2_CONF: hsm.conf },
  }));
  const child = spawn(process.execPath, [join(root, 'packages/agent/bin/kyso-agent.js'), '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`kyso-agent exited ${code}`)));
  });
  const id = `agent-${nextServer++}`;
  running.set(id, {
    close: async () => {
      if (child.exitCode === null) await new Promise<void>((r) => (child.once('exit', () => r()), child.kill('SIGTERM')));
      await rm(dir, { recursive: true, force: true });
    },
  });
  return { id, url, origin, clientToken };
}

/** poppler's `pdfsig` report of a PDF (base64), against the test PKI's NSS database, OCSP off. */
async function pdfsigReport(_ctx: unknown, pdfBase64: string): Promise<string> {
  const pki = await ensurePki();
  const dir = await mkdtemp(join(tmpdir(), 'kyso-pdfsig-'));
  try {
    const file = join(dir, 'signed.pdf');
    await writeFile(file, Buffer.from(pdfBase64, 'base64'));
    return (await run('pdfsig', ['-nssdir', `sql:${pki.nssDir}`, '-no-ocsp', file])).stdout.toString('utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const agentCommands = { startTokenAgent, pdfsigReport };

// ---------------------------------------------------------------------------------------------
// The example CSC v2 server (examples/remote-hsm, issue 6) for browser specs: its own process on SoftHSM2.

interface RemoteHsmProcess { origin: string; clientSecret: string; leaderPhoneKey: string }
const remoteHsms = new Map<string, RemoteHsmProcess>();

/**
 * Starts `examples/remote-hsm/server/main.mjs` (the packages built first with `tsc -b`) on a private copy of
 * the fixture tokens, answering CORS for the page's origin. Returns the server id, its CSC base URL and the
 * relying service's client credentials (a test-only shortcut: a real page gets a token from its backend).
 */
async function startRemoteHsm(ctx: unknown): Promise<{ id: string; baseUrl: string; clientId: string; clientSecret: string }> {
  const { spawn } = await import('node:child_process');
  const root = repoRoot();
  await run('npx', ['tsc', '-b'], { cwd: root });
  const page = (ctx as { page?: { url(): string } }).page;
  const origin = new URL(page?.url() ?? 'http://localhost:63315').origin;
  const dir = await mkdtemp(join(tmpdir(), 'kyso-browser-csc-'));
  const child = spawn(process.execPath, [join(root, 'examples/remote-hsm/server/main.mjs'), '--port', '0', '--origin', origin,
    '--audit', join(dir, 'audit.jsonl'), '--tokens', join(dir, 'softhsm')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const info = await new Promise<RemoteHsmProcess>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`remote-hsm did not start:\n${out}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/[\s\S]*client\s+qlvb-demo \/ (\S+)[\s\S]*Authorization: Bearer ([^)\s]+)\)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ origin: m[1]!, clientSecret: m[2]!, leaderPhoneKey: m[3]! });
      }
    });
    child.once('exit', (code) => reject(new Error(`remote-hsm exited ${code}:\n${out}`)));
  });
  const id = `csc-${nextServer++}`;
  remoteHsms.set(id, info);
  running.set(id, {
    close: async () => {
      remoteHsms.delete(id);
      if (child.exitCode === null) await new Promise<void>((r) => (child.once('exit', () => r()), child.kill('SIGTERM')));
      await rm(dir, { recursive: true, force: true });
    },
  });
  return { id, baseUrl: `${info.origin}/csc/v2`, clientId: 'qlvb-demo', clientSecret: info.clientSecret };
}

/**
 * The leader's "phone": waits for the next confirmation link of server `id`, opens it in a new tab of the
 * test's browser and clicks Approve or Reject on the confirmation page. Returns the page's final state.
 */
async function confirmOnPhone(ctx: unknown, id: string, decision: 'approve' | 'reject'): Promise<string> {
  const info = remoteHsms.get(id);
  if (!info) throw new Error(`no remote-hsm ${id}`);
  let url: string | undefined;
  for (let i = 0; i < 400 && !url; i++) {
    const r = await fetch(`${info.origin}/phone/leader`, { headers: { Authorization: `Bearer ${info.leaderPhoneKey}` } });
    url = ((await r.json()) as { confirmations: { url: string }[] }).confirmations[0]?.url;
    if (!url) await new Promise((r) => setTimeout(r, 25));
  }
  if (!url) throw new Error('no confirmation arrived on the phone');
  const context = (ctx as { context: { newPage(): Promise<{ goto(u: string): Promise<unknown>; click(s: string): Promise<void>; getAttribute(s: string, a: string): Promise<string | null>; close(): Promise<void> }> } }).context;
  const phone = await context.newPage();
  try {
    await phone.goto(url);
    await phone.click(`button[value=${decision}]`);
    return (await phone.getAttribute('#result', 'data-state')) ?? '';
  } finally {
    await phone.close();
  }
}

const remoteHsmCommands = { startRemoteHsm, confirmOnPhone };

/**
 * Vitest browser commands (wired in vite.config.ts): fixture readers, test
 * servers and Node-side signing. Results are JSON (bytes as base64) because
 * they cross the browser bridge.
 */
export const fixtureCommands = { ...readerCommands, ...nodeCommands, ...agentCommands, ...remoteHsmCommands };
