import { kysoError, toBase64, type ErrorCode, type KysoError } from '@kyso/core';
import { clean, postText, type RemoteFetch, type TransportCodes } from '../remote/http.js';

/**
 * The part of `fetch` the CSC client uses, so that a relying service can
 * route calls through its own backend, add mutual TLS in Node, or log them.
 */
export type CscFetch = RemoteFetch;

/** How one request authenticates (CSC API v2.0.0.2 §8.2–8.4). */
export type CscRequestAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string };

/** A settled CSC call: the HTTP status (200, 202, 204) and the parsed JSON body, if any. */
export interface CscReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * One JSON-over-HTTP transport for the CSC API: time-out per request, the
 * caller's `AbortSignal`, and every failure turned into a typed kyso error.
 * Details never hold tokens, passwords, SADs or hashes: only the method,
 * the HTTP status and the service's `error` / `error_description`.
 */
export class CscTransport {
  constructor(
    private readonly fetchFn: CscFetch,
    private readonly timeoutMs: number,
  ) {}

  /**
   * POSTs `body` to `url` as JSON (CSC API v2.0.0.2 §10: every method is a
   * POST with a JSON body) or as `application/x-www-form-urlencoded` for the
   * OAuth 2.0 token endpoint (RFC 6749 §4.4.2, CSC §8.4.4).
   */
  async post(
    url: string, method: string, body: Record<string, unknown>, auth: CscRequestAuth,
    signal: AbortSignal | undefined, form = false,
  ): Promise<CscReply> {
    const headers: Record<string, string> = {
      'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json',
      Accept: 'application/json',
    };
    if (auth.kind === 'bearer') headers.Authorization = `Bearer ${auth.token}`;
    if (auth.kind === 'basic') headers.Authorization = `Basic ${basic(auth.username, auth.password)}`;
    const payload = form ? formEncode(body) : JSON.stringify(body);
    const { status, text } = await postText(this.fetchFn, url, method, headers, payload, this.timeoutMs, signal, CSC_TRANSPORT_CODES);
    return interpret(method, status, text);
  }
}

/** The CSC adapter's codes for the shared transport's failures. */
const CSC_TRANSPORT_CODES: TransportCodes = { unreachable: 'ERR_CSC_UNREACHABLE', timeout: 'ERR_CSC_TIMEOUT', badResponse: 'ERR_CSC_BAD_RESPONSE' };

/** Maps an HTTP answer to a reply or a typed error (CSC API v2.0.0.2 §10). */
function interpret(method: string, status: number, text: string): CscReply {
  let body: unknown = undefined;
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
      if (status >= 200 && status < 300) throw kysoError('ERR_CSC_BAD_RESPONSE', `${method}: HTTP ${status} with a body that is not JSON`);
    }
  }
  if (status >= 200 && status < 300) {
    if (body === undefined) return { status, body: {} };
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw kysoError('ERR_CSC_BAD_RESPONSE', `${method}: the answer is not a JSON object`);
    }
    return { status, body: body as Record<string, unknown> };
  }
  throw errorFor(method, status, body);
}

/**
 * CSC error answers carry `error` and `error_description` (CSC §10.2, as
 * RFC 6749 §5.2). Which code a caller sees depends on both: a rejected
 * confirmation and an expired SAD are both HTTP 400 in the specification.
 */
export function errorFor(method: string, status: number, body: unknown): KysoError {
  const obj = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const error = typeof obj.error === 'string' ? clean(obj.error, 64) : undefined;
  const description = typeof obj.error_description === 'string' ? clean(obj.error_description, 200) : undefined;
  const detail = `${method}: HTTP ${status}${error ? ` ${error}` : ''}${description ? `: ${description}` : ''}`;
  let code: ErrorCode;
  if (status === 401) code = 'ERR_CSC_UNAUTHORIZED';
  else if (status === 403 && error !== 'access_denied') code = 'ERR_CSC_FORBIDDEN';
  else if (status >= 500) code = 'ERR_CSC_SERVER';
  else if (error === 'access_denied' || error === 'invalid_otp' || error === 'invalid_authentication_data') code = 'ERR_CSC_AUTH_REJECTED';
  // RFC 8628 §3.5 names a pending authorisation that ran out `expired_token`; the example server uses it.
  else if (error === 'expired_token') code = 'ERR_CSC_AUTH_TIMEOUT';
  else if (error === 'invalid_client' || error === 'invalid_grant' || error === 'unauthorized_client') code = 'ERR_CSC_UNAUTHORIZED';
  // CSC §11.10 error table: "SAD expired", "Invalid parameter SAD" (unknown or used up).
  else if (description && /SAD expired|parameter SAD\b/i.test(description)) code = 'ERR_CSC_SAD_EXPIRED';
  else code = 'ERR_CSC_REQUEST_REJECTED';
  return kysoError(code, detail);
}

/** RFC 7617 §2: base64 of `user-id ":" password`, UTF-8. */
function basic(username: string, password: string): string {
  return toBase64(new TextEncoder().encode(`${username}:${password}`));
}

function formEncode(body: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) if (v !== undefined) params.set(k, String(v));
  return params.toString();
}
