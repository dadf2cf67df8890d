// Test harness: the example CSC server on a private copy of the SoftHSM2 fixture tokens, signing through PKCS#11,
// plus the user's "phone" (its inbox and the confirmation link). Shared by packages/adapters/test/csc*.test.ts
// and this example's own tests. Servers listen on 127.0.0.1, port 0.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pkcs11Module } from '@kyso/agent';
import { copySoftHsm, ensurePki, ensureSoftHsm, type TestPki } from '@kyso/testkit';
// Plain ESM JavaScript checked with // @ts-check (JSDoc types).
import { startRemoteHsm } from '../server/app.mjs';
import { demoCredentials, demoUsers, fixtureKeyStore } from '../server/setup.mjs';

export const CLIENT_ID = 'qlvb-demo';
export const CLIENT_SECRET = 'test-client-secret';
export const LEADER_PASSWORD = 'test-leader-password';
export const PHONE_KEYS = { leader: 'test-phone-leader', agency: 'test-phone-agency' };

interface Box { confirmations: { url: string; credentialID: string; numSignatures: number }[]; otps: { credentialID: string; otp: string }[] }

/** A running example server and what a test needs around it. */
export interface TestHsm {
  readonly origin: string;
  readonly baseUrl: string;
  readonly tokenUrl: string;
  readonly auditLog: string;
  /** The audit log, one object per line. */
  audit(): Record<string, unknown>[];
  /** What `user`'s phone shows. */
  phone(user: string): Promise<Box>;
  /** Waits (≤ 10 s) for the next confirmation link on `user`'s phone and answers it through the page's form (HTTP POST). */
  confirmNext(user: string, decision: 'approve' | 'reject'): Promise<string>;
  /** Waits (≤ 10 s) for the next OTP sent to `user`'s phone. */
  nextOtp(user: string): Promise<string>;
  /** Entries in the server's state maps (sweeping expired state first when asked). */
  stats(sweepFirst?: boolean): Record<'tokens' | 'sads' | 'pendings' | 'otps' | 'phones' | 'phoneItems' | 'failures' | 'rateKeys', number>;
  close(): Promise<void>;
}

let shared: { module: Pkcs11Module; pki: TestPki; pin: string; dir: string } | undefined;

/** One PKCS#11 module per test process, on a private copy of the fixture tokens (C_Initialize is process-wide). */
export async function fixtureModule() {
  if (!shared) {
    const pki = await ensurePki();
    const base = await ensureSoftHsm();
    const dir = mkdtempSync(join(tmpdir(), 'kyso-remote-hsm-'));
    const copy = await copySoftHsm(join(dir, 'softhsm'), base);
    process.env.SOFTHSM2_CONF = copy.conf;
    shared = { module: Pkcs11Module.open(copy.module), pki, pin: copy.tokens[0]!.userPin, dir };
  }
  return shared;
}

/** Frees the module and the token copy (call in afterAll of the file that used {@link fixtureModule}). */
export function closeFixtureModule(): void {
  if (!shared) return;
  shared.module.close();
  rmSync(shared.dir, { recursive: true, force: true });
  shared = undefined;
}

/** Starts the example server; options override the demo configuration (e.g. `sadTtlMs`, `pin` for a wrong HSM PIN). */
export async function startTestHsm(overrides: Record<string, unknown> & { pin?: string } = {}): Promise<TestHsm> {
  const { module, pki, pin, dir } = await fixtureModule();
  const { pin: pinOverride, ...rest } = overrides;
  const keyStore = fixtureKeyStore({ pkcs11: module, pin: pinOverride ?? pin, caCertificates: [pki.rootDer] });
  const auditLog = join(mkdtempSync(join(dir, 'audit-')), 'audit.jsonl');
  writeFileSync(auditLog, '');
  const server = await startRemoteHsm({
    keyStore,
    users: demoUsers({ leaderPassword: LEADER_PASSWORD, phoneKeys: PHONE_KEYS }),
    clients: [
      { id: CLIENT_ID, secret: CLIENT_SECRET, users: ['leader', 'agency'] },
      { id: 'other-app', secret: 'other-secret', users: ['agency'] },
    ],
    credentials: demoCredentials(),
    auditLog,
    ...rest,
  });
  const phone = async (user: string): Promise<Box> => {
    const r = await fetch(`${server.origin}/phone/${user}`, { headers: { Authorization: `Bearer ${(PHONE_KEYS as Record<string, string>)[user]}` } });
    if (r.status !== 200) throw new Error(`phone inbox: HTTP ${r.status}`);
    return (await r.json()) as Box;
  };
  const waitFor = async <T>(what: string, get: () => Promise<T | undefined>): Promise<T> => {
    const until = Date.now() + 10_000;
    for (;;) {
      const v = await get();
      if (v !== undefined) return v;
      if (Date.now() > until) throw new Error(`nothing arrived on the phone: ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const seenOtps = new Set<string>();
  return {
    origin: server.origin,
    baseUrl: server.baseUrl,
    tokenUrl: server.tokenUrl,
    auditLog,
    audit: () => readFileSync(auditLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    phone,
    stats: (sweepFirst) => server.stats(sweepFirst),
    async confirmNext(user, decision) {
      const url = await waitFor('confirmation', async () => (await phone(user)).confirmations[0]?.url);
      const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `decision=${decision}` });
      if (r.status !== 200) throw new Error(`confirmation page answered ${r.status}`);
      return url;
    },
    async nextOtp(user) {
      return waitFor('otp', async () => {
        const o = (await phone(user)).otps.find((x) => !seenOtps.has(x.otp));
        if (o) seenOtps.add(o.otp);
        return o?.otp;
      });
    },
    async close() {
      await server.close();
      keyStore.close();
    },
  };
}

/** A raw HTTP server answering every request with `reply` (malformed answers, hung servers). */
export async function rawServer(reply: (res: import('node:http').ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => reply(res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/csc/v2`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** poppler's pdfsig on bytes, trusting the test root through its NSS database. */
export function pdfsig(pdf: Uint8Array, nssDir: string): { valid: number; trusted: number; total: number; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kyso-csc-pdfsig-'));
  try {
    const file = join(dir, 'signed.pdf');
    writeFileSync(file, pdf);
    const r = spawnSync('pdfsig', ['-nssdir', `sql:${nssDir}`, file], { encoding: 'utf8' });
    const output = r.stdout + r.stderr;
    return {
      valid: (output.match(/Signature Validation: Signature is Valid\./g) ?? []).length,
      trusted: (output.match(/Certificate Validation: Certificate is Trusted\./g) ?? []).length,
      total: (output.match(/^Signature #\d+:/gm) ?? []).length,
      output,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
