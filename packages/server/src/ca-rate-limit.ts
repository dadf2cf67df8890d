/**
 * A rate limit per CA host shared by every process on one Redis: a fixed window of `limit` requests
 * per `windowMs` per host name, counted in Redis so that a thousand workers together stay under it
 * (issue 17 §2: never flood `ca.gov.vn`). Windows follow Redis's clock (TIME), not each machine's,
 * so processes on machines whose clocks differ still count into the same window.
 */
import type { Redis } from 'ioredis';

/**
 * KEYS[1] the host's counter prefix; ARGV[1] the limit, ARGV[2] the window in ms. Returns 0 when a
 * request may go now, else the milliseconds until the next window opens. The counter of a window
 * expires after two windows: Redis keeps one small key per busy host.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
local slot = math.floor(now / window)
local key = KEYS[1] .. ':' .. slot
local n = redis.call('INCR', key)
if n == 1 then redis.call('PEXPIRE', key, window * 2) end
if n <= tonumber(ARGV[1]) then return 0 end
return (slot + 1) * window - now`;

/** How a CA host's requests are limited. */
export interface CaRate {
  /** Requests per window per host, across every process; default 10. */
  readonly limit: number;
  /** The window, in milliseconds; default 1000 (so 10 requests a second per host). */
  readonly windowMs: number;
}

/**
 * Waits until `host` may be asked once more, then takes that turn. When the budget is spent the call
 * waits for the next window instead of failing (a verdict must not depend on how busy the CA is), as
 * long as `signal` allows: an aborted request (its time-out) ends the wait with the signal's reason.
 * When Redis cannot count, the request goes ahead: the limit protects the CA, it never blocks kyso.
 */
export async function takeHostTurn(redis: Redis, prefix: string, host: string, rate: CaRate, signal?: AbortSignal): Promise<void> {
  for (;;) {
    signal?.throwIfAborted();
    let waitMs: number;
    try {
      waitMs = Number(await redis.eval(TAKE, 1, `${prefix}-rate:${host}`, rate.limit, rate.windowMs));
    } catch {
      return;
    }
    if (!(waitMs > 0)) return;
    await new Promise<void>((resolve) => {
      // A few milliseconds past the boundary, so that the next try falls in the new window.
      const timer = setTimeout(done, waitMs + 1 + Math.floor(Math.random() * 5));
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
