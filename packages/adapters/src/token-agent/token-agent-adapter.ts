/**
 * `TokenAgentAdapter`: core's {@link SigningAdapter} over a WebSocket to the
 * local kyso token agent (packages/agent). The page sends digests, never a
 * PIN: the agent asks the user itself. Two clocks (issue 6 §1): the *answer*
 * time-out (the agent must acknowledge every request quickly, else "the agent
 * did not answer") and the *user* time-out, which starts when the agent says
 * it waits for the user (PIN or consent).
 */
import {
  KysoError, fromBase64, kysoError, reviveError, toBase64, type AdapterCapabilities, type CertificateEntry,
  type SignatureAlgorithm, type SignRequest, type SigningAdapter,
} from '@kyso/core';
import { parseAgentReply, PROTOCOL_VERSIONS, type AgentCertificate, type DocumentInfo, type AgentRequest } from './protocol.js';

/** The part of the WHATWG WebSocket this adapter uses; `ws` in Node provides it too. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (event: { data?: unknown; code?: number }) => void): void;
}
/** A WebSocket constructor: the browser's, or `ws` in Node tests. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** Options of {@link TokenAgentAdapter}. */
export interface TokenAgentAdapterOptions {
  /** The agent's address; default `wss://127.0.0.1:8940`. */
  readonly url?: string;
  /** WebSocket constructor; default `globalThis.WebSocket`. */
  readonly WebSocket?: WebSocketConstructor;
  /** Opening the socket and the `kyso.hello` exchange (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** The agent's first answer to a request (default 10 s): "the agent did not answer". */
  readonly answerTimeoutMs?: number;
  /** The user's PIN entry or consent, once the agent waits for it (default 3 min). */
  readonly userTimeoutMs?: number;
  /** Called when the agent starts waiting for the user, e.g. to show "enter your PIN in the agent window". */
  readonly onWaitingForUser?: (reason: 'pin' | 'consent') => void;
  /**
   * The document name shown in the agent's PIN prompt when signing through core's `sign()` (whose request
   * carries no name), e.g. `() => ({ name: file.name })`. A name passed to {@link TokenAgentAdapter.sign} wins.
   */
  readonly describeDocument?: (request: SignRequest) => { readonly name?: string } | undefined;
  /**
   * Unattended clients only (a server-side signing service, never a web page): the agent's
   * `unattended.clientToken`, presented in `kyso.hello`. See docs/security.md.
   */
  readonly clientToken?: string;
}

/** A sign request that may name its document for the agent's PIN prompt. */
export interface TokenAgentSignRequest extends SignRequest {
  readonly document?: { readonly name?: string };
}

/** A certificate entry with what the agent knows about its token. */
export interface TokenAgentCertificate extends CertificateEntry {
  readonly token: { readonly label: string; readonly serial: string };
  readonly schemes: AgentCertificate['schemes'];
}

/** A batch: several digests signed with one key after one PIN entry. */
export interface SignDigestsRequest {
  readonly certificateId: string;
  readonly algorithm: SignatureAlgorithm;
  readonly digests: readonly Uint8Array[];
  readonly signal?: AbortSignal;
  /** Optional, one per digest: shown in the agent's PIN prompt. */
  readonly documents?: readonly DocumentInfo[];
}

const OPEN = 1;
const DEFAULT_URL = 'wss://127.0.0.1:8940';

interface Pending {
  readonly id: string;
  resolve(result: Record<string, unknown>): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Signs through the local token agent. One call at a time: a second call while
 * one is in flight is rejected with `ERR_AGENT_BUSY` (the token can only ask
 * for one PIN at a time).
 */
export class TokenAgentAdapter implements SigningAdapter {
  readonly name = 'token-agent';
  readonly #o: Required<Omit<TokenAgentAdapterOptions, 'onWaitingForUser' | 'WebSocket' | 'describeDocument' | 'clientToken'>> & TokenAgentAdapterOptions;
  #ws: WebSocketLike | undefined;
  #ready: Promise<WebSocketLike> | undefined;
  #pending: Pending | undefined;
  #busy = false;
  #seq = 0;

  constructor(options: TokenAgentAdapterOptions = {}) {
    this.#o = {
      url: DEFAULT_URL,
      connectTimeoutMs: 5_000,
      answerTimeoutMs: 10_000,
      userTimeoutMs: 180_000,
      ...options,
    };
  }

