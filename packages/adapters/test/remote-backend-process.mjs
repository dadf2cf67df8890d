// @ts-check
// The integrator's back end as its own Node process, the way an agency's server runs it: a VNPT SmartCA (sp769)
// client holding sp_id / sp_password, RemoteSigningBackend with a file transaction store, and
// @kyso/adapters/remote-handler under /api/kyso-remote on node:http. The logged-in user comes from the
// `x-session-user` header (the tests' stand-in for the integrator's session cookie).
//
// Started by remote-backend-restart.test.ts and packages/elements/test/remote-reload.test.ts, which kill it
// (SIGKILL: nothing flushed) while the signer's phone is asked, and start it again on the same port and store.
// The tests run it bundled with the current sources (remote-backend-spawn.ts bundleBackend).
//
// Usage: node remote-backend-process.mjs '<json config>'
//   { port, storeDir, serviceUrl, spId, spPassword, delivery: 'poll' | 'webhook' }
// Prints `listening <origin>` on stdout once it accepts connections.
import { createServer } from 'node:http';
import { RemoteSigningBackend, vnptSmartCaClient } from '@kyso/adapters';
import { createRemoteSigningHandler, fileTransactionStore } from '@kyso/adapters/remote-handler';

const config = JSON.parse(process.argv[2] ?? '{}');
/** @type {ReturnType<typeof createRemoteSigningHandler> | undefined} */
let handler;
// Set in the 'listening' callback, which runs before any connection is served.
const server = createServer((req, res) => void handler?.(req, res));
server.listen(config.port ?? 0, '127.0.0.1', () => {
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const backend = new RemoteSigningBackend({
    service: vnptSmartCaClient({ baseUrl: config.serviceUrl, spId: config.spId, spPassword: config.spPassword }),
    store: fileTransactionStore(config.storeDir),
    delivery: config.delivery,
    callbackBaseUrl: `${origin}/api/kyso-remote/callback`,
  });
  handler = createRemoteSigningHandler({
    backend,
    user: (req) => {
      const user = req.headers['x-session-user'];
      return typeof user === 'string' ? user : undefined;
    },
  });
  process.stdout.write(`listening ${origin}\n`);
});
