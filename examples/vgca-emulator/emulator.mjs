// @ts-check
// An emulator of the VGCA Sign Service (Ban Cơ yếu Chính phủ) for tests and demos. The real service is closed
// Windows software; this follows only its protocol as public client code documents it (../../../shared/domain/agents.md §1):
// one WebSocket connection per call to `/<Endpoint>`, one JSON request frame, one JSON reply frame. Between the two it
// downloads `FileName`, signs the PDF with kyso core and a key the emulator is configured with, placing the Decree 30
// appearance of the endpoint's role (the real service uses its own templates), and POSTs the result as the
// multipart/form-data part `uploadfile` to `FileUploadHandler`. Listens on 127.0.0.1 only.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { sign } from '@kyso/core';
import '@kyso/core/node';

/** Emulator conventions for the reply `Status` (the real service's codes other than 0 are not documented). */
export const STATUS = /** @type {const} */ ({
  ok: 0,
  cancelled: 1,
  refused: 2,
  downloadFailed: 3,
  signFailed: 4,
  /** What the real service reports when the handler's `Status` is not a boolean (agents.md §1: error 0x0028). */
  uploadAnswerNotBoolean: 0x28,
});

/** Endpoint → Decree 30 role of the appearance, and the fields the request must carry (agents.md §1 table). */
export const ENDPOINTS = /** @type {const} */ ({
  SignApproved: { role: 'approve', docNumber: false, issuedDate: false },
  SignIssued: { role: 'issue', docNumber: true, issuedDate: true },
  SignIncome: { role: 'income', docNumber: false, issuedDate: false },
  Comment: { role: 'comment', docNumber: false, issuedDate: false },
  SignAppendix: { role: 'appendix', docNumber: true, issuedDate: false },
  SignCopy: { role: 'copy', docNumber: true, issuedDate: false },
});

/**
 * The pages allowed to drive the emulator by default: the QLVB demo's own origin (`npm start` serves it on
 * http://127.0.0.1:5173). Any other page the user has open could otherwise make the emulator sign a document of its
 * choosing with the configured key, the user unaware. Integrators list their own origin instead.
 */
export const DEFAULT_ALLOWED_ORIGINS = /** @type {const} */ (['http://127.0.0.1:5173', 'http://localhost:5173']);

/** Behaviours the tests switch on, each standing for something a real service or its user can do. */
export const MODES = /** @type {const} */ ([
  'normal',    // sign and upload
  'cancel',    // the user closes the certificate dialog: Status 1, nothing downloaded
  'refuse',    // no usable certificate (or licence): Status 2
  'malformed', // a reply that is not JSON
  'silent',    // never replies (a hung service)
  'close',     // closes the connection without a reply (a crashed service)
  'tamper',    // changes a signed byte of the new revision after signing, then uploads
  'rewrite',   // signs a changed copy of the document, so the original is no longer a prefix
]);

/**
 * @typedef {'approve' | 'issue' | 'income' | 'comment' | 'appendix' | 'copy'} Role
 * @typedef {(typeof MODES)[number]} Mode
 *
 * @typedef {object} EmulatorOptions
 * @property {(role: Role) => import('@kyso/core').SigningAdapter | Promise<import('@kyso/core').SigningAdapter>} keyFor
 *   the key "the user picks" for a role (software key, or a PKCS#11 token through another adapter)
 * @property {{ approve?: Uint8Array, issue?: Uint8Array }} [images] the leader's signature PNG (blue) and the agency seal PNG (red)
 * @property {{ key: string | Buffer, cert: string | Buffer } | null} [tls] wss with this certificate; null: plain ws (tests, or
 *   behind a local TLS proxy). Default: a fresh self-signed certificate for 127.0.0.1 ({@link localCertificate}).
 * @property {number} [port] default 0 (any free port); the real service uses 8987
 * @property {import('@kyso/core').PadesLevel} [level] default B-B
 * @property {import('@kyso/core').TimestampOptions} [timestamp] for B-T (the real service uses http://ca.gov.vn/tsa)
 * @property {() => Date} [clock] signing time; default now
 * @property {typeof fetch} [fetch] for the download and the upload; default globalThis.fetch
 * @property {readonly string[]} [allowedOrigins] the page origins (scheme://host[:port]) that may open a connection;
 *   default {@link DEFAULT_ALLOWED_ORIGINS}. A handshake from another origin, or with no Origin header, is answered
 *   403 before any request is read: nothing is downloaded, nothing signed.
 * @property {number} [maxBytes] largest document downloaded; default 64 MiB
 * @property {number} [httpTimeoutMs] per download or upload; default 30 000
 * @property {(line: string) => void} [log] one line per call: endpoint, sizes, outcome. Never URLs (they carry tokens) or content.
 */

