import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../server/main.mjs', import.meta.url));

/** The demo server running as its own process, as `npm start` runs it. */
export interface RunningDemo {
  readonly url: string;
  readonly process: ChildProcess;
  /** Everything it printed (for failure messages). */
  readonly output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts `examples/qlvb-demo/server/main.mjs` on a free port with the given data folder and waits for its
 * "listening on" line. `build: false` serves pages built earlier into `webDir`.
 */
export async function startDemo(options: { dataDir: string; webDir: string; build: boolean }): Promise<RunningDemo> {
  const args = [MAIN, '--port', '0', '--data', options.dataDir, '--web-dir', options.webDir, ...(options.build ? [] : ['--no-build'])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start in 120 s:\n${out}`)), 120_000);
    const onData = () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    process: child,
    output: () => out,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
