/**
 * Issue 12 §3, as the attack: a local program floods the agent with WebSocket
 * connections while the agent runs under `ulimit -n 256`. Before the fix the
 * first log line written at the descriptor limit (`appendFileSync`, EMFILE)
 * threw inside the connection handler and the agent exited. Now connections
 * beyond the cap are refused with a typed error (close 1013), I/O failures
 * are caught and counted, and a legitimate client still signs afterwards.
 */
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, type SoftHsm, type TestPki } from '@kyso/testkit';
import { buildAgent, RawClient, signOnce, spawnAgent, type AgentProcess } from './helpers/agent-process.js';
import { openTokenWork } from './helpers/token-work.js';

const ORIGIN = 'https://seal.test';
const CLIENT_TOKEN = 'flood-test-client-credential-0123456789abcdef';
let work: string;
let hsm: SoftHsm;
let pki: TestPki;
const agents: AgentProcess[] = [];

beforeAll(async () => {
  buildAgent();
  pki = await ensurePki();
  ({ work, hsm } = await openTokenWork('kyso-agent-flood-'));
});
afterAll(async () => {
  for (const a of agents) await a.kill();
  rmSync(work, { recursive: true, force: true });
});

async function start(name: string, extra: Record<string, unknown>): Promise<AgentProcess> {
  const dir = mkdtempSync(join(work, `${name}-`));
  const a = await spawnAgent(dir, {
    module: hsm.module, allowedOrigins: [ORIGIN], port: 0, env: { SOFTHSM2_CONF: hsm.conf },
    pin: { source: 'config', value: '123456' }, unattended: { origins: [ORIGIN], clientToken: CLIENT_TOKEN },
    log: join(dir, 'agent.log'), ...extra,
  }, { fdLimit: 256 });
  agents.push(a);
  return a;
}

/** Opens `n` connections at once, as the attacker does; returns the ones that opened and how the others failed. */
async function flood(a: AgentProcess, n: number): Promise<{ open: RawClient[]; failed: number }> {
  const settled = await Promise.allSettled(Array.from({ length: n }, () => RawClient.open(a.url, ORIGIN)));
  const open = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  return { open, failed: n - open.length };
}

/** Waits until `c` either answered a frame (it is being served) or was refused and closed. */
async function settle(c: RawClient): Promise<void> {
  const r = await c.call({ action: 'kyso.cancel', id: 'probe', target: 'none' });
  if (r.id === null) await c.closed();
}

/** After the flood: a legitimate unattended client signs, and node:crypto verifies the signature. */
async function legitimateSign(a: AgentProcess): Promise<void> {
  const digest = createHash('sha256').update('after the flood').digest();
  let reply;
  // The agent learns of the flood's closed sockets asynchronously: a refusal for capacity may still come first.
  for (let attempt = 0; attempt < 50; attempt++) {
    const c = await RawClient.open(a.url, ORIGIN).catch(() => undefined);
    const hello = c && (await c.call({ action: 'kyso.hello', id: 'h', versions: [1], clientToken: CLIENT_TOKEN }));
    if (c && hello?.action === 'kyso.result') {
      reply = await signOnce(c, 'p256', digest);
      c.close();
      break;
    }
    c?.close();
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(reply?.action).toBe('kyso.result');
  const spki = createPublicKey({ key: pki.entity('p256').certPem, format: 'pem' });
  const sig = Buffer.from(reply!.result!.signature as string, 'base64');
  expect(nodeVerify('sha256', Buffer.from('after the flood'), { key: spki, dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
}

describe('connection flood at the file-descriptor limit', () => {
  it('default caps: connections beyond 32 are refused with ERR_AGENT_OVERLOADED (close 1013); the agent lives and signs', async () => {
    const a = await start('caps', {});
    const { open, failed } = await flood(a, 300);
    // Let every accepted connection hear its fate: refused ones get a typed frame and close 1013.
    await Promise.all(open.map(settle));
    const refused = open.filter((c) => c.replies.some((r) => r.id === null && r.error?.code === 'ERR_AGENT_OVERLOADED'));
    const kept = open.filter((c) => c.closeCode === undefined);
    expect(kept.length).toBeLessThanOrEqual(32);
    expect(refused.length + failed).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((c) => c.closeCode === 1013)).toBe(true);
    expect(a.alive()).toBe(true);
    await Promise.all(open.map(async (c) => c.close()));
    await legitimateSign(a);
    expect(a.alive()).toBe(true);
  });

  it('caps set above the descriptor limit: accept and log failures (EMFILE) are caught; the agent lives and signs', async () => {
    const a = await start('emfile', { maxConnections: 2000 });
    const { open, failed } = await flood(a, 400);
    // 256 descriptors cannot hold 400 sockets: some connections failed at the agent's accept.
    expect(failed).toBeGreaterThan(0);
    // Each accepted connection answers a frame: the agent is responsive at the limit.
    await Promise.all(open.map(settle));
    expect(a.alive()).toBe(true);
    await Promise.all(open.map(async (c) => c.close()));
    await legitimateSign(a);
    expect(a.alive()).toBe(true);
    expect(readFileSync(join(a.child.spawnargs.at(-1)!, '..', 'agent.log'), 'utf8')).toMatch(/"event":"signed"/);
  });
});
