import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, readBody } from '../http.js';
import { ensurePki, type TestPki } from '../pki/generate.js';
import { rejectionReply, tamperQuery, timestampReply } from './reply.js';

export const TSA_MODES = ['ok', 'slow', 'http500', 'garbage', 'wrong-imprint', 'wrong-nonce', 'rejection'] as const;
/**
 * How the test TSA behaves: `ok` answers properly; `slow` answers properly
 * after `delayMs`; `http500` fails at the HTTP level; `garbage` sends bytes
 * that are not DER; `wrong-imprint` / `wrong-nonce` send a valid token for a
 * different imprint / nonce; `rejection` sends status rejection without a token.
 */
export type TsaMode = (typeof TSA_MODES)[number];

/** Options for {@link startTsaServer}. */
export interface TsaServerOptions {
  /** Default: {@link ensurePki}(). */
  readonly pki?: TestPki;
  /** Default `'ok'`. */
  readonly mode?: TsaMode;
  /** Delay of the `slow` mode; default 2000 ms. */
  readonly delayMs?: number;
  /** TSA policy OID; default the test policy. */
  readonly policyOid?: string;
  /** Freeze genTime at this time (faketime); default the real clock. */
  readonly time?: Date;
}

/** A running test TSA. */
export interface TsaServer {
  /** `http://127.0.0.1:<port>/tsa`. */
  readonly url: string;
  /** How many HTTP requests arrived so far. */
  readonly requests: number;
  /** The body of the last request. */
  readonly lastQuery: Uint8Array | undefined;
  /** Current behaviour; may be changed between requests. */
  mode: TsaMode;
  /** Stops listening, drops open connections and pending slow answers. */
  close(): Promise<void>;
}



/**
 * Starts an RFC 3161 time-stamp server over HTTP (RFC 3161 §3.4) on
 * 127.0.0.1 with a free port. Tokens are made by `openssl ts -reply` with the
 * test PKI's `tsa` certificate, so `genTime` is the real clock.
 */
export async function startTsaServer(options: TsaServerOptions = {}): Promise<TsaServer> {
  const pki = options.pki ?? (await ensurePki());
  const delayMs = options.delayMs ?? 2000;
  let requests = 0;
  let serial = 0;
  let lastQuery: Uint8Array | undefined;

  const state = { mode: options.mode ?? ('ok' as TsaMode) };

  const answer = async (query: Uint8Array, mode: TsaMode): Promise<Uint8Array> => {
    serial += 1;
    if (mode === 'rejection') return rejectionReply();
    const q = mode === 'wrong-imprint' ? tamperQuery(query, 'imprint') : mode === 'wrong-nonce' ? tamperQuery(query, 'nonce') : query;
    return timestampReply(q, { pki, serial, policyOid: options.policyOid, time: options.time });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requests += 1;
    const mode = state.mode;
    const body = await readBody(req);
    lastQuery = body;
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    if (mode === 'http500') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('TEST TSA: internal error');
      return;
    }
    if (mode === 'garbage') {
      res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(Buffer.from('this is not DER, TEST TSA garbage\n'));
      return;
    }
    if (mode === 'slow') {
      if (!(await local.delay(delayMs)) || res.destroyed) return;
    }
    let reply: Uint8Array;
    try {
      reply = await answer(body, mode);
    } catch {
      // openssl refuses what is not a TimeStampReq; a real TSA answers 400.
      res.writeHead(400, { 'content-type': 'text/plain' }).end('TEST TSA: bad request');
      return;
    }
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'application/timestamp-reply', 'content-length': reply.length }).end(reply);
  };

  const local = await listen(handle);

  return {
    url: `${local.base}/tsa`,
    get requests() {
      return requests;
    },
    get lastQuery() {
      return lastQuery;
    },
    get mode() {
      return state.mode;
    },
    set mode(m: TsaMode) {
      state.mode = m;
    },
    close(): Promise<void> {
      // Slow answers are released at once; their sockets are gone, so they write nothing.
      return local.close();
    },
  };
}
