import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
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

/**
 * Writes `prefixPath`'s bytes followed by `tail` to `path`, atomically: the
 * prefix is copied by the file system (no copy in memory), the tail appended.
 */
export function writeAppendedAtomic(path: string, prefixPath: string, prefixLength: number, tail: Uint8Array): void {
  const tmp = tempPathFor(path);
  try {
    copyFileSync(prefixPath, tmp);
    const fd = openSync(tmp, 'r+');
    try {
      writeAll(fd, tail, prefixLength);
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
