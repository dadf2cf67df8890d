// The integrator's back end is a process of its own (remote-backend-process.mjs: VNPT SmartCA's sp769 client,
// RemoteSigningBackend, a file transaction store, @kyso/adapters/remote-handler), and it dies (SIGKILL) while the
// signer's phone is asked. Started again on the same port and store, it still knows the transaction: the page,
// itself reloaded (its prepared signature and transaction kept as JSON), gets the signature and finishes a PDF
// that pdfsig and kyso's verify call valid. The service is examples/vnpt-smartca-emulator on SoftHSM2.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { finish, type PreparedSignature } from '@kyso/core';
import { RemoteSigningAdapter, RemoteSigningBackend, vnptSmartCaClient, type RemoteTransaction, type RemoteTransactionRecord } from '../src/index.js';
import { fileTransactionStore } from '../src/remote/node/index.js';
import { startSp769Emulator } from '../../../examples/vnpt-smartca-emulator/server/emulator.mjs';
import { failure } from './helpers/failure.js';
import { bundleBackend, startBackendProcess, type BackendProcess } from './remote-backend-spawn.js';
import { openRemoteFixture, preparedOnPage, type RemoteFixture } from './remote-helpers.js';

const SIGNING_TIME = new Date('2026-11-20T03:00:00Z');
const LEADER = '001201000001'; // CCCD
const LEADER_SERIAL = '540101010000000000000000000000a1';
const SP = { id: '4184-637127995547330633.apps.signserviceapi.com', password: 'sp-password-test' };

let fx: RemoteFixture;
let emu: Awaited<ReturnType<typeof startSp769Emulator>>;
const running: BackendProcess[] = [];
let script: string;

beforeAll(async () => {
  fx = await openRemoteFixture('kyso-remote-restart-');
  script = await bundleBackend(fx.workDir);
  emu = await startSp769Emulator({ keyStore: fx.keyStore, sp: SP, users: { [LEADER]: [{ serial: LEADER_SERIAL, keyId: 'kyso-leader/leader' }] } });
  fx.emulators.push(emu);
}, 120_000);

afterEach(async () => {
  for (const p of running.splice(0)) await p.kill();
  emu.control.reset();
});

afterAll(() => fx?.close());

/** The page of the logged-in leader, as a freshly loaded page makes it. */
const pageOf = (backend: BackendProcess) => new RemoteSigningAdapter({
  endpoint: backend.endpoint, headers: { 'x-session-user': LEADER }, poll: { intervalMs: 10, maxIntervalMs: 40 },
});

describe.each(['webhook', 'poll'] as const)('the back-end process is killed while the phone is asked (%s)', (delivery) => {
  it('started again on the same port and store, it completes the same signature for a reloaded page', async () => {
    const storeDir = join(fx.workDir, `store-${delivery}`);
    const config = { script, port: 0, storeDir, serviceUrl: emu.baseUrl, spId: SP.id, spPassword: SP.password, delivery };
    const first = await startBackendProcess(config);
    running.push(first);
    emu.control.setWebhook(`${first.origin}/api/kyso-remote/callback`); // registered with VNPT once
    const { prepared, begin } = await preparedOnPage(pageOf(first), fx.pdf, SIGNING_TIME);
    const tx = await begin();
    expect(tx.delivery).toBe(delivery);
    // What the page keeps across its reload: plain JSON, no secret of the integrator or the service.
    const kept = JSON.stringify({ prepared, tx });
    expect(kept).not.toContain(SP.password);
    expect(kept).not.toContain(SP.id);
    const pending = await emu.control.next(LEADER);

    // A page that did not reload keeps waiting through the restart (connection refused is asked again).
    const stayed = pageOf(first).awaitTransaction(tx);
    await first.kill();

    // Polling: the phone answers while the back end is down (the result waits at the service).
    if (delivery === 'poll') await emu.control.decide(pending.id, 'approve');
    const second = await startBackendProcess({ ...config, port: first.port });
    running.push(second);
    expect(second.origin).toBe(first.origin);
    // Webhook: the phone answers once the back end is back; VNPT posts to the same registered URL.
    if (delivery === 'webhook') {
      await emu.control.decide(pending.id, 'approve');
      expect(emu.control.callbacks().slice(-1)[0]!.status).toBe(200);
    }

    const restored = JSON.parse(kept) as { prepared: PreparedSignature; tx: RemoteTransaction };
    const [signature] = await pageOf(second).awaitTransaction(restored.tx);
    await fx.expectValid(await finish(restored.prepared, signature!, { pdf: fx.pdf }), 1);
    expect((await stayed)[0]).toEqual(signature);
  }, 60_000);
});

