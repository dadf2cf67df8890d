/**
 * Issue 12 §5, as the attack: a page asks again and again until the user,
 * tired of the prompt, says "yes". Before the fix every request raised a new
 * consent prompt (one page raised 8). Now one question per origin is open at
 * a time, and a refusal silences that origin for a cool-down: its requests
 * are refused without a prompt, also after an agent restart (consentFile).
 */
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentStore, Pkcs11Module, startAgent, type ConsentPrompt, type Prompter, type RunningAgent } from '@kyso/agent';
import type { SoftHsm } from '@kyso/testkit';
import { RawClient } from './helpers/agent-process.js';
import { openInProcessToken } from './helpers/token-work.js';

const PAGE = 'https://qlvb.test';
const OTHER = 'https://other.test';

/** A person at the keyboard, scripted: answers consent with `answer` once `release()` is called (at once if never gated). */
class ScriptedUser implements Prompter {
  readonly interactive = true;
  consentPrompts: string[] = [];
  #gate: Promise<void> | undefined;
  #open: (() => void) | undefined;
  constructor(private readonly answer: boolean) {}
  gate(): void {
    this.#gate = new Promise((r) => (this.#open = r));
  }
  release(): void {
    this.#open?.();
  }
  async askConsent(p: ConsentPrompt): Promise<boolean> {
    this.consentPrompts.push(p.origin);
    await this.#gate;
    return this.answer;
  }
  async askPin(): Promise<string | null> {
    return '123456';
  }
}

let work: string;
let hsm: SoftHsm;
let mod: Pkcs11Module;
const agents: RunningAgent[] = [];

beforeAll(async () => {
  ({ work, hsm, mod } = await openInProcessToken('kyso-agent-consent-'));
});
afterAll(async () => {
  for (const a of agents) await a.close();
  mod?.close();
  rmSync(work, { recursive: true, force: true });
});

async function agent(prompter: Prompter, consent: ConsentStore): Promise<RunningAgent> {
  const a = await startAgent({ module: mod, allowedOrigins: [PAGE, OTHER], prompter, consent });
  agents.push(a);
  return a;
}

async function page(a: RunningAgent, origin = PAGE): Promise<RawClient> {
  const c = await RawClient.open(a.url, origin);
  expect((await c.call({ action: 'kyso.hello', id: 'h', versions: [1] })).action).toBe('kyso.result');
  return c;
}

const list = (c: RawClient, id: string) => c.call({ action: 'kyso.list-certificates', id });

describe('consent refusals are remembered', () => {
  it('after one "no", eight more requests from that page (new connections, at once) are refused without a prompt', async () => {
    const user = new ScriptedUser(false);
    const a = await agent(user, new ConsentStore());
    const first = await page(a);
    expect((await list(first, 'l0')).error?.code).toBe('ERR_AGENT_CONSENT_DENIED');
    const clients = await Promise.all(Array.from({ length: 4 }, () => page(a)));
    const replies = await Promise.all(clients.flatMap((c, i) => [list(c, `a${i}`), list(c, `b${i}`)]));
    expect(replies.map((r) => r.error?.code)).toEqual(Array(8).fill('ERR_AGENT_CONSENT_DENIED'));
    expect(replies.every((r) => /not asked again before/.test(r.error?.detail ?? ''))).toBe(true);
    // No request was even told to wait for the user.
    expect(clients.flatMap((c) => c.replies).some((r) => r.action === 'kyso.waiting-for-user')).toBe(false);
    expect(user.consentPrompts).toEqual([PAGE]);
    // Another origin is not silenced by this one's refusal.
    expect((await list(await page(a, OTHER), 'o1')).error?.code).toBe('ERR_AGENT_CONSENT_DENIED');
    expect(user.consentPrompts).toEqual([PAGE, OTHER]);
  });

  it('requests arriving while the question is open share it: one prompt for eight requests', async () => {
    const user = new ScriptedUser(true);
    user.gate();
    const a = await agent(user, new ConsentStore());
    const clients = await Promise.all(Array.from({ length: 2 }, () => page(a)));
    const pending = clients.flatMap((c, i) => Array.from({ length: 4 }, (_, j) => list(c, `r${i}${j}`)));
    // Every request is waiting for the (same) consent answer before the user answers.
    while (clients.flatMap((c) => c.replies).filter((r) => r.action === 'kyso.waiting-for-user').length < 8) {
      await new Promise((r) => setTimeout(r, 10));
    }
    user.release();
    const replies = await Promise.all(pending);
    expect(replies.every((r) => r.action === 'kyso.result')).toBe(true);
    expect(user.consentPrompts).toEqual([PAGE]);
  });

  it('a refusal survives an agent restart (consentFile, mode 0600); after the cool-down the user is asked again', async () => {
    const file = join(work, 'consent.json');
    const user = new ScriptedUser(false);
    const a = await agent(user, new ConsentStore(file));
    expect((await list(await page(a), 'l1')).error?.code).toBe('ERR_AGENT_CONSENT_DENIED');
    await a.close();
    agents.splice(agents.indexOf(a), 1);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const again = new ScriptedUser(true);
    const b = await agent(again, new ConsentStore(file));
    expect((await list(await page(b), 'l2')).error?.code).toBe('ERR_AGENT_CONSENT_DENIED');
    expect(again.consentPrompts).toEqual([]);

    // A refusal whose cool-down has ended (recorded a cool-down and a minute ago) no longer silences the page.
    const store = new ConsentStore(file);
    await store.refuse(PAGE, new Date(Date.now() - store.cooldownMs - 60_000));
    const later = new ScriptedUser(true);
    const c = await agent(later, new ConsentStore(file));
    expect((await list(await page(c), 'l3')).action).toBe('kyso.result');
    expect(later.consentPrompts).toEqual([PAGE]);
    expect(new ConsentStore(file).has(PAGE)).toBe(true);
  });
});
