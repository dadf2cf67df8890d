/**
 * Drives the agent as users and attackers meet it: `kyso-agent --config` as a
 * child process (optionally under a file-descriptor limit), and raw
 * WebSocket clients that set whatever Origin and hello they like.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { repoRoot } from '@kyso/testkit';

/** Builds packages/agent so that `bin/kyso-agent.js` runs the current sources. */
export function buildAgent(): void {
  const r = spawnSync('npx', ['tsc', '-b', 'packages/agent'], { cwd: repoRoot(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tsc -b packages/agent failed:\n${r.stdout}${r.stderr}`);
}

export interface AgentProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly port: number;
  /** Everything the agent wrote on stderr so far. */
  stderr(): string;
  alive(): boolean;
  /** SIGKILL (a crash, an OOM kill, a user killing it): nothing is flushed on the way out. */
  kill(): Promise<void>;
}

/** Writes `config` to `<dir>/agent.json` and starts `kyso-agent --config` there, under `ulimit -n` when given. */
export async function spawnAgent(dir: string, config: Record<string, unknown>, options: { fdLimit?: number } = {}): Promise<AgentProcess> {
  const file = join(dir, 'agent.json');
  writeFileSync(file, JSON.stringify({ log: 'off', ...config }));
  const bin = join(repoRoot(), 'packages/agent/bin/kyso-agent.js');
  const child = options.fdLimit
    ? spawn('bash', ['-c', `ulimit -n ${options.fdLimit}; exec "$0" "$@"`, process.execPath, bin, '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [bin, '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const { url, port } = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (line) => {
      try {
        resolve(JSON.parse(line) as { url: string; port: number });
      } catch (err) {
        reject(err as Error);
      }
    });
    child.once('exit', (code) => reject(new Error(`kyso-agent exited ${code}: ${stderr}`)));
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child, url, port, alive,
    stderr: () => stderr,
    kill: () =>
      new Promise<void>((resolve) => {
        if (!alive()) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** One frame from the agent. */
export interface Reply {
  readonly action: string;
  readonly id: string | null;
  readonly result?: Record<string, unknown>;
  readonly error?: { readonly code: string; readonly detail?: string };
  readonly reason?: string;
}

/** A raw protocol client: any Origin, any hello. */
export class RawClient {
  readonly replies: Reply[] = [];
  closeCode: number | undefined;
  readonly #waiters: (() => void)[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      this.replies.push(JSON.parse(d.toString()) as Reply);
      for (const w of this.#waiters.splice(0)) w();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      for (const w of this.#waiters.splice(0)) w();
    });
    ws.on('error', () => undefined);
  }

  /** Opens a connection; rejects when the socket cannot open (refused, reset). */
  static open(url: string, origin: string | undefined, tls?: { ca: string }, headers?: Record<string, string>): Promise<RawClient> {
    const ws = new WebSocket(url, { ...(origin ? { origin } : {}), ...(tls ? { ca: tls.ca } : {}), ...(headers ? { headers } : {}) });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RawClient(ws)));
      ws.once('error', reject);
      ws.once('close', (code) => reject(new Error(`closed ${code} before open`)));
    });
  }

  /** Sends a request and resolves with its final answer (result or error), skipping `waiting-for-user`. */
  async call(msg: Record<string, unknown> & { id: string }): Promise<Reply> {
    this.ws.send(JSON.stringify(msg));
    return this.final(msg.id);
  }

  /** The first result or error for `id` (or a connection-level error), waiting for it. */
  async final(id: string): Promise<Reply> {
    for (;;) {
      const r = this.replies.find((x) => (x.id === id || x.id === null) && x.action !== 'kyso.waiting-for-user');
      if (r) return r;
      if (this.closeCode !== undefined) return { action: 'closed', id, error: { code: `closed ${this.closeCode}` } };
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Resolves once the connection is closed (by either side). */
  async closed(): Promise<number> {
    while (this.closeCode === undefined) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    return this.closeCode;
  }

  close(): void {
    this.ws.terminate();
  }
}

/** hello, list-certificates, sign one SHA-256 digest with the certificate whose label starts with `label`. */
export async function signOnce(c: RawClient, label: string, digest: Buffer, extra: Record<string, unknown> = {}): Promise<Reply> {
  const list = await c.call({ action: 'kyso.list-certificates', id: `l-${label}-${c.replies.length}` });
  if (list.action !== 'kyso.result') return list;
  const certs = (list.result!.certificates as { id: string; label: string }[]);
  const cert = certs.find((x) => x.label.startsWith(label));
  if (!cert) throw new Error(`no certificate ${label}`);
  return c.call({
    action: 'kyso.sign', id: `s-${c.replies.length}`, certificateId: cert.id, scheme: label === 'p256' ? 'ECDSA' : 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256', digest: digest.toString('base64'), ...extra,
  });
}
