/**
 * A page in Chromium signs through a real kyso-agent process on SoftHSM2 with
 * the browser's own WebSocket: the page holds no key and sends no PIN.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { KysoError, sign, verify, fromBase64, toBase64 } from '@kyso/core';
import { createKyso } from '@kyso/core/worker';
import { TokenAgentAdapter } from '@kyso/adapters';
import '@kyso/elements';

interface AgentCommands {
  /** `clientToken`: the agent's PIN comes from its config, so this page plays its unattended client (issue 12). */
  startTokenAgent(options?: { pinDelayMs?: number; allowedOrigins?: string[] }): Promise<{ id: string; url: string; origin: string; clientToken: string }>;
  pdfsigReport(pdfBase64: string): Promise<string>;
  readFixture(path: string): Promise<string>;
  stopServers(ids: readonly string[]): Promise<void>;
}
const node = commands as unknown as AgentCommands;
const started: string[] = [];

afterAll(async () => {
  await node.stopServers(started);
});

describe('TokenAgentAdapter in Chromium', () => {
  it('lists the token certificates and signs a PDF (P-256) that pdfsig and core verify accept', async () => {
    const agent = await node.startTokenAgent();
    started.push(agent.id);
    expect(agent.origin).toBe(location.origin);
    const adapter = new TokenAgentAdapter({ url: agent.url, clientToken: agent.clientToken });
    const certs = await adapter.listCertificates();
    expect(certs.map((c) => c.label).sort()).toEqual(['leader (kyso-leader)', 'p256 (kyso-leader)', 'rsa3072 (kyso-seal)', 'seal (kyso-seal)']);
    const entry = certs.find((c) => c.label.startsWith('p256'))!;
    const pdf = fromBase64(await node.readFixture('samples/simple.pdf'))!;
    const signed = await sign(pdf, { adapter, certificateId: entry.id, level: 'B-B' });
    adapter.close();
    const report = await node.pdfsigReport(toBase64(signed));
    expect(report).toContain('Signature Validation: Signature is Valid.');
    const root = fromBase64(await node.readFixture('pki/root.cert.der'))!;
    const v = await verify(signed, { trust: [root], revocation: 'off' });
    expect(v.signatures[0]).toMatchObject({ integrity: 'intact', cryptoValid: true, chain: { status: 'trusted' } });
  });

  it('<sign-document> signs through the agent (core in its worker, the adapter on the page)', async () => {
    const agent = await node.startTokenAgent();
    started.push(agent.id);
    const kyso = createKyso();
    try {
      const el = document.createElement('sign-document');
      const pdf = fromBase64(await node.readFixture('samples/simple.pdf'))!;
      const root = fromBase64(await node.readFixture('pki/root.cert.der'))!;
      const waiting: string[] = [];
      const adapter = new TokenAgentAdapter({ url: agent.url, clientToken: agent.clientToken, onWaitingForUser: (r) => waiting.push(r) });
      Object.assign(el, { client: kyso, adapter, data: pdf, trust: [root], revocation: 'off' });
      const chosen = new Promise((r) => el.addEventListener('kyso-certificate-selected', r, { once: true }));
      document.body.append(el);
      // Four certificates: the user picks one in the embedded <certificate-picker> (here: the P-256 one).
      let option: HTMLElement | undefined;
      for (let i = 0; i < 200 && !option; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const picker = el.shadowRoot?.querySelector('certificate-picker');
        const options = [...(picker?.shadowRoot?.querySelectorAll<HTMLElement>('[part~="option"]') ?? [])];
        option = options.find((o) => /P-256|p256/.test(o.textContent ?? ''));
      }
      expect(option).toBeDefined();
      option!.click();
      await chosen;
      const done = new Promise<CustomEvent<{ bytes: Uint8Array }>>((resolve, reject) => {
        el.addEventListener('kyso-signed', (e) => resolve(e as CustomEvent<{ bytes: Uint8Array }>), { once: true });
        el.addEventListener('kyso-error', (e) => reject(new Error(`kyso-error ${JSON.stringify((e as CustomEvent).detail)}`)), { once: true });
      });
      await (el as unknown as { sign(): Promise<void> }).sign();
      const signed = (await done).detail.bytes;
      expect(waiting).toEqual(['pin']); // the agent, not the page, asked for the PIN
      expect(await node.pdfsigReport(toBase64(signed))).toContain('Signature Validation: Signature is Valid.');
      el.remove();
      adapter.close();
    } finally {
      kyso.terminate();
    }
  });

  it('an agent that does not allow this page refuses the browser\'s own Origin → ERR_AGENT_ORIGIN_DENIED', async () => {
    const agent = await node.startTokenAgent({ allowedOrigins: ['https://qlvb.example.gov.vn'] });
    started.push(agent.id);
    const err = await new TokenAgentAdapter({ url: agent.url }).listCertificates().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KysoError);
    expect((err as KysoError).code).toBe('ERR_AGENT_ORIGIN_DENIED');
    expect((err as KysoError).localized('vi')).toContain('không cho phép');
  });

  it('no agent on the port → ERR_AGENT_UNREACHABLE from the page', async () => {
    const adapter = new TokenAgentAdapter({ url: 'ws://127.0.0.1:9', connectTimeoutMs: 2000 });
    const err = await adapter.listCertificates().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KysoError);
    expect((err as KysoError).code).toBe('ERR_AGENT_UNREACHABLE');
  });
});
