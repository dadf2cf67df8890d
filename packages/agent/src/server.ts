/**
 * The token agent's WebSocket server (docs/agent-protocol.md). Listens on
 * 127.0.0.1 only; checks the page's Origin on every connection (RFC 6455
 * §4.2.1 item 8, §10.2) and the Host header (against DNS rebinding); asks the
 * {@link Prompter} for consent and PIN; serialises requests per token;
 * stops asking for a PIN after `pinFailureLimit` wrong ones per token and
 * session, before the token's own retry counter can lock it.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { KysoError, kysoError, parseCertificate as parseCert, serializeError, type SignatureScheme } from '@kyso/core';
import { ConsentStore } from './consent.js';
import { createLogger, digestPrefix, type Logger } from './log.js';
import { Pkcs11Module, type Pkcs11Certificate } from './pkcs11/module.js';
import type { Prompter } from './prompter.js';
import {
  MAX_MESSAGE_BYTES, PROTOCOL_VERSIONS, ProtocolViolation, parseRequest, type AgentCertificate, type AgentRequest,
  type ErrorMessage, type ResultMessage, type SignBatchRequest, type SignRequestMessage, type WaitingForUserMessage,
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
  /** Serve wss:// with this PEM certificate and key (see `generateLocalCertificate`). */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Remembered consents; default: in memory. `false` disables consent (tests, kiosks). */
  readonly consent?: ConsentStore | false;
  /** Wrong PINs per token per agent session before the agent stops asking (default 2, at least 1). */
  readonly pinFailureLimit?: number;
  /** The agent gives up waiting for the user after this long (default 5 minutes). */
  readonly userTimeoutMs?: number;
  readonly logger?: Logger;
}

