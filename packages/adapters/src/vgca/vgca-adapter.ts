import { kysoError, KysoError, type FullDocumentRequest, type FullDocumentResult, type FullDocumentSigner } from '@kyso/core';
import { buildVgcaRequest, interpretVgcaReply, parseVgcaReply } from './protocol.js';

/**
 * The part of a WebSocket {@link VgcaAdapter} uses: the browser's `WebSocket`
 * and the `ws` package's both fit (through a cast; their handler types are
 * narrower than this).
 */
export interface VgcaSocket {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: { readonly code?: number }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Opens a socket to a URL. */
export type VgcaSocketFactory = (url: string) => VgcaSocket;

/** Options of {@link VgcaAdapter}. */
export interface VgcaAdapterOptions {
  /** Base URL of the service; default `wss://127.0.0.1:8987` (the endpoint is appended as the path). */
  readonly url?: string;
  /**
   * Opens the socket; default `new globalThis.WebSocket(url)`. In Node, pass
   * e.g. `(url) => new WebSocket(url, { ca }) as unknown as VgcaSocket` with
   * the `ws` package.
   */
  readonly webSocket?: VgcaSocketFactory;
  /** Milliseconds to open the connection; default 3 000 (the service is local). */
  readonly connectTimeoutMs?: number;
  /**
   * Milliseconds for the reply once the request is sent: the user picks a
   * certificate and types the PIN meanwhile, and the service downloads and
   * uploads the document; default 300 000.
   */
  readonly replyTimeoutMs?: number;
  /** Milliseconds for `getVersion`'s reply; default 5 000. */
  readonly probeTimeoutMs?: number;
  /**
   * Reply `Status` values that mean "the user cancelled" (`ERR_VGCA_CANCELLED`);
   * every other non-zero status is `ERR_VGCA_REFUSED`. Default `[1]`, the
   * emulator's convention: the real service's value is not documented
   * (docs/decisions/0010-vgca-sign-service.md).
   */
  readonly cancelledStatuses?: readonly number[];
}

/**
 * The page side of the VGCA Sign Service (Ban Cơ yếu Chính phủ), the agent
 * most Vietnamese agencies already run. It signs whole documents: the page
 * sends the service two URLs of the integrator's server (where to download the
 * PDF, where to upload the signed one) over one WebSocket request and reply
 * (`wss://127.0.0.1:8987/<Endpoint>`); the PDF never passes through the page.
 *
 * It cannot sign a digest, so it is a {@link FullDocumentSigner}, not a
 * `SigningAdapter`. Its result is the service's claim only: the integrator's
 * handler (`createVgcaUploadHandler` in `@kyso/adapters/node`) verifies the
 * upload before storing it, and {@link signDocumentVerified} verifies the
 * stored file again before the page reports success.
 *
 * One request at a time per instance (`ERR_VGCA_BUSY` otherwise).
 */
export class VgcaAdapter implements FullDocumentSigner {
  readonly name = 'vgca';
  private readonly base: string;
  private readonly open: VgcaSocketFactory;
  private readonly connectTimeoutMs: number;
  private readonly replyTimeoutMs: number;
  private readonly probeTimeoutMs: number;
  private readonly cancelledStatuses: readonly number[];
  private busy = false;

  constructor(options: VgcaAdapterOptions = {}) {
    const base = options.url ?? 'wss://127.0.0.1:8987';
    let parsed: URL;
    try {
      parsed = new URL(base);
    } catch {
      throw kysoError('ERR_INVALID_ARGUMENT', 'url: not an absolute URL');
    }
    if (parsed.protocol !== 'wss:' && parsed.protocol !== 'ws:') throw kysoError('ERR_INVALID_ARGUMENT', 'url: a ws: or wss: URL is required');
    this.base = base.replace(/\/+$/, '');
    this.open = options.webSocket ?? defaultSocket;
    this.connectTimeoutMs = positive(options.connectTimeoutMs, 3_000, 'connectTimeoutMs');
    this.replyTimeoutMs = positive(options.replyTimeoutMs, 300_000, 'replyTimeoutMs');
    this.probeTimeoutMs = positive(options.probeTimeoutMs, 5_000, 'probeTimeoutMs');
    this.cancelledStatuses = options.cancelledStatuses ?? [1];
  }

