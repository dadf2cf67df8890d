import { randomBytes } from 'node:crypto';
import { copyFile, open } from 'node:fs/promises';
import { closeSync, fstatSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { kysoError } from '../errors/index.js';

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes a file through a temporary file in the same folder, fsync and a
 * rename, so a crash or a failed write never leaves a half-written file.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
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
export class AppendedFileWriter {
  private readonly tmp: string;
  private readonly copied: Promise<unknown>;

  constructor(private readonly path: string, prefixPath: string, private readonly prefixLength: number) {
    this.tmp = tempPathFor(path);
    // The copy is flushed to disk as soon as it is done, still overlapping with hashing, so
    // commit's own fsync only has the small tail left. Settled either way, so a failure is
    // reported by commit/abort, never as an unhandled rejection.
    this.copied = copyFile(prefixPath, this.tmp)
      .then(async () => {
        const handle = await open(this.tmp, 'r');
        try {
          await handle.datasync();
        } finally {
          await handle.close();
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
