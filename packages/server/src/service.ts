import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { kysoError, verify, type VerifyOptions } from '@kyso/core';
import { openFileSource } from '@kyso/core/node';
import { apiKeyChecker } from './auth.js';
import { saveBody } from './body.js';
import { sendError } from './errors.js';
import { silentLogger, type Logger } from './log.js';
import { Metrics } from './metrics.js';
import { RateLimiter } from './rate-limit.js';
import { handleExtend } from './extend.js';
import { publicNetworkFetch } from './public-fetch.js';
import { handleFinish, handlePrepare, type SigningConfig } from './signing.js';
import { createAuditService, type AuditServiceConfig } from './audit-service.js';
import { readVerifyQuery, verifyOptionsOf } from './verify-options.js';

/** Options of {@link startService}. */
export interface ServiceOptions {
  /** Port on `host`; 0 picks a free one (see {@link KysoService.port}). Default 8080. */
  readonly port?: number;
  /** Default 127.0.0.1: exposing the service is a deliberate choice (`--host 0.0.0.0`). */
  readonly host?: string;
  /** Accepted API keys (`Authorization: Bearer KEY`); none configured means no key is asked (a trusted network). */
  readonly apiKeys?: readonly string[];
  /** Largest PDF accepted, bytes; default 50 MiB. Larger bodies get 413. */
  readonly maxBodyBytes?: number;
  /**
   * Documents handled at once by this instance (verify, sign, extend), uploads included; default 16.
   * Beyond it the answer is 503 with Retry-After, before a byte is stored: a burst of large uploads
   * cannot fill the disk or the memory of one instance.
   */
  readonly maxConcurrent?: number;
  /** Requests per minute per client (API key, else address); default 600. */
  readonly rateLimitPerMinute?: number;
  /** Time for the request line and headers to arrive, ms; default 10 000 (slowloris). */
  readonly headersTimeoutMs?: number;
  /** Time for the whole body to arrive, ms; default 60 000. */
  readonly bodyTimeoutMs?: number;
  /** Idle keep-alive time, ms; default 5 000. */
  readonly keepAliveTimeoutMs?: number;
  /** How long {@link KysoService.close} waits for in-flight requests before cutting them, ms; default 30 000. */
  readonly shutdownGraceMs?: number;
  /** Trust anchors added to every verification (PEM texts or profile names), as `kyso verify --trust`. */
  readonly trust?: readonly string[];
  /**
   * Network for `revocation=online` and `/v1/extend` (OCSP, CRLs, AIA: URLs taken from the uploaded
   * document's certificates); default {@link publicNetworkFetch}, which refuses private addresses.
   */
  readonly fetch?: VerifyOptions['fetch'];
  /** Readiness beyond the process itself (e.g. Redis answers PING); `/readyz` is 503 when it resolves false or throws. */
  readonly ready?: () => Promise<boolean>;
  /** More samples for `/metrics` (queue depth, cache hits), computed at scrape time. */
  readonly metrics?: () => Promise<readonly { name: string; help: string; type: 'gauge' | 'counter'; samples: readonly [string, number][] }[]>;
  /** RFC 3161 TSA for `/v1/extend?level=B-LTA`. */
  readonly tsaUrl?: string;
  /** Staged signing (`/v1/sign/prepare`, `/v1/sign/finish`): prepared states wait in this Redis. Without it those answer 503. */
  readonly signing?: SigningConfig;
  /**
   * Audits through the queue (`POST /v1/audit`, `GET /v1/jobs/:id`), verified by `kyso worker`
   * processes. Without it those answer 503.
   */
  readonly audit?: AuditServiceConfig;
  readonly logger?: Logger;
  /** Clock for the rate limiter (tests). */
  readonly now?: () => number;
}

/** A running service. */
export interface KysoService {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /**
   * Graceful shutdown: stops accepting connections, answers new requests on open connections with
   * 503, lets in-flight requests finish (up to `shutdownGraceMs`, then cuts them), and resolves when
   * every connection is closed.
   */
  close(): Promise<void>;
}

/** How the service answers one route: its method, whether it needs an API key, whether it takes a document (counted against maxConcurrent). */
export interface RouteSpec {
  readonly method: 'GET' | 'POST';
  readonly auth: boolean;
  readonly document: boolean;
}

/**
 * The service's routes, keyed by their template (`{id}` for a path segment): also the `route` label
 * of metrics and logs, never the raw URL. docs/service/openapi.yaml describes each one; a test holds
 * the two to the same list.
 */
