import type { IncomingMessage, ServerResponse } from 'node:http';
import { ensurePki, type TestPki } from '../pki/generate.js';
import { listen, readBody } from '../http.js';
import { ocspAnswer } from './ocsp-response.js';

export const OCSP_MODES = [
  'ok', 'slow', 'http500', 'garbage', 'wrong-responder', 'stale', 'unauthorized-signer', 'bad-signature', 'responder-id-by-key',
] as const;
/**
 * How the test OCSP responder behaves: `ok` answers properly (signed by the
 * delegated `ocsp` responder, ResponderID by name); `slow` does so after
 * `delayMs`; `http500` fails at the HTTP level; `garbage` sends bytes that
 * are not DER; `wrong-responder` signs with the untrusted root (a CA, but not
 * the issuer); `stale` answers with thisUpdate 2025-01-02 and nextUpdate
 * 2025-01-09; `unauthorized-signer` signs with the `leader` key (issued by the
 * issuer but without id-kp-OCSPSigning); `bad-signature` breaks the signature
 * value; `responder-id-by-key` names the responder by its key hash.
 */
export type OcspMode = (typeof OCSP_MODES)[number];

/** Options for {@link startOcspResponder}. */
export interface OcspResponderOptions {
  /** Default: {@link ensurePki}(). */
  readonly pki?: TestPki;
  /** Default `'ok'`. */
  readonly mode?: OcspMode;
  /** Delay of the `slow` mode; default 2000 ms. */
  readonly delayMs?: number;
}

/** A running test OCSP responder. */
export interface OcspResponder {
  /** `http://127.0.0.1:<port>/ocsp`. */
  readonly url: string;
  /** How many HTTP requests arrived so far. */
  readonly requests: number;
  /** The body of the last request. */
  readonly lastRequest: Uint8Array | undefined;
  /** Current behaviour; may be changed between requests. */
  mode: OcspMode;
  close(): Promise<void>;
}

const STALE_THIS_UPDATE = new Date('2025-01-02T00:00:00Z');
const STALE_NEXT_UPDATE = new Date('2025-01-09T00:00:00Z');

/**
 * Starts an OCSP responder over HTTP POST (RFC 6960 App. A.1) on 127.0.0.1.
 * Answers are built from the test PKI with fixed times (see `ocspAnswer`),
 * so tests never depend on the clock.
 */
export async function startOcspResponder(options: OcspResponderOptions = {}): Promise<OcspResponder> {
  const pki = options.pki ?? (await ensurePki());
  const delayMs = options.delayMs ?? 2000;
  const state = { mode: options.mode ?? ('ok' as OcspMode) };
  let requests = 0;
  let lastRequest: Uint8Array | undefined;

  const server = await listen(async (req: IncomingMessage, res: ServerResponse) => {
    requests += 1;
    const mode = state.mode;
    const body = await readBody(req);
    lastRequest = body;
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    if (mode === 'http500') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('TEST OCSP: internal error');
      return;
    }
    if (mode === 'garbage') {
      res.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(Buffer.from('this is not DER, TEST OCSP garbage\n'));
      return;
    }
    if (mode === 'slow' && !(await server.delay(delayMs))) return;
    let answer: Uint8Array;
    try {
      answer = ocspAnswer(pki, body, {
        ...(mode === 'wrong-responder' ? { signer: 'untrusted-root' as const } : {}),
        ...(mode === 'unauthorized-signer' ? { signer: 'leader' as const } : {}),
        ...(mode === 'stale' ? { thisUpdate: STALE_THIS_UPDATE, nextUpdate: STALE_NEXT_UPDATE } : {}),
        ...(mode === 'bad-signature' ? { badSignature: true } : {}),
        ...(mode === 'responder-id-by-key' ? { responderId: 'key' as const } : {}),
      });
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('TEST OCSP: bad request');
      return;
    }
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'application/ocsp-response', 'content-length': answer.length }).end(answer);
  });

  return {
    url: `${server.base}/ocsp`,
    get requests() {
      return requests;
    },
    get lastRequest() {
      return lastRequest;
    },
    get mode() {
      return state.mode;
    },
    set mode(m: OcspMode) {
      state.mode = m;
    },
    close: () => server.close(),
  };
}

export const CRL_MODES = ['ok', 'slow', 'http500', 'garbage'] as const;
/** How the test CRL server behaves (as {@link OcspMode}, for GET). */
export type CrlMode = (typeof CRL_MODES)[number];

/** Options for {@link startCrlServer}. */
export interface CrlServerOptions {
  readonly pki?: TestPki;
  readonly mode?: CrlMode;
  readonly delayMs?: number;
}

/** A running test CRL server. */
export interface CrlServer {
  /** `<base>/crl/intermediate.crl`: the intermediate's CRL (lists `revoked`). */
  readonly intermediateUrl: string;
  /** `<base>/crl/root.crl`: the root's CRL (empty). */
  readonly rootUrl: string;
  /** `<base>/ca/intermediate.cer` and `<base>/ca/root.cer` (AIA caIssuers, DER). */
  readonly intermediateCertUrl: string;
  readonly rootCertUrl: string;
  readonly requests: number;
  mode: CrlMode;
  close(): Promise<void>;
}

/**
 * Serves the test PKI's CRLs (RFC 5280 §4.2.1.13: DER) and CA certificates
 * (§4.2.2.1 caIssuers) over HTTP GET on 127.0.0.1.
 */
export async function startCrlServer(options: CrlServerOptions = {}): Promise<CrlServer> {
  const pki = options.pki ?? (await ensurePki());
  const delayMs = options.delayMs ?? 2000;
  const state = { mode: options.mode ?? ('ok' as CrlMode) };
  let requests = 0;
  const files: Record<string, Uint8Array> = {
    '/crl/intermediate.crl': pki.crlDer,
    '/crl/root.crl': pki.rootCrlDer,
    '/ca/intermediate.cer': pki.entity('intermediate').certDer,
    '/ca/root.cer': pki.rootDer,
  };

  const server = await listen(async (req, res) => {
    requests += 1;
    const mode = state.mode;
    await readBody(req);
    const file = files[(req.url ?? '').split('?')[0]!];
    // The modes are about revocation data; certificates are always served.
    const isCrl = (req.url ?? '').startsWith('/crl/');
    if (req.method !== 'GET' || !file) {
      res.writeHead(req.method !== 'GET' ? 405 : 404).end();
      return;
    }
    if (isCrl && mode === 'http500') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('TEST CRL: internal error');
      return;
    }
    if (isCrl && mode === 'garbage') {
      res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(Buffer.from('this is not a CRL\n'));
      return;
    }
    if (isCrl && mode === 'slow' && !(await server.delay(delayMs))) return;
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': isCrl ? 'application/pkix-crl' : 'application/pkix-cert', 'content-length': file.length }).end(file);
  });

  return {
    intermediateUrl: `${server.base}/crl/intermediate.crl`,
    rootUrl: `${server.base}/crl/root.crl`,
    intermediateCertUrl: `${server.base}/ca/intermediate.cer`,
    rootCertUrl: `${server.base}/ca/root.cer`,
    get requests() {
      return requests;
    },
    get mode() {
      return state.mode;
    },
    set mode(m: CrlMode) {
      state.mode = m;
    },
    close: () => server.close(),
  };
}
