import type { IncomingMessage, ServerResponse } from 'node:http';
import { kysoError, serializeError, toKysoError, toBase64, type KysoError } from '@kyso/core';
import type { RemoteSigningBackend, RemoteStartInput } from '../backend.js';

/** Options of {@link createRemoteSigningHandler}. */
export interface RemoteSigningHandlerOptions {
  readonly backend: RemoteSigningBackend;
  /**
   * The signer at the service for this request, from the integrator's own
   * session (cookie, bearer token): the service's `user_id` (CCCD, MST,
   * account). `undefined` answers 401. Callbacks skip this: their secret
   * authenticates them.
   */
  readonly user: (request: IncomingMessage) => string | undefined | Promise<string | undefined>;
  /** Largest request body; default 64 KiB (100 digests fit). */
  readonly maxBodyBytes?: number;
}

/**
 * `@kyso/adapters/remote-handler`: a `node:http` request handler for the
 * integrator's server, under any mount path. Routes by the last path segments:
 * `POST …/certificates`, `…/start`, `…/status`, `…/cancel` for the page
 * ({@link RemoteSigningAdapter}), and `POST …/callback/<id>/<secret>` (a callback URL per transaction)
 * or `POST …/callback` (one URL registered with the provider) for the
 * service's webhook; `…/callback/auth` then `…/callback/result` for providers
 * that authenticate with a token the integrator issues them (Viettel MySign). Errors answer `{ error: <serialized kyso error> }`
 * (code and detail, no stack); nothing is logged.
 */
export function createRemoteSigningHandler(options: RemoteSigningHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  if (!options?.backend || typeof options.user !== 'function') throw kysoError('ERR_INVALID_ARGUMENT', 'backend and user are required');
  const max = options.maxBodyBytes ?? 64 * 1024;
  return async (req, res) => {
    try {
      const path = new URL(req.url ?? '/', 'http://x').pathname.split('/').filter(Boolean);
      const last = path[path.length - 1];
      // Viettel MySign's callback pair (its document shows GET with a JSON body): token first, then the result.
      const serviceHook = path[path.length - 2] === 'callback' && (last === 'auth' || last === 'result');
      if (req.method !== 'POST' && !(serviceHook && req.method === 'GET')) return send(res, 405, { error: wire(kysoError('ERR_INVALID_ARGUMENT', 'POST only')) });
      const body = await readJson(req, max);
      if (serviceHook && last === 'auth') {
        const t = await options.backend.issueServiceToken(body);
        return send(res, 200, { status_code: '00', message: 'Thành công', data: { access_token: t.accessToken, expires_in: String(t.expiresInMs) } });
      }
      if (serviceHook) {
        const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        await options.backend.serviceTokenCallback(bearer, body);
        return send(res, 200, { status_code: '00', message: 'Thành công' });
      }
      if (path[path.length - 1] === 'callback') {
        await options.backend.registeredCallback(body);
        return send(res, 200, { ok: true });
      }
      const cb = path.lastIndexOf('callback');
      if (cb >= 0 && cb === path.length - 3) {
        await options.backend.callback(decodeURIComponent(path[cb + 1]!), decodeURIComponent(path[cb + 2]!), body);
        return send(res, 200, { ok: true });
      }
      const user = await options.user(req);
      if (!user) return send(res, 401, { error: wire(kysoError('ERR_REMOTE_UNAUTHORIZED', 'no signed-in user')) });
      const b = (body ?? {}) as Record<string, unknown>;
      switch (path[path.length - 1]) {
        case 'certificates': {
          const { certificates } = await options.backend.certificates(user);
          return send(res, 200, {
            certificates: certificates.map((c) => ({
              id: c.id, certificate: toBase64(c.certificate), chain: c.chain.map((x) => toBase64(x)), ...(c.label ? { label: c.label } : {}),
            })),
          });
        }
        case 'start':
          return send(res, 200, { transaction: await options.backend.start(user, b as unknown as RemoteStartInput) });
        case 'status':
          return send(res, 200, await options.backend.status(user, b.id as string));
        case 'cancel':
          return send(res, 200, await options.backend.cancel(user, b.id as string));
        default:
          return send(res, 404, { error: wire(kysoError('ERR_INVALID_ARGUMENT', 'unknown method')) });
      }
    } catch (e) {
      const err = toKysoError(e);
      send(res, statusOf(err), { error: wire(err) });
    }
  };
}

function wire(e: KysoError) {
  const { kyso, code, detail, message } = serializeError(e, { stack: false });
  // No cause: it may hold a service's raw answer.
  return { kyso, code, detail, message };
}

function statusOf(e: KysoError): number {
  switch (e.code) {
    case 'ERR_INVALID_ARGUMENT': return 400;
    case 'ERR_REMOTE_CALLBACK_REFUSED': return 403;
    case 'ERR_REMOTE_TRANSACTION_UNKNOWN': return 404;
    case 'ERR_INTERNAL': return 500;
    default: return 502;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function readJson(req: IncomingMessage, max: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(kysoError('ERR_INVALID_ARGUMENT', `body larger than ${max} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('error', (e) => reject(kysoError('ERR_INVALID_ARGUMENT', 'request body could not be read', e)));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(kysoError('ERR_INVALID_ARGUMENT', 'body is not JSON'));
      }
    });
  });
}
