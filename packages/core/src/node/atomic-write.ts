import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  close, closeSync, copyFile, fdatasync, fstatSync, fsyncSync, lstatSync, open, openSync, readdirSync, renameSync, rmSync, writeSync,
} from 'node:fs';
import { promisify } from 'node:util';
import { basename, dirname, join } from 'node:path';
import { kysoError } from '../errors/index.js';

/**
 * `.NAME.kyso-HOST-PID-HEX.tmp`: the writing machine and process are in the
 * name, so a later run can tell a temporary file of a process that is gone
 * (killed mid-write) from one a running kyso is still writing. HOST tells
 * apart machines (or containers) sharing a folder, whose process ids mean
 * nothing here.
 */
const TEMP_NAME = /^\.(.+)\.kyso-([0-9a-f]{8})-(\d+)-[0-9a-f]{12}\.tmp$/;
/** A temporary file of another machine is removed only when this much older than the running process. */
const OTHER_HOST_MIN_AGE_MS = 24 * 3600 * 1000;
let host: string | undefined;
/** This machine's tag in temporary names; computed on first use, not when the module loads (every `kyso verify` loads it). */
function hostTag(): string {
  host ??= createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
  return host;
}
/** Older kyso versions wrote `.NAME.HEX.tmp`, without a process id. */
const LEGACY_TEMP_NAME = /^\.(.+)\.[0-9a-f]{12}\.tmp$/;
/** A legacy temporary file is removed only when this much older than the running process (no pid to check). */
const LEGACY_MIN_AGE_MS = 10 * 60 * 1000;

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.kyso-${hostTag()}-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

/** Options of the file writers. */
export interface FileWriteOptions {
  /**
   * Called with the temporary files of earlier, interrupted kyso writes that
   * were removed from the output's folder before this write (see
   * {@link removeStaleTemporaryFiles}); not called when there were none.
   */
  readonly onStaleTemporaryFiles?: (removed: readonly string[]) => void;
}

/**
 * Removes from `dir` the temporary files that kyso writes left behind when
 * they were killed mid-write (each can be as large as the PDF): files named
 * `.NAME.kyso-HOST-PID-HEX.tmp` of this machine whose process no longer
 * exists; those of another machine sharing the folder once a day older than
 * the running process; and, from older versions, `.NAME.HEX.tmp` for the file
 * `target` that are older than the running process by ten minutes or more. A
 * temporary file of a running process (this one included) is never touched.
 * Never throws.
 * @returns the paths removed.
 */
export function removeStaleTemporaryFiles(dir: string, target?: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const started = Date.now() - process.uptime() * 1000;
  const removed: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const current = TEMP_NAME.exec(name);
    let stale = false;
    if (current && current[2] === hostTag()) {
      const pid = Number(current[3]);
      stale = pid !== process.pid && !processExists(pid);
    } else if (current) {
      const mtime = mtimeOf(path);
      stale = mtime !== null && mtime < started - OTHER_HOST_MIN_AGE_MS;
    } else {
      const legacy = LEGACY_TEMP_NAME.exec(name);
      if (legacy && target !== undefined && legacy[1] === basename(target)) {
        const mtime = mtimeOf(path);
        stale = mtime !== null && mtime < started - LEGACY_MIN_AGE_MS;
      }
    }
    if (!stale || !isPlainFile(path)) continue;
    try {
      rmSync(path);
      removed.push(path);
    } catch {
      // Someone else removed it, or it is not ours to remove: leave it.
    }
  }
  return removed;
}

function processExists(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function mtimeOf(path: string): number | null {
  try {
    return lstatSync(path).mtimeMs;
  } catch {
    return null;
  }
}

function isPlainFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

/** Clears what interrupted writes left beside `path` and tells the caller. */
export function clearStaleTemporaryFiles(path: string, options: FileWriteOptions = {}): void {
  const removed = removeStaleTemporaryFiles(dirname(path), path);
  if (removed.length) options.onStaleTemporaryFiles?.(removed);
}

/**
 * Writes a file through a temporary file in the same folder, fsync and a
 * rename, so a crash or a failed write never leaves a half-written file.
 * Temporary files of earlier interrupted writes there are removed first.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array, options: FileWriteOptions = {}): void {
  clearStaleTemporaryFiles(path, options);
  writeAtomic(path, (fd) => writeAll(fd, bytes, 0));
}

function writeAtomic(path: string, write: (fd: number) => void): void {
  const tmp = tempPathFor(path);
  try {
    const fd = openSync(tmp, 'wx');
    try {
      write(fd);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (cause) {
    rmSync(tmp, { force: true });
    throw kysoError('ERR_IO', `could not write ${path}`, cause);
  }
}

function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}

/**
 * An output file made of a prefix file plus an appended tail, written
 * atomically. The prefix copy starts at once in libuv's thread pool (the
 * kernel's copy_file_range where available), so it overlaps with signing
 * work on the main thread; {@link commit} then appends, fsyncs and renames.
 */
// node:fs's callback functions as promises, not node:fs/promises: importing that loads some forty more built-in modules
// (streams, readline, file watchers) at every `kyso sign` start, a millisecond or two (docs/decisions/0033).
const copyFileAsync = promisify(copyFile);
const openAsync = promisify(open);
const fdatasyncAsync = promisify(fdatasync);
const closeAsync = promisify(close);

export class AppendedFileWriter {
  private readonly tmp: string;
  private readonly copied: Promise<unknown>;

  constructor(private readonly path: string, prefixPath: string, private readonly prefixLength: number) {
    this.tmp = tempPathFor(path);
    // The copy is flushed to disk as soon as it is done, still overlapping with hashing, so
    // commit's own fsync only has the small tail left. Settled either way, so a failure is
    // reported by commit/abort, never as an unhandled rejection.
    this.copied = copyFileAsync(prefixPath, this.tmp)
      .then(async () => {
        const fd = await openAsync(this.tmp, 'r');
        try {
          await fdatasyncAsync(fd);
        } finally {
          await closeAsync(fd);
        }
      })
      .then(() => null, (e: unknown) => e ?? new Error('copy failed'));
  }

  async commit(tail: Uint8Array): Promise<void> {
    const copyError = await this.copied;
    try {
      if (copyError) throw copyError;
      const fd = openSync(this.tmp, 'r+');
      try {
        // The prefix must be exactly what was signed: refuse if the input changed meanwhile.
        if (fstatSync(fd).size !== this.prefixLength) throw new Error('the input file changed while it was being signed');
        writeAll(fd, tail, this.prefixLength);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(this.tmp, this.path);
    } catch (cause) {
      rmSync(this.tmp, { force: true });
      throw kysoError('ERR_IO', `could not write ${this.path}`, cause);
    }
  }

  async abort(): Promise<void> {
    await this.copied;
    rmSync(this.tmp, { force: true });
  }
}
