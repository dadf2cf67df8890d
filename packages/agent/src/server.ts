/**
 * The token agent's WebSocket server (docs/agent-protocol.md). Listens on
 * 127.0.0.1 only; checks the page's Origin on every connection (RFC 6455
 * §4.2.1 item 8, §10.2) and the Host header (against DNS rebinding); asks the
 * {@link Prompter} for consent and PIN; serialises requests per token;
 * stops asking for a PIN after `pinFailureLimit` wrong ones per token,
 * counted across agent runs, before the token's own retry counter can lock it.
 *
 * Issue 12 hardening: every I/O failure in logging and connection handling is
 * caught and counted; connections and pending requests are capped; a refusal
 * silences an origin for a cool-down; a PIN from configuration serves only
 * origins enabled for unattended signing that present the client credential.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { KysoError, kysoError, parseCertificate as parseCert, serializeError, type SignatureScheme } from '@kyso/core';
import { ConsentStore } from './consent.js';
import { createLogger, digestPrefix, type Logger } from './log.js';
import { Pkcs11Module, type Pkcs11Certificate } from './pkcs11/module.js';
import { PinFailureStore } from './pin-failures.js';
import type { Prompter } from './prompter.js';
import {
  MAX_MESSAGE_BYTES, PROTOCOL_VERSIONS, ProtocolViolation, parseRequest, type AgentCertificate, type AgentRequest,
  type DocumentInfo, type ErrorMessage, type HelloRequest, type ResultMessage, type SignBatchRequest, type SignRequestMessage, type WaitingForUserMessage,
} from './protocol.js';

/** This agent's version, reported by `kyso.hello`. */
export const AGENT_VERSION = '0.1.0';

/** Options of {@link startAgent}. */
export interface AgentOptions {
  /** A PKCS#11 module path, or an opened module (the agent then does not close it). */
  readonly module: string | Pkcs11Module;
  /**
   * Page origins allowed to connect, e.g. `https://qlvb.example.gov.vn`.
   * An entry `http://localhost:*` allows any port of that scheme and host (development).
   */
  readonly allowedOrigins: readonly string[];
  readonly prompter: Prompter;
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /**
   * Serve wss:// with this PEM certificate and key (see `generateLocalCertificate`). `refresh`, checked twice a
   * day, returns a renewed pair (near expiry) that the running server switches to.
   */
  readonly tls?: {
    readonly cert: string;
    readonly key: string;
    readonly refresh?: () => Promise<{ readonly cert: string; readonly key: string } | undefined>;
  };
  /** Remembered consents; default: in memory. `false` disables consent (tests, kiosks). */
  readonly consent?: ConsentStore | false;
  /** Wrong PINs per token before the agent stops asking (default 2, at least 1), counted in `pinFailures`. */
  readonly pinFailureLimit?: number;
  /** Where wrong PINs are counted; default: memory (one run). `loadAgentConfig` keeps them in a file beside the config. */
  readonly pinFailures?: PinFailureStore;
  /**
   * Unattended signing (a server-side signing service, docs/security.md): the origins allowed to use the
   * token without a person, and the secret they must present in `kyso.hello` (`clientToken`). Origin alone
   * binds browsers only; any local process can set it. A non-interactive prompter (PIN from configuration)
   * serves these origins only.
   */
  readonly unattended?: { readonly origins: readonly string[]; readonly clientToken: string };
  /** Open WebSocket connections at most (default 32); more get ERR_AGENT_OVERLOADED and close code 1013. */
  readonly maxConnections?: number;
  /** Requests in flight across all connections at most (default 16; 4 per connection); more get ERR_AGENT_OVERLOADED. */
  readonly maxPendingRequests?: number;
  /** A connection that has not sent `kyso.hello` within this time is closed (default 10 s). */
  readonly helloTimeoutMs?: number;
  /** The agent gives up waiting for the user after this long (default 5 minutes). */
  readonly userTimeoutMs?: number;
  readonly logger?: Logger;
}

/** A running agent. */
export interface RunningAgent {
  readonly port: number;
  /** `ws://127.0.0.1:<port>` or `wss://…`. */
  readonly url: string;
  /** Counters for health checks and tests. */
  stats(): AgentStats;
  /** Stops listening, closes every connection and (if the agent opened it) the PKCS#11 module. */
  close(): Promise<void>;
}

