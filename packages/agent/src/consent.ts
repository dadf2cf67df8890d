/**
 * Per-origin consent, remembered (issue 6 §1). A JSON file
 * `{ "version": 1, "origins": { "<origin>": "<ISO time granted>" } }`, written
 * atomically; or memory only when no file is configured.
 */
import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';

export class ConsentStore {
  readonly #file: string | undefined;
  readonly #origins = new Map<string, string>();

  constructor(file?: string) {
    this.#file = file;
    if (file && existsSync(file)) {
      try {
        const data = JSON.parse(readFileSync(file, 'utf8')) as { origins?: Record<string, unknown> };
        for (const [o, at] of Object.entries(data.origins ?? {})) if (typeof at === 'string') this.#origins.set(o, at);
      } catch {
        /* a damaged store grants nothing: the user is asked again */
      }
    }
  }

  has(origin: string): boolean {
    return this.#origins.has(origin);
  }

  async grant(origin: string, at = new Date()): Promise<void> {
    this.#origins.set(origin, at.toISOString());
    if (!this.#file) return;
    const tmp = `${this.#file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ version: 1, origins: Object.fromEntries(this.#origins) }, null, 2), { mode: 0o600 });
    await rename(tmp, this.#file);
  }

  async revoke(origin: string): Promise<void> {
    this.#origins.delete(origin);
    if (this.#file) {
      const tmp = `${this.#file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify({ version: 1, origins: Object.fromEntries(this.#origins) }, null, 2), { mode: 0o600 });
      await rename(tmp, this.#file);
    }
  }
}
