import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { kysoError, trustFromCertificates } from '@kyso/core';
import { jsonLogger } from './log.js';
import { Queue } from 'bullmq';
import type { VerifyOptions } from '@kyso/core';
import { AUDIT_QUEUE } from './queue.js';
import { connectRedis, redisAnswers } from './redis.js';
import { publicNetworkFetch } from './public-fetch.js';
import { sharedRevocationFetch } from './revocation-cache.js';
import { startService, type KysoService } from './service.js';
import type { AuditReporter } from './audit-service.js';

/** What the CLI hands `kyso serve`: how `kyso audit` lists files, words its workers' options and writes its report. */
export interface ServeHooks {
  /** Enables `POST /v1/audit` and `GET /v1/jobs/:id` (with `--redis`). */
  readonly auditReporter?: AuditReporter;
}

export const SERVE_USAGE = `Usage: kyso serve [options]

Runs the kyso verification service (HTTP, stateless; run as many as needed behind a
load balancer). POST /v1/verify takes a PDF body and answers the JSON report of
kyso verify --format json; query parameters as kyso verify's options: profile
(repeatable), revocation, offline, policy, at, lang, and name (the file name shown
in the report). With --redis, staged signing: POST /v1/sign/prepare (PDF body,
Kyso-Certificate header) answers what the key signs and an id; POST /v1/sign/finish?id=
(the same PDF, Kyso-Signature-Value header) answers the signed PDF. GET /healthz,
/readyz, /metrics (Prometheus). POST /v1/extend?level=B-LT|B-LTA answers the PDF
with its validation data added (as kyso extend). docs/service/openapi.yaml.

  --host ADDRESS           listen address (default 127.0.0.1)
  --port N                 port (default 8080)
  --trust FILE.pem         trust this root or CA certificate in every request (repeatable)
  --api-keys-file FILE     accepted API keys, one a line (Authorization: Bearer KEY);
                           also KYSO_API_KEYS (comma-separated). None: no key asked
  --max-body MIB           largest PDF accepted, MiB (default 50; larger: 413)
  --max-concurrent N       documents handled at once (default 16; more: 503)
  --rate-limit N           requests per minute per client (default 600; over: 429)
  --header-timeout S       seconds for the request headers (default 10)
  --body-timeout S         seconds for the whole body (default 60)
  --redis URL              redis:// URL: /readyz checks it answers; CRLs and CA
                           certificates fetched online are shared through it by every
                           instance and worker (kept until the CRL's nextUpdate);
                           /metrics adds the audit queue's depth and the cache's hits;
                           OCSP responses too (keyed by the certificate asked about)
  --ca-rate N              with --redis: downloads per second from one CA host, counted
                           across every instance and worker (default 10; 0: no limit)
  --allow-fetch-host HOST  OCSP/CRL/CA URLs in documents are fetched only from public
                           addresses; also allow this host (an internal mirror) (repeatable)
  --tsa URL                RFC 3161 timestamp authority: staged signing at level B-T,
                           POST /v1/extend?level=B-LTA
  --shutdown-grace S       on SIGTERM, seconds in-flight requests may still take (default 30)
  --audit-root DIR         with --redis: POST /v1/audit may name folders under DIR (as
                           every kyso worker sees them) (repeatable)
  --audit-spool DIR        with --redis: POST /v1/audit takes uploaded files (multipart)
                           and keeps them in DIR, shared with the workers, until the run
                           is complete. GET /v1/jobs/ID answers the run's progress and,
                           once complete, the report of kyso audit (?format=csv|json|html)

Logs are JSON lines on stderr (no document content, no keys).
`;

function positive(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n <= 0 || n > max) throw kysoError('ERR_INVALID_ARGUMENT', `--${name} must be a number above 0, at most ${max}`);
  return n;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw kysoError('ERR_IO', `could not read ${path}`, cause);
  }
}

