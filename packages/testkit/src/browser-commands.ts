import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
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
      alias: [
        { find: /^@kyso\/core\/node$/, replacement: at('packages/core/src/node/index.ts') },
        { find: /^@kyso\/core$/, replacement: at('packages/core/src/index.ts') },
        { find: /^@kyso\/adapters$/, replacement: at('packages/adapters/src/index.ts') },
        { find: /^#hash-engine$/, replacement: at('packages/core/src/crypto/hash-engine-node.ts') },
      ],
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

/**
 * Vitest browser commands (wired in vite.config.ts): fixture readers, test
 * servers and Node-side signing. Results are JSON (bytes as base64) because
 * they cross the browser bridge.
 */
export const fixtureCommands = { ...readerCommands, ...nodeCommands };
