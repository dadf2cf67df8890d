/**
 * Issue 12 §3, as the attack: a page (here a local client of an unattended
 * agent) sends wrong PINs, the agent is killed and restarted (a crash, a
 * flood, the user logging out and in), and the page goes on. Before the fix
 * each run forgot the count, so every restart bought two more C_Login calls on
 * the token. pkcs11-spy (OpenSC) sits between the agent and SoftHSM2 and
 * writes every PKCS#11 call: the C_Login calls over all runs never exceed the
 * agent's limit, and the counter file beside the config is mode 0600.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SoftHsm } from '@kyso/testkit';
import { buildAgent, RawClient, signOnce, spawnAgent, type AgentProcess } from './helpers/agent-process.js';
import { openTokenWork } from './helpers/token-work.js';

const SPY = '/usr/lib/x86_64-linux-gnu/pkcs11-spy.so';
const ORIGIN = 'https://seal.test';
const CLIENT_TOKEN = 'pin-failure-test-client-credential-0123456789';
let work: string;
let hsm: SoftHsm;
const agents: AgentProcess[] = [];

beforeAll(async () => {
  buildAgent();
  ({ work, hsm } = await openTokenWork('kyso-agent-pinfail-'));
});
afterAll(async () => {
  for (const a of agents) await a.kill();
  rmSync(work, { recursive: true, force: true });
});

/** Starts the agent in `dir` with the PIN `pin`, every PKCS#11 call logged by pkcs11-spy to `<dir>/spy-<run>.log`. */
async function run(dir: string, runNo: number, pin: string, extra: Record<string, unknown> = {}): Promise<AgentProcess> {
  const a = await spawnAgent(dir, {
    ...extra,
    module: SPY, allowedOrigins: [ORIGIN], port: 0, pinFailureLimit: 2,
    env: { SOFTHSM2_CONF: hsm.conf, PKCS11SPY: hsm.module, PKCS11SPY_OUTPUT: join(dir, `spy-${runNo}.log`) },
    pin: { source: 'config', value: pin }, unattended: { origins: [ORIGIN], clientToken: CLIENT_TOKEN },
  });
  agents.push(a);
  return a;
}

async function attempt(a: AgentProcess): Promise<string> {
  const c = await RawClient.open(a.url, ORIGIN);
  try {
    const hello = await c.call({ action: 'kyso.hello', id: 'h', versions: [1], clientToken: CLIENT_TOKEN });
    expect(hello.action).toBe('kyso.result');
    const r = await signOnce(c, 'leader', createHash('sha256').update('x').digest());
    return r.action === 'kyso.result' ? 'signed' : r.error!.code;
  } finally {
    c.close();
  }
}

const logins = (dir: string, runs: number) =>
  Array.from({ length: runs }, (_, i) => join(dir, `spy-${i + 1}.log`))
    .filter(existsSync)
    .reduce((n, f) => n + (readFileSync(f, 'utf8').match(/^\d+: C_Login$/gm)?.length ?? 0), 0);

describe('wrong PINs across agent restarts', () => {
  it('two runs killed mid-way: two C_Login in all, then ERR_TOKEN_PIN_LIMIT before the token is touched', async () => {
    const dir = mkdtempSync(join(work, 'restarts-'));
    const first = await run(dir, 1, '999999');
    expect(await attempt(first)).toBe('ERR_TOKEN_PIN_INCORRECT');
    await first.kill();
    const second = await run(dir, 2, '999999');
    expect(await attempt(second)).toBe('ERR_TOKEN_PIN_INCORRECT');
    expect(await attempt(second)).toBe('ERR_TOKEN_PIN_LIMIT');
    await second.kill();
    const third = await run(dir, 3, '999999');
    expect(await attempt(third)).toBe('ERR_TOKEN_PIN_LIMIT');
    expect(await attempt(third)).toBe('ERR_TOKEN_PIN_LIMIT');
    await third.kill();
    expect(logins(dir, 3)).toBe(2);
    const file = join(dir, 'pin-failures.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const counts = JSON.parse(readFileSync(file, 'utf8')) as { tokens: Record<string, { failures: number }> };
    expect(Object.values(counts.tokens).map((t) => t.failures)).toEqual([2]);
  });

  it('a right PIN clears the count (kept on disk while the agent is down in between)', async () => {
    const dir = mkdtempSync(join(work, 'clear-'));
    const first = await run(dir, 1, '999999');
    expect(await attempt(first)).toBe('ERR_TOKEN_PIN_INCORRECT');
    await first.kill();
    const second = await run(dir, 2, '123456');
    expect(await attempt(second)).toBe('signed');
    await second.kill();
    expect(JSON.parse(readFileSync(join(dir, 'pin-failures.json'), 'utf8'))).toMatchObject({ tokens: {} });
  });

  it('a count that cannot be written means the PIN is not tried (ERR_IO, no C_Login)', async () => {
    const dir = mkdtempSync(join(work, 'unwritable-'));
    // A folder that does not exist: the count reads as zero but cannot be written there.
    const a = await run(dir, 1, '999999', { pinFailureFile: 'missing/pin-failures.json' });
    expect(await attempt(a)).toBe('ERR_IO');
    expect(await attempt(a)).toBe('ERR_IO');
    await a.kill();
    expect(logins(dir, 1)).toBe(0);
  });

  it('a damaged counter file is read as "limit reached", never as zero', async () => {
    const dir = mkdtempSync(join(work, 'damaged-'));
    writeFileSync(join(dir, 'pin-failures.json'), '{"tokens": 3', { mode: 0o600 });
    const a = await run(dir, 1, '999999');
    expect(await attempt(a)).toBe('ERR_TOKEN_PIN_LIMIT');
    await a.kill();
    expect(logins(dir, 1)).toBe(0);
  });
});
