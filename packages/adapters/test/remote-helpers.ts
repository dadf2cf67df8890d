// Shared by the remote-*.test.ts files: the SoftHSM2 key store the emulators sign with, the integrator's server
// (RemoteSigningBackend behind the node:http handler), the signer's phone, and the checks on what comes back.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { finish, fromBase64, prepare, verify, type PreparedSignature, type SignRequest } from '@kyso/core';
import '@kyso/core/node';
import { fixturesDir } from '@kyso/testkit';
import { RemoteSigningAdapter, type RemoteSigningBackend } from '../src/index.js';
import { createRemoteSigningHandler } from '../src/remote/node/index.js';
import { closeFixtureModule, fixtureModule, pdfsig } from '../../../examples/remote-hsm/test/harness.js';
import { fixtureKeyStore } from '../../../examples/remote-hsm/server/setup.mjs';
import { failure } from './helpers/failure.js';

/** POSTs JSON on a fresh connection (the test's own callback forgeries); answers the status and the parsed body. */
export function postRaw(url: string, body: unknown, authorization?: string): Promise<{ status: number; json: { error?: { code: string } } }> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...(authorization ? { Authorization: authorization } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: { code: string } } }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

/** The integrator's server: the handler under /api/kyso-remote, the logged-in user from its "session" header. */
export interface Integrator {
  origin: string;
  endpoint: string;
  backend: RemoteSigningBackend;
  /** The page of a logged-in `user`, polling fast. */
  page(user: string): RemoteSigningAdapter;
  close(): Promise<void>;
}

/** What every remote test signs with and checks against; `close()` releases all of it (also the servers it started). */
export interface RemoteFixture {
  keyStore: ReturnType<typeof fixtureKeyStore>;
  pdf: Uint8Array;
  root: Uint8Array;
  nssDir: string;
  /** A temporary folder removed by `close()` (only when `openRemoteFixture` was given a prefix). */
  workDir: string;
  /** Closed by `close()` after the integrators' servers and before the key store (the emulators sign with it). */
  emulators: { close(): Promise<void> }[];
  /**
   * Starts an integrator's server on 127.0.0.1 (`port` restarts one on the same address: the service keeps calling
   * back there); `backend` is made once the origin is known.
   */
  integrator(backend: (origin: string) => RemoteSigningBackend, port?: number): Promise<Integrator>;
  /** pdfsig (NSS) and kyso's verify both find `count` intact signatures chaining to the fixture root. */
  expectValid(signed: Uint8Array, count: number): Promise<void>;
  close(): Promise<void>;
}

export async function openRemoteFixture(workDirPrefix?: string): Promise<RemoteFixture> {
  const { module, pki, pin } = await fixtureModule();
  const servers: Server[] = [];
  const workDir = workDirPrefix ? mkdtempSync(join(tmpdir(), workDirPrefix)) : '';
  const fx: RemoteFixture = {
    keyStore: fixtureKeyStore({ pkcs11: module, pin, caCertificates: [pki.rootDer] }),
    pdf: new Uint8Array(readFileSync(join(fixturesDir(), 'samples/simple.pdf'))),
    root: pki.rootDer,
    nssDir: pki.nssDir,
    workDir,
    emulators: [],
    async integrator(makeBackend, port = 0) {
      let handler: ReturnType<typeof createRemoteSigningHandler> | undefined;
      const server = createServer((req, res) => void handler!(req, res));
      servers.push(server);
      await new Promise((r) => server.listen(port, '127.0.0.1', () => r(undefined)));
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const backend = makeBackend(origin);
      handler = createRemoteSigningHandler({ backend, user: (req) => req.headers['x-session-user'] as string | undefined });
      return {
        origin, endpoint: `${origin}/api/kyso-remote`, backend,
        page: (user: string) => new RemoteSigningAdapter({
          endpoint: `${origin}/api/kyso-remote`, headers: { 'x-session-user': user }, poll: { intervalMs: 10, maxIntervalMs: 40 },
        }),
        close: () => closeServer(server),
      };
    },
    async expectValid(signed, count) {
      const p = pdfsig(signed, fx.nssDir);
      expect(p.total, p.output).toBe(count);
      expect(p.valid, p.output).toBe(count);
      const report = await verify(signed, { trust: [fx.root], revocation: 'off' });
      expect(report.signatures.length).toBe(count);
      for (const s of report.signatures) {
        expect(s).toMatchObject({ integrity: 'intact', cryptoValid: true, chain: { status: 'trusted' } });
        expect(s.indication).not.toBe('TOTAL_FAILED');
      }
    },
    async close() {
      try {
        for (const s of servers) await closeServer(s);
        for (const e of fx.emulators) await e.close();
        fx.keyStore.close();
        closeFixtureModule();
      } finally {
        if (workDir) rmSync(workDir, { recursive: true, force: true });
      }
    },
  };
  return fx;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((r) => server.close(() => r()));
}