/**
 * @typedef {object} RunningEmulator
 * @property {string} url      `wss://127.0.0.1:<port>` (or ws://)
 * @property {number} port
 * @property {string | null} certPem  the TLS certificate to trust (null for ws)
 * @property {Mode} mode        switchable while running
 * @property {{ endpoint: string, status: number | null, uploaded: boolean }[]} calls  what happened, for tests
 * @property {{ origin: string | null }[]} refused  handshakes refused for their origin, for tests
 * @property {() => Promise<void>} close
 */

/**
 * Starts the emulator on 127.0.0.1.
 * @param {EmulatorOptions} options
 * @returns {Promise<RunningEmulator>}
 */
export async function startVgcaEmulator(options) {
  if (typeof options?.keyFor !== 'function') throw new TypeError('startVgcaEmulator: options.keyFor is required');
  const log = options.log ?? (() => {});
  const allowed = new Set((options.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS).map(normalOrigin));
  if (allowed.has(null)) throw new TypeError('startVgcaEmulator: allowedOrigins must be origins such as https://qlvb.example.gov.vn');
  const tls = options.tls === undefined ? localCertificate() : options.tls;
  const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }) : createHttpServer();
  // A plain HTTPS GET answers too, so a user can open https://127.0.0.1:8987 once to trust the certificate (as BCY's guides say).
  server.on('request', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('kyso VGCA Sign Service emulator\n');
  });
  /** @type {{ origin: string | null }[]} */
  const refused = [];
  const wss = new WebSocketServer({
    server,
    maxPayload: 1024 * 1024,
    // Browsers always send Origin on a WebSocket handshake (RFC 6455 §4.1, §10.2); the service is reachable from
    // every page the user opens, so the origin is the only thing that tells the integrator's page from another.
    verifyClient: (info, done) => {
      const origin = typeof info.req.headers.origin === 'string' ? info.req.headers.origin : null;
      if (origin !== null && allowed.has(normalOrigin(origin))) return done(true);
      refused.push({ origin });
      log(`refused a connection from origin ${origin === null ? '(none)' : JSON.stringify(origin.slice(0, 100))}`);
      done(false, 403, 'Origin not allowed');
    },
  });
  /** @type {RunningEmulator} */
  const running = {
    url: '',
    port: 0,
    certPem: tls ? String(tls.cert) : null,
    mode: 'normal',
    calls: [],
    refused,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(() => resolve(undefined)));
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };

  wss.on('connection', (socket, req) => {
    const endpoint = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/+|\/+$/g, ''));
    let answered = false;
    socket.once('message', async (data, isBinary) => {
      const call = { endpoint, status: /** @type {number | null} */ (null), uploaded: false };
      running.calls.push(call);
      /** @param {Record<string, unknown> | string} reply */
      const reply = (reply) => {
        if (answered || socket.readyState !== socket.OPEN) return;
        answered = true;
        if (typeof reply === 'object') call.status = Number(reply.Status);
        socket.send(typeof reply === 'string' ? reply : JSON.stringify(reply));
        socket.close(1000);
      };
      try {
        const text = isBinary ? '' : data.toString();
        if (endpoint === 'GetVersion') return reply({ Status: 0, Message: 'kyso VGCA emulator 1.0 (protocol of agents.md §1)' });
        const spec = /** @type {Record<string, (typeof ENDPOINTS)[keyof typeof ENDPOINTS]>} */ (ENDPOINTS)[endpoint];
        if (!spec) return reply({ Status: STATUS.refused, Message: `Endpoint ${endpoint} is not emulated` });
        const mode = running.mode;
        if (mode === 'silent') return log(`${endpoint}: silent`);
        if (mode === 'close') return socket.close(1011);
        if (mode === 'malformed') return reply('OK');
        if (mode === 'cancel') return reply({ Status: STATUS.cancelled, Message: 'Người dùng đã hủy thao tác ký.' });
        if (mode === 'refuse') return reply({ Status: STATUS.refused, Message: 'Không tìm thấy chứng thư số hợp lệ.' });

        const request = readRequest(text, spec);
        if (typeof request === 'string') return reply({ Status: STATUS.refused, Message: request });

        let original;
        try {
          original = await download(request.FileName, request, options);
        } catch (error) {
          log(`${endpoint}: download failed`);
          return reply({ Status: STATUS.downloadFailed, Message: `Không tải được tệp: ${errorText(error)}` });
        }

        let signed;
        try {
          const input = mode === 'rewrite' ? rewritten(original) : original;
          signed = await sign(input, {
            adapter: await options.keyFor(spec.role),
            level: options.level ?? 'B-B',
            ...(options.timestamp ? { timestamp: options.timestamp } : {}),
            signingTime: options.clock?.() ?? new Date(),
            appearance: appearanceFor(spec.role, request, options.images ?? {}),
            reason: REASONS[spec.role],
          });
          if (mode === 'tamper') signed = tampered(signed, original.length);
        } catch (error) {
          log(`${endpoint}: signing failed`);
          return reply({ Status: STATUS.signFailed, Message: `Ký số không thành công: ${errorText(error)}` });
        }

        const answer = await upload(request.FileUploadHandler, signed, request, options).catch((error) => ({ error }));
        if ('error' in answer) {
          log(`${endpoint}: signed ${signed.length} bytes, upload failed`);
          // Signed locally, not stored: Status 0 with an empty FileServer (agents.md §1).
          return reply({ Status: 0, Message: `Ký thành công nhưng không tải lên được: ${errorText(answer.error)}`, FileName: '', FileServer: '' });
        }
        if (typeof answer.Status !== 'boolean') {
          return reply({ Status: STATUS.uploadAnswerNotBoolean, Message: 'Lỗi 0x0028: phản hồi của máy chủ không hợp lệ.' });
        }
        call.uploaded = answer.Status;
        log(`${endpoint}: signed ${signed.length} bytes, upload Status ${answer.Status}`);
        reply({
          Status: 0,
          Message: answer.Status ? '' : String(answer.Message ?? ''),
          FileName: answer.Status ? String(answer.FileName ?? '') : '',
          FileServer: answer.Status ? String(answer.FileServer ?? '') : '',
          DocumentNumber: request.DocNumber ?? '',
          DocumentDate: request.IssuedDate ?? '',
        });
      } catch (error) {
        reply({ Status: STATUS.signFailed, Message: errorText(error) });
      }
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined));
  });
  const address = server.address();
  running.port = typeof address === 'object' && address ? address.port : 0;
  running.url = `${tls ? 'wss' : 'ws'}://127.0.0.1:${running.port}`;
  return running;
}