  capabilities(): AdapterCapabilities {
    return { schemes: ['RSASSA-PKCS1-v1_5', 'RSA-PSS', 'ECDSA'], hashes: ['SHA-256', 'SHA-384', 'SHA-512'] };
  }

  /** Certificates on every token the agent sees. The agent may first ask the user to allow this site. */
  async listCertificates(signal?: AbortSignal): Promise<readonly TokenAgentCertificate[]> {
    const result = await this.#call((id) => ({ action: 'kyso.list-certificates', id }), signal);
    const list = result.certificates;
    if (!Array.isArray(list)) throw kysoError('ERR_AGENT_PROTOCOL', 'certificates: an array');
    return list.map((raw: unknown) => {
      const c = raw as AgentCertificate;
      const der = typeof c?.certificate === 'string' ? fromBase64(c.certificate) : null;
      const chain = Array.isArray(c?.chain) ? c.chain.map((x) => (typeof x === 'string' ? fromBase64(x) : null)) : null;
      // Every field used below is checked: an agent's answer is input, and `${c.label}` of an object throws.
      if (typeof c?.id !== 'string' || !der || !chain || chain.some((x) => !x) || typeof c.label !== 'string' || typeof c.token?.label !== 'string'
        || typeof c.token.serial !== 'string' || !Array.isArray(c.schemes) || !c.schemes.every((x) => typeof x === 'string')) {
        throw kysoError('ERR_AGENT_PROTOCOL', 'a certificate entry is malformed');
      }
      return { id: c.id, certificate: der, chain: chain as Uint8Array[], label: `${c.label} (${c.token.label})`, token: c.token, schemes: c.schemes as AgentCertificate['schemes'] };
    });
  }

  /**
   * Signs one digest. The agent's PIN prompt shows the document's name (from `request.document` or the
   * `describeDocument` option) and the first hex digits of its digest, read from the CMS messageDigest
   * attribute inside `request.data` (RFC 5652 §11.2): what the user can compare with the page.
   */
  async sign(request: TokenAgentSignRequest): Promise<Uint8Array> {
    const name = request.document?.name ?? this.#o.describeDocument?.(request)?.name;
    const digestPrefix = request.data instanceof Uint8Array ? messageDigestPrefix(request.data) : undefined;
    const document = name !== undefined || digestPrefix !== undefined
      ? { ...(name !== undefined ? { name: name.slice(0, 200) } : {}), ...(digestPrefix !== undefined ? { digestPrefix } : {}) }
      : undefined;
    const [sig] = await this.signDigests({
      certificateId: request.certificateId, algorithm: request.algorithm, digests: [request.digest], signal: request.signal,
      ...(document && (document.name || document.digestPrefix) ? { documents: [document] } : {}),
    });
    return sig!;
  }