describe('what the page is told while the back end is down', () => {
  it('a question other than the wait (certificates, start) fails at once as ERR_REMOTE_UNREACHABLE, no retry', async () => {
    const p = await startBackendProcess({ script, port: 0, storeDir: join(fx.workDir, 'store-down'), serviceUrl: emu.baseUrl, spId: SP.id, spPassword: SP.password, delivery: 'poll' });
    await p.kill();
    const err = await failure(pageOf(p).listCertificates());
    expect(err.code).toBe('ERR_REMOTE_UNREACHABLE');
  });

  it('an error the back end answers (the transaction is not this user\'s) ends the wait at once', async () => {
    const p = await startBackendProcess({ script, port: 0, storeDir: join(fx.workDir, 'store-other'), serviceUrl: emu.baseUrl, spId: SP.id, spPassword: SP.password, delivery: 'poll' });
    running.push(p);
    const tx: RemoteTransaction = {
      kind: 'kyso.remote-transaction', version: 1, id: 'not-a-transaction', service: 'vnpt-smartca', credentialId: LEADER_SERIAL, count: 1,
      hash: 'SHA-256', scheme: 'RSASSA-PKCS1-v1_5', delivery: 'poll', startedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 300_000).toISOString(),
    };
    expect((await failure(pageOf(p).awaitTransaction(tx))).code).toBe('ERR_REMOTE_TRANSACTION_UNKNOWN');
  });
});

describe('pages polling one transaction at once', () => {
  it('the back end settles it once: every page gets the signature, onSettled runs once', async () => {
    let settled = 0;
    const it0 = await fx.integrator(() => new RemoteSigningBackend({
      service: vnptSmartCaClient({ baseUrl: emu.baseUrl, spId: SP.id, spPassword: SP.password }),
      store: fileTransactionStore(join(fx.workDir, 'store-concurrent')), delivery: 'poll',
      onSettled: () => {
        settled++;
      },
    }));
    try {
      const { begin } = await preparedOnPage(it0.page(LEADER), fx.pdf, SIGNING_TIME);
      const tx = await begin();
      await emu.control.decide((await emu.control.next(LEADER)).id, 'approve');
      const all = await Promise.all(Array.from({ length: 6 }, () => it0.page(LEADER).awaitTransaction(tx)));
      for (const [signature] of all) expect(signature).toEqual(all[0]![0]);
      expect(settled).toBe(1);
    } finally {
      await it0.close();
    }
  });
});

describe('fileTransactionStore', () => {
  it('writes of the same transaction at once (two pages settling it) all land, the last one read back whole', async () => {
    const store = fileTransactionStore(join(fx.workDir, 'store-race'));
    const record = (i: number): RemoteTransactionRecord => ({
      kind: 'kyso.remote-transaction-record', version: 1, id: 'same-id', service: 'vnpt-smartca', user: LEADER, serviceId: `tran-${i}`,
      credentialId: LEADER_SERIAL, hash: 'SHA-256', scheme: 'RSASSA-PKCS1-v1_5', count: 1, delivery: 'poll',
      startedAt: '2026-11-20T03:00:00.000Z', expiresAt: '2026-11-20T03:05:00.000Z', state: 'pending',
    });
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.put(record(i))));
    const read = await store.get('same-id');
    expect(read?.serviceId).toMatch(/^tran-\d+$/);
  });
});
