/**
 * The agent's small state files (consents, refusals, PIN failures): JSON,
 * mode 0600, written atomically (a temporary file in the same folder,
 * fsync, rename: POSIX rename(2) replaces the target in one step), so a crash
 * or a full disk leaves the previous state, never half of one.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

/**
 * Reads a JSON state file: `undefined` when absent, `{ value }` otherwise (`value` undefined when the text is
 * not JSON). Other read failures throw: "could not read" must not pass for "nothing recorded".
 */
export function readStateFile(file: string): { readonly value: unknown } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { value: undefined };
  }
}

/** Writes `value` as JSON to `file` atomically with mode 0600. Throws on any I/O failure (nothing is replaced then). */
export function writeStateFile(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  let fd: number | undefined;
  try {
    // 'wx': never follow a planted file or link; 0o600: readable by the agent's user only.
    fd = openSync(tmp, 'wx', 0o600);
    writeSync(fd, JSON.stringify(value, null, 2) + '\n');
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        /* already failing */
      }
    }
    try {
      rmSync(tmp, { force: true });
    } catch {
      /* nothing left to clean */
    }
    throw err;
  }
}
