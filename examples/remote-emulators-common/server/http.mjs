// @ts-check
// The HTTP plumbing the remote-signing EMULATORS share (examples/rssp-emulator, vnpt-smartca-emulator (and
// neac-emulator through it), mysign-emulator): a JSON-over-POST server on 127.0.0.1 with injectable faults, the
// phone's wait for a pending request, and the service's own calls to the integrator (webhooks). What each service
// says lives in its emulator; only what is the same for all of them is here.
import { createServer, request } from 'node:http';

/** @typedef {'500' | 'garbage' | 'hang'} FaultKind */
/** @typedef {{ status: number, contentType: string, text: string }} RawAnswer */

/**
 * @typedef {object} JsonEmulatorOptions
 * @property {(url: string) => string} methodOf  the request's method name (what `fail(method)` matches), from its URL without the query
 * @property {(req: import('node:http').IncomingMessage, method: string, body: any) => Promise<{ http: number, body: unknown }>} handle
 *   answers a POST whose body is parsed JSON (`undefined` when it is not JSON)
 * @property {{ http: number, body: unknown }} notPost  the answer to any other HTTP method
 * @property {RawAnswer} internalError  the answer when `handle` throws, and to an injected `500` fault unless `fault500` says otherwise
 * @property {RawAnswer} [fault500]
 * @property {string} garbage  the HTML page an injected `garbage` fault answers (HTTP 200), as a gateway or login page would
 */

/**
 * Starts a JSON emulator server on 127.0.0.1 (a free port).
 * @param {JsonEmulatorOptions} options
 */
export async function startJsonEmulator(options) {
  /** @type {{ method: string, kind: FaultKind }[]} */
  const faults = [];
  /** @type {Set<import('node:http').ServerResponse>} */
  const hung = new Set();
  const raw = (/** @type {import('node:http').ServerResponse} */ res, /** @type {RawAnswer} */ a) => {
    res.writeHead(a.status, { 'Content-Type': a.contentType });
    res.end(a.text);
  };

  const server = createServer((req, res) => {
    const chunks = /** @type {Buffer[]} */ ([]);
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const url = (req.url ?? '').replace(/\?.*$/, '');
      const method = options.methodOf(url);
      const fi = faults.findIndex((f) => f.method === method || f.method === '*');
      if (fi >= 0) {
        const [f] = faults.splice(fi, 1);
        if (f.kind === 'hang') { hung.add(res); return; }
        if (f.kind === '500') { raw(res, options.fault500 ?? options.internalError); return; }
        raw(res, { status: 200, contentType: 'text/html', text: options.garbage });
        return;
      }
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        body = undefined;
      }
      let a;
      try {
        a = req.method === 'POST' ? await options.handle(req, method, body) : options.notPost;
      } catch {
        raw(res, options.internalError);
        return;
      }
      const text = JSON.stringify(a.body);
      res.writeHead(a.http, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const origin = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;

  return {
    origin,
    /** The next call of `method` (`*`: any) answers HTTP 500, a non-JSON page, or never. */
    fail(/** @type {string} */ method, /** @type {FaultKind} */ kind) {
      faults.push({ method, kind });
    },
    /** Forgets the faults not yet met (between tests). */
    clearFaults() {
      faults.length = 0;
    },
    async close() {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(() => r(undefined)));
    },
  };
}

/**
 * The phone's wait: polls `find` every 10 ms for up to 20 s and answers what it finds; throws `nothing` after that.
 * @template T
 * @param {() => T | undefined} find
 * @param {string} nothing
 * @returns {Promise<T>}
 */
export async function waitForPending(find, nothing) {
  const until = Date.now() + 20_000;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > until) throw new Error(nothing);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Sends a JSON body on a fresh connection (`method` POST unless told; MySign's callbacks are a GET with a body);
 * answers the status and the parsed answer (`undefined` when not JSON), status 0 when the connection failed.
 * @param {string} url
 * @param {unknown} body
 * @param {{ method?: string, authorization?: string }} [options]
 * @returns {Promise<{ status: number, json: any }>}
 */
export function sendJson(url, body, options = {}) {
  const text = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = request(url, {
      method: options.method ?? 'POST', agent: false,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...(options.authorization ? { Authorization: options.authorization } : {}) },
    }, (res) => {
      const chunks = /** @type {Buffer[]} */ ([]);
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        let json;
        try {
          json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.on('error', () => resolve({ status: 0, json: undefined }));
    req.end(text);
  });
}

/**
 * POSTs a webhook to the integrator; a connection that fails is tried up to three times (as a service would retry
 * a webhook). Answers the HTTP status, 0 when never delivered.
 * @returns {Promise<number>}
 */
export async function postCallback(/** @type {string} */ url, /** @type {unknown} */ body) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const { status } = await sendJson(url, body);
    if (status !== 0) return status;
    await new Promise((r) => setTimeout(r, 50));
  }
  return 0;
}
