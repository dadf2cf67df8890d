/** Bounds on one modification analysis, so a hostile file cannot make it run for ever. */
export interface ModificationLimits {
  /** Object pairs compared per later revision (default 1 000 000). */
  readonly objectsPerRevision?: number;
  /** Wall-clock budget for the whole analysis in milliseconds (default 60 000). */
  readonly timeMs?: number;
  /** Clock for the time budget; default `performance.now` (or `Date.now`). */
  readonly now?: () => number;
}

export const DEFAULT_LIMITS = { objectsPerRevision: 1_000_000, timeMs: 60_000 } as const;

/** Thrown (and caught inside the analysis) when a bound is reached. */
export class LimitReached extends Error {
  constructor(readonly what: 'objects' | 'time') {
    super(`modification analysis stopped: ${what} limit reached`);
  }
}

/** Counts work and checks the clock every so often. */
export class Budget {
  private count = 0;
  private readonly now: () => number;
  private readonly deadline: number;
  private readonly max: number;

  constructor(limits: ModificationLimits = {}) {
    this.now = limits.now ?? (typeof performance !== 'undefined' ? () => performance.now() : () => Date.now());
    this.deadline = this.now() + (limits.timeMs ?? DEFAULT_LIMITS.timeMs);
    this.max = limits.objectsPerRevision ?? DEFAULT_LIMITS.objectsPerRevision;
  }

  /** Starts counting objects for a new revision (the time budget keeps running). */
  resetObjects(): void {
    this.count = 0;
  }

  tick(): void {
    this.count++;
    if (this.count > this.max) throw new LimitReached('objects');
    if ((this.count & 1023) === 0) this.checkTime();
  }

  checkTime(): void {
    if (this.now() > this.deadline) throw new LimitReached('time');
  }
}
