import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RemoteTransactionRecord, RemoteTransactionStore } from '../backend.js';

/**
 * A {@link RemoteTransactionStore} in a folder, one JSON file per transaction
 * (mode 0600, written to a temporary name then renamed), so a restarted
 * server still answers the page and accepts the webhook. Removing old files
 * is the integrator's housekeeping.
 */
export function fileTransactionStore(dir: string): RemoteTransactionStore {
  const file = (id: string) => join(dir, `${id.replace(/[^A-Za-z0-9_-]/g, '')}.json`);
  return {
    async get(id) {
      try {
        return JSON.parse(await readFile(file(id), 'utf8')) as RemoteTransactionRecord;
      } catch {
        return undefined;
      }
    },
    async put(record) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const target = file(record.id);
      // A name of its own per write: two requests settling the same transaction at once (two pages polling it)
      // must not share a temporary file, or one rename finds it already moved.
      const tmp = `${target}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(tmp, JSON.stringify(record), { mode: 0o600 });
      await rename(tmp, target);
    },
  };
}