  /**
   * Asks the service to sign a document held by the integrator's server, with
   * the endpoint of `request.role` (SignApproved, SignIssued, SignIncome,
   * Comment, SignAppendix, SignCopy). Resolves when the service reports the
   * signed file stored by the handler.
   */
  async signDocument(request: FullDocumentRequest): Promise<FullDocumentResult> {
    const { endpoint, body } = buildVgcaRequest(request);
    const text = await this.exchange(endpoint, JSON.stringify(body), this.replyTimeoutMs, request.signal);
    return interpretVgcaReply(parseVgcaReply(text), { cancelledStatuses: this.cancelledStatuses });
  }

  /**
   * Probes that the service runs (endpoint `GetVersion`) and returns its reply
   * text as is (its format differs between builds). `ERR_VGCA_UNAVAILABLE`
   * when nothing listens.
   */
  async getVersion(signal?: AbortSignal): Promise<string> {
    return this.exchange('GetVersion', '', this.probeTimeoutMs, signal);
  }

  /** One connection, one request frame, one reply frame (agents.md §1). */
  private async exchange(endpoint: string, payload: string, replyTimeoutMs: number, signal: AbortSignal | undefined): Promise<string> {
    if (signal?.aborted) throw kysoError('ERR_ABORTED');
    if (this.busy) throw kysoError('ERR_VGCA_BUSY', `a request is already in flight (${endpoint} refused)`);
    this.busy = true;
    try {
      return await this.oneExchange(`${this.base}/${endpoint}`, payload, replyTimeoutMs, signal);
    } finally {
      this.busy = false;
    }
  }

  private oneExchange(url: string, payload: string, replyTimeoutMs: number, signal: AbortSignal | undefined): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      let socket: VgcaSocket | undefined;
      let opened = false;
      let settled = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (error: KysoError | null, value?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (socket) {
          socket.onopen = socket.onmessage = socket.onclose = null;
          // Not null: closing a socket still connecting makes `ws` emit an error, which must not go unhandled.
          socket.onerror = () => {};
          try {
            socket.close(1000);
          } catch {
            // Closing a socket that never opened may throw in some implementations; nothing to free then.
          }
        }
        if (error) reject(error);
        else resolve(value!);
      };
      const onAbort = () => finish(kysoError('ERR_ABORTED', 'the caller cancelled the VGCA request'));
      signal?.addEventListener('abort', onAbort, { once: true });
      let s: VgcaSocket;
      try {
        s = socket = this.open(url);
      } catch (cause) {
        // A browser throws here for a blocked URL (e.g. ws: from an https page).
        reject(kysoError('ERR_VGCA_UNAVAILABLE', `cannot open ${url}`, cause));
        signal?.removeEventListener('abort', onAbort);
        settled = true;
        return;
      }
      timer = setTimeout(() => finish(kysoError('ERR_VGCA_UNAVAILABLE', `no connection to ${url} within ${this.connectTimeoutMs} ms`)), this.connectTimeoutMs);
      s.onopen = () => {
        if (settled) return;
        opened = true;
        clearTimeout(timer);
        timer = setTimeout(() => finish(kysoError('ERR_VGCA_TIMEOUT', `no reply within ${replyTimeoutMs} ms`)), replyTimeoutMs);
        try {
          s.send(payload);
        } catch (cause) {
          finish(kysoError('ERR_VGCA_UNAVAILABLE', 'the request could not be sent', cause));
        }
      };
      s.onmessage = (event) => {
        if (typeof event.data !== 'string') finish(kysoError('ERR_VGCA_BAD_REPLY', 'the reply is not a text frame'));
        else finish(null, event.data);
      };
      s.onerror = () => {
        // The error event carries no reason in browsers; the close event that follows gives the code.
        if (!opened) finish(kysoError('ERR_VGCA_UNAVAILABLE', `cannot connect to ${url}`));
      };
      s.onclose = (event) => {
        const code = typeof event?.code === 'number' ? ` (close code ${event.code})` : '';
        if (!opened) finish(kysoError('ERR_VGCA_UNAVAILABLE', `cannot connect to ${url}${code}`));
        else finish(kysoError('ERR_VGCA_BAD_REPLY', `the connection closed without a reply${code}`));
      };
    });
  }
}

function defaultSocket(url: string): VgcaSocket {
  const Ctor = (globalThis as { WebSocket?: new (url: string) => unknown }).WebSocket;
  if (!Ctor) throw kysoError('ERR_VGCA_UNAVAILABLE', 'this runtime has no WebSocket; pass options.webSocket');
  return new Ctor(url) as VgcaSocket;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw kysoError('ERR_INVALID_ARGUMENT', `${name}: a positive number of milliseconds`);
  return value;
}