/** What {@link RunningAgent.stats} reports. */
export interface AgentStats {
  /** Open WebSocket connections now. */
  readonly connections: number;
  /** Connections refused for capacity (WebSocket 1013, or dropped at accept beyond the handshake margin). */
  readonly refusedConnections: number;
  /** Requests refused because too many were pending. */
  readonly refusedRequests: number;
  /** I/O and handler failures caught (accept errors such as EMFILE, state files that could not be written, sends). */
  readonly ioErrors: number;
  /** Log lines that could not be written. */
  readonly droppedLogLines: number;
}

/** Requests one connection may have in flight. */
const MAX_PENDING_PER_CONNECTION = 4;
/** Sockets accepted beyond `maxConnections` while their WebSocket handshake runs, so that the refusal can be typed. */
const HANDSHAKE_MARGIN = 8;

/** Whether `origin` matches one allowlist entry (exact, or `scheme://host:*`). */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (!origin || origin === 'null') return false;
  const o = origin.toLowerCase();
  return allowed.some((a) => {
    const e = a.toLowerCase().replace(/\/+$/, '');
    if (e.endsWith(':*')) return o.startsWith(e.slice(0, -1)) && /^\d+$/.test(o.slice(e.length - 1)) || o === e.slice(0, -2);
    return o === e;
  });
}

const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

interface Connection {
  readonly ws: WebSocket;
  readonly origin: string;
  version: number | null;
  readonly pending: Map<string, AbortController>;
  violations: number;
  /** Presented the unattended client credential in `kyso.hello`. */
  unattended: boolean;
}

