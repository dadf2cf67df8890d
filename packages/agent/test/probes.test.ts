/**
 * The defences that already held when issue 12 probed the agent, kept as
 * attack tests: foreign and look-alike origins, DNS rebinding through the
 * Host header, a PIN slipped into a request by the page, and logs that must
 * not carry PINs, credentials, document names or whole digests.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, Pkcs11Module, startAgent, type PinPrompt, type Prompter, type RunningAgent } from '@kyso/agent';
import type { SoftHsm } from '@kyso/testkit';
import { RawClient, signOnce } from './helpers/agent-process.js';
import { openInProcessToken } from './helpers/token-work.js';

const PAGE = 'https://qlvb.test';
let work: string;
let hsm: SoftHsm;
let mod: Pkcs11Module;
let agent: RunningAgent;
const logFile = () => join(work, 'agent.log');

/** A person who cancels every PIN prompt, and remembers what each showed. */
const user = new (class implements Prompter {
  readonly interactive = true;
  readonly pins: Omit<PinPrompt, 'signal'>[] = [];
  async askConsent(): Promise<boolean> {
    return true;
  }
  async askPin({ signal: _s, ...shown }: PinPrompt): Promise<string | null> {
    this.pins.push(shown);
    return null;
  }
})();

beforeAll(async () => {
  ({ work, hsm, mod } = await openInProcessToken('kyso-agent-probes-'));
  agent = await startAgent({
    module: mod, allowedOrigins: [PAGE, 'http://localhost:*'], prompter: user, consent: false, logger: createLogger({ file: logFile() }),
  });
});
afterAll(async () => {
  await agent?.close();
  mod?.close();
  rmSync(work, { recursive: true, force: true });
});

async function firstFrame(origin: string | undefined, headers?: Record<string, string>): Promise<string> {
  const c = await RawClient.open(agent.url, origin, undefined, headers);
  const r = await c.call({ action: 'kyso.hello', id: 'h', versions: [1] });
  c.close();
  return r.action === 'kyso.result' ? 'accepted' : r.error!.code;
}

describe('agent probes', () => {
  it('look-alike origins are refused: suffix, prefix, other port, userinfo, other scheme, null, none', async () => {
    const refused = [
      'https://qlvb.test.evil.test', 'https://evilqlvb.test', 'https://qlvb.test:8443', 'https://user@qlvb.test', 'http://qlvb.test',
      'null', undefined, 'http://localhost.evil.test:80', 'http://localhost:80abc',
    ];
    for (const o of refused) expect([o, await firstFrame(o)]).toEqual([o, 'ERR_AGENT_ORIGIN_DENIED']);
    expect(await firstFrame(PAGE)).toBe('accepted');
    expect(await firstFrame('http://localhost:5173')).toBe('accepted');
  });

  it('DNS rebinding: an allowed Origin with a foreign Host header is refused', async () => {
    expect(await firstFrame(PAGE, { host: `evil.test:${agent.port}` })).toBe('ERR_AGENT_ORIGIN_DENIED');
    expect(await firstFrame(PAGE, { host: `127.0.0.1.evil.test:${agent.port}` })).toBe('ERR_AGENT_ORIGIN_DENIED');
    expect(await firstFrame(PAGE, { host: `localhost:${agent.port}` })).toBe('accepted');
  });

  it('a PIN sent by the page is never used: the agent asks its user, who cancels', async () => {
    const c = await RawClient.open(agent.url, PAGE);
    await c.call({ action: 'kyso.hello', id: 'h', versions: [1], pin: '123456' });
    const r = await signOnce(c, 'p256', Buffer.alloc(32, 7), { pin: '123456', userPin: '123456' });
    c.close();
    expect(r.error?.code).toBe('ERR_AGENT_CANCELLED');
    expect(user.pins.length).toBeGreaterThan(0);
  });

  it('logs carry no PIN, no client credential, no document name and no whole digest', async () => {
    const c = await RawClient.open(agent.url, PAGE);
    await c.call({ action: 'kyso.hello', id: 'h', versions: [1], clientToken: 'not-logged-credential-0123456789abcdef' });
    const digest = Buffer.alloc(32, 0xab);
    await signOnce(c, 'p256', digest, { document: { name: 'secret-minutes.pdf', digestPrefix: 'abababababababab' } });
    c.close();
    const log = readFileSync(logFile(), 'utf8');
    expect(log).toMatch(/"event":"sign-requested"/);
    for (const leak of ['123456', 'not-logged-credential', 'secret-minutes', digest.toString('base64'), digest.toString('hex')]) {
      expect([leak, log.includes(leak)]).toEqual([leak, false]);
    }
  });
});
