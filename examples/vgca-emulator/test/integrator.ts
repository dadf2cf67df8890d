// The integrator's side for the round-trip tests: a node:http server that serves the document to sign, mounts
// kyso's VGCA upload handler, and serves what it stored. Documents are keyed by short random tokens, as a QLVB
// backend would put them in the URLs it hands the service.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FetchLike, SignatureReport } from '@kyso/core';
import { createVgcaUploadHandler, type VgcaUploadEvent } from '@kyso/adapters/vgca-handler';

export interface Job {
  readonly original: Uint8Array;
  readonly outputPath: string;
  readonly expectSigner?: (signer: SignatureReport['signer']) => boolean;
  /** When the job was issued; a signature made before it is refused as a replay. */
  readonly issuedAt: Date;
}

export interface Integrator {
  readonly url: string;
  readonly events: VgcaUploadEvent[];
  /** Registers a document and returns the two URLs for the service. */
  job(name: string, job: Omit<Job, 'outputPath' | 'issuedAt'>): { documentUrl: string; uploadUrl: string; outputPath: string; token: string };
  /** Makes a token unknown, as if it had expired. */
  expire(token: string): void;
  storedUrl(fileServer: string): string;
  close(): Promise<void>;
}

/** `clock` dates each job as it is registered (a QLVB backend would use its own clock). */
export async function startIntegrator(dir: string, verify: { trust: string[]; fetch: FetchLike }, clock: () => Date): Promise<Integrator> {
  const jobs = new Map<string, Job>();
  const events: VgcaUploadEvent[] = [];
  const upload = createVgcaUploadHandler({
    trust: verify.trust,
    revocation: 'online',
    fetch: verify.fetch,
    resolve: (_req, url) => {
      const token = url.searchParams.get('t') ?? '';
      const job = jobs.get(token);
      return job ? {
        original: job.original, outputPath: job.outputPath, fileServer: token, fileName: 'signed.pdf', expectSigner: job.expectSigner, issuedAt: job.issuedAt,
      } : null;
    },
    onEvent: (e) => events.push(e),
  });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const token = url.searchParams.get('t') ?? '';
    if (url.pathname === '/upload') return void upload(req, res);
    if (url.pathname === '/source' && req.method === 'GET' && jobs.has(token)) {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      return void res.end(jobs.get(token)!.original);
    }
    if (url.pathname === '/stored' && req.method === 'GET') {
      const job = [...jobs.entries()].find(([t]) => t === token)?.[1];
      if (job && existsSync(job.outputPath)) {
        res.writeHead(200, { 'content-type': 'application/pdf' });
        return void res.end(readFileSync(job.outputPath));
      }
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url: base,
    events,
    job(name, job) {
      const token = randomBytes(9).toString('base64url');
      const outputPath = join(dir, `${name}.pdf`);
      jobs.set(token, { ...job, outputPath, issuedAt: clock() });
      return { documentUrl: `${base}/source?t=${token}`, uploadUrl: `${base}/upload?t=${token}`, outputPath, token };
    },
    expire(token) {
      jobs.delete(token);
    },
    storedUrl: (fileServer) => `${base}/stored?t=${encodeURIComponent(fileServer)}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
