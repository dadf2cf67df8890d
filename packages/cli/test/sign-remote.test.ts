// kyso sign --remote: the CLI signs through the integrator's back end (RemoteSigningBackend + the node:http handler,
// the signer known by the back end's "session" header), which talks to examples/rssp-emulator signing on SoftHSM2.
// The signer's phone is the emulator's control, driven by the test; the output is checked with pdfsig and core.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ERROR_MESSAGES } from '@kyso/core';
import { RemoteSigningBackend, RsspClient } from '@kyso/adapters';
import { startRsspEmulator } from '../../../examples/rssp-emulator/server/emulator.mjs';
import { openRemoteFixture, phone as answer, type RemoteFixture } from '../../adapters/test/remote-helpers.js';
import { runMain, tempDir } from './helpers/cli.js';

const LEADER = 'leader-cccd-001201000001';
const RP = { name: 'QLVB_DEMO', user: 'qlvb_rp', password: 'rp-password-test', signature: 'rp-static-signature-test' };

let fx: RemoteFixture;
let emu: Awaited<ReturnType<typeof startRsspEmulator>>;
let endpoint: string;
let backend: RemoteSigningBackend;
const tmp = tempDir();
const input = join(tmp.dir, 'in.pdf');
const sigintListeners = process.listenerCount('SIGINT');