/** Starts the agent. Resolves once it listens. */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  if (!Array.isArray(options.allowedOrigins)) throw kysoError('ERR_INVALID_ARGUMENT', 'allowedOrigins: an array of origins');
  const log = options.logger ?? createLogger('off');
  const ownModule = typeof options.module === 'string';
  const mod = typeof options.module === 'string' ? Pkcs11Module.open(options.module) : options.module;
  const consent = options.consent === false ? null : (options.consent ?? new ConsentStore());
  const pinLimit = Math.max(1, options.pinFailureLimit ?? 2);
  const userTimeoutMs = options.userTimeoutMs ?? 5 * 60_000;
  const maxConnections = Math.max(1, options.maxConnections ?? 32);
  const maxPending = Math.max(1, options.maxPendingRequests ?? 16);
  const helloTimeoutMs = options.helloTimeoutMs ?? 10_000;
  const prompter = options.prompter;
  const unattended = options.unattended;
  if (unattended && (typeof unattended.clientToken !== 'string' || unattended.clientToken.length < 32)) {
    throw kysoError('ERR_INVALID_ARGUMENT', 'unattended.clientToken: a secret of at least 32 characters');
  }
  const unattendedDigest = unattended ? sha256(unattended.clientToken) : undefined;
  const busy = new Set<string>(); // token serials with a request in flight
  const pinFailures = options.pinFailures ?? new PinFailureStore();
  const asking = new Map<string, Promise<boolean>>(); // origin → the consent question on screen now
  const counters = { connections: 0, refusedConnections: 0, refusedRequests: 0, ioErrors: 0, pending: 0 };
  /** A caught failure: counted, and logged if the log still works (the logger never throws). */
  const caught = (event: string, err: unknown) => {
    counters.ioErrors++;
    log.log('error', event, { error: err instanceof Error ? `${(err as NodeJS.ErrnoException).code ?? err.name}: ${err.message}` : String(err) });
  };
  if (pinFailures.damaged) log.log('error', 'pin-failure-file-damaged', { file: pinFailures.file ?? null });

  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key })
    : createHttpServer();
  // Beyond this many sockets Node closes new ones at accept (net.Server#maxConnections): a flood cannot use up
  // the process's file descriptors, which the log, the state files and the PKCS#11 module need too.
  server.maxConnections = maxConnections + HANDSHAKE_MARGIN;
  server.on('drop', () => counters.refusedConnections++);
  server.on('request', (_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('kyso-agent: WebSocket only\n');
  });
  const wss = new WebSocketServer({ server, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After listening, an accept error (EMFILE, ENFILE) is an 'error' event on the server, which ws re-emits on
  // the WebSocketServer: without listeners either would end the process.
  server.on('error', (err) => caught('accept-failed', err));
  wss.on('error', (err) => caught('accept-failed', err));
  server.on('tlsClientError', () => undefined);
  const refresh = options.tls?.refresh;
  const tlsTimer = refresh
    ? setInterval(() => {
      refresh().then((next) => next && (server as HttpsServer).setSecureContext({ cert: next.cert, key: next.key }), (err: unknown) => caught('tls-renew-failed', err));
    }, 12 * 3_600_000)
    : undefined;
  tlsTimer?.unref();
  const port = (server.address() as AddressInfo).port;

  const send = (c: Connection, msg: ResultMessage | ErrorMessage | WaitingForUserMessage) => {
    try {
      if (c.ws.readyState === c.ws.OPEN) c.ws.send(JSON.stringify(msg), (err) => err && caught('send-failed', err));
    } catch (err) {
      caught('send-failed', err);
    }
  };
  const fail = (c: Connection, id: string | null, err: unknown) => {
    const e = err instanceof KysoError ? err : kysoError('ERR_TOKEN_FAILURE', err instanceof Error ? err.message : String(err));
    log.log('warn', 'request-failed', { origin: c.origin, id, code: e.code, detail: e.detail });
    // No stacks to pages: they would carry the agent's file paths (and the user's name in them).
    send(c, { action: 'kyso.error', id, error: serializeError(e, { stack: false }) });
  };

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    ws.on('error', () => undefined);
    try {
      onConnection(ws, req);
    } catch (err) {
      caught('connection-failed', err);
      ws.terminate();
    }
  });

  function onConnection(ws: WebSocket, req: IncomingMessage): void {
    const origin = req.headers.origin;
    const host = (req.headers.host ?? '').toLowerCase();
    const hostOk = LOCAL_HOSTS.some((h) => host === `${h}:${port}`);
    const c: Connection = { ws, origin: origin ?? '(none)', version: null, pending: new Map(), violations: 0, unattended: false };
    if (!hostOk || !originAllowed(origin, options.allowedOrigins)) {
      // Refuse with a typed error the page can show, then close with 1008 "policy violation" (RFC 6455 §7.4.1).
      log.log('warn', 'origin-denied', { origin: c.origin, host });
      fail(c, null, kysoError('ERR_AGENT_ORIGIN_DENIED', hostOk ? `origin ${c.origin}` : `host ${host}`));
      ws.close(1008, 'origin not allowed');
      return;
    }
    if (counters.connections >= maxConnections) {
      // 1013 "Try Again Later" (IANA WebSocket Close Code Number Registry).
      counters.refusedConnections++;
      log.log('warn', 'connection-refused', { origin: c.origin, open: counters.connections, limit: maxConnections });
      fail(c, null, kysoError('ERR_AGENT_OVERLOADED', `${counters.connections} connections open; the limit is ${maxConnections}`));
      ws.close(1013, 'too many connections');
      return;
    }
    counters.connections++;
    const helloTimer = setTimeout(() => {
      if (c.version === null) ws.close(1008, 'no kyso.hello');
    }, helloTimeoutMs);
    // Registered before anything else can throw, so that the count is always given back.
    ws.on('close', () => {
      counters.connections--;
      clearTimeout(helloTimer);
      for (const ac of c.pending.values()) ac.abort();
      log.log('info', 'disconnected', { origin: c.origin });
    });
    log.log('info', 'connected', { origin: c.origin });
    ws.on('message', (data, isBinary) => {
      try {
        if (isBinary) return violation(c, new ProtocolViolation('binary frames are not part of the protocol', null));
        let request: AgentRequest;
        try {
          request = parseRequest(data.toString());
        } catch (err) {
          return violation(c, err instanceof ProtocolViolation ? err : new ProtocolViolation('unreadable', null));
        }
        handle(c, request).then(() => {
          if (c.version !== null) clearTimeout(helloTimer);
        }, (err: unknown) => caught('request-handler-failed', err));
      } catch (err) {
        caught('message-handler-failed', err);
      }
    });
  }

  function violation(c: Connection, v: ProtocolViolation): void {
    c.violations++;
    fail(c, v.id, kysoError('ERR_AGENT_PROTOCOL', v.message));
    if (c.violations > 16) c.ws.close(1008, 'too many malformed messages');
  }

  async function handle(c: Connection, r: AgentRequest): Promise<void> {
    if (r.action === 'kyso.cancel') {
      const ac = c.pending.get(r.target);
      ac?.abort();
      send(c, { action: 'kyso.result', id: r.id, result: { cancelled: Boolean(ac) } });
      return;
    }
    if (r.action === 'kyso.hello') return hello(c, r);
    if (c.version === null) return fail(c, r.id, kysoError('ERR_AGENT_PROTOCOL', 'kyso.hello must come first'));
    if (c.pending.has(r.id)) return fail(c, r.id, kysoError('ERR_AGENT_PROTOCOL', 'duplicate request id'));
    if (c.pending.size >= MAX_PENDING_PER_CONNECTION || counters.pending >= maxPending) {
      counters.refusedRequests++;
      return fail(c, r.id, kysoError('ERR_AGENT_OVERLOADED', `${counters.pending} requests pending; the limit is ${maxPending} (${MAX_PENDING_PER_CONNECTION} per connection)`));
    }
    const ac = new AbortController();
    c.pending.set(r.id, ac);
    counters.pending++;
    const userTimer = setTimeout(() => ac.abort(kysoError('ERR_AGENT_USER_TIMEOUT')), userTimeoutMs);
    try {
      authorize(c);
      await ensureConsent(c, r.id, ac.signal);
      if (r.action === 'kyso.list-certificates') {
        send(c, { action: 'kyso.result', id: r.id, result: { certificates: listCertificates() } });
      } else {
        const signatures = await sign(c, r, ac.signal);
        const b64 = signatures.map((s) => Buffer.from(s).toString('base64'));
        send(c, { action: 'kyso.result', id: r.id, result: r.action === 'kyso.sign' ? { signature: b64[0] } : { signatures: b64 } });
      }
    } catch (err) {
      fail(c, r.id, err);
    } finally {
      clearTimeout(userTimer);
      c.pending.delete(r.id);
      counters.pending--;
    }
  }

  function hello(c: Connection, r: HelloRequest): void {
    const version = PROTOCOL_VERSIONS.find((v) => r.versions.includes(v));
    if (version === undefined) return fail(c, r.id, kysoError('ERR_AGENT_VERSION', `agent speaks ${PROTOCOL_VERSIONS.join(', ')}; page ${r.versions.join(', ') || 'none'}`));
    if (unattended && unattendedDigest && originAllowed(c.origin, unattended.origins)) {
      // An origin enabled for unattended signing must prove it is the configured client, not any local
      // process that sets the Origin header: compared in constant time over SHA-256 of both sides.
      if (r.clientToken === undefined || !timingSafeEqual(sha256(r.clientToken), unattendedDigest)) {
        log.log('warn', 'client-denied', { origin: c.origin, presented: r.clientToken !== undefined });
        fail(c, r.id, kysoError('ERR_AGENT_CLIENT_DENIED', `${r.clientToken === undefined ? 'no' : 'a wrong'} client credential from ${c.origin}`));
        c.ws.close(1008, 'client credential required');
        return;
      }
      c.unattended = true;
    }
    c.version = version;
    send(c, { action: 'kyso.result', id: r.id, result: { version, agent: 'kyso-agent', agentVersion: AGENT_VERSION } });
  }

  /** A PIN from configuration answers for no person: it serves only clients that proved the unattended credential. */
  function authorize(c: Connection): void {
    if (c.unattended || prompter.interactive) return;
    throw kysoError('ERR_AGENT_CLIENT_DENIED', `the PIN comes from the agent's configuration; ${c.origin} is not enabled for unattended signing with a client credential`);
  }

  async function ensureConsent(c: Connection, id: string, signal: AbortSignal): Promise<void> {
    // Unattended clients were enabled by name in the configuration: that is their consent.
    if (c.unattended || !consent || consent.has(c.origin)) return;
    const refused = consent.refusal(c.origin);
    if (refused) {
      throw kysoError('ERR_AGENT_CONSENT_DENIED', `the user refused ${c.origin} at ${refused.at}; not asked again before ${refused.until}`);
    }
    // One question per origin at a time: concurrent requests wait for the same answer instead of stacking prompts.
    let question = asking.get(c.origin);
    if (!question) {
      const origin = c.origin;
      question = (async () => {
        const yes = await prompter.askConsent({ origin, signal });
        try {
          if (yes) await consent.grant(origin);
          else await consent.refuse(origin);
        } catch (err) {
          caught('consent-write-failed', err); // remembered in memory for this run all the same
        }
        log.log(yes ? 'info' : 'warn', yes ? 'consent-granted' : 'consent-refused', { origin });
        return yes;
      })();
      const forget = () => asking.delete(origin);
      question.then(forget, forget);
      asking.set(origin, question);
    }
    send(c, { action: 'kyso.waiting-for-user', id, reason: 'consent' });
    const yes = await abortable(question, signal);
    if (!yes) throw kysoError('ERR_AGENT_CONSENT_DENIED', `origin ${c.origin}`);
  }

  function listCertificates(): AgentCertificate[] {
    const all = mod.certificates();
    return all
      // Tokens usually hide private keys until login (CKA_PRIVATE): then every non-CA certificate is offered.
      .filter((x) => x.hasPrivateKey === true || (x.hasPrivateKey === null && !x.isCa))
      .map((x) => ({
        id: `${x.tokenSerial}:${x.id}`,
        certificate: Buffer.from(x.der).toString('base64'),
        chain: chainOf(x, all).map((d) => Buffer.from(d).toString('base64')),
        label: x.label,
        token: { label: x.tokenLabel, serial: x.tokenSerial },
        keyType: x.keyType,
        keyBits: x.keyBits,
        ...(x.curve ? { curve: x.curve } : {}),
        schemes: schemesOf(x),
      }));
  }

  async function sign(c: Connection, r: SignRequestMessage | SignBatchRequest, signal: AbortSignal): Promise<Uint8Array[]> {
    const m = /^(.+):((?:[0-9a-f]{2})+)$/.exec(r.certificateId);
    if (!m) throw kysoError('ERR_KEY_NOT_FOUND', 'certificateId: <token serial>:<CKA_ID hex>');
    const [, serial, keyId] = m as unknown as [string, string, string];
    const digests = (r.action === 'kyso.sign' ? [r.digest] : r.digests).map((d) => new Uint8Array(Buffer.from(d, 'base64')));
    const documents: readonly DocumentInfo[] | undefined = r.action === 'kyso.sign' ? (r.document ? [r.document] : undefined) : r.documents;
    // One request at a time per token (issue 6 §1): a second one is refused, not queued.
    if (busy.has(serial)) throw kysoError('ERR_AGENT_BUSY', `token ${serial}`);
    busy.add(serial);
    try {
      const token = mod.token({ tokenSerial: serial });
      const cert = mod.certificates().find((x) => x.tokenSerial === serial && x.id === keyId);
      if (!cert) throw kysoError('ERR_KEY_NOT_FOUND', `no certificate ${keyId} on token ${token.label}`);
      if (!schemesOf(cert).includes(r.scheme)) throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `${r.scheme} with a ${cert.keyType} key`);
      log.log('info', 'sign-requested', {
        origin: c.origin, id: r.id, token: token.label, certificate: cert.label, scheme: r.scheme, hash: r.hash,
        count: digests.length, digest0: digestPrefix(Buffer.from(digests[0]!).toString('base64')),
      });
      for (let attempt = 1; ; attempt++) {
        const failures = pinFailures.failures(serial);
        if (failures >= pinLimit) {
          throw kysoError('ERR_TOKEN_PIN_LIMIT', pinFailures.damaged
            ? `the PIN-failure file ${pinFailures.file ?? ''} is unreadable; check the token, then remove the file`
            : `${failures} wrong PINs for token ${token.label}${pinFailures.file ? ', counted across agent runs' : ' in this agent run'}`);
        }
        const now = mod.token({ tokenSerial: serial });
        if (now.pinLocked) throw kysoError('ERR_TOKEN_PIN_LOCKED', `token ${now.label}`);
        // A configured PIN is never tried on a token at its final try: automation must not lock a token.
        if (!prompter.interactive && now.pinFinalTry) throw kysoError('ERR_TOKEN_PIN_LIMIT', `token ${now.label} is at its final PIN try`);
        send(c, { action: 'kyso.waiting-for-user', id: r.id, reason: 'pin' });
        const pin = await abortable(
          prompter.askPin({
            origin: c.origin, tokenLabel: now.label, certificateLabel: cert.label, count: digests.length, attempt, signal,
            ...(documents ? { documents } : {}),
            ...(now.pinFinalTry ? { warning: 'final-try' as const } : now.pinCountLow ? { warning: 'few-tries-left' as const } : {}),
          }),
          signal,
        );
        if (pin === null) throw kysoError('ERR_AGENT_CANCELLED', 'the user cancelled the PIN prompt');
        if (signal.aborted) throw reasonOf(signal);
        // Counted before the token sees the PIN: an agent killed during C_Login cannot lose a failure.
        try {
          pinFailures.set(serial, failures + 1);
        } catch (err) {
          caught('pin-failure-write-failed', err);
          // The cause (with the file's path) stays in the agent's log.
          throw kysoError('ERR_IO', `cannot record the PIN attempt for token ${now.label}, so the PIN was not tried`);
        }
        let out: Uint8Array[];
        try {
          out = mod.signDigests({ tokenSerial: serial, keyId, pin, scheme: r.scheme, hash: r.hash, digests });
        } catch (err) {
          if (!(err instanceof KysoError) || err.code !== 'ERR_TOKEN_PIN_INCORRECT') {
            restoreCount(serial, failures);
            throw err;
          }
          const n = failures + 1;
          log.log('warn', 'wrong-pin', { origin: c.origin, token: now.label, failures: n, limit: pinLimit });
          if (!prompter.interactive || n >= pinLimit) {
            throw kysoError('ERR_TOKEN_PIN_INCORRECT', `${err.detail ?? 'wrong PIN'}; ${n} of ${pinLimit} wrong PINs allowed by the agent`);
          }
          continue;
        }
        restoreCount(serial, 0);
        log.log('info', 'signed', { origin: c.origin, id: r.id, token: now.label, count: out.length });
        return out;
      }
    } finally {
      busy.delete(serial);
    }
  }

  /** After a login that did not fail on the PIN: the pre-counted attempt is taken back. */
  function restoreCount(serial: string, failures: number): void {
    try {
      pinFailures.set(serial, failures);
    } catch (err) {
      caught('pin-failure-write-failed', err); // the count stays one too high: errs on the side of the token
    }
  }

  return {
    port,
    url: `${options.tls ? 'wss' : 'ws'}://127.0.0.1:${port}`,
    stats: () => ({
      connections: counters.connections, refusedConnections: counters.refusedConnections, refusedRequests: counters.refusedRequests,
      ioErrors: counters.ioErrors, droppedLogLines: log.dropped ?? 0,
    }),
    async close() {
      clearInterval(tlsTimer);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await prompter.close?.();
      if (ownModule) mod.close();
      log.close?.();
    },
  };
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

