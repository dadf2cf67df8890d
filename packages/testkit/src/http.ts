import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP server with slow answers that `close()` releases at once. */
export interface LocalServer {
  readonly base: string;
  /** Waits `ms`, unless the server closes first; resolves false then. */
  delay(ms: number): Promise<boolean>;
  close(): Promise<void>;
}

export function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/** Listens on 127.0.0.1 with a free port. */
export async function listen(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<LocalServer> {
  const pending = new Map<NodeJS.Timeout, () => void>();
  let closed = false;
  const server: Server = createServer((req, res) => {
    // CORS, so that pages under test (Vitest browser, Storybook, the demo) reach the servers with their
    // own fetch, as a portal would reach a TSA or OCSP responder that allows it. The test servers hold
    // nothing secret; a POST of application/timestamp-query or ocsp-request needs the preflight.
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': String(req.headers['access-control-request-headers'] ?? 'content-type'),
        'Access-Control-Max-Age': '600',
      }).end();
      return;
    }
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    delay(ms: number): Promise<boolean> {
      if (closed) return Promise.resolve(false);
      return new Promise((resolve) => {
        const t = setTimeout(() => {
          pending.delete(t);
          resolve(!closed);
        }, ms);
        pending.set(t, () => resolve(false));
      });
    },
    close(): Promise<void> {
      closed = true;
      for (const [t, release] of pending) {
        clearTimeout(t);
        release();
      }
      pending.clear();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
