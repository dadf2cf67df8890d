/**
 * Per-origin consent, remembered (issue 6 §1), and per-origin refusals with a
 * cool-down (issue 12 §5): after the user says "no", requests from that
 * origin are refused without a prompt until the cool-down ends, so a page
 * cannot nag until the user gives in. A JSON file
 * `{ "version": 2, "origins": { "<origin>": "<ISO time granted>" },
 *    "refusals": { "<origin>": { "at": "<ISO>", "until": "<ISO>" } } }`,
 * mode 0600, written atomically; or memory only when no file is configured.
 */
import { readStateFile, writeStateFile } from './state-file.js';

/** Default cool-down after a refusal: 15 minutes. */
export const DEFAULT_REFUSAL_COOLDOWN_MS = 15 * 60_000;

interface Refusal {
  readonly at: string;
  readonly until: string;
}

export class ConsentStore {
  readonly #file: string | undefined;
  readonly #origins = new Map<string, string>();
  readonly #refusals = new Map<string, Refusal>();
  /** How long a refusal silences an origin. */
  readonly cooldownMs: number;

  constructor(file?: string, options: { readonly cooldownMs?: number } = {}) {
    this.#file = file;
    this.cooldownMs = Math.max(0, options.cooldownMs ?? DEFAULT_REFUSAL_COOLDOWN_MS);
    const data = file ? readStateFile(file)?.value : undefined;
    if (typeof data !== 'object' || data === null) return; // absent or damaged: grants nothing, the user is asked again
    const { origins, refusals } = data as { origins?: Record<string, unknown>; refusals?: Record<string, unknown> };
    for (const [o, at] of Object.entries(origins ?? {})) if (typeof at === 'string') this.#origins.set(o, at);
    for (const [o, r] of Object.entries(refusals ?? {})) {
      const { at, until } = (r ?? {}) as Partial<Refusal>;
      if (typeof at === 'string' && typeof until === 'string') this.#refusals.set(o, { at, until });
    }
  }

  has(origin: string): boolean {
    return this.#origins.has(origin);
  }

  /** The refusal still in force for `origin` at `now`, if any. */
  refusal(origin: string, now = new Date()): Refusal | undefined {
    const r = this.#refusals.get(origin);
    return r && Date.parse(r.until) > now.getTime() ? r : undefined;
  }

  /** Remembers consent (and forgets a past refusal). Memory is updated even when the file cannot be written; the write error is thrown for the log. */
  async grant(origin: string, at = new Date()): Promise<void> {
    this.#origins.set(origin, at.toISOString());
    this.#refusals.delete(origin);
    this.#save();
  }

  /** Remembers a refusal until `at + cooldownMs`. */
  async refuse(origin: string, at = new Date()): Promise<void> {
    this.#origins.delete(origin);
    this.#refusals.set(origin, { at: at.toISOString(), until: new Date(at.getTime() + this.cooldownMs).toISOString() });
    this.#save();
  }

  async revoke(origin: string): Promise<void> {
    this.#origins.delete(origin);
    this.#save();
  }

  #save(): void {
    if (!this.#file) return;
    writeStateFile(this.#file, { version: 2, origins: Object.fromEntries(this.#origins), refusals: Object.fromEntries(this.#refusals) });
  }
}
