// @ts-check
// The test PKI's services (RFC 3161 TSA, OCSP responder, CRL and CA-certificate server) run on 127.0.0.1,
// and the page reaches them through this server, same-origin: the "portal routes revocation through its
// backend" pattern (architecture notes). The page's injected `fetch` turns `http://pki.kyso.test/<path>`
// into `/pki/<path>`; this gateway forwards a FIXED list of paths to the local services and nothing else:
// it is an allowlist, never an open proxy (no URL from the request ever chooses the upstream).
import { PKI_URLS, pkiRoutes, routeFetch, startCrlServer, startOcspResponder, startTsaServer } from '@kyso/testkit';

/** Largest request body forwarded (an OCSP or timestamp request is a few hundred bytes). */
const MAX_FORWARD_BODY = 64 * 1024;
/** Upstream time-out, milliseconds. */
const UPSTREAM_TIMEOUT_MS = 15_000;

/**
 * @typedef {object} Route
 * @property {'GET' | 'POST'} method
 * @property {string} upstream absolute URL of the local service
 * @property {string} [requestType] the Content-Type a POST must carry
 */

/**
 * Starts the services and returns the gateway.
 * @param {import('@kyso/testkit').TestPki} pki
 */
export async function startPkiGateway(pki) {
  const tsa = await startTsaServer({ pki });
  const ocsp = await startOcspResponder({ pki });
  const crl = await startCrlServer({ pki });
  const testPrefix = 'http://pki.kyso.test/';
  /** @type {Map<string, Route>} same-origin path → route */
  const routes = new Map([
    ['/pki/tsa', { method: 'POST', upstream: tsa.url, requestType: 'application/timestamp-query' }],
    [toLocal(PKI_URLS.ocsp), { method: 'POST', upstream: ocsp.url, requestType: 'application/ocsp-request' }],
    [toLocal(PKI_URLS.intermediateCrl), { method: 'GET', upstream: crl.intermediateUrl }],
    [toLocal(PKI_URLS.rootCrl), { method: 'GET', upstream: crl.rootUrl }],
    [toLocal(PKI_URLS.intermediateCert), { method: 'GET', upstream: crl.intermediateCertUrl }],
    [toLocal(PKI_URLS.rootCert), { method: 'GET', upstream: crl.rootCertUrl }],
  ]);
  /** @param {string} url */
  function toLocal(url) {
    if (!url.startsWith(testPrefix)) throw new Error(`not a test PKI URL: ${url}`);
    return `/pki/${url.slice(testPrefix.length)}`;
  }

  return {
    /** Same-origin path of the timestamp authority, for the page's `tsa-url`. */
    tsaPath: '/pki/tsa',
    /** The test PKI URL prefix the page rewrites to `/pki/`. */
    testPrefix,
    /** Paths the gateway answers, for the page (its fetch refuses anything else before asking). */
    paths: [...routes.keys()],
    /** Server-side `fetch` for core `verify` (the server checks uploads with the same services). */
    serverFetch: routeFetch(pkiRoutes({ ocsp, crl })),
    /** Server-side TSA URL (for the CLI/check flow). */
    tsaUrl: tsa.url,
    /** True if this request is for the gateway. @param {string} path */
    handles(path) {
      return path.startsWith('/pki/');
    },
    /**
     * Forwards one request if (and only if) its path and method are on the list.
     * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res @param {string} path
     */
    async forward(req, res, path) {
      const route = routes.get(path);
      if (!route) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not a test PKI endpoint');
      if (req.method !== route.method) return void res.writeHead(405, { allow: route.method }).end();
      /** @type {Buffer | undefined} */
      let body;
      if (route.method === 'POST') {
        const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
        if (type !== route.requestType) return void res.writeHead(415, { 'content-type': 'text/plain' }).end(`expected ${route.requestType}`);
        body = await readLimited(req, MAX_FORWARD_BODY);
        if (!body) return void res.writeHead(413).end();
      }
      try {
        const up = await fetch(route.upstream, {
          method: route.method,
          ...(body ? { body: new Uint8Array(body), headers: { 'content-type': /** @type {string} */ (route.requestType) } } : {}),
          signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
        });
        const bytes = Buffer.from(await up.arrayBuffer());
        res.writeHead(up.status, {
          'content-type': up.headers.get('content-type') ?? 'application/octet-stream',
          'content-length': bytes.length,
          'cache-control': 'no-store',
        }).end(bytes);
      } catch {
        res.writeHead(502, { 'content-type': 'text/plain' }).end('test PKI service unavailable');
      }
    },
    async close() {
      await Promise.all([tsa.close(), ocsp.close(), crl.close()]);
    },
  };
}

/**
 * Reads a request body up to `limit` bytes; undefined if it is larger (declared or sent). A larger body is
 * never kept: its rest is read and dropped, so that the 413 reaches the client instead of a reset connection.
 * @param {import('node:http').IncomingMessage} req @param {number} limit
 * @returns {Promise<Buffer | undefined>}
 */
export function readLimited(req, limit) {
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      // (Not `for await`: leaving that loop early destroys the request, and the answer with it.)
      req.off('data', onData);
      req.resume();
      resolve(undefined);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => reject(new RangeError('the request body was cut short')));
  });
}
