// @ts-check
// The QLVB demo's HTTP server (node:http): the built pages, a small JSON API over the document store,
// the demo keys, and the allowlisted gateway to the test PKI's services. Listens on 127.0.0.1 only.
// What a copy must keep (README "Security properties"): requests name this server in Host (no DNS rebinding);
// state-changing requests come from its own pages (Origin / Sec-Fetch-Site); bodies are capped before they are
// read; every malformed request is a 4xx; files are served from the web folder only; stored names are never paths.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { ensurePki, sealImage, signatureImage } from '@kyso/testkit';
import { verify } from '@kyso/core';
import { checkSignedUpload, summarize, UploadRejected } from './checks.mjs';
import { buildDraft, DRAFT_TITLE, NUMBER_FIELDS } from './draft.mjs';
import { decree30DateParts, fillTextFields } from './fill-fields.mjs';
import { readLimited, startPkiGateway } from './pki-gateway.mjs';
import { DocumentStore, StoreError } from './store.mjs';
import { PAGES } from './web-build.mjs';

/** The Content-Security-Policy of every HTML page (issue 5 §1, §4): no inline code, no eval, same origin only. */
export const CSP = "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' blob: data:";

/** Largest PDF accepted from the page. */
const MAX_PDF = 32 * 1024 * 1024;
/** Largest JSON body (a number and a date). */
const MAX_JSON = 4096;

/** The demo's signers: software keys from the test PKI. DEMO ONLY: a real office signs with a token or an HSM. */
const DEMO_KEYS = /** @type {const} */ (['leader', 'seal']);

const MIME = /** @type {Record<string, string>} */ ({
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.ttf': 'font/ttf',
  '.woff2': 'font/woff2', '.svg': 'image/svg+xml', '.png': 'image/png', '.pdf': 'application/pdf', '.bcmap': 'application/octet-stream',
});

/**
 * @typedef {object} DemoServerOptions
 * @property {string} dataDir   where documents live (created if missing)
 * @property {string} webDir    the built pages (see web-build.mjs)
 * @property {number} [port]    0 or absent: any free port
 * @property {boolean} [strictPort] fail instead of picking a free port when `port` is busy
 * @property {number} [maxDocuments] documents (and, separately, inbox entries) the store takes; past it, 507; default 1000
 */

/**
 * Starts the demo. Seeds one draft when the store is empty.
 * @param {DemoServerOptions} options
 */