/** An emulator's control, as far as the phone needs it. */
interface PhoneControl<R> {
  next(user: string): Promise<R>;
  decide(id: string, decision: 'approve' | 'reject' | 'expire'): Promise<unknown>;
}

/** The signer's phone: waits for `user`'s next request (its id read by `idOf`) and answers it. */
export async function phone<R>(control: PhoneControl<R>, idOf: (r: R) => string, user: string, decision: 'approve' | 'reject' | 'expire'): Promise<R> {
  const r = await control.next(user);
  await control.decide(idOf(r), decision);
  return r;
}

export const signRequestOf = (p: PreparedSignature, certificateId: string): SignRequest => ({
  certificateId, algorithm: { scheme: p.scheme, hash: p.hash }, data: fromBase64(p.toBeSigned)!, digest: fromBase64(p.toBeSignedDigest)!,
});

/** The page's first certificate, one document prepared with it, and a way to start (again) its remote transaction. */
export async function preparedOnPage(page: RemoteSigningAdapter, pdf: Uint8Array, signingTime: Date) {
  const [entry] = await page.listCertificates();
  const prepared = await prepare(pdf, { certificate: entry!.certificate, chain: entry!.chain, signingTime });
  const begin = () => page.start({ certificateId: entry!.id, digests: [fromBase64(prepared.toBeSignedDigest)!], hash: prepared.hash, scheme: prepared.scheme });
  return { entry: entry!, prepared, begin };
}

/** Five documents signed on `page` with one confirmation on the phone (`confirm`), each signature valid. */
export async function expectBatchOfFive(fx: RemoteFixture, page: RemoteSigningAdapter, signingTime: Date, confirm: () => Promise<{ count: number }>) {
  const [entry] = await page.listCertificates();
  const prepared = await Promise.all([0, 1, 2, 3, 4].map((i) => prepare(fx.pdf, {
    certificate: entry!.certificate, chain: entry!.chain, signingTime: new Date(signingTime.getTime() + i * 60_000), reason: `Văn bản ${i + 1}`,
  })));
  const ph = confirm();
  const signatures = await page.signBatch(prepared.map((p) => signRequestOf(p, entry!.id)));
  expect((await ph).count).toBe(5);
  expect(signatures.length).toBe(5);
  for (const [i, p] of prepared.entries()) await fx.expectValid(await finish(p, signatures[i]!, { pdf: fx.pdf }), 1);
}

/**
 * Signing `prepared` on `page` fails with `code`, told in two languages; `answer` (the phone's decision, if the
 * case has one) runs while the page waits.
 */
export async function expectSignFailure(page: RemoteSigningAdapter, entryId: string, prepared: PreparedSignature, code: string, answer?: () => Promise<unknown>) {
  const ph = answer?.();
  const err = await failure(page.sign(signRequestOf(prepared, entryId)));
  await ph;
  expect(err.code).toBe(code);
  expect(err.text.vi).not.toBe(err.text.en);
}