  /**
   * Signs several digests with one key: the agent asks for the PIN once
   * (`kyso.sign-batch`). Each digest still gets its own signature.
   */
  async signDigests(request: SignDigestsRequest): Promise<Uint8Array[]> {
    if (!request || typeof request.certificateId !== 'string') throw kysoError('ERR_INVALID_ARGUMENT', 'certificateId');
    if (!request.algorithm || typeof request.algorithm.scheme !== 'string') throw kysoError('ERR_INVALID_ARGUMENT', 'algorithm');
    if (!Array.isArray(request.digests) || request.digests.length === 0 || !request.digests.every((d) => d instanceof Uint8Array && d.length > 0)) {
      throw kysoError('ERR_INVALID_ARGUMENT', 'digests: non-empty byte arrays');
    }
    const { certificateId, algorithm } = request;
    const single = request.digests.length === 1;
    const documents = request.documents;
    if (documents !== undefined && (!Array.isArray(documents) || documents.length !== request.digests.length)) {
      throw kysoError('ERR_INVALID_ARGUMENT', 'documents: one entry per digest');
    }
    const result = await this.#call(
      (id) =>
        single
          ? {
            action: 'kyso.sign', id, certificateId, scheme: algorithm.scheme, hash: algorithm.hash, digest: toBase64(request.digests[0]!),
            ...(documents ? { document: documents[0]! } : {}),
          }
          : {
            action: 'kyso.sign-batch', id, certificateId, scheme: algorithm.scheme, hash: algorithm.hash, digests: request.digests.map(toBase64),
            ...(documents ? { documents } : {}),
          },
      request.signal,
    );
    const values = single ? [result.signature] : result.signatures;
    if (!Array.isArray(values) || values.length !== request.digests.length) throw kysoError('ERR_AGENT_PROTOCOL', 'wrong number of signatures');
    return values.map((v: unknown) => {
      const bytes = typeof v === 'string' ? fromBase64(v) : null;
      if (!bytes || bytes.length === 0) throw kysoError('ERR_AGENT_PROTOCOL', 'signature: base64');
      return bytes;
    });
  }

  /** Closes the connection; the next call opens a new one. */
  close(): void {
    const ws = this.#ws;
    this.#ws = undefined;
    this.#ready = undefined;
    try {
      ws?.close(1000);
    } catch {
      /* already closed */
    }
  }

  async #call(build: (id: string) => AgentRequest, signal: AbortSignal | undefined): Promise<Record<string, unknown>> {
    if (signal?.aborted) throw kysoError('ERR_ABORTED');
    // One call at a time (web-eid's habit): the agent would refuse a second one for the same token anyway.
    if (this.#busy) throw kysoError('ERR_AGENT_BUSY', 'a call of this adapter is already in flight');
    this.#busy = true;
    try {
      const ws = await this.#connect(signal);
      return await this.#request(ws, build(this.#nextId()), signal);
    } finally {
      this.#busy = false;
    }
  }

  #nextId(): string {
    return `r${++this.#seq}`;
  }

  #connect(signal: AbortSignal | undefined): Promise<WebSocketLike> {
    if (this.#ws && this.#ws.readyState === OPEN && this.#ready) return this.#ready;
    const Ctor = this.#o.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Ctor) throw kysoError('ERR_AGENT_UNREACHABLE', 'no WebSocket implementation; pass options.WebSocket');
    const ready = new Promise<WebSocketLike>((resolve, reject) => {
      let ws: WebSocketLike;
      try {
        ws = new Ctor(this.#o.url);
      } catch (err) {
        reject(kysoError('ERR_AGENT_UNREACHABLE', `cannot open ${this.#o.url}`, err));
        return;
      }
      this.#ws = ws;
      let opened = false;
      const timer = setTimeout(() => {
        fail(kysoError('ERR_AGENT_TIMEOUT', `no WebSocket handshake from ${this.#o.url} within ${this.#o.connectTimeoutMs} ms`));
        try {
          ws.close();
        } catch {
          /* ignore */
        }
      }, this.#o.connectTimeoutMs);
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (this.#ws === ws) {
          this.#ws = undefined;
          this.#ready = undefined;
        }
        reject(err);
      };
      const onAbort = () => {
        fail(kysoError('ERR_ABORTED'));
        ws.close();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      ws.addEventListener('message', (ev) => this.#onMessage(ws, ev.data));
      ws.addEventListener('error', () => {
        if (!opened) fail(kysoError('ERR_AGENT_UNREACHABLE', `cannot connect to ${this.#o.url}`));
      });
      ws.addEventListener('close', (ev) => {
        if (!opened) fail(ev.code === 1008 ? kysoError('ERR_AGENT_ORIGIN_DENIED') : kysoError('ERR_AGENT_UNREACHABLE', `cannot connect to ${this.#o.url}`));
        this.#onClose(ws, ev.code);
      });
      ws.addEventListener('open', () => {
        opened = true;
        const id = this.#nextId();
        const hello = { action: 'kyso.hello' as const, id, versions: PROTOCOL_VERSIONS, ...(this.#o.clientToken ? { clientToken: this.#o.clientToken } : {}) };
        this.#request(ws, hello, signal, this.#o.connectTimeoutMs).then(
          (hello) => {
            if (typeof hello.version !== 'number' || !(PROTOCOL_VERSIONS as readonly number[]).includes(hello.version)) {
              fail(kysoError('ERR_AGENT_VERSION', `agent answered version ${String(hello.version)}`));
              ws.close();
              return;
            }
            settled = true;
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            resolve(ws);
          },
          (err: Error) => {
            fail(err);
            try {
              ws.close();
            } catch {
              /* ignore */
            }
          },
        );
      });
    });
    this.#ready = ready;
    return ready;
  }

  #request(ws: WebSocketLike, req: AgentRequest, signal: AbortSignal | undefined, answerMs = this.#o.answerTimeoutMs): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      if (ws.readyState !== OPEN) return reject(kysoError('ERR_AGENT_DISCONNECTED'));
      const cleanup = () => {
        if (p.timer) clearTimeout(p.timer);
        signal?.removeEventListener('abort', onAbort);
        if (this.#pending === p) this.#pending = undefined;
      };
      const p: Pending = {
        id: req.id,
        timer: undefined,
        resolve: (r) => {
          cleanup();
          resolve(r);
        },
        reject: (e) => {
          cleanup();
          reject(e);
        },
      };
      const cancel = () => {
        if (ws.readyState === OPEN) ws.send(JSON.stringify({ action: 'kyso.cancel', id: this.#nextId(), target: req.id }));
      };
      const onAbort = () => {
        cancel();
        p.reject(kysoError('ERR_ABORTED'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // "The agent did not answer": a hung agent is dropped, the next call reconnects.
      p.timer = setTimeout(() => {
        p.reject(kysoError('ERR_AGENT_TIMEOUT', `no answer to ${req.action} within ${answerMs} ms`));
        this.close();
      }, answerMs);
      this.#pending = p;
      ws.send(JSON.stringify(req));
      (p as { cancel?: () => void }).cancel = cancel;
    });
  }

  #onMessage(ws: WebSocketLike, data: unknown): void {
    if (ws !== this.#ws) return;
    const msg = parseAgentReply(data);
    const p = this.#pending;
    if (typeof msg === 'string') {
      p?.reject(kysoError('ERR_AGENT_PROTOCOL', `from the agent: ${msg}`));
      this.close();
      return;
    }
    if (msg.action === 'kyso.error' && msg.id === null) {
      // A connection-level refusal (origin denied, a frame the agent could not read).
      const err = reviveError(msg.error);
      p?.reject(err);
      return;
    }
    if (!p || msg.id !== p.id) return; // a late answer to a cancelled or timed-out request
    if (msg.action === 'kyso.waiting-for-user') {
      // The agent answered; from now on the user's clock runs.
      if (p.timer) clearTimeout(p.timer);
      this.#o.onWaitingForUser?.(msg.reason);
      p.timer = setTimeout(() => {
        (p as { cancel?: () => void }).cancel?.();
        p.reject(kysoError('ERR_AGENT_USER_TIMEOUT', `no PIN or consent within ${this.#o.userTimeoutMs} ms`));
      }, this.#o.userTimeoutMs);
      return;
    }
    if (msg.action === 'kyso.error') {
      const err = reviveError(msg.error);
      p.reject(err instanceof KysoError ? err : kysoError('ERR_AGENT_PROTOCOL', `unknown error code ${msg.error.code}`));
      return;
    }
    p.resolve(msg.result);
  }

  #onClose(ws: WebSocketLike, code: number | undefined): void {
    if (ws !== this.#ws && this.#ws !== undefined) return;
    this.#ws = undefined;
    this.#ready = undefined;
    this.#pending?.reject(
      code === 1008 ? kysoError('ERR_AGENT_ORIGIN_DENIED', 'the agent closed the connection (policy)') : kysoError('ERR_AGENT_DISCONNECTED', `socket closed (${code ?? 'no code'})`),
    );
  }
}

/** DER of the messageDigest attribute type (1.2.840.113549.1.9.4, RFC 5652 §11.2). */
const MESSAGE_DIGEST_OID = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04];

/**
 * The first 8 bytes (16 hex digits) of the messageDigest value in DER signed attributes: `OID, SET { OCTET
 * STRING }` with short-form lengths (digests are at most 64 bytes). `undefined` when not found.
 */
function messageDigestPrefix(attrs: Uint8Array): string | undefined {
  outer: for (let i = 0; i + MESSAGE_DIGEST_OID.length + 4 < attrs.length; i++) {
    for (let j = 0; j < MESSAGE_DIGEST_OID.length; j++) if (attrs[i + j] !== MESSAGE_DIGEST_OID[j]) continue outer;
    let p = i + MESSAGE_DIGEST_OID.length;
    if (attrs[p] !== 0x31 || attrs[p + 2] !== 0x04) return undefined;
    const len = attrs[p + 3]!;
    p += 4;
    if (len < 8 || len > 64 || p + len > attrs.length) return undefined;
    return Array.from(attrs.subarray(p, p + 8), (b) => b.toString(16).padStart(2, '0')).join('');
  }
  return undefined;
}