export async function startDemoServer(options) {
  const pki = await ensurePki();
  const gateway = await startPkiGateway(pki);
  const store = await DocumentStore.open(options.dataDir);
  if (store.list().length === 0) await seedDraft(store);
  const trust = [pki.rootPem];
  const serials = { leader: pki.entity('leader').serialHex, seal: pki.entity('seal').serialHex };

  const maxDocuments = options.maxDocuments ?? 1000;
  /** @type {import('node:http').RequestListener} */
  const handle = async (req, res) => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    let path = '';
    try {
      // The pages talk to this server by one of its own names: any other Host is a DNS-rebinding page (or a
      // mistake), refused before anything is read (RFC 9110 §7.2, §15.5.20).
      if (!hosts().has(String(req.headers.host ?? '').toLowerCase())) {
        return json(res, 421, { error: { code: 'HOST', en: 'this server does not answer for that host name', vi: 'máy chủ không phục vụ tên miền này' } });
      }
      // An unparsable request target is malformed input (400), told apart before URL would throw.
      if (!URL.canParse(req.url ?? '/', 'http://127.0.0.1')) throw new SyntaxError('the request target is not a URL');
      path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (req.method !== 'GET' && req.method !== 'HEAD' && !fromOwnPage(req)) {
        return json(res, 403, { error: { code: 'ORIGIN', en: 'requests that change data must come from this server\'s pages', vi: 'yêu cầu thay đổi dữ liệu phải đến từ trang của máy chủ này' } });
      }
      if (gateway.handles(path)) return await gateway.forward(req, res, path);
      if (path.startsWith('/api/')) return await api(req, res, path);
      if (path.startsWith('/published/')) return await published(res, path);
      if (path === '/favicon.ico') return void res.writeHead(204).end(); // no icon, and no 404 in the console
      return await staticFile(res, path);
    } catch (e) {
      if (e instanceof StoreError) return json(res, e.status, { error: { code: 'STATE', en: e.message, vi: e.message } });
      if (e instanceof UploadRejected) return json(res, 422, { error: { code: e.code, ...e.text } });
      if (e instanceof TooLarge) return json(res, 413, { error: { code: 'TOO_LARGE', en: e.message, vi: 'dữ liệu gửi lên quá lớn' } });
      if (e instanceof RangeError) return json(res, 400, { error: { code: 'BAD_REQUEST', en: e.message, vi: e.message } });
      // Other malformed input: a body that is no JSON, a bad %-escape, an unparsable request target.
      if (e instanceof SyntaxError || e instanceof URIError) {
        return json(res, 400, { error: { code: 'BAD_REQUEST', en: e.message, vi: 'yêu cầu không hợp lệ' } });
      }
      // No document content in logs: only the path and the error's name and message.
      console.error(`qlvb-demo: ${req.method} ${path}: ${/** @type {Error} */ (e).name}: ${/** @type {Error} */ (e).message}`);
      if (!res.headersSent) json(res, 500, { error: { code: 'INTERNAL', en: 'internal error', vi: 'lỗi máy chủ' } });
    }
  };

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res @param {string} path */
  async function api(req, res, path) {
    const m = /^\/api\/documents\/([0-9a-f-]{36})(?:\/(pdf|approve|number|issue|publish))?$/.exec(path);
    if (path === '/api/config' && req.method === 'GET') {
      return json(res, 200, {
        // A published test constant (packages/testkit); the page needs it to open the demo PKCS#12 files.
        // A real deployment never sends a PIN to the page: the token agent or the HSM asks for it.
        demoKeyPassword: pki.p12Password,
        keys: Object.fromEntries(DEMO_KEYS.map((k) => [k, `/api/keys/${k}.p12`])),
        images: { signature: '/api/images/signature.png', seal: '/api/images/seal.png' },
        trustRoot: '/api/trust/root.cer',
        tsaPath: gateway.tsaPath,
        pkiPrefix: gateway.testPrefix,
        pkiPaths: gateway.paths,
        numberFields: NUMBER_FIELDS,
      });
    }
    const key = /^\/api\/keys\/(leader|seal)\.p12$/.exec(path);
    if (key && req.method === 'GET') {
      const entity = pki.entity(/** @type {'leader' | 'seal'} */ (key[1]));
      return send(res, 200, 'application/x-pkcs12', await readFile(/** @type {string} */ (entity.p12Path)));
    }
    if (path === '/api/images/signature.png' && req.method === 'GET') return send(res, 200, 'image/png', Buffer.from(signatureImage()));
    // A round seal at its real size, 36 mm (Decree 30/2020 Appendix I §II.8a).
    if (path === '/api/images/seal.png' && req.method === 'GET') return send(res, 200, 'image/png', Buffer.from(sealImage(36)));
    if (path === '/api/trust/root.cer' && req.method === 'GET') return send(res, 200, 'application/pkix-cert', Buffer.from(pki.rootDer));
    if (path === '/api/documents' && req.method === 'GET') return json(res, 200, store.list());
    if (path === '/api/documents' && req.method === 'POST') {
      if (store.list().length >= maxDocuments) return json(res, 507, { error: { code: 'FULL', en: 'the store is full', vi: 'kho văn bản đã đầy' } });
      return json(res, 201, await seedDraft(store));
    }
    if (path === '/api/published' && req.method === 'GET') {
      return json(res, 200, store.list().filter((d) => d.state === 'published')
        .map((d) => ({ id: d.id, title: d.title, number: d.number, date: d.date, url: `/published/${d.id}.pdf` })));
    }
    if (path === '/api/inbox' && req.method === 'GET') return json(res, 200, store.inbox());
    if (path === '/api/inbox' && req.method === 'POST') {
      if (store.inbox().length >= maxDocuments) return json(res, 507, { error: { code: 'FULL', en: 'the inbox is full', vi: 'hộp thư đến đã đầy' } });
      const bytes = await pdfBody(req);
      // The sender's file name is shown, never used as a path (the file is stored as <uuid>.pdf): no separators, no "..".
      const rawName = String(req.headers['x-file-name'] ?? 'incoming.pdf');
      const name = decodeURIComponent(rawName).replace(/[^\p{L}\p{N} ._()-]/gu, '_').replace(/\.{2,}/g, '_').slice(0, 120) || 'incoming.pdf';
      let verdict = 'error';
      try {
        verdict = summarize(await verify(bytes, { trust, revocation: 'online', fetch: gateway.serverFetch }));
      } catch {
        verdict = 'error'; // not a readable PDF: received and marked so, as a register would
      }
      return json(res, 201, await store.receive(name, bytes, verdict));
    }
    if (!m) return json(res, 404, { error: { code: 'NOT_FOUND', en: 'not found', vi: 'không tìm thấy' } });
    const id = /** @type {string} */ (m[1]);
    const doc = store.get(id);
    if (!doc) return json(res, 404, { error: { code: 'NOT_FOUND', en: 'no such document', vi: 'không có văn bản này' } });
    const action = m[2];
    if (!action && req.method === 'GET') return json(res, 200, doc);
    if (action === 'pdf' && req.method === 'GET') return send(res, 200, 'application/pdf', Buffer.from(await store.currentBytes(doc)));
    if (req.method !== 'POST') return json(res, 405, { error: { code: 'METHOD', en: 'method not allowed', vi: 'phương thức không hợp lệ' } });
    if (action === 'approve') {
      const next = await pdfBody(req);
      await checkSignedUpload(await store.bytesOf(doc, 'draft'), next, { signatures: 1, signerSerial: serials.leader }, { trust, fetch: gateway.serverFetch });
      return json(res, 200, await store.advance(id, 'draft', 'approved', { bytes: next, who: 'leader' }));
    }
    if (action === 'number') {
      const text = await readLimited(req, MAX_JSON);
      if (!text) throw new TooLarge('the request body is too large');
      const body = text.length === 0 ? {} : JSON.parse(text.toString('utf8'));
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RangeError('the body must be a JSON object');
      const number = String(body.number ?? '');
      if (!/^[0-9]{1,6}$/.test(number) || Number(number) < 1) throw new RangeError('the number must be 1–6 digits');
      // Decree 30 Appendix I: numbers below 10 get a leading zero (05/QĐ-UBND), like days and months.
      const n = number.replace(/^0+/, '').padStart(2, '0');
      const parts = decree30DateParts(String(body.date ?? ''));
      if (doc.state !== 'approved') throw new StoreError(409, `the document is at stage "${doc.state}", not "approved"`);
      const filled = fillTextFields(await store.bytesOf(doc, 'approved'), {
        [NUMBER_FIELDS.number]: n, [NUMBER_FIELDS.day]: parts.day, [NUMBER_FIELDS.month]: parts.month, [NUMBER_FIELDS.year]: parts.year,
      });
      // The fill must leave the leader's signature valid (form filling is an allowed change): prove it before storing.
      const report = await verify(filled, { trust, revocation: 'online', fetch: gateway.serverFetch });
      const leader = report.signatures[0];
      if (!leader || leader.indication !== 'TOTAL_PASSED' || leader.modifications.verdict === 'disallowed') {
        throw new Error('filling the number and date broke the approval signature');
      }
      return json(res, 200, await store.advance(id, 'approved', 'numbered', { bytes: filled, who: 'clerk', number: `${n}/QĐ-UBND`, date: String(body.date) }));
    }
    if (action === 'issue') {
      const next = await pdfBody(req);
      await checkSignedUpload(await store.bytesOf(doc, 'numbered'), next, { signatures: 2, signerSerial: serials.seal }, { trust, fetch: gateway.serverFetch });
      return json(res, 200, await store.advance(id, 'numbered', 'issued', { bytes: next, who: 'clerk' }));
    }
    if (action === 'publish') return json(res, 200, await store.advance(id, 'issued', 'published', { who: 'clerk' }));
    return json(res, 404, { error: { code: 'NOT_FOUND', en: 'not found', vi: 'không tìm thấy' } });
  }

  /** @param {import('node:http').ServerResponse} res @param {string} path */
  async function published(res, path) {
    const m = /^\/published\/([0-9a-f-]{36})\.pdf$/.exec(path);
    const doc = m ? store.get(/** @type {string} */ (m[1])) : undefined;
    if (!doc || doc.state !== 'published') return json(res, 404, { error: { code: 'NOT_FOUND', en: 'not published', vi: 'chưa công bố' } });
    return send(res, 200, 'application/pdf', Buffer.from(await store.bytesOf(doc, 'issued')));
  }

  /** @param {import('node:http').ServerResponse} res @param {string} path */
  async function staticFile(res, path) {
    let rel;
    if (path === '/' || path === '/index.html') rel = PAGES.qlvb;
    else if (path === '/portal' || path === '/portal/') rel = PAGES.portal;
    else rel = decodeURIComponent(path).replace(/^\/+/, '');
    const file = normalize(join(options.webDir, rel));
    if (!file.startsWith(options.webDir + sep)) return json(res, 404, { error: { code: 'NOT_FOUND', en: 'not found', vi: 'không tìm thấy' } });
    let bytes;
    try {
      bytes = await readFile(file);
    } catch {
      return json(res, 404, { error: { code: 'NOT_FOUND', en: 'not found', vi: 'không tìm thấy' } });
    }
    const type = MIME[extname(file)] ?? 'application/octet-stream';
    if (type.startsWith('text/html')) res.setHeader('content-security-policy', CSP);
    res.setHeader('cache-control', rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    return send(res, 200, type, bytes);
  }

  /** The Host values this server answers: its loopback names with its port. */
  const hosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  /**
   * Whether a state-changing request comes from this server's own pages (CSRF, Fetch Metadata). A browser sends
   * `Sec-Fetch-Site`; only `same-origin` passes (with `Origin` this server's, or `null`, which is what a page under
   * `Referrer-Policy: no-referrer` sends, Fetch §3.1 "append a request Origin header"). Without it (a non-browser
   * client, a test), an `Origin`, if any, must be this server's.
   * @param {import('node:http').IncomingMessage} req
   */
  const fromOwnPage = (req) => {
    const own = `http://${String(req.headers.host).toLowerCase()}`;
    const o = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined) return site === 'same-origin' && (o === undefined || o === own || o === 'null');
    return o === undefined || o === own;
  };

  const server = createServer((req, res) => void handle(req, res));
  const port = await listen(server, options.port ?? 0, options.strictPort ?? false);
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    store,
    gateway,
    pki,
    async close() {
      // Closing waits for open connections: end them too (one may be a client that declared a body it never sent).
      const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
      server.closeAllConnections();
      await closed;
      await gateway.close();
    },
  };
}

