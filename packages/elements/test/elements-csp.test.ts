import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { ensurePki, ensureSamples, ensureStoryFixtures, openStrictCspSite, type StrictCspServer, type StrictCspSite } from '@kyso/testkit';

/**
 * Issue 5 §1 and §2: every element works under a strict Content-Security-Policy
 * (no 'unsafe-inline', no 'unsafe-eval', no blob: workers). A Vite production
 * build of a page (test/csp-page) mounts `<verify-badge>`, `<sign-document>` and
 * `<certificate-picker>` from their published entry points; a tiny server sends
 * the policy; Debian's Chromium runs it and Playwright operates the elements
 * with real clicks: the badge's details dialog and its `<signature-panel>` with
 * a page drawn by pdf.js, a signature placed by a click and made with a
 * PKCS#12 key in kyso's worker, a certificate chosen in the picker. Any
 * violation fails: the policy's report-uri collects reports (page and
 * workers), the page records `securitypolicyviolation` events, and the test
 * collects console errors, page errors and failed requests.
 */
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const repo = here('../../../');
const SCREENSHOT = join(repo, 'out/screenshots/elements-csp.png');

/** What the page records (test/csp-page/main.ts). */
interface PageRecord {
  readonly ready: boolean;
  readonly events: string[];
  readonly badge?: { state: string; signatures: number };
  readonly signed?: { bytes: number; indication: string; integrity: string; signer: string; rect: number[] | null };
  readonly certificates?: string[];
  readonly selected?: string;
  readonly errors: { code: string; message: string }[];
  readonly violations: string[];
}

describe('every element under a strict CSP (Vite build, Debian Chromium, real clicks)', () => {
  let site: StrictCspSite;
  let served: StrictCspServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensurePki();
    await ensureSamples();
    await ensureStoryFixtures();
    site = await openStrictCspSite(here('./csp-page'));
    ({ served, browser } = site);
  }, 240_000);

  afterAll(async () => {
    await site?.close();
  });

  const record = async (page: Page): Promise<PageRecord> => JSON.parse((await page.locator('#result').textContent()) ?? '{}');
  /** Pixels of a canvas darker than light grey: text and lines pdf.js drew (fonts included, which the policy governs). */
  const inked = (canvas: import('playwright-core').Locator) => canvas.evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! < 128 && data[i + 1]! < 128 && data[i + 2]! < 128) n++;
    return n;
  });
  const until = async (page: Page, what: string, check: (r: PageRecord) => boolean): Promise<PageRecord> => {
    await expect.poll(async () => check(await record(page)), { timeout: 60_000, message: what }).toBe(true);
    return record(page);
  };

  it('verify-badge with its details and signature panel, sign-document placing and signing, certificate-picker: no violation, no error', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 2400 } });
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`); });
    page.on('requestfailed', (r) => errors.push(`failed ${r.url()} ${r.failure()?.errorText}`));
    try {
      await page.goto(served.base + '/');
      await until(page, 'the page mounted the elements', (r) => r.ready || r.errors.length > 0);

      // <verify-badge>: a valid document, then its details dialog, the signature panel, and the signed version drawn by pdf.js.
      const verified = await until(page, 'the badge verified', (r) => r.badge !== undefined || r.errors.length > 0);
      expect(verified.badge).toEqual({ state: 'valid', signatures: 1 });
      await page.locator('verify-badge [part="details-button"]').click();
      await expect.poll(() => page.locator('verify-badge dialog[open]').count()).toBe(1);
      await page.locator('verify-badge [part="panel-button"]').click();
      await page.locator('verify-badge signature-panel [data-action="view-signed"]').first().click();
      const signedVersion = page.locator('verify-badge signature-panel pdf-page-view [part~="page"][data-page="1"] canvas');
      await signedVersion.waitFor({ timeout: 60_000 });
      await expect.poll(() => inked(signedVersion), { timeout: 30_000 }).toBeGreaterThan(500);
      await page.keyboard.press('Escape');

      // <sign-document>: the leader clicks on page 1 of the draft to place the signature, then signs.
      const draftPage = page.locator('sign-document pdf-page-view [part~="page"][data-page="1"]');
      await draftPage.locator('canvas').waitFor({ timeout: 60_000 });
      await expect.poll(() => inked(draftPage.locator('canvas')), { timeout: 30_000 }).toBeGreaterThan(500);
      await expect.poll(() => page.locator('sign-document certificate-picker [part~="option"][aria-selected="true"]').count()).toBe(1);
      await draftPage.click({ position: { x: 300, y: 600 } });
      await page.locator('sign-document [part="sign-button"]').click();
      const signed = await until(page, 'kyso-signed', (r) => r.signed !== undefined || r.errors.length > 0);
      expect(signed.errors).toEqual([]);
      expect(signed.signed).toMatchObject({ indication: 'INDETERMINATE', integrity: 'intact', signer: 'Nguyễn Văn Đức' });
      // The approve box (200 × 70 pt) centred on the click (y from the bottom of the 841.89 pt page).
      [200, 841.89 - 635, 400, 841.89 - 565].forEach((v, i) => expect(Math.abs(signed.signed!.rect![i]! - v)).toBeLessThanOrEqual(1));

      // <certificate-picker>: the expired certificate is listed with a warning; a click chooses it.
      const options = page.locator('#pick certificate-picker [part~="option"]');
      await expect.poll(() => options.count()).toBe(2);
      expect(await page.locator('#pick certificate-picker [part~="warning"]').count()).toBeGreaterThan(0);
      await options.nth(1).click();
      const picked = await until(page, 'kyso-certificate-selected', (r) => r.selected === r.certificates?.[1]);

      mkdirSync(join(repo, 'out/screenshots'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(picked.events).toEqual(expect.arrayContaining(['kyso-verified', 'kyso-before-sign', 'kyso-signed', 'kyso-certificate-selected']));
      expect(picked.errors).toEqual([]);
      expect(picked.violations).toEqual([]);
      expect(errors).toEqual([]);
      // Reports are sent asynchronously: give the workers' and the page's a moment to arrive.
      await new Promise((r) => setTimeout(r, 500));
      expect(served.reports).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);

  it('the check can fail: the same policy reports a style attribute written by markup (what Lit\'s styleMap did)', async () => {
    const page = await browser.newPage();
    const before = served.reports.length;
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    try {
      await page.goto(served.base + '/');
      await until(page, 'the page mounted the elements', (r) => r.ready);
      // innerHTML parses a style attribute: 'style-src-attr' falls back to style-src 'self', which forbids it.
      await page.locator('#verify').evaluate((el) => { el.insertAdjacentHTML('beforeend', '<p style="color: red">x</p>'); });
      await until(page, 'a violation seen by the page', (r) => r.violations.length > 0);
      await expect.poll(() => served.reports.length, { timeout: 10_000 }).toBeGreaterThan(before);
      expect(errors.join('\n')).toMatch(/Content Security Policy/);
    } finally {
      await page.close();
      served.reports.length = before;
    }
  }, 90_000);
});