/** `/Reason` per role, as a clerk's register would word it. */
const REASONS = /** @type {const} */ ({
  approve: 'Phê duyệt văn bản',
  issue: 'Phát hành văn bản',
  income: 'Tiếp nhận văn bản đến',
  comment: 'Ý kiến',
  appendix: 'Ký số phụ lục',
  copy: 'Sao văn bản điện tử',
});

/**
 * The request frame, checked the way a careful service would; a string is the refusal message.
 * @param {string} text @param {(typeof ENDPOINTS)[keyof typeof ENDPOINTS]} spec
 */
function readRequest(text, spec) {
  /** @type {any} */
  let r;
  try {
    r = JSON.parse(text);
  } catch {
    return 'Yêu cầu không phải JSON.';
  }
  if (!r || typeof r !== 'object') return 'Yêu cầu không hợp lệ.';
  for (const k of ['FileName', 'FileUploadHandler']) {
    if (typeof r[k] !== 'string' || !/^https?:\/\//i.test(r[k])) return `Thiếu hoặc sai ${k}.`;
  }
  if (spec.docNumber && (typeof r.DocNumber !== 'string' || !r.DocNumber.trim())) return 'Thiếu số văn bản (DocNumber).';
  if (spec.issuedDate && (typeof r.IssuedDate !== 'string' || Number.isNaN(Date.parse(r.IssuedDate)))) return 'Thiếu ngày ban hành (IssuedDate).';
  if (r.MetaData !== undefined && !Array.isArray(r.MetaData)) return 'MetaData phải là một mảng.';
  return /** @type {{ FileName: string, FileUploadHandler: string, SessionId?: string, JWTToken?: string, DocNumber?: string, IssuedDate?: string, MetaData?: { Key: string, Value: string }[] }} */ (r);
}

/**
 * The Decree 30 appearance of a role (Appendix I; kyso's defaults place it: the leader's block bottom right, the
 * seal over the left third of the leader's signature, appendix and copy text at the top right of page 1).
 * @param {Role} role @param {{ DocNumber?: string, MetaData?: { Key: string, Value: string }[] }} request
 * @param {{ approve?: Uint8Array, issue?: Uint8Array }} images
 * @returns {import('@kyso/core').AppearanceOptions}
 */
function appearanceFor(role, request, images) {
  const meta = (/** @type {string} */ key) => request.MetaData?.find((m) => m?.Key === key)?.Value;
  switch (role) {
    case 'approve':
      return images.approve ? { role: 'approve', image: { bytes: images.approve } } : { role: 'approve', showText: true };
    case 'issue':
      return images.issue ? { role: 'issue', image: { bytes: images.issue } } : { role: 'issue', showText: true };
    case 'appendix':
      return { role: 'appendix', docNumber: /** @type {string} */ (request.DocNumber) };
    case 'copy': {
      const form = meta('CopyForm');
      return { role: 'copy', copyForm: form === 'SAO LỤC' || form === 'TRÍCH SAO' ? form : 'SAO Y', docNumber: request.DocNumber };
    }
    case 'income':
      return { role: 'custom', template: 'ĐẾN\n{organization}\n{time}' };
    default:
      return { role: 'comment', showText: true };
  }
}

/**
 * GET the document, forwarding the auth the page gave (SessionId as a cookie, JWTToken as a bearer token).
 * @param {string} url @param {{ SessionId?: string, JWTToken?: string }} request @param {EmulatorOptions} options
 */
async function download(url, request, options) {
  const doFetch = options.fetch ?? globalThis.fetch;
  /** @type {Record<string, string>} */
  const headers = {};
  if (request.SessionId) headers.cookie = `ASP.NET_SessionId=${request.SessionId}`;
  if (request.JWTToken) headers.authorization = `Bearer ${request.JWTToken}`;
  const res = await doFetch(url, { headers, signal: AbortSignal.timeout(options.httpTimeoutMs ?? 30_000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const max = options.maxBytes ?? 64 * 1024 * 1024;
  if (Number(res.headers.get('content-length') ?? 0) > max) throw new Error('tệp quá lớn');
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > max) throw new Error('tệp quá lớn');
  return bytes;
}

/**
 * POST the signed file as multipart/form-data, part `uploadfile` (RFC 7578), and read the handler's JSON answer.
 * @param {string} url @param {Uint8Array} signed @param {{ SessionId?: string, JWTToken?: string }} request
 * @param {EmulatorOptions} options
 * @returns {Promise<{ Status?: unknown, Message?: unknown, FileName?: unknown, FileServer?: unknown }>}
 */
async function upload(url, signed, request, options) {
  const doFetch = options.fetch ?? globalThis.fetch;
  const boundary = `----VgcaEmulator${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="uploadfile"; filename="signed.pdf"\r\n` +
    'Content-Type: application/pdf\r\n\r\n', 'latin1');
  const body = Buffer.concat([head, signed, Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1')]);
  /** @type {Record<string, string>} */
  const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };
  if (request.SessionId) headers.cookie = `ASP.NET_SessionId=${request.SessionId}`;
  if (request.JWTToken) headers.authorization = `Bearer ${request.JWTToken}`;
  const res = await doFetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(options.httpTimeoutMs ?? 30_000) });
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${res.status}, answer is not JSON`);
  }
}

/**
 * 'tamper': one changed digit in the new signature's `/M` date, a byte its ByteRange covers (ISO 32000-2 §12.8.1).
 * @param {Uint8Array} signed @param {number} from
 */
function tampered(signed, from) {
  const out = signed.slice();
  const text = Buffer.from(out.buffer, out.byteOffset + from, out.length - from).toString('latin1');
  const at = text.indexOf('(D:');
  if (at < 0) throw new Error('tamper: no /M date found');
  const i = from + at + 3;
  out[i] = out[i] === 0x31 ? 0x32 : 0x31;
  return out;
}

/**
 * 'rewrite': the same document with one byte of its header comment changed, so the result is validly signed
 * but no longer extends the original.
 * @param {Uint8Array} original
 */
function rewritten(original) {
  const out = original.slice();
  const nl = out.indexOf(0x0a);
  // The byte before the first end of line is in "%PDF-1.x": make it another version digit.
  const i = nl > 1 ? (out[nl - 1] === 0x0d ? nl - 2 : nl - 1) : 7;
  out[i] = out[i] === 0x37 ? 0x36 : 0x37;
  return out;
}

/**
 * `scheme://host[:port]` of an origin, as browsers send it (RFC 6454 §6.2), or null when it is not one.
 * @param {string} origin
 */
function normalOrigin(origin) {
  try {
    const url = new URL(origin);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin === 'null') return null;
    if (url.pathname !== '/' || url.search || url.hash || url.username || url.password || origin.endsWith('/')) return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** @param {unknown} error */
function errorText(error) {
  return error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
}

/**
 * A fresh self-signed certificate for 127.0.0.1 (ECDSA P-256, 30 days), made with openssl. Browsers must be told to
 * trust it (the real service's installer does the same with its own certificate).
 * @returns {{ key: string, cert: string }}
 */
export function localCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'vgca-emulator-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '30', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-addext', 'extendedKeyUsage=serverAuth'], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