beforeAll(async () => {
  fx = await openRemoteFixture();
  writeFileSync(input, fx.pdf);
  const rp = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rpKey = await crypto.subtle.importKey('pkcs8', new Uint8Array(rp.privateKey.export({ type: 'pkcs8', format: 'der' })),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  emu = await startRsspEmulator({
    keyStore: fx.keyStore,
    relyingParty: { ...RP, publicKeyPem: rp.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    agreements: { [LEADER]: [{ credentialID: 'leader-rsa', keyId: 'kyso-leader/leader' }] },
  });
  fx.emulators.push(emu);
  const integrator = await fx.integrator(() => new RemoteSigningBackend({
    delivery: 'poll',
    service: new RsspClient({
      baseUrl: emu.baseUrl, relyingParty: RP.name, relyingPartyUser: RP.user, relyingPartyPassword: RP.password,
      relyingPartySignature: RP.signature, relyingPartyKey: rpKey,
    }),
  }));
  endpoint = integrator.endpoint;
  backend = integrator.backend;
});

afterAll(async () => {
  try {
    await fx?.close();
  } finally {
    tmp.remove();
  }
});

const phone = (decision: 'approve' | 'reject' | 'expire') => answer(emu.control, (r) => r.responseID, LEADER, decision);
const kyso = (output: string, lang: 'vi' | 'en') => runMain([
  'sign', input, '-o', output, '--remote', endpoint, '--remote-header', `x-session-user: ${LEADER}`, '--lang', lang,
]);

describe('kyso sign --remote', () => {
  afterEach(() => emu.control.reset());

  it('asks for the confirmation on the phone on stderr with the time left, and writes the signed PDF once approved', async () => {
    const output = join(tmp.dir, 'approved.pdf');
    const confirmed = phone('approve');
    const run = await kyso(output, 'vi');
    expect(run.stderr).toMatch(/^Xác nhận trên điện thoại… \(còn \d+:\d\d\) Ctrl-C để hủy\.$/m);
    expect(run.code, run.stderr).toBe(0);
    expect((await confirmed).count).toBe(1);
    await fx.expectValid(new Uint8Array(readFileSync(output)), 1);
  });

  it.each([
    ['reject', 'ERR_REMOTE_REJECTED'],
    ['expire', 'ERR_REMOTE_EXPIRED'],
  ] as const)('a phone that answers %s ends with %s (exit 1) in the chosen language, and writes nothing', async (decision, code) => {
    for (const lang of ['vi', 'en'] as const) {
      const output = join(tmp.dir, `${decision}-${lang}.pdf`);
      const answered = phone(decision);
      const run = await kyso(output, lang);
      await answered;
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(lang === 'vi' ? 'Xác nhận trên điện thoại…' : 'Confirm on your phone…');
      expect(run.stderr).toContain(code);
      expect(run.stderr).toContain(ERROR_MESSAGES[code][lang]);
      expect(existsSync(output)).toBe(false);
    }
    // Nothing left behind by the atomic write either.
    expect(tmp.files().filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('Ctrl-C while the phone is asked ends the run with ERR_ABORTED, cancels the transaction at the back end and writes nothing', async () => {
    const cancel = vi.spyOn(backend, 'cancel');
    const status = vi.spyOn(backend, 'status');
    const output = join(tmp.dir, 'interrupted.pdf');
    const running = kyso(output, 'en');
    // The CLI asks the back end where the transaction stands once it shows the wait; the phone has not acted, so
    // Ctrl-C now is while the terminal says "confirm on your phone".
    await vi.waitFor(() => expect(status).toHaveBeenCalled(), { timeout: 30_000 });
    process.emit('SIGINT');
    const run = await running;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Confirm on your phone…');
    expect(run.stderr).toContain('ERR_ABORTED');
    expect(existsSync(output)).toBe(false);
    expect(process.listenerCount('SIGINT')).toBe(sigintListeners);
    // The back end was told, for the signer of the session, and the transaction is now settled as cancelled.
    expect(cancel).toHaveBeenCalledTimes(1);
    const [user, id] = cancel.mock.calls[0]!;
    expect(user).toBe(LEADER);
    expect(await cancel.mock.results[0]!.value).toMatchObject({ state: 'cancelled' });
    expect(id).toEqual(expect.any(String));
    cancel.mockRestore();
    status.mockRestore();
  });

  it('Ctrl-C while the back end is starting the transaction still cancels it there (the phone stops asking)', async () => {
    const cancel = vi.spyOn(backend, 'cancel');
    // The back end holds its answer to `start` until the test has pressed Ctrl-C (the service is asked meanwhile).
    const start = backend.start.bind(backend);
    let reached!: () => void;
    let release!: () => void;
    const atStart = new Promise<void>((r) => (reached = r));
    const gate = new Promise<void>((r) => (release = r));
    const held = vi.spyOn(backend, 'start').mockImplementation(async (...args) => {
      const tx = await start(...args);
      reached();
      await gate;
      return tx;
    });
    try {
      const output = join(tmp.dir, 'interrupted-early.pdf');
      const running = kyso(output, 'vi');
      await atStart;
      process.emit('SIGINT');
      release();
      const run = await running;
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('ERR_ABORTED');
      expect(existsSync(output)).toBe(false);
      expect(cancel).toHaveBeenCalledTimes(1);
      expect(await cancel.mock.results[0]!.value).toMatchObject({ state: 'cancelled' });
    } finally {
      release();
      held.mockRestore();
      cancel.mockRestore();
    }
  });

  it('takes the session header from an environment variable (--remote-header-env), kept off the command line', async () => {
    const output = join(tmp.dir, 'from-env.pdf');
    const confirmed = phone('approve');
    const run = await runMain(['sign', input, '-o', output, '--remote', endpoint, '--remote-header-env', 'KYSO_TEST_SESSION', '--lang', 'en'],
      { KYSO_TEST_SESSION: `x-session-user: ${LEADER}` });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^Confirm on your phone… \(\d+:\d\d left\) Ctrl-C cancels\.$/m);
    await confirmed;
    await fx.expectValid(new Uint8Array(readFileSync(output)), 1);
    // Without the variable there is no session to sign in: a usage error before anything is asked.
    const unset = await runMain(['sign', input, '-o', join(tmp.dir, 'unset.pdf'), '--remote', endpoint, '--remote-header-env', 'KYSO_TEST_UNSET_VAR']);
    expect(unset.code).toBe(64);
    expect(unset.stderr).toContain('KYSO_TEST_UNSET_VAR');
  });

  it('refuses --remote together with --p12, and --remote-header without --remote (usage errors)', async () => {
    const output = join(tmp.dir, 'usage.pdf');
    const both = await runMain(['sign', input, '-o', output, '--remote', endpoint, '--p12', input]);
    const header = await runMain(['sign', input, '-o', output, '--p12', input, '--remote-header', 'x: y']);
    for (const run of [both, header]) {
      expect(run.code).toBe(64);
      expect(run.stderr).toContain('ERR_INVALID_ARGUMENT');
    }
    expect(existsSync(output)).toBe(false);
  });
});