function reasonOf(signal: AbortSignal): KysoError {
  return signal.reason instanceof KysoError ? signal.reason : kysoError('ERR_AGENT_CANCELLED');
}

/** Resolves like `p`, or rejects with the abort reason once `signal` aborts. */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(reasonOf(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reasonOf(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? reasonOf(signal) : e);
      },
    );
  });
}

function schemesOf(c: Pkcs11Certificate): SignatureScheme[] {
  return c.keyType === 'EC' ? ['ECDSA'] : ['RSASSA-PKCS1-v1_5', 'RSA-PSS'];
}

/** Issuer certificates on the same token, nearest first, found by name (RFC 5280 §6.1 chaining by DN). */
function chainOf(leaf: Pkcs11Certificate, all: readonly Pkcs11Certificate[]): Uint8Array[] {
  const pool = all.filter((x) => x.tokenSerial === leaf.tokenSerial && x !== leaf);
  const out: Uint8Array[] = [];
  let current = leaf;
  for (let i = 0; i < 8; i++) {
    const issuerDn = dnOf(current.der, 'issuer');
    if (issuerDn === dnOf(current.der, 'subject')) break;
    const next = pool.find((x) => dnOf(x.der, 'subject') === issuerDn && !out.includes(x.der));
    if (!next) break;
    out.push(next.der);
    current = next;
  }
  return out;
}

const dnCache = new WeakMap<Uint8Array, { subject: string; issuer: string }>();
function dnOf(der: Uint8Array, which: 'subject' | 'issuer'): string {
  let v = dnCache.get(der);
  if (!v) {
    const info = parseCert(der);
    v = { subject: info.subjectDN, issuer: info.issuerDN };
    dnCache.set(der, v);
  }
  return v[which];
}
