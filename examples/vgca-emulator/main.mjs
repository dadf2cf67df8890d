#!/usr/bin/env node
// @ts-check
// Starts the VGCA Sign Service emulator on 127.0.0.1 with the test PKI's software keys (DEMO ONLY: test keys, no PIN).
//   node examples/vgca-emulator/main.mjs [--port 8987] [--ws] [--cert cert.pem --key key.pem] [--write-cert out.pem]
//                                        [--allow-origin https://qlvb.example ...]   (default: the QLVB demo's origin)
// Build first (`npm install` or `npx tsc -b`): this script imports the built packages.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Pkcs12Adapter } from '@kyso/adapters';
import { ensurePki, sealImage, signatureImage } from '@kyso/testkit';
import { DEFAULT_ALLOWED_ORIGINS, localCertificate, startVgcaEmulator } from './emulator.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8987' },
    ws: { type: 'boolean', default: false },
    cert: { type: 'string' },
    key: { type: 'string' },
    'write-cert': { type: 'string' },
    'allow-origin': { type: 'string', multiple: true },
  },
});
const pki = await ensurePki();
/** @param {'leader' | 'seal'} name */
const key = (name) => Pkcs12Adapter.open(new Uint8Array(readFileSync(/** @type {string} */ (pki.entity(name).p12Path))), pki.p12Password);
const keys = { leader: await key('leader'), seal: await key('seal') };
const tls = values.ws ? null
  : values.cert && values.key ? { cert: readFileSync(values.cert, 'utf8'), key: readFileSync(values.key, 'utf8') }
  : localCertificate();
const emulator = await startVgcaEmulator({
  port: Number(values.port),
  tls,
  keyFor: (role) => (role === 'issue' || role === 'appendix' || role === 'copy' ? keys.seal : keys.leader),
  images: { approve: signatureImage(), issue: sealImage(36) },
  allowedOrigins: values['allow-origin']?.length ? values['allow-origin'] : DEFAULT_ALLOWED_ORIGINS,
  log: (line) => console.log(new Date().toISOString(), line),
});
if (values['write-cert'] && emulator.certPem) writeFileSync(values['write-cert'], emulator.certPem);
console.log(`VGCA Sign Service emulator listening on ${emulator.url} for pages from ${(values['allow-origin'] ?? DEFAULT_ALLOWED_ORIGINS).join(', ')} (Ctrl-C to stop)`);
process.on('SIGINT', () => void emulator.close().then(() => process.exit(0)));
