import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '@kyso/testkit';

/** poppler's verdict per signature (same reading as the CLI tests). */
export function pdfsig(path: string, nssDir: string): { field: string; valid: boolean; totalDocument: boolean }[] {
  const r = spawnSync('pdfsig', ['-nssdir', `sql:${nssDir}`, path], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return r.stdout.split(/^Signature #\d+:$/m).slice(1).map((b) => ({
    field: /Signature Field Name: (.*)$/m.exec(b)?.[1]?.trim() ?? '',
    valid: /Signature Validation: Signature is Valid\./.test(b),
    totalDocument: /Total document signed/.test(b),
  }));
}

/** Builds packages/agent (and what it references) so `bin/kyso-agent.js` runs current code. */
export function buildAgent(): void {
  const r = spawnSync('npx', ['tsc', '-b', 'packages/agent'], { cwd: repoRoot(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tsc -b packages/agent failed:\n${r.stdout}${r.stderr}`);
}

/** A `kyso-agent --config` child process, as a user starts it. */
export interface AgentProcess {
  readonly child: ChildProcess;
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts `kyso-agent --config <file>` with `config` written to a temporary folder; resolves when it listens. */
export async function spawnAgent(config: Record<string, unknown>): Promise<AgentProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'kyso-agent-cfg-'));
  const file = join(dir, 'agent.json');
  writeFileSync(file, JSON.stringify({ log: 'off', ...config }));
  const child = spawn(process.execPath, [join(repoRoot(), 'packages/agent/bin/kyso-agent.js'), '--config', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  const url = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (line) => {
      try {
        resolve((JSON.parse(line) as { url: string }).url);
      } catch (err) {
        reject(err as Error);
      }
    });
    child.once('exit', (code) => reject(new Error(`kyso-agent exited ${code}: ${stderr}`)));
  }).catch((err: unknown) => {
    removeDir();
    throw err;
  });
  return {
    child,
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          removeDir();
          return resolve();
        }
        child.once('exit', () => {
          removeDir();
          resolve();
        });
        child.kill('SIGCONT');
        child.kill('SIGKILL');
      }),
  };
}
