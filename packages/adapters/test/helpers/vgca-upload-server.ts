import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVgcaUploadHandler, type VgcaUploadHandlerOptions } from '@kyso/adapters/vgca-handler';

/** The integrator's VGCA upload handler on a real node:http server (127.0.0.1, port 0). */
export interface UploadServer {
  /** `http://127.0.0.1:PORT`. */
  readonly base: string;
  close(): Promise<void>;
}

/** Starts the handler; each request is served with the options `options()` gives then (tests swap them, the server stays up). */
export async function startUploadServer(options: () => VgcaUploadHandlerOptions): Promise<UploadServer> {
  const server = createServer((req, res) => void createVgcaUploadHandler(options())(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
