import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { ensurePki, ensureSamples, ensureStoryFixtures, openStrictCspSite, type StrictCspServer, type StrictCspSite } from '@kyso/testkit';
import { formDocuments, FIELD } from '../../../packages/elements/test/pdfjs-verifier/documents.js';

/**
 * Issue 14 §5: a generic pdf.js viewer (pdfjs-dist's web/pdf_viewer.mjs
 * components) shows kyso's verdict for the PDF it opened, under the strict
 * CSP, in Debian's Chromium. pdf.js's own panel would call a form filled after
 * signing "verified" (mozilla/pdf.js#21698); here it must say "modified after
 * signing, allowed" and list the change, a disallowed change must never look
 * valid, and a tampered file is invalid. Documents come from the testkit.
 */
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const repo = here('../../../');

interface Verdict {
  listedBy: string; status: string; errorCode: string | null; state: string; headline: string;
  changes: { text: string; allowed: boolean }[]; signer: string | null; modifiedAfterSigning: boolean; modificationsAfterSignature: number;
}
interface PageRecord {
  ready: boolean; pdfjsVersion: string; pages: number; rendered: number; verdicts: Verdict[] | null; errors: string[]; violations: string[];
}

/** Whether the installed pdf.js lists signatures itself (getSignatures/getSignatureData arrived in 6.2). */
function pdfjsListsSignatures(): boolean {
  const { version } = JSON.parse(readFileSync(join(repo, 'node_modules/pdfjs-dist/package.json'), 'utf8')) as { version: string };
  const [major, minor] = version.split('.').map(Number) as [number, number];
  return major > 6 || (major === 6 && minor >= 2);
}

