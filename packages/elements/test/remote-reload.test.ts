import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page, type Route } from 'playwright-core';
import { fromBase64, verify } from '@kyso/core';
import { ensurePki, startPkiRevocation, type PkiRevocation, openStrictCspSite, type StrictCspServer, type StrictCspSite } from '@kyso/testkit';
import { startSp769Emulator } from '../../../examples/vnpt-smartca-emulator/server/emulator.mjs';
import { openRemoteFixture, type RemoteFixture } from '../../adapters/test/remote-helpers.js';
import { bundleBackend, startBackendProcess, type BackendProcess } from '../../adapters/test/remote-backend-spawn.js';

/**
 * Issue 15 §1: "the prepared state survives a page reload or a server restart". A QLVB page (test/remote-reload-page,
 * a Vite production build under a strict CSP, in Debian's Chromium) signs with `<sign-document resume-key>` through
 * the agency's back end — its own Node process (VNPT SmartCA's sp769 client, RemoteSigningBackend, file store,
 * @kyso/adapters/remote-handler), reached by the page at /api/kyso-remote on its own origin — and VNPT's service
 * (examples/vnpt-smartca-emulator, keys on SoftHSM2). While the signer's phone is asked, the page is reloaded and
 * the back end is killed and started again; the reloaded element resumes the same transaction (countdown from the
 * real window, cancel works) and completes the same signature, which core's verify calls TOTAL_PASSED.
 */
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const LEADER = '001201000001';
const LEADER_SERIAL = '540101010000000000000000000000a1';
const SP = { id: '4184-637127995547330633.apps.signserviceapi.com', password: 'sp-password-test' };
const KEY = 'kyso.sign-document:qlvb-van-ban-42';

interface PageRecord {
  readonly ready: boolean;
  readonly events: string[];
  readonly errors: { code: string; message: string }[];
  readonly signed?: { base64: string; indication: string; integrity: string };
}

