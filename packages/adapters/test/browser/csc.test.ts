/**
 * A page in Chromium signs through the example CSC v2 server (examples/remote-hsm, its own process, SoftHSM2
 * through PKCS#11) with <sign-document .adapter=CscAdapter>; the leader's "phone" is a second tab of the same
 * browser that opens the one-time confirmation link and clicks the button, driven by the test.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { fromBase64, toBase64, verify } from '@kyso/core';
import { createKyso } from '@kyso/core/worker';
import { CscAdapter } from '@kyso/adapters';
import '@kyso/elements';

interface CscCommands {
  startRemoteHsm(): Promise<{ id: string; baseUrl: string; clientId: string; clientSecret: string }>;
  confirmOnPhone(id: string, decision: 'approve' | 'reject'): Promise<string>;
  pdfsigReport(pdfBase64: string): Promise<string>;
  readFixture(path: string): Promise<string>;
  stopServers(ids: readonly string[]): Promise<void>;
}
const node = commands as unknown as CscCommands;
const started: string[] = [];

afterAll(async () => {
  await node.stopServers(started);
});

describe('CscAdapter in Chromium', () => {
  it('<sign-document> signs with a phone-confirmed remote credential (RSA-2048); pdfsig and core verify accept it', async () => {
    const hsm = await node.startRemoteHsm();
    started.push(hsm.id);
    const kyso = createKyso();
    try {
      const pending: string[] = [];
      const adapter = new CscAdapter({
        baseUrl: hsm.baseUrl, userID: 'leader', credentialIDs: ['leader-rsa'],
        auth: { type: 'client_credentials', clientId: hsm.clientId, clientSecret: hsm.clientSecret },
        confirmation: { pollIntervalMs: 50, timeoutMs: 30_000, onPending: (p) => pending.push(p.credentialID) },
        description: 'Quyết định 12/QĐ-STTTT',
      });
      const el = document.createElement('sign-document');
      const pdf = fromBase64(await node.readFixture('samples/simple.pdf'))!;
      const root = fromBase64(await node.readFixture('pki/root.cert.der'))!;
      Object.assign(el, { client: kyso, adapter, data: pdf, trust: [root], revocation: 'off' });
      const chosen = new Promise((r) => el.addEventListener('kyso-certificate-selected', r, { once: true }));
      document.body.append(el);
      await chosen;
      const done = new Promise<CustomEvent<{ bytes: Uint8Array }>>((resolve, reject) => {
        el.addEventListener('kyso-signed', (e) => resolve(e as CustomEvent<{ bytes: Uint8Array }>), { once: true });
        el.addEventListener('kyso-error', (e) => reject(new Error(`kyso-error ${JSON.stringify((e as CustomEvent).detail)}`)), { once: true });
      });
      const signing = (el as unknown as { sign(): Promise<void> }).sign();
      expect(await node.confirmOnPhone(hsm.id, 'approve')).toBe('approved');
      await signing;
      const signed = (await done).detail.bytes;
      expect(pending).toEqual(['leader-rsa']);
      expect(await node.pdfsigReport(toBase64(signed))).toContain('Signature Validation: Signature is Valid.');
      const v = await verify(signed, { trust: [root], revocation: 'off' });
      expect(v.signatures[0]).toMatchObject({ integrity: 'intact', cryptoValid: true, chain: { status: 'trusted' } });
      el.remove();
    } finally {
      kyso.terminate();
    }
  });

  it('a rejection on the phone reaches the page as ERR_CSC_AUTH_REJECTED with Vietnamese text', async () => {
    const hsm = await node.startRemoteHsm();
    started.push(hsm.id);
    const adapter = new CscAdapter({
      baseUrl: hsm.baseUrl, userID: 'leader',
      auth: { type: 'client_credentials', clientId: hsm.clientId, clientSecret: hsm.clientSecret },
      confirmation: { pollIntervalMs: 50 },
    });
    const digest = new Uint8Array(32).fill(1);
    const signing = adapter.sign({ certificateId: 'leader-p256', algorithm: { scheme: 'ECDSA', hash: 'SHA-256' }, data: new Uint8Array(1), digest })
      .then(() => undefined, (e: unknown) => e);
    expect(await node.confirmOnPhone(hsm.id, 'reject')).toBe('rejected');
    const e = (await signing) as { code: string; localized(l: string): string };
    expect(e.code).toBe('ERR_CSC_AUTH_REJECTED');
    expect(e.localized('vi')).toContain('từ chối');
  });
});
