// Starts remote-backend-process.mjs (the integrator's back end as a Node process of its own) and kills it the
// way a crash or a redeploy does. Shared by remote-backend-restart.test.ts and the elements' page-reload test.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@kyso/testkit';
import { sourceAliases } from '../../../scripts/source-aliases.mjs';

const SCRIPT = fileURLToPath(new URL('./remote-backend-process.mjs', import.meta.url));

/**
 * Bundles remote-backend-process.mjs with the CURRENT sources of @kyso/adapters and @kyso/core (esbuild, no type
 * check: other packages may be mid-change) into `outDir`; answers the file to run. The process then runs what an
 * integrator's server would, as one Node program.
 */
export async function bundleBackend(outDir: string): Promise<string> {
  const { build } = await import('esbuild');
  const sources = Object.fromEntries(sourceAliases('node').map((a) => [a.specifier, a.path]));
  const outfile = join(outDir, 'remote-backend-process.mjs');
  await build({
    entryPoints: [SCRIPT], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'error',
    plugins: [{
      name: 'kyso-sources',
      setup(b) {
        b.onResolve({ filter: /^(@kyso\/|#hash-engine$)/ }, (args) => (sources[args.path] ? { path: sources[args.path]! } : undefined));
      },
    }],
    // Bundled dependencies written as CommonJS call require(): give the ESM bundle one.
    banner: { js: "import { createRequire as __kysoRequire } from 'node:module'; const require = __kysoRequire(import.meta.url);" },
  });
  return outfile;
}

/** What the back-end process is told (see remote-backend-process.mjs). */
export interface BackendProcessConfig {
  /** The bundle {@link bundleBackend} wrote. */
  readonly script: string;
  /** 0: any free port; a restart passes the first run's port (the provider keeps calling back there). */
  readonly port: number;
  readonly storeDir: string;
  /** The sp769 service's base URL (examples/vnpt-smartca-emulator). */
  readonly serviceUrl: string;
  readonly spId: string;
  readonly spPassword: string;
  readonly delivery: 'poll' | 'webhook';
}

export interface BackendProcess {
  readonly origin: string;
  readonly port: number;
  /** `${origin}/api/kyso-remote` */
  readonly endpoint: string;
  readonly child: ChildProcess;
  /** SIGKILL: the process ends without flushing or closing anything; resolves once it has exited. */
  kill(): Promise<void>;
}

/** Starts the back end; resolves when it listens (≤ 20 s), rejects with its stderr if it exits first. */
export function startBackendProcess(config: BackendProcessConfig): Promise<BackendProcess> {
  const { script, ...rest } = config;
  const child = spawn(process.execPath, [script, JSON.stringify(rest)], { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`back end did not start in 20 s: ${stderr}`));
    }, 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`back end exited ${code}: ${stderr}`));
    });
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
      const m = /^listening (http:\/\/127\.0\.0\.1:(\d+))$/m.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        origin: m[1]!, port: Number(m[2]), endpoint: `${m[1]}/api/kyso-remote`, child,
        async kill() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
      });
    });
  });
}