/** Adds the seeded decision as a new draft. @param {DocumentStore} store */
async function seedDraft(store) {
  const createdAt = new Date();
  const fileId = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex').toUpperCase();
  return store.create(DRAFT_TITLE, await buildDraft({ createdAt, fileId }), 'drafter');
}

/** A body over its cap (HTTP 413). */
class TooLarge extends Error {}

/** @param {import('node:http').IncomingMessage} req */
async function pdfBody(req) {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
  if (type !== 'application/pdf') throw new RangeError('expected application/pdf');
  const body = await readLimited(req, MAX_PDF);
  if (!body) throw new TooLarge('document too large');
  if (body.subarray(0, 5).toString('latin1') !== '%PDF-') throw new RangeError('not a PDF');
  return new Uint8Array(body.buffer, body.byteOffset, body.length);
}

/** @param {import('node:http').ServerResponse} res @param {number} status @param {unknown} value */
function json(res, status, value) {
  send(res, status, 'application/json; charset=utf-8', Buffer.from(JSON.stringify(value)));
}

/** @param {import('node:http').ServerResponse} res @param {number} status @param {string} type @param {Buffer} body */
function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'content-length': body.length }).end(body);
}

/**
 * Listens on 127.0.0.1; when `port` is busy (and not strict), takes any free port instead.
 * @param {import('node:http').Server} server @param {number} port @param {boolean} strict
 * @returns {Promise<number>}
 */
function listen(server, port, strict) {
  return new Promise((resolve, reject) => {
    const onError = (/** @type {NodeJS.ErrnoException} */ e) => {
      if (e.code === 'EADDRINUSE' && port !== 0 && !strict) {
        server.listen(0, '127.0.0.1');
        return;
      }
      reject(e);
    };
    server.on('error', onError);
    server.on('listening', () => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
    server.listen(port, '127.0.0.1');
  });
}
