import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A private redis-server on 127.0.0.1 for one test file. */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** Stops redis-server (SIGTERM: it writes its AOF out) and starts it again on the same port and folder. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The configuration kyso ships for its queue's Redis (AOF on). */
export const SHIPPED_REDIS_CONF = new URL('../../redis.conf', import.meta.url).pathname;

/** A port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts Debian's redis-server on a free port in a temporary folder: with nothing persisted (`--save ''`,
 * no AOF), or with `config` (e.g. {@link SHIPPED_REDIS_CONF}) and only the port and folder overridden.
 * `stop` ends it and removes the folder.
 */
export async function startRedis(options: { config?: string } = {}): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'kyso-redis-'));
  const port = await freePort();
  let child: ChildProcess;
  const args = options.config
    ? [options.config, '--port', String(port), '--dir', dir]
    : ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const launch = async () => {
    child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('error', (e) => { clearTimeout(timer); reject(e); });
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`redis-server exited ${code}: ${out}`)); });
    });
    child.stdout!.resume();
    child.stderr!.resume();
  };
  try {
    await launch();
  } catch (error) {
    child!?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const end = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async restart() {
      await end();
      await launch();
    },
    async stop() {
      await end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
