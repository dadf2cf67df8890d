/**
 * Wrong PINs per token, kept across agent runs (issue 12 §3). Without it a
 * restarted agent (crash, flood, log-out) forgets the count and a page can
 * spend the token's own retry counter two tries per run until the token
 * locks. The file, `{ "version": 1, "tokens": { "<serial>": { "failures": n, "at": "<ISO>" } } }`,
 * sits beside the configuration, mode 0600, written atomically.
 *
 * The count is raised *before* the PIN reaches the token and lowered again
 * only when the token accepted it (or never saw it): an agent killed between
 * C_Login and the write cannot lose a failure.
 */
import { readStateFile, writeStateFile } from './state-file.js';

interface Entry {
  failures: number;
  at: string;
}

export class PinFailureStore {
  readonly #file: string | undefined;
  readonly #tokens = new Map<string, Entry>();

  /**
   * Set when the file exists but is not a count this agent wrote. It is then read as "limit reached" for
   * every token: a damaged or hand-edited file must not reset the count to zero (the user removes it after
   * checking the token's own retry counter).
   */
  readonly damaged: boolean;

  /** `file`: where counts are kept; absent: memory only (one agent run). */
  constructor(file?: string) {
    this.#file = file;
    const data = file ? readStateFile(file) : undefined;
    const tokens = (data?.value as { tokens?: unknown } | undefined)?.tokens;
    this.damaged = file !== undefined && data !== undefined && (typeof tokens !== 'object' || tokens === null);
    if (this.damaged || typeof tokens !== 'object' || tokens === null) return;
    for (const [serial, e] of Object.entries(tokens as Record<string, unknown>)) {
      const n = (e as Partial<Entry> | null)?.failures;
      if (Number.isInteger(n) && (n as number) > 0) this.#tokens.set(serial, { failures: n as number, at: String((e as Entry).at ?? '') });
    }
  }

  /** The file, if counts are kept on disk. */
  get file(): string | undefined {
    return this.#file;
  }

  failures(serial: string): number {
    if (this.damaged) return Number.POSITIVE_INFINITY;
    return this.#tokens.get(serial)?.failures ?? 0;
  }

  /** Sets the count (0 removes the entry) and writes the file first: throws, changing nothing, when it cannot be written. */
  set(serial: string, failures: number): void {
    const next = new Map(this.#tokens);
    if (failures > 0) next.set(serial, { failures, at: new Date().toISOString() });
    else next.delete(serial);
    if (this.#file) writeStateFile(this.#file, { version: 1, tokens: Object.fromEntries(next) });
    this.#tokens.clear();
    for (const [k, v] of next) this.#tokens.set(k, v);
  }
}
