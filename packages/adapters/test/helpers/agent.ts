import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnAgent as startAgentProcess } from '../../../agent/test/helpers/agent-process.js';

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
export { buildAgent } from '../../../agent/test/helpers/agent-process.js';

/** A `kyso-agent --config` child process, as a user starts it. */
export interface AgentProcess {
  readonly child: ChildProcess;
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts `kyso-agent --config <file>` (the agent package's own test helper) with `config` written to a temporary
 * folder; resolves when it listens. `stop()` also ends a process the test has paused (SIGSTOP), and removes the folder.
 */
export async function spawnAgent(config: Record<string, unknown>): Promise<AgentProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'kyso-agent-cfg-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  const agent = await startAgentProcess(dir, config).catch((err: unknown) => {
    removeDir();
    throw err;
  });
  return {
    child: agent.child,
    url: agent.url,
    async stop() {
      if (agent.alive()) agent.child.kill('SIGCONT');
      await agent.kill();
      removeDir();
    },
  };
}
