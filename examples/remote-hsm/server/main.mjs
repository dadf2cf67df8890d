#!/usr/bin/env node
// @ts-check
// Runs the example CSC v2 remote signing service until Ctrl-C.
//
//   node examples/remote-hsm/server/main.mjs [--port N] [--origin URL ...] [--audit FILE] [--tokens DIR]
//
// Keys: the test PKI's keys on SoftHSM2 tokens under .fixtures/softhsm (created on first run). Secrets (client
// secret, the leader's password, phone keys) are generated at each start and printed once: this is a demo.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { copySoftHsm, ensurePki, ensureSoftHsm } from '@kyso/testkit';
import { startRemoteHsm } from './app.mjs';
import { demoCredentials, demoUsers, fixtureKeyStore } from './setup.mjs';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    origin: { type: 'string', multiple: true },
    audit: { type: 'string' },
    tokens: { type: 'string' },
  },
  strict: true,
});
const port = Number(values.port ?? process.env.KYSO_REMOTE_HSM_PORT ?? 8443);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`bad port ${values.port}`);
const auditLog = resolve(values.audit ?? resolve(repo, '.data/remote-hsm/audit.jsonl'));
mkdirSync(dirname(auditLog), { recursive: true });

const pki = await ensurePki();
// --tokens DIR: work on a private copy of the fixture tokens (tests); default: the fixture tokens themselves.
const softhsm = values.tokens ? await copySoftHsm(resolve(values.tokens)) : await ensureSoftHsm();
process.env.SOFTHSM2_CONF = softhsm.conf; // before C_Initialize
const keyStore = fixtureKeyStore({ module: softhsm.module, pin: softhsm.tokens[0]?.userPin ?? '', caCertificates: [pki.rootDer] });

const clientSecret = randomBytes(18).toString('base64url');
const users = demoUsers();
const leader = users.find((u) => u.id === 'leader');
const server = await startRemoteHsm({
  port,
  keyStore,
  users,
  clients: [{ id: 'qlvb-demo', secret: clientSecret, users: ['leader', 'agency'] }],
  credentials: demoCredentials(),
  allowedOrigins: values.origin ?? [],
  auditLog,
  onConfirmation: (c) => console.log(`📱 ${c.user}: confirm ${c.numSignatures} signature(s) with ${c.credentialID}: ${c.url}`),
  onOtp: (o) => console.log(`📱 ${o.user}: OTP for ${o.credentialID}: ${o.otp}`),
});

console.log(`kyso remote-hsm (CSC API v2.0.0.2) listening on ${server.origin}/
  CSC base URI   ${server.baseUrl}
  OAuth2 token   ${server.tokenUrl}   (client_credentials)
  client         qlvb-demo / ${clientSecret}
  leader login   leader / ${leader?.password}   (auth/login, Basic)
  phone inboxes  ${server.origin}/phone/leader  (Authorization: Bearer ${leader?.phoneKey})
  credentials    ${demoCredentials().map((c) => c.id).join(', ')}
  CORS origins   ${(values.origin ?? []).join(', ') || '(none: call it from your backend)'}
  audit log      ${auditLog}
Confirmation links are printed here as they are "sent to the phone". Ctrl-C stops.`);

const stop = async () => {
  await server.close();
  keyStore.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
