// @ts-check
// The two guards the server puts in front of anything guessable (the one-time codes) or costly (challenges sent to
// a phone): a failure counter with lock-out, and a sliding-window rate limit. Both are keyed by a string (a
// credential, a client) and both forget what no longer matters when swept, so their maps stay as small as the set
// of keys recently active. Time comes from the server's clock, so that tests can move it.
//
// Why counting per credential across challenges: a code is short (6 digits) and a fresh challenge gives a fresh
// code, so a limit of tries per code alone lets an attacker cycle challenges until one guess lands (NIST SP 800-63B
// §5.2.2: consecutive failed attempts on one authenticator are limited, whatever the code they were made against).

/**
 * Failed attempts per key; `maxFailures` consecutive failures lock the key for `lockoutMs`.
 * A success resets the key's count. Failures older than `lockoutMs` with no newer failure are forgotten.
 */
export class Lockout {
  /** @param {{ maxFailures: number, lockoutMs: number }} limits @param {() => number} now */
  constructor(limits, now) {
    if (!Number.isInteger(limits.maxFailures) || limits.maxFailures < 1) throw new RangeError('maxFailures must be a positive integer');
    if (!(limits.lockoutMs > 0)) throw new RangeError('lockoutMs must be positive');
    this.limits = limits;
    this.now = now;
    /** @type {Map<string, { count: number, lastAt: number, lockedUntil: number }>} */
    this.entries = new Map();
  }

  /** Whether `key` is locked now. @param {string} key */
  locked(key) {
    const e = this.entries.get(key);
    return Boolean(e && e.lockedUntil > this.now());
  }

  /** Counts a failure; returns true if the key is locked from now on. @param {string} key */
  fail(key) {
    const t = this.now();
    let e = this.entries.get(key);
    if (!e || (e.lockedUntil !== 0 && e.lockedUntil <= t) || e.lastAt + this.limits.lockoutMs <= t) {
      e = { count: 0, lastAt: t, lockedUntil: 0 };
      this.entries.set(key, e);
    }
    e.count++;
    e.lastAt = t;
    if (e.count >= this.limits.maxFailures) e.lockedUntil = t + this.limits.lockoutMs;
    return e.lockedUntil > t;
  }

  /** A success: the key's count starts again (a locked key stays locked). @param {string} key */
  succeed(key) {
    if (!this.locked(key)) this.entries.delete(key);
  }

  /** Forgets expired lock-outs and stale counts. */
  sweep() {
    const t = this.now();
    for (const [k, e] of this.entries) {
      if (e.lockedUntil > t) continue;
      if (e.lockedUntil !== 0 || e.lastAt + this.limits.lockoutMs <= t) this.entries.delete(k);
    }
  }

  get size() {
    return this.entries.size;
  }
}

/** At most `max` events per key in any window of `windowMs` (a sliding log: at most `max` times kept per key). */
export class RateLimit {
  /** @param {{ max: number, windowMs: number }} limits @param {() => number} now */
  constructor(limits, now) {
    if (!Number.isInteger(limits.max) || limits.max < 1) throw new RangeError('rate limit max must be a positive integer');
    if (!(limits.windowMs > 0)) throw new RangeError('rate limit windowMs must be positive');
    this.limits = limits;
    this.now = now;
    /** @type {Map<string, number[]>} */
    this.log = new Map();
  }

  /**
   * Records an event for `key` if the limit allows it.
   * @param {string} key
   * @returns {number} 0 if allowed, else the milliseconds until the next event would be
   */
  take(key) {
    const t = this.now();
    const times = (this.log.get(key) ?? []).filter((x) => x + this.limits.windowMs > t);
    if (times.length >= this.limits.max) {
      this.log.set(key, times);
      return Math.max(1, /** @type {number} */ (times[0]) + this.limits.windowMs - t);
    }
    times.push(t);
    this.log.set(key, times);
    return 0;
  }

  /**
   * Whether `key` has used up its events, without recording one.
   * @param {string} key
   * @returns {number} 0 if an event is allowed now, else the milliseconds until one would be
   */
  wait(key) {
    const t = this.now();
    const times = (this.log.get(key) ?? []).filter((x) => x + this.limits.windowMs > t);
    return times.length >= this.limits.max ? Math.max(1, /** @type {number} */ (times[0]) + this.limits.windowMs - t) : 0;
  }

  /** Forgets keys whose events all left the window. */
  sweep() {
    const t = this.now();
    for (const [k, times] of this.log) if (times.every((x) => x + this.limits.windowMs <= t)) this.log.delete(k);
  }

  get size() {
    return this.log.size;
  }
}
