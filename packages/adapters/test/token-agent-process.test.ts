/**
 * The failure table against a real `kyso-agent --config agent.json` child
 * process: killed mid-signing, hung (SIGSTOP) before and after the
 * handshake. Typed errors, no hang, no output file.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signFile } from '@kyso/core/node';
import { TokenAgentAdapter, type WebSocketConstructor } from '@kyso/adapters';
import { copySoftHsm, ensureSamples, fixturesDir, type SoftHsm } from '@kyso/testkit';
import { buildAgent, spawnAgent, type AgentProcess } from './helpers/agent.js';
import { failure } from './helpers/failure.js';

const ORIGIN = 'https://qlvb.test';
/** The agent's PIN comes from its config: ORIGIN is its unattended client, with this credential. */
const CLIENT_TOKEN = 'token-agent-process-test-client-credential-0123';
const wsFrom = (origin: string): WebSocketConstructor =>
  class extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  } as unknown as WebSocketConstructor;

let work: string;
let hsm: SoftHsm;
const running: AgentProcess[] = [];
const input = () => join(fixturesDir(), 'samples/simple.pdf');

async function start(pin: Record<string, unknown>): Promise<AgentProcess> {
  const p = await spawnAgent({
    module: hsm.module, allowedOrigins: [ORIGIN], port: 0, pin, consentFile: false, env: { SOFTHSM2_CONF: hsm.conf },
    unattended: { origins: [ORIGIN], clientToken: CLIENT_TOKEN }, pinFailureFile: join(work, `pin-failures-${running.length}.json`),
  });
  running.push(p);
  return p;
}

beforeAll(async () => {
  buildAgent();
  await ensureSamples();
  work = mkdtempSync(join(tmpdir(), 'kyso-agent-proc-'));
  hsm = await copySoftHsm(join(work, 'softhsm'));
});
afterAll(async () => {
  for (const p of running) await p.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('kyso-agent process failures', () => {
  it('killed mid-signing (while asking for the PIN) → ERR_AGENT_DISCONNECTED, no output file', async () => {
    const agent = await start({ source: 'config', value: '123456', delayMs: 5000 });
    const adapter = new TokenAgentAdapter({
      url: agent.url, WebSocket: wsFrom(ORIGIN), clientToken: CLIENT_TOKEN, answerTimeoutMs: 5000, userTimeoutMs: 20_000,
      onWaitingForUser: () => agent.child.kill('SIGKILL'),
    });
    const certificateId = (await adapter.listCertificates()).find((c) => c.label.startsWith('leader'))!.id;
    const out = join(work, 'killed.pdf');
    const t0 = Date.now();
    const err = await failure(signFile(input(), out, { adapter, certificateId, level: 'B-B' }));
    expect(err.code).toBe('ERR_AGENT_DISCONNECTED');
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(existsSync(out)).toBe(false);
  });

  it('hung agent (SIGSTOP) before the handshake → ERR_AGENT_TIMEOUT within the connect time-out', async () => {
    const agent = await start({ source: 'config', value: '123456' });
    agent.child.kill('SIGSTOP');
    const adapter = new TokenAgentAdapter({ url: agent.url, WebSocket: wsFrom(ORIGIN), clientToken: CLIENT_TOKEN, connectTimeoutMs: 600 });
    const t0 = Date.now();
    const err = await failure(adapter.listCertificates());
    expect(err.code).toBe('ERR_AGENT_TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(3000);
    agent.child.kill('SIGCONT');
  });

  it('slow agent (stops after the handshake, answers after the time-out) → ERR_AGENT_TIMEOUT, no output; the late answer is ignored', async () => {
    const agent = await start({ source: 'config', value: '123456' });
    const adapter = new TokenAgentAdapter({ url: agent.url, WebSocket: wsFrom(ORIGIN), clientToken: CLIENT_TOKEN, answerTimeoutMs: 500 });
    const certificateId = (await adapter.listCertificates()).find((c) => c.label.startsWith('p256'))!.id;
    agent.child.kill('SIGSTOP');
    setTimeout(() => agent.child.kill('SIGCONT'), 1500);
    const out = join(work, 'slow.pdf');
    const err = await failure(signFile(input(), out, { adapter, certificateId, level: 'B-B' }));
    expect(err.code).toBe('ERR_AGENT_TIMEOUT');
    expect(err.localized('vi')).toMatch(/không trả lời/);
    expect(existsSync(out)).toBe(false);
    await new Promise((r) => setTimeout(r, 1700));
    // After it wakes, a new call reconnects and works.
    await signFile(input(), join(work, 'after-wake.pdf'), { adapter, certificateId, level: 'B-B' });
    expect(existsSync(join(work, 'after-wake.pdf'))).toBe(true);
  });

  it('bad config → exit 1 with a typed error on stderr', async () => {
    await expect(spawnAgent({ module: hsm.module, allowedOrigins: ['not-an-origin'] })).rejects.toThrow(/exited 1: kyso-agent: ERR_INVALID_ARGUMENT/);
  });
});
