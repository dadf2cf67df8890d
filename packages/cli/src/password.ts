import { openSync, readSync, closeSync } from 'node:fs';
import { kysoError } from '@kyso/core';

/**
 * The PKCS#12 password: from the named environment variable, or asked on the
 * terminal with echo off. Never from a command-line argument, which other
 * users of the machine can read in the process list.
 */
export function readPassword(envVar: string | undefined, prompt: string): string {
  if (envVar !== undefined) {
    const v = process.env[envVar];
    // The name is not echoed: a user who mistakes --pin-env for a PIN option
    // would otherwise see the password printed back on stderr.
    if (v === undefined) throw kysoError('ERR_INVALID_ARGUMENT', 'the environment variable named by --pin-env is not set');
    return v;
  }
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    throw kysoError('ERR_INVALID_ARGUMENT', 'no terminal to ask for the password: use --pin-env VAR');
  }
  // node:child_process (for stty) is loaded only when the terminal is asked: a `--pin-env` run never compiles it,
  // 2–6 ms of a `kyso sign` (docs/decisions/0033-cli-start-up-per-verb.md).
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  try {
    process.stderr.write(prompt);
    spawnSync('stty', ['-echo'], { stdio: [fd, 'ignore', 'ignore'] });
    const buf = Buffer.alloc(1024);
    let s = '';
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      s += buf.subarray(0, n).toString('utf8');
      if (s.includes('\n')) break;
    }
    buf.fill(0);
    return s.replace(/\r?\n.*$/s, '');
  } finally {
    spawnSync('stty', ['echo'], { stdio: [fd, 'ignore', 'ignore'] });
    process.stderr.write('\n');
    closeSync(fd);
  }
}