/** Parses `kyso serve` options into a running service; exported for tests and embedders. */
export async function startServeCommand(argv: string[], env: NodeJS.ProcessEnv = process.env, hooks: ServeHooks = {}): Promise<KysoService> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      host: { type: 'string' }, port: { type: 'string' }, trust: { type: 'string', multiple: true },
      'api-keys-file': { type: 'string' }, 'max-body': { type: 'string' }, 'rate-limit': { type: 'string' },
      'header-timeout': { type: 'string' }, 'body-timeout': { type: 'string' }, redis: { type: 'string' },
      'shutdown-grace': { type: 'string' }, 'max-concurrent': { type: 'string' }, tsa: { type: 'string' }, 'allow-fetch-host': { type: 'string', multiple: true },
      'audit-root': { type: 'string', multiple: true }, 'audit-spool': { type: 'string' }, 'ca-rate': { type: 'string' },
    },
  });
  void positionals;
  const port = values.port === undefined ? 8080 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw kysoError('ERR_INVALID_ARGUMENT', '--port must be 0 to 65535');
  const trust = (values.trust ?? []).map((path) => {
    const pem = readText(path);
    trustFromCertificates([pem]);
    return pem;
  });
  const keys = [
    ...(values['api-keys-file'] ? readText(values['api-keys-file']).split(/\r?\n/) : []),
    ...(env.KYSO_API_KEYS ?? '').split(','),
  ].map((k) => k.trim()).filter((k) => k.length > 0);
  for (const k of keys) if (k.length < 16) throw kysoError('ERR_INVALID_ARGUMENT', 'API keys must be at least 16 characters');
  const caRate = values['ca-rate'] === undefined ? 10 : Number(values['ca-rate']);
  if (!/^\d+$/.test(values['ca-rate'] ?? '10') || caRate > 100_000) throw kysoError('ERR_INVALID_ARGUMENT', '--ca-rate must be a whole number from 0 to 100000');
  const redis = values.redis ? connectRedis(values.redis) : null;
  const network = publicNetworkFetch({ allowHosts: values['allow-fetch-host'] ?? [] });
  const shared = redis ? sharedRevocationFetch(redis, network, { caRate: caRate === 0 ? false : { limit: caRate, windowMs: 1000 } }) : null;
  const queue = values.redis ? new Queue(AUDIT_QUEUE, { connection: { url: values.redis }, prefix: 'kyso' }) : null;
  queue?.on('error', () => {});
  const auditing = (values['audit-root'] ?? []).length > 0 || values['audit-spool'] !== undefined;
  if (auditing && !redis) throw kysoError('ERR_INVALID_ARGUMENT', '--audit-root and --audit-spool need --redis (the queue of kyso worker)');
  if (auditing && !hooks.auditReporter) throw kysoError('ERR_INVALID_ARGUMENT', 'audits are offered by the kyso CLI (npx kyso serve)');
  for (const dir of [...(values['audit-root'] ?? []), ...(values['audit-spool'] ? [values['audit-spool']] : [])]) {
    try {
      readdirSync(dir);
    } catch (cause) {
      throw kysoError('ERR_IO', `could not read ${dir}`, cause);
    }
  }
  const logger = jsonLogger();
  const service = await startService({
    host: values.host ?? '127.0.0.1',
    port,
    trust,
    apiKeys: keys,
    maxBodyBytes: Math.floor(positive(values['max-body'], 'max-body', 50, 4096) * 1024 * 1024),
    maxConcurrent: Math.floor(positive(values['max-concurrent'], 'max-concurrent', 16, 10_000)),
    rateLimitPerMinute: positive(values['rate-limit'], 'rate-limit', 600, 1e9),
    headersTimeoutMs: positive(values['header-timeout'], 'header-timeout', 10, 3600) * 1000,
    bodyTimeoutMs: positive(values['body-timeout'], 'body-timeout', 60, 3600) * 1000,
    shutdownGraceMs: positive(values['shutdown-grace'], 'shutdown-grace', 30, 3600) * 1000,
    ready: redis ? () => redisAnswers(redis) : undefined,
    fetch: shared?.fetch ?? network,
    tsaUrl: values.tsa,
    audit: redis && auditing && hooks.auditReporter ? {
      url: values.redis!, redis, reporter: hooks.auditReporter, roots: values['audit-root'], spool: values['audit-spool'],
    } : undefined,
    signing: redis ? { redis, tsaUrl: values.tsa, fetch: globalThis.fetch as unknown as NonNullable<VerifyOptions['fetch']> } : undefined,
    metrics: shared && queue ? async () => {
      const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'failed', 'completed').catch(() => ({} as Record<string, number>));
      return [
        { name: 'kyso_queue_jobs', help: 'Jobs of the distributed audit queue, by state.', type: 'gauge' as const, samples: Object.entries(counts).map(([k, v]) => [`state="${k}"`, v] as [string, number]) },
        { name: 'kyso_revocation_cache_hits_total', help: 'Revocation downloads answered from Redis.', type: 'counter' as const, samples: [['', shared.stats.hits]] as [string, number][] },
        { name: 'kyso_revocation_cache_loads_total', help: 'Revocation downloads made by this instance for all.', type: 'counter' as const, samples: [['', shared.stats.loads]] as [string, number][] },
        { name: 'kyso_revocation_ca_rate_waits_total', help: 'Downloads that waited for their CA host\'s rate limit.', type: 'counter' as const, samples: [['', shared.stats.throttled]] as [string, number][] },
      ];
    } : undefined,
    logger,
  });
  if (redis) service.server.once('close', () => {
    redis.disconnect();
    void queue?.close();
  });
  return service;
}

/**
 * `kyso serve …`: runs until SIGTERM or SIGINT, then shuts down gracefully (in-flight requests
 * finish) and returns exit status 0.
 */
export async function serveCommand(argv: string[], hooks: ServeHooks = {}): Promise<number> {
  const service = await startServeCommand(argv, process.env, hooks);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      void service.close().then(resolve);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  return 0;
}
