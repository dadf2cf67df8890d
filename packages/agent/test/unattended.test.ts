/**
 * Issue 12 §5, as the attack: the agent takes its PIN from configuration (a
 * seal-signing service). Before the fix it then said "yes" to every allowed
 * origin, so any local process that set an allowed `Origin` header (Origin
 * binds browsers only) had documents signed. Now such an agent serves only
 * origins named in `unattended.origins`, and only a client that presents the
 * secret `clientToken` in `kyso.hello`.
 */
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, type SoftHsm, type TestPki } from '@kyso/testkit';
import { buildAgent, RawClient, signOnce, spawnAgent, type AgentProcess } from './helpers/agent-process.js';
import { openTokenWork } from './helpers/token-work.js';

const SERVICE = 'https://seal-service.test';
const PAGE = 'https://qlvb.test';
const CLIENT_TOKEN = 'unattended-test-client-credential-0123456789abcdef';
let work: string;
let hsm: SoftHsm;
let pki: TestPki;
let agent: AgentProcess;
const digest = createHash('sha256').update('seal this').digest();

beforeAll(async () => {
  buildAgent();
  pki = await ensurePki();
  ({ work, hsm } = await openTokenWork('kyso-agent-unattended-'));
  agent = await spawnAgent(mkdtempSync(join(work, 'cfg-')), {
    module: hsm.module, allowedOrigins: [SERVICE, PAGE], port: 0, env: { SOFTHSM2_CONF: hsm.conf },
    pin: { source: 'config', value: '123456' }, unattended: { origins: [SERVICE], clientToken: CLIENT_TOKEN },
  });
});
afterAll(async () => {
  await agent?.kill();
  rmSync(work, { recursive: true, force: true });
});

/** A local process posing as `origin`, with whatever hello it chooses; returns the sign outcome. */
async function localProcess(origin: string, clientToken?: string): Promise<{ code: string; client: RawClient; signature?: string }> {
  const c = await RawClient.open(agent.url, origin);
  const hello = await c.call({ action: 'kyso.hello', id: 'h', versions: [1], ...(clientToken !== undefined ? { clientToken } : {}) });
  if (hello.action !== 'kyso.result') return { code: hello.error!.code, client: c };
  const r = await signOnce(c, 'seal', digest);
  return r.action === 'kyso.result' ? { code: 'signed', client: c, signature: r.result!.signature as string } : { code: r.error!.code, client: c };
}

describe('unattended signing needs the client credential, not just Origin', () => {
  it('an allowed unattended Origin without a credential is refused at hello (ERR_AGENT_CLIENT_DENIED, close 1008)', async () => {
    const { code, client } = await localProcess(SERVICE);
    expect(code).toBe('ERR_AGENT_CLIENT_DENIED');
    expect(await client.closed()).toBe(1008);
  });

  it('a wrong credential (even one character off) is refused the same way', async () => {
    const wrong = CLIENT_TOKEN.slice(0, -1) + (CLIENT_TOKEN.endsWith('f') ? 'e' : 'f');
    expect((await localProcess(SERVICE, wrong)).code).toBe('ERR_AGENT_CLIENT_DENIED');
    expect((await localProcess(SERVICE, 'short')).code).toBe('ERR_AGENT_CLIENT_DENIED');
  });

  it('an allowed origin not enabled for unattended signing gets nothing from a configured PIN (nor with the credential)', async () => {
    expect((await localProcess(PAGE)).code).toBe('ERR_AGENT_CLIENT_DENIED');
    expect((await localProcess(PAGE, CLIENT_TOKEN)).code).toBe('ERR_AGENT_CLIENT_DENIED');
  });

  it('the configured client with its credential signs; node:crypto verifies the signature', async () => {
    const r = await localProcess(SERVICE, CLIENT_TOKEN);
    expect(r.code).toBe('signed');
    r.client.close();
    const spki = createPublicKey({ key: pki.entity('seal').certPem, format: 'pem' });
    expect(nodeVerify('sha256', Buffer.from('seal this'), spki, Buffer.from(r.signature!, 'base64'))).toBe(true);
  });

  it('a configured PIN without an "unattended" section is a configuration error (exit 1)', async () => {
    /** The start's failure message; an agent that starts anyway is stopped and reported. */
    const startFailure = async (config: Record<string, unknown>): Promise<string> => {
      try {
        const a = await spawnAgent(mkdtempSync(join(work, 'bad-')), config);
        await a.kill();
        return 'started';
      } catch (err) {
        return (err as Error).message;
      }
    };
    const base = { module: hsm.module, allowedOrigins: [PAGE], env: { SOFTHSM2_CONF: hsm.conf }, pin: { source: 'config', value: '123456' } };
    expect(await startFailure(base)).toMatch(/exited 1: kyso-agent: ERR_INVALID_ARGUMENT: .*unattended/);
    expect(await startFailure({ ...base, unattended: { origins: [SERVICE], clientToken: CLIENT_TOKEN } })).toMatch(/must be an exact entry of allowedOrigins/);
  });
});
