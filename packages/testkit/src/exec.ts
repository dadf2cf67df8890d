import { execFile } from 'node:child_process';

/** Result of a finished external tool. */
export interface ExecResult {
  readonly stdout: Buffer;
  readonly stderr: string;
}

/**
 * Runs a tool (openssl, qpdf, certutil…) without a shell. Rejects with the
 * tool's stderr in the message when it exits non-zero.
 */
export function run(cmd: string, args: readonly string[], options: { cwd?: string; input?: Uint8Array } = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { cwd: options.cwd, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const errText = stderr.toString('utf8');
        if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${errText || err.message}`, { cause: err }));
        else resolve({ stdout, stderr: errText });
      },
    );
    if (options.input) child.stdin?.end(options.input);
  });
}