describe('<sign-document resume-key>: a page reload while the signer confirms on the phone', () => {
  let fx: RemoteFixture;
  let emu: Awaited<ReturnType<typeof startSp769Emulator>>;
  let script: string;
  let site: StrictCspSite;
  let served: StrictCspServer;
  let browser: Browser;
  let revocation: PkiRevocation;
  let root: Uint8Array;
  /** The back end the page's /api/kyso-remote reaches now (undefined while it is down). */
  let backend: BackendProcess | undefined;

  beforeAll(async () => {
    fx = await openRemoteFixture('kyso-remote-reload-');
    root = fx.root;
    emu = await startSp769Emulator({ keyStore: fx.keyStore, sp: SP, users: { [LEADER]: [{ serial: LEADER_SERIAL, keyId: 'kyso-leader/leader' }] } });
    fx.emulators.push(emu);
    revocation = await startPkiRevocation(await ensurePki());
    script = await bundleBackend(fx.workDir);
    site = await openStrictCspSite(here('./remote-reload-page'));
    ({ served, browser } = site);
  }, 240_000);

  afterAll(async () => {
    await site?.close();
    await backend?.kill();
    await revocation?.close();
    await fx?.close();
  });

  const startBackend = async (storeDir: string, port = 0) => {
    backend = await startBackendProcess({ script, port, storeDir, serviceUrl: emu.baseUrl, spId: SP.id, spPassword: SP.password, delivery: 'webhook' });
    emu.control.setWebhook(`${backend.origin}/api/kyso-remote/callback`); // registered with VNPT once
    return backend;
  };

  /** The page's own origin serves /api/kyso-remote (as the agency's reverse proxy does): forwarded to the back end. */
  const openPage = async (): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    await page.route('**/api/kyso-remote/**', async (route: Route) => {
      const url = new URL(route.request().url());
      if (!backend) return route.abort('connectionrefused');
      try {
        return await route.fulfill({ response: await route.fetch({ url: `${backend.origin}${url.pathname}` }) });
      } catch {
        return route.abort('connectionrefused'); // killed while the request was under way
      }
    });
    return page;
  };

  const record = async (page: Page): Promise<PageRecord> => JSON.parse((await page.locator('#result').textContent()) ?? '{}');
  const until = async (page: Page, what: string, check: (r: PageRecord) => boolean): Promise<PageRecord> => {
    await expect.poll(async () => check(await record(page)), { timeout: 60_000, message: what }).toBe(true);
    return record(page);
  };
  /** Seconds the countdown shows, or null when it is not shown. */
  const countdown = async (page: Page): Promise<number | null> => {
    const t = page.locator('sign-document [part="countdown"]');
    if ((await t.count()) === 0) return null;
    const [m, s] = (await t.textContent())!.split(':').map(Number);
    return m! * 60 + s!;
  };
  const kept = (page: Page) => page.evaluate((key) => sessionStorage.getItem(key), KEY);

  /** Loads the page, signs, and resolves once the phone is asked and the element shows the wait. */
  async function signUntilPhoneAsked(page: Page) {
    await page.goto(served.base + '/');
    await until(page, 'the page mounted the element', (r) => r.events.includes('kyso-certificate-selected') || r.errors.length > 0);
    await page.locator('sign-document [part="sign-button"]').click();
    const asked = await emu.control.next(LEADER);
    await expect.poll(() => countdown(page), { timeout: 30_000 }).not.toBeNull();
    return asked;
  }

  it('reloaded mid-wait (and the back end restarted), the element resumes the same transaction and signs; verify says TOTAL_PASSED', async () => {
    const storeDir = join(fx.workDir, 'store-signed');
    const first = await startBackend(storeDir);
    const page = await openPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      const asked = await signUntilPhoneAsked(page);
      // What the tab keeps: the prepared signature and the back end's transaction; no secret of the service.
      const stored = JSON.parse((await kept(page))!) as { transaction: { id: string; expiresAt: string }; prepared: { kind: string } };
      expect(stored.prepared.kind).toBe('kyso.prepared-signature');
      const text = JSON.stringify(stored);
      for (const secret of [SP.password, SP.id, asked.transactionId, asked.id]) expect(text).not.toContain(secret);
      // No field that could carry a credential (values are base64 bytes, where any letters may occur: keys are checked).
      const keys: string[] = [];
      const walk = (x: unknown): void => {
        if (Array.isArray(x)) x.forEach(walk);
        else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) { keys.push(k); walk(v); }
      };
      walk(stored);
      expect(keys.filter((k) => /password|token|otp|sad|secret|pin/i.test(k))).toEqual([]);

      // The back end dies, and the page is reloaded while it is down.
      await first.kill();
      backend = undefined;
      await page.reload();
      // The reloaded element shows the wait again from what the tab kept (the back end is not needed for that),
      // counting to the service's real window end (5 minutes from the start). Only the certificate list, which
      // needs the back end, says it could not be reached.
      await expect.poll(() => countdown(page), { timeout: 30_000 }).not.toBeNull();
      const down = await until(page, 'the picker tried the back end', (r) => r.errors.length > 0);
      expect(down.errors.map((e) => e.code)).toEqual(['ERR_REMOTE_UNREACHABLE']);
      expect(await page.locator('sign-document certificate-picker [role="alert"]').count()).toBe(1);
      // The back end comes back on the same address and store; the resumed wait reaches it.
      await startBackend(storeDir, first.port);
      const left = (await countdown(page))!;
      const real = (Date.parse(stored.transaction.expiresAt) - Date.now()) / 1000;
      expect(left).toBeGreaterThan(real - 5);
      expect(left).toBeLessThanOrEqual(Math.ceil(real) + 1);
      expect(await page.locator('sign-document [part="cancel-button"]').count()).toBe(1);

      await emu.control.decide(asked.id, 'approve');
      const done = await until(page, 'kyso-signed', (r) => r.signed !== undefined || r.errors.length > 1);
      expect(done.errors).toEqual(down.errors);
      // Not asked again before signing: the page approved this signature before the reload.
      expect(done.events).not.toContain('kyso-before-sign');
      expect(done.signed).toMatchObject({ integrity: 'intact' });
      expect(await kept(page)).toBeNull();
      // One transaction at the back end: the same one, completed.
      expect(readdirSync(storeDir).filter((f) => f.endsWith('.json'))).toHaveLength(1);

      const signed = fromBase64(done.signed!.base64)!;
      await fx.expectValid(signed, 1);
      const report = await verify(signed, { trust: [root], revocation: 'online', fetch: revocation.fetch });
      expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED']);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await backend?.kill();
      backend = undefined;
    }
  }, 180_000);

  it('reloaded mid-wait, the resumed wait can be cancelled: the transaction is cancelled at the back end and nothing is kept', async () => {
    const storeDir = join(fx.workDir, 'store-cancelled');
    await startBackend(storeDir);
    const page = await openPage();
    try {
      await signUntilPhoneAsked(page);
      const stored = JSON.parse((await kept(page))!) as { transaction: { id: string } };
      await page.reload();
      await expect.poll(() => countdown(page), { timeout: 30_000 }).not.toBeNull();
      await page.locator('sign-document [part="cancel-button"]').click();
      await expect.poll(() => page.locator('sign-document [part="status"]').textContent()).toContain('Đã hủy ký.');
      expect(await kept(page)).toBeNull();
      // The element sends the cancel without waiting for it (the signer already sees "cancelled"): the back end
      // has it a moment later.
      const state = async () => ((await (await fetch(`${backend!.endpoint}/status`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-session-user': LEADER }, body: JSON.stringify({ id: stored.transaction.id }),
      })).json()) as { state: string }).state;
      await expect.poll(state, { timeout: 15_000 }).toBe('cancelled');
      // A further reload finds nothing to resume.
      await page.reload();
      await until(page, 'the page mounted the element', (r) => r.events.includes('kyso-certificate-selected'));
      expect(await countdown(page)).toBeNull();
      expect((await record(page)).errors).toEqual([]);
    } finally {
      await page.close();
      await backend?.kill();
      backend = undefined;
    }
  }, 180_000);
});
