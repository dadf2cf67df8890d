import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestPki } from '../pki/generate.js';
import { PKI_URLS } from '../pki/profile.js';
import { ocspAnswer } from './ocsp-response.js';

/**
 * A CA's revocation server on 127.0.0.1 for the test PKI that counts requests per path and answers as a test
 * scripts it: each request takes the next status of its path's script (the last one repeats); 200 serves the
 * PKI's CRL, CA certificate or an OCSP answer (404 for another path or an OCSP request it cannot read).
 */
export interface ScriptedRevocationServer {
  /** `http://127.0.0.1:PORT`. */
  readonly base: string;
  /** Requests per path (`/crl/intermediate.crl`, `/crl/root.crl`, `/ocsp`, `/ca/…`). */
  readonly hits: Map<string, number>;
  /** HTTP statuses per path, in order; a path without a script always answers 200. */
  script: Record<string, readonly number[]>;
  /** The test PKI's fixed URLs mapped to this server (for `routeFetch` or the audit's `urlMap`). */
  readonly routes: Record<string, string>;
  close(): Promise<void>;
}

export async function startScriptedRevocationServer(pki: TestPki): Promise<ScriptedRevocationServer> {
  const hits = new Map<string, number>();
  const state: { script: Record<string, readonly number[]> } = { script: {} };
  const files: Record<string, Uint8Array> = {
    '/crl/intermediate.crl': pki.crlDer,
    '/crl/root.crl': pki.rootCrlDer,
    '/ca/intermediate.cer': pki.entity('intermediate').certDer,
    '/ca/root.cer': pki.rootDer,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      const n = hits.get(path) ?? 0;
      hits.set(path, n + 1);
      const script = state.script[path] ?? [200];
      const status = script[Math.min(n, script.length - 1)]!;
      let body: Uint8Array | undefined = files[path];
      if (status === 200 && path === '/ocsp') {
        try {
          body = ocspAnswer(pki, new Uint8Array(Buffer.concat(chunks)));
        } catch {
          body = undefined;
        }
      }
      if (status !== 200 || !body) {
        res.writeHead(status !== 200 ? status : 404, { 'content-type': 'text/plain' }).end(`TEST: ${status}`);
        return;
      }
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const routes: Record<string, string> = {};
  for (const url of Object.values(PKI_URLS)) routes[url] = base + new URL(url).pathname;
  return {
    base,
    hits,
    get script() {
      return state.script;
    },
    set script(s) {
      state.script = s;
    },
    routes,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
