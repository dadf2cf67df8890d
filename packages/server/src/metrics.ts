/** Upper bounds (seconds) of the request-duration histogram buckets. */
const BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * The service's counters in the Prometheus text exposition format (version 0.0.4): requests by route
 * and status, request durations by route, requests in flight, and whatever gauges the caller adds
 * (queue depth, revocation-cache hits). Routes are the service's fixed paths, never the request's
 * raw URL, so label cardinality stays bounded.
 */
export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly durations = new Map<string, { buckets: number[]; sum: number; count: number }>();
  inFlight = 0;

  observe(route: string, status: number, seconds: number): void {
    const key = `route="${label(route)}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let d = this.durations.get(route);
    if (!d) this.durations.set(route, (d = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    BUCKETS.forEach((le, i) => { if (seconds <= le) d!.buckets[i]!++; });
    d.sum += seconds;
    d.count++;
  }

  /** The exposition text; `extra` are gauges/counters computed at scrape time: name → [help, type, samples]. */
  render(extra: readonly { name: string; help: string; type: 'gauge' | 'counter'; samples: readonly [string, number][] }[] = []): string {
    const out: string[] = [];
    out.push('# HELP kyso_http_requests_total HTTP requests answered, by route and status.', '# TYPE kyso_http_requests_total counter');
    for (const [k, v] of this.requests) out.push(`kyso_http_requests_total{${k}} ${v}`);
    out.push('# HELP kyso_http_request_duration_seconds Time from request to answer, by route.', '# TYPE kyso_http_request_duration_seconds histogram');
    for (const [route, d] of this.durations) {
      const r = `route="${label(route)}"`;
      BUCKETS.forEach((le, i) => out.push(`kyso_http_request_duration_seconds_bucket{${r},le="${le}"} ${d.buckets[i]}`));
      out.push(`kyso_http_request_duration_seconds_bucket{${r},le="+Inf"} ${d.count}`);
      out.push(`kyso_http_request_duration_seconds_sum{${r}} ${d.sum}`, `kyso_http_request_duration_seconds_count{${r}} ${d.count}`);
    }
    out.push('# HELP kyso_http_requests_in_flight Requests being served now.', '# TYPE kyso_http_requests_in_flight gauge', `kyso_http_requests_in_flight ${this.inFlight}`);
    for (const m of extra) {
      out.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`);
      for (const [labels, v] of m.samples) out.push(`${m.name}${labels ? `{${labels}}` : ''} ${v}`);
    }
    return `${out.join('\n')}\n`;
  }
}
