/**
 * Per-client token buckets: each client may make `perMinute` requests a minute, in bursts of up to
 * `perMinute`. State is per process (the service is stateless and scaled out behind a load balancer,
 * so the effective limit is per instance; a shared limit belongs in the gateway).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: number, private readonly now: () => number = Date.now, private readonly maxClients = 100_000) {}

  /** Takes one token for `client`: 0 when allowed, else the seconds to wait (for `Retry-After`). */
  take(client: string): number {
    const now = this.now();
    const rate = this.perMinute / 60_000;
    let b = this.buckets.get(client);
    if (!b) {
      // Bounded memory under a flood of distinct addresses: forget the oldest clients first.
      if (this.buckets.size >= this.maxClients) this.buckets.delete(this.buckets.keys().next().value!);
      b = { tokens: this.perMinute, at: now };
      this.buckets.set(client, b);
    }
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * rate);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }
}