export const ROUTES: Readonly<Record<string, RouteSpec>> = {
  '/v1/verify': { method: 'POST', auth: true, document: true },
  '/v1/sign/prepare': { method: 'POST', auth: true, document: true },
  '/v1/sign/finish': { method: 'POST', auth: true, document: true },
  '/v1/extend': { method: 'POST', auth: true, document: true },
  '/v1/audit': { method: 'POST', auth: true, document: true },
  '/v1/jobs/{id}': { method: 'GET', auth: true, document: false },
  '/healthz': { method: 'GET', auth: false, document: false },
  '/readyz': { method: 'GET', auth: false, document: false },
  '/metrics': { method: 'GET', auth: false, document: false },
};

/** The route template a path matches (`/v1/jobs/abc` → `/v1/jobs/{id}`), or null. */
export function routeOf(path: string): string | null {
  if (Object.hasOwn(ROUTES, path) && !path.includes('{')) return path;
  if (/^\/v1\/jobs\/[^/]+$/.test(path)) return '/v1/jobs/{id}';
  return null;
}

function sendJson(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Starts `kyso serve`: a stateless HTTP service (Node `http`) answering `POST /v1/verify` with the
 * JSON report `kyso verify --format json` prints for the same file and options, plus `/healthz`,
 * `/readyz` and `/metrics`. Every refusal is a typed JSON error `{code, message:{vi,en}}`.
 */
export async function startService(options: ServiceOptions = {}): Promise<KysoService> {
  const log = options.logger ?? silentLogger;
  const maxBody = options.maxBodyBytes ?? 50 * 1024 * 1024;
  const bodyTimeout = options.bodyTimeoutMs ?? 60_000;
  const checkKey = options.apiKeys?.length ? apiKeyChecker(options.apiKeys) : null;
  const limiter = new RateLimiter(options.rateLimitPerMinute ?? 600, options.now);
  const metrics = new Metrics();
  const trust = options.trust ?? [];
  // URLs from inside uploaded documents: never to private addresses unless the operator says so (see public-fetch.ts).
  const fetchImpl = options.fetch ?? publicNetworkFetch();
  let draining = false;
  const maxConcurrent = options.maxConcurrent ?? 16;
  let busy = 0;
  const audit = options.audit ? createAuditService({ trust, ...options.audit }) : null;

  async function handle(req: IncomingMessage, res: ServerResponse, route: string, keyId: string | null): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://service.invalid');
    const spec = route === 'other' ? undefined : ROUTES[route];
    if (!spec) throw kysoError('ERR_SERVICE_NOT_FOUND', `no route ${url.pathname.slice(0, 100)}`);
    if (req.method !== spec.method) throw kysoError('ERR_SERVICE_NOT_FOUND', `${url.pathname} answers ${spec.method} only`);
    if (route === '/healthz') return sendJson(res, 200, '{"status":"ok"}');
    if (route === '/readyz') {
      let ok = !draining;
      if (ok && options.ready) ok = await options.ready().catch(() => false);
      if (!ok) throw kysoError('ERR_SERVICE_UNAVAILABLE', draining ? 'shutting down' : 'a dependency is not ready');
      return sendJson(res, 200, '{"status":"ready"}');
    }
    if (route === '/metrics') {
      const extra = options.metrics ? await options.metrics().catch(() => []) : [];
      const text = metrics.render(extra);
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    if (route === '/v1/sign/prepare' || route === '/v1/sign/finish') {
      if (!options.signing) throw kysoError('ERR_SERVICE_UNAVAILABLE', 'staged signing needs Redis (kyso serve --redis)');
      const r = { maxBodyBytes: maxBody, bodyTimeoutMs: bodyTimeout, keyId };
      return route === '/v1/sign/prepare' ? handlePrepare(req, res, url, options.signing, r) : handleFinish(req, res, url, options.signing, r);
    }
    if (route === '/v1/audit' || route === '/v1/jobs/{id}') {
      if (!audit) throw kysoError('ERR_SERVICE_UNAVAILABLE', 'audits need the queue (kyso serve --redis)');
      const r = { maxBodyBytes: maxBody, bodyTimeoutMs: bodyTimeout, keyId };
      if (route === '/v1/audit') return audit.handleAudit(req, res, url, r);
      return audit.handleJob(req, res, url, url.pathname.slice('/v1/jobs/'.length), r);
    }
    if (route === '/v1/extend') {
      return handleExtend(req, res, url, { trust, fetch: fetchImpl!, tsaUrl: options.tsaUrl, maxBodyBytes: maxBody, bodyTimeoutMs: bodyTimeout });
    }
    // /v1/verify: the options are checked before a byte of the body is stored.
    const query = readVerifyQuery(url.searchParams);
    const body = await saveBody(req, maxBody, bodyTimeout);
    let report;
    try {
      const source = openFileSource(body.path);
      try {
        report = await verify(source, verifyOptionsOf(query, { trust, fetch: fetchImpl }));
      } finally {
        source.close();
      }
    } finally {
      // Gone before the answer leaves: no client ever sees a document outlive its request.
      await body.remove();
    }
    // During shutdown the connection closes after this answer instead of idling until its keep-alive time-out.
    if (draining) res.setHeader('connection', 'close');
    sendJson(res, 200, `${JSON.stringify(report, null, 2)}\n`);
  }

  const server = createServer({
    headersTimeout: options.headersTimeoutMs ?? 10_000,
    requestTimeout: bodyTimeout + (options.headersTimeoutMs ?? 10_000),
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 5_000,
    // Node checks the header/request time-outs on this interval: a second keeps slowloris bounded.
    connectionsCheckingInterval: 1_000,
  }, (req, res) => {
    const started = process.hrtime.bigint();
    const path = (req.url ?? '/').split('?')[0]!;
    const route = routeOf(path) ?? 'other';
    const client = req.socket.remoteAddress ?? '?';
    let keyId: string | null = null;
    metrics.inFlight++;
    let errorCode: string | null = null;
    res.on('close', () => {
      metrics.inFlight--;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observe(route, res.statusCode, seconds);
      log(res.statusCode >= 500 ? 'error' : 'info', 'request', {
        method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000), client, key: keyId, code: errorCode,
      });
    });
    const refuse = (error: unknown, headers: Record<string, string> = {}) => {
      const e = sendError(res, error, headers);
      errorCode = e.code;
      if (e.code === 'ERR_INTERNAL') log('error', 'internal error', { route, stack: e.cause instanceof Error ? e.cause.stack ?? e.cause.message : String(e.cause) });
    };
    if (draining) {
      res.setHeader('connection', 'close');
      return refuse(kysoError('ERR_SERVICE_UNAVAILABLE', 'shutting down'));
    }
    const spec = route === 'other' ? undefined : ROUTES[route];
    if (spec?.auth && checkKey) {
      const check = checkKey(req.headers.authorization);
      if (!check.ok) {
        // The body is never read: close the connection after answering, so the client cannot keep sending.
        res.setHeader('connection', 'close');
        return refuse(kysoError('ERR_SERVICE_UNAUTHORIZED'), { 'www-authenticate': 'Bearer realm="kyso"' });
      }
      keyId = check.keyId;
    }
    if (spec?.auth) {
      const wait = limiter.take(keyId ?? `ip:${client}`);
      if (wait > 0) {
        res.setHeader('connection', 'close');
        return refuse(kysoError('ERR_SERVICE_RATE_LIMITED', `retry after ${wait} s`), { 'retry-after': String(wait) });
      }
    }
    const heavy = spec?.document === true;
    if (heavy && busy >= maxConcurrent) {
      res.setHeader('connection', 'close');
      return refuse(kysoError('ERR_SERVICE_UNAVAILABLE', `${busy} documents in progress, the limit of this instance`), { 'retry-after': '1' });
    }
    if (heavy) {
      busy++;
      res.once('close', () => busy--);
    }
    handle(req, res, route, keyId).catch((error: unknown) => {
      // A refused body may still be arriving: answer, then close rather than read the rest.
      if (!req.complete) res.setHeader('connection', 'close');
      refuse(error);
      if (!req.complete) res.once('finish', () => req.socket.destroySoon());
    });
  });

  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // Headers too slow (408 from Node's header time-out), malformed or too large: a typed answer, then close.
    if (!socket.writable) return socket.destroy();
    const code = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'ERR_SERVICE_TIMEOUT' : 'ERR_INVALID_ARGUMENT';
    const status = code === 'ERR_SERVICE_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const e = kysoError(code, error.code ?? 'bad request');
    const body = JSON.stringify({ code: e.code, message: { vi: e.text.vi, en: e.text.en } });
    log('warn', 'client error', { code: error.code ?? null, client: (socket as { remoteAddress?: string }).remoteAddress ?? '?' });
    socket.end(`HTTP/1.1 ${status} ${status === 408 ? 'Request Timeout' : 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  log('info', 'listening', { host, port });

  let closing: Promise<void> | null = null;
  return {
    server,
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        draining = true;
        log('info', 'shutting down', { inFlight: metrics.inFlight });
        const grace = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs ?? 30_000);
        server.close(() => {
          clearTimeout(grace);
          void audit?.close();
          log('info', 'stopped');
          resolve();
        });
        // Idle keep-alive connections would hold close() open until their time-out.
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