describe('pdf.js generic viewer with kyso verification (Vite build, strict CSP, Debian Chromium)', () => {
  let site: StrictCspSite;
  let served: StrictCspServer;
  let browser: Browser;
  const listedBy = pdfjsListsSignatures() ? 'pdfjs' : 'kyso';

  beforeAll(async () => {
    await ensurePki();
    await ensureSamples();
    await ensureStoryFixtures();
    const { filled } = await formDocuments();
    site = await openStrictCspSite(here('..'), (out) => {
      mkdirSync(join(out, 'docs'));
      writeFileSync(join(out, 'docs/filled.pdf'), filled);
    // The test PKI's root is the only anchor: no Vietnamese profile, no network (revocation data is in the files).
      writeFileSync(join(out, 'kyso-viewer.json'), JSON.stringify({ trust: ['/fixtures/stories/root.cert.der'], trustProfile: 'none', revocation: 'embedded' }));
    });
    ({ served, browser } = site);
  }, 240_000);

  afterAll(async () => {
    await site?.close();
  });

  const record = async (page: Page): Promise<PageRecord> => JSON.parse((await page.locator('#result').textContent()) ?? '{}');

  /** Opens `file` in the viewer (English UI, or the default Vietnamese one) and waits for kyso's verdicts and a page drawn by pdf.js. */
  async function view(file: string, lang: 'en' | 'vi' = 'en'): Promise<{ record: PageRecord; page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });
    page.on('requestfailed', (r) => problems.push(`failed ${r.url()} ${r.failure()?.errorText}`));
    await page.goto(`${served.base}/?${lang === 'en' ? 'lang=en&' : ''}file=${encodeURIComponent(file)}`);
    await expect.poll(async () => {
      const r = await record(page);
      return r.errors?.length > 0 || (r.verdicts !== null && r.verdicts !== undefined && r.rendered > 0);
    }, { timeout: 90_000, message: `verdicts for ${file}` }).toBe(true);
    return { record: await record(page), page, problems };
  }

  /** No violation seen by the page, none reported to the policy's report-uri, no error, no failed request. */
  async function clean(r: PageRecord, problems: string[]): Promise<void> {
    expect(r.errors).toEqual([]);
    expect(r.violations).toEqual([]);
    expect(problems).toEqual([]);
    await new Promise((ok) => setTimeout(ok, 300)); // reports are sent asynchronously
    expect(served.reports).toEqual([]);
  }

  it('a validly signed document: valid, not modified; the page drawn by pdf.js', async () => {
    const { record: r, page, problems } = await view('/fixtures/stories/valid.pdf');
    try {
      expect(r.verdicts).toEqual([expect.objectContaining({
        listedBy, status: 'verified', errorCode: null, state: 'verified', headline: 'Signature valid', changes: [], signer: 'Nguyễn Văn Đức',
        modifiedAfterSigning: false,
      })]);
      expect(await page.locator('#signature-list li.sig h3').textContent()).toBe('Signature valid');
      await expect.poll(() => page.locator('#viewer .page[data-page-number="1"] canvas').count()).toBe(1);
      await clean(r, problems);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('a form filled after signing: "Modified after signing, allowed", with the change listed (not a plain "valid")', async () => {
    const { record: r, page, problems } = await view('/docs/filled.pdf');
    try {
      expect(r.verdicts).toEqual([expect.objectContaining({
        listedBy, status: 'verified', state: 'allowed', headline: 'Modified after signing, allowed', modifiedAfterSigning: true,
        changes: [{ text: `form field '${FIELD}' filled`, allowed: true }],
      })]);
      expect(r.verdicts![0]!.modificationsAfterSignature).toBeGreaterThanOrEqual(1);
      expect(await page.locator('#signature-list li.sig h3').textContent()).toBe('Modified after signing, allowed');
      expect(await page.locator('#signature-list li.sig li.change-allowed').allTextContents()).toEqual([`form field '${FIELD}' filled`]);
      // pdf.js shows the filled value in its form layer: the reader sees what kyso judged.
      await expect.poll(() => page.locator('#viewer .annotationLayer input').first().inputValue(), { timeout: 30_000 }).toBe('15/QD-UBND');
      await clean(r, problems);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('the same in Vietnamese, the page\'s default language', async () => {
    const { record: r, page, problems } = await view('/docs/filled.pdf', 'vi');
    try {
      expect(r.verdicts).toEqual([expect.objectContaining({
        state: 'allowed', headline: 'Đã thay đổi sau khi ký, thay đổi được phép', changes: [{ text: `điền trường biểu mẫu '${FIELD}'`, allowed: true }],
      })]);
      expect(await page.locator('#signatures-title').textContent()).toBe('Chữ ký số');
      await clean(r, problems);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('page content changed after signing: "Modified after signing, not allowed", never valid', async () => {
    const { record: r, page, problems } = await view('/fixtures/stories/modified.pdf');
    try {
      expect(r.verdicts).toEqual([expect.objectContaining({
        listedBy, status: 'invalid', errorCode: 'KYSO_MODIFIED_DISALLOWED', state: 'disallowed', headline: 'Modified after signing, not allowed', modifiedAfterSigning: true,
      })]);
      expect(r.verdicts![0]!.changes.some((c) => !c.allowed)).toBe(true);
      expect(await page.locator('#signature-list li.sig').getAttribute('data-state')).toBe('disallowed');
      expect(await page.locator('#signature-list li.sig li.change-disallowed').count()).toBeGreaterThan(0);
      await clean(r, problems);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('a signed byte altered: invalid (HASH_FAILURE)', async () => {
    const { record: r, page, problems } = await view('/fixtures/stories/tampered.pdf');
    try {
      expect(r.verdicts).toEqual([expect.objectContaining({ listedBy, status: 'invalid', errorCode: 'HASH_FAILURE', state: 'invalid', headline: 'Signature invalid' })]);
      await clean(r, problems);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('the check can fail: the same page under the same policy reports an inline style', async () => {
    const { record: r, page } = await view('/fixtures/stories/valid.pdf');
    const before = served.reports.length;
    try {
      expect(r.violations).toEqual([]);
      await page.locator('#signatures').evaluate((el) => el.insertAdjacentHTML('beforeend', '<p style="color: red">x</p>'));
      await expect.poll(async () => (await record(page)).violations.length).toBeGreaterThan(0);
      await expect.poll(() => served.reports.length, { timeout: 10_000 }).toBeGreaterThan(before);
    } finally {
      await page.close();
      served.reports.length = before;
    }
  }, 120_000);
});
