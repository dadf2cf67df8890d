import { kysoError, type ErrorCode } from '@kyso/core';

/**
 * The part of `fetch` the remote-signing clients use, so that an integrator can
 * route calls through a proxy, add mutual TLS in Node, or log them.
 */
export type RemoteFetch = (url: string, init: {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}) => Promise<{ readonly status: number; text(): Promise<string> }>;

/** Which codes one family of services reports transport failures under. */
export interface TransportCodes {
  readonly unreachable: ErrorCode;
  readonly timeout: ErrorCode;
  readonly badResponse: ErrorCode;
}

/** The codes of the Vietnamese remote-signing services (RSSP, SmartCA, NEAC, MySign) and the integrator's back end. */
export const REMOTE_TRANSPORT_CODES: TransportCodes = {
  unreachable: 'ERR_REMOTE_UNREACHABLE', timeout: 'ERR_REMOTE_TIMEOUT', badResponse: 'ERR_REMOTE_BAD_RESPONSE',
};

/** Largest response body read (a certificate chain list stays far below). */
export const MAX_BODY = 4 * 1024 * 1024;

/** The default `fetch`, or an `ERR_INVALID_ARGUMENT` when none exists and none was given. */
export function defaultFetch(given: RemoteFetch | undefined): RemoteFetch {
  const f = given ?? (typeof globalThis.fetch === 'function' ? (u, i) => globalThis.fetch(u, i) : undefined);
  if (!f) throw kysoError('ERR_INVALID_ARGUMENT', 'no fetch: pass options.fetch');
  return f;
}

/**
 * POSTs `payload` with a time-out per request and the caller's `AbortSignal`;
 * answers the HTTP status and the body text. Network failures, time-outs and
 * oversized answers become typed errors under `codes`. Details name only the
 * method and the host: never a header, a token, a secret or the payload.
 */
export async function postText(
  fetchFn: RemoteFetch, url: string, method: string, headers: Record<string, string>, payload: string,
  timeoutMs: number, signal: AbortSignal | undefined, codes: TransportCodes,
): Promise<{ status: number; text: string }> {
  if (signal?.aborted) throw kysoError('ERR_ABORTED', abortDetail(signal));
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let status: number;
    let text: string;
    try {
      const res = await fetchFn(url, { method: 'POST', headers, body: payload, signal: controller.signal });
      status = res.status;
      text = await res.text();
    } catch (cause) {
      if (signal?.aborted) throw kysoError('ERR_ABORTED', abortDetail(signal), cause);
      if (timedOut) throw kysoError(codes.timeout, `${method}: no answer within ${timeoutMs} ms`, cause);
      throw kysoError(codes.unreachable, `${method}: ${hostOf(url)}: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
    }
    if (text.length > MAX_BODY) throw kysoError(codes.badResponse, `${method}: answer larger than ${MAX_BODY} characters`);
    return { status, text };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * POSTs JSON and parses a JSON object answer of any HTTP status (services that
 * put their own status codes in the body answer HTTP 200 for failures too).
 * A body that is not a JSON object is `codes.badResponse` when the status is
 * 2xx; for other statuses `body` is `undefined` and the caller maps the status.
 */
export async function postJson(
  fetchFn: RemoteFetch, url: string, method: string, body: unknown, headers: Record<string, string>,
  timeoutMs: number, signal: AbortSignal | undefined, codes: TransportCodes = REMOTE_TRANSPORT_CODES,
): Promise<{ status: number; body: Record<string, unknown> | undefined }> {
  const r = await postText(fetchFn, url, method, { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
    JSON.stringify(body), timeoutMs, signal, codes);
  let parsed: unknown;
  try {
    parsed = r.text.trim() === '' ? undefined : JSON.parse(r.text);
  } catch {
    parsed = undefined;
  }
  const ok = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  if (!ok && r.status >= 200 && r.status < 300) throw kysoError(codes.badResponse, `${method}: HTTP ${r.status} with a body that is not a JSON object`);
  return { status: r.status, body: ok ? (parsed as Record<string, unknown>) : undefined };
}

/** Keeps service-provided text printable and short before it goes into an error detail. */
export function clean(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const printable = s.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return printable.length > max ? `${printable.slice(0, max)}…` : printable;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'bad URL';
  }
}

export function abortDetail(signal: AbortSignal): string | undefined {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason.message;
  return typeof reason === 'string' ? reason : undefined;
}

/** Waits `ms`, or rejects with `ERR_ABORTED` as soon as `signal` fires. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(kysoError('ERR_ABORTED'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(kysoError('ERR_ABORTED'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A service answered, but not with what its protocol promises: `ERR_REMOTE_BAD_RESPONSE` naming the method and what was wrong. */
export function badResponse(method: string, what: string) {
  return kysoError('ERR_REMOTE_BAD_RESPONSE', `${method}: ${what}`);
}