/** A running agent. */
export interface RunningAgent {
  readonly port: number;
  /** `ws://127.0.0.1:<port>` or `wss://…`. */
  readonly url: string;
  /** Stops listening, closes every connection and (if the agent opened it) the PKCS#11 module. */
  close(): Promise<void>;
}

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
  const prompter = options.prompter;
  const busy = new Set<string>(); // token serials with a request in flight
  const pinFailures = new Map<string, number>(); // token serial → wrong PINs this session

  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key })
    : createHttpServer();
  server.on('request', (_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('kyso-agent: WebSocket only\n');
  });
  const wss = new WebSocketServer({ server, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const send = (c: Connection, msg: ResultMessage | ErrorMessage | WaitingForUserMessage) => {
    if (c.ws.readyState === c.ws.OPEN) c.ws.send(JSON.stringify(msg));
  };
  const fail = (c: Connection, id: string | null, err: unknown) => {
    const e = err instanceof KysoError ? err : kysoError('ERR_TOKEN_FAILURE', err instanceof Error ? err.message : String(err));
    log.log('warn', 'request-failed', { origin: c.origin, id, code: e.code, detail: e.detail });
    send(c, { action: 'kyso.error', id, error: serializeError(e) });
  };

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const origin = req.headers.origin;
    const host = (req.headers.host ?? '').toLowerCase();
    const hostOk = LOCAL_HOSTS.some((h) => host === `${h}:${port}`);
    const c: Connection = { ws, origin: origin ?? '(none)', version: null, pending: new Map(), violations: 0 };
    if (!hostOk || !originAllowed(origin, options.allowedOrigins)) {
      // Refuse with a typed error the page can show, then close with 1008 "policy violation" (RFC 6455 §7.4.1).
      log.log('warn', 'origin-denied', { origin: c.origin, host });
      fail(c, null, kysoError('ERR_AGENT_ORIGIN_DENIED', hostOk ? `origin ${c.origin}` : `host ${host}`));
      ws.close(1008, 'origin not allowed');
      return;
    }
    log.log('info', 'connected', { origin: c.origin });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return violation(c, new ProtocolViolation('binary frames are not part of the protocol', null));
      let request: AgentRequest;
      try {
        request = parseRequest(data.toString());
      } catch (err) {
        return violation(c, err instanceof ProtocolViolation ? err : new ProtocolViolation('unreadable', null));
      }
      void handle(c, request);
    });
    ws.on('close', () => {
      for (const ac of c.pending.values()) ac.abort();
      log.log('info', 'disconnected', { origin: c.origin });
    });
    ws.on('error', () => undefined);
  });

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
    if (r.action === 'kyso.hello') {
      const version = PROTOCOL_VERSIONS.find((v) => r.versions.includes(v));
      if (version === undefined) return fail(c, r.id, kysoError('ERR_AGENT_VERSION', `agent speaks ${PROTOCOL_VERSIONS.join(', ')}; page ${r.versions.join(', ') || 'none'}`));
      c.version = version;
      send(c, { action: 'kyso.result', id: r.id, result: { version, agent: 'kyso-agent', agentVersion: AGENT_VERSION } });
      return;
    }
    if (c.version === null) return fail(c, r.id, kysoError('ERR_AGENT_PROTOCOL', 'kyso.hello must come first'));
    if (c.pending.has(r.id)) return fail(c, r.id, kysoError('ERR_AGENT_PROTOCOL', 'duplicate request id'));
    const ac = new AbortController();
    c.pending.set(r.id, ac);
    const userTimer = setTimeout(() => ac.abort(kysoError('ERR_AGENT_USER_TIMEOUT')), userTimeoutMs);
    try {
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
    }
  }

  async function ensureConsent(c: Connection, id: string, signal: AbortSignal): Promise<void> {
    if (!consent || consent.has(c.origin)) return;
    send(c, { action: 'kyso.waiting-for-user', id, reason: 'consent' });
    const yes = await abortable(prompter.askConsent({ origin: c.origin, signal }), signal);
    if (!yes) throw kysoError('ERR_AGENT_CONSENT_DENIED', `origin ${c.origin}`);
    await consent.grant(c.origin);
    log.log('info', 'consent-granted', { origin: c.origin });
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
        const failures = pinFailures.get(serial) ?? 0;
        if (failures >= pinLimit) throw kysoError('ERR_TOKEN_PIN_LIMIT', `${failures} wrong PINs for token ${token.label} in this agent session`);
        const now = mod.token({ tokenSerial: serial });
        if (now.pinLocked) throw kysoError('ERR_TOKEN_PIN_LOCKED', `token ${now.label}`);
        // A configured PIN is never tried on a token at its final try: automation must not lock a token.
        if (!prompter.interactive && now.pinFinalTry) throw kysoError('ERR_TOKEN_PIN_LIMIT', `token ${now.label} is at its final PIN try`);
        send(c, { action: 'kyso.waiting-for-user', id: r.id, reason: 'pin' });
        const pin = await abortable(
          prompter.askPin({
            origin: c.origin, tokenLabel: now.label, certificateLabel: cert.label, count: digests.length, attempt, signal,
            ...(now.pinFinalTry ? { warning: 'final-try' as const } : now.pinCountLow ? { warning: 'few-tries-left' as const } : {}),
          }),
          signal,
        );
        if (pin === null) throw kysoError('ERR_AGENT_CANCELLED', 'the user cancelled the PIN prompt');
        if (signal.aborted) throw reasonOf(signal);
        try {
          const out = mod.signDigests({ tokenSerial: serial, keyId, pin, scheme: r.scheme, hash: r.hash, digests });
          pinFailures.delete(serial);
          log.log('info', 'signed', { origin: c.origin, id: r.id, token: now.label, count: out.length });
          return out;
        } catch (err) {
          if (!(err instanceof KysoError) || err.code !== 'ERR_TOKEN_PIN_INCORRECT') throw err;
          const n = failures + 1;
          pinFailures.set(serial, n);
          log.log('warn', 'wrong-pin', { origin: c.origin, token: now.label, failures: n, limit: pinLimit });
          if (!prompter.interactive || n >= pinLimit) {
            throw kysoError('ERR_TOKEN_PIN_INCORRECT', `${err.detail ?? 'wrong PIN'}; ${n} of ${pinLimit} wrong PINs allowed by the agent`);
          }
        }
      }
    } finally {
      busy.delete(serial);
    }
  }

  return {
    port,
    url: `${options.tls ? 'wss' : 'ws'}://127.0.0.1:${port}`,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await prompter.close?.();
      if (ownModule) mod.close();
    },
  };
}

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
