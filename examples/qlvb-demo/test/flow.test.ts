// The QLVB demo end to end, in Debian's Chromium, as `npm start` serves it: the leader approves a draft,
// the clerk gives it a number and a date, issues it with the agency's seal and publishes it; the portal's
// badge verifies it (revocation checked through the demo server); a tampered copy dropped into the inbox is
// shown invalid; no Content-Security-Policy violation happens on the way; the documents survive a restart;
// the published file passes poppler's pdfsig and qpdf. Screenshots: out/screenshots/qlvb-demo/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerificationReport } from '@kyso/core';
import { ensurePki, type TestPki } from '@kyso/testkit';
// @ts-expect-error -- plain JavaScript module shared with scripts/start.mjs (typed by JSDoc)
import * as drive from '../flow/drive.mjs';
// @ts-expect-error -- plain JavaScript module shared with scripts/start.mjs (typed by JSDoc)
import * as measure from '../flow/measure.mjs';
import { startDemo, type RunningDemo } from './demo-server.js';

const SHOTS = fileURLToPath(new URL('../../../out/screenshots/qlvb-demo/', import.meta.url));
const ISSUE_DATE = '2026-02-03';

interface Doc { id: string; state: string; number: string | null; date: string | null }

let pki: TestPki;
let dir: string;
let demo: RunningDemo;
let browser: Browser;
let page: Page;
let violations: string[];
let docId: string;

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const api = async <T>(path: string): Promise<T> => (await fetch(new URL(path, demo.url))).json() as Promise<T>;
const publishedBytes = async () => new Uint8Array(await (await fetch(new URL(`/published/${docId}.pdf`, demo.url))).arrayBuffer());

/** The report behind a badge's verdict (the element keeps the last one). */
const badgeReport = (selector: string) =>
  page.locator(selector).evaluate((el) => (el as unknown as { report: VerificationReport | undefined }).report);

beforeAll(async () => {
  pki = await ensurePki();
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'qlvb-demo-flow-'));
  demo = await startDemo({ dataDir: join(dir, 'data'), webDir: join(dir, 'web'), build: true });
  browser = await drive.launchBrowser();
  ({ page, violations } = await drive.openWatchedPage(browser));
  docId = (await api<Doc[]>('/api/documents'))[0]!.id;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('QLVB demo in Chromium', () => {
  it('the leader approves, the clerk numbers, issues and publishes; the portal badge says valid', async () => {
    await page.goto(demo.url);
    await page.locator(`tr[data-doc="${docId}"][data-state=draft]`).waitFor();
    await shot('01-drafts');

    await drive.approve(page, demo.url, docId);
    await shot('02-approved');
    await drive.giveNumber(page, '7', ISSUE_DATE);
    await shot('03-numbered');
    await drive.issue(page);
    await shot('04-issued');
    await drive.publish(page);
    await shot('05-published');

    expect(await api<Doc>(`/api/documents/${docId}`)).toMatchObject({ state: 'published', number: '07/QĐ-UBND', date: ISSUE_DATE });

    // The portal page: the badge verifies in the citizen's browser, revocation through the demo server.
    // "valid-changes": every signature is TOTAL_PASSED, and the leader's signature honestly reports that
    // the number and date were filled in after it (an allowed change), under the agency's seal.
    expect(await drive.portalVerdict(page, demo.url, docId)).toBe('valid-changes');
    await shot('06-portal');
    const report = (await badgeReport(`li[data-doc="${docId}"] verify-badge`))!;
    expect(report.signatures.map((s) => [s.signer.commonName, s.indication, s.revocation.status, s.chain.status])).toEqual([
      ['Nguyễn Văn Đức', 'TOTAL_PASSED', 'good', 'trusted'],
      ['Ủy ban nhân dân thành phố Đà Nẵng', 'TOTAL_PASSED', 'good', 'trusted'],
    ]);
    expect(report.signatures.map((s) => s.level)).toEqual(['PAdES-B-T', 'PAdES-B-T']);
    const leaderChanges = report.signatures[0]!.modifications.changes;
    expect(leaderChanges.filter((c) => c.kind === 'form-filled').map((c) => c.label.en).sort()).toEqual([
      "form field 'nam' filled", "form field 'ngay' filled", "form field 'soVanBan' filled", "form field 'thang' filled",
    ]);
    expect(leaderChanges.every((c) => c.allowed)).toBe(true);
    expect(report.signatures[1]!.modifications.verdict).toBe('none');
    expect(violations).toEqual([]);
  }, 300_000);

  it('the published decision, as drawn, has the red seal over the left third of the leader\'s blue signature (Decree 30/2020 App. I §II.8a)', async () => {
    const file = join(dir, 'published-drawn.pdf');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, await publishedBytes());
    const m = measure.measureSeal(file);
    expect(measure.sealProblems(m)).toEqual([]);
    // The seal is drawn at its real size (36 mm, 102 pt), not squeezed into a text box.
    expect(m.seal.x1 - m.seal.x0).toBeGreaterThan(95);
    expect(m.seal.y1 - m.seal.y0).toBeGreaterThan(95);
  });

  it('the published file passes pdfsig (two valid signatures) and qpdf --check', async () => {
    const file = join(dir, 'published.pdf');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, await publishedBytes());
    const sig = execFileSync('pdfsig', ['-nssdir', `sql:${pki.nssDir}`, '-no-ocsp', file], { encoding: 'utf8' });
    expect(sig.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(2);
    expect(sig).toContain('Nguyễn Văn Đức');
    execFileSync('qpdf', ['--check', file], { encoding: 'utf8' }); // throws on a non-zero exit
    // The number and the date are in the page text where Decree 30 puts them.
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toMatch(/Số:\s+07\s+\/QĐ-UBND/);
    expect(text).toMatch(/ngày\s+03\s+tháng\s+02\s+năm\s+2026/);
  });

  it('the inbox shows the published copy valid and a tampered copy invalid, and registers both', async () => {
    const good = await publishedBytes();
    expect(await drive.inboxVerdict(page, demo.url, { name: 'quyet-dinh-07.pdf', bytes: good })).toBe('valid-changes');
    await page.locator('button[data-action=receive]').click();
    await page.locator('tr[data-verdict=valid]').waitFor();

    // One byte inside the first signed range (the page's font program): the hash no longer matches.
    const tampered = good.slice();
    const at = new TextDecoder('latin1').decode(good).indexOf('stream', 2000) + 100;
    tampered[at] = tampered[at]! ^ 0xff;
    expect(await drive.inboxVerdict(page, demo.url, { name: 'quyet-dinh-07-sua.pdf', bytes: tampered })).toBe('invalid');
    await shot('07-inbox-tampered');
    await page.locator('button[data-action=receive]').click();
    await page.locator('tr[data-verdict=invalid]').waitFor();
    expect((await api<{ verdict: string }[]>('/api/inbox')).map((r) => r.verdict)).toEqual(['valid', 'invalid']);
    expect(violations).toEqual([]);
  }, 180_000);

  it('keeps the documents, their stages and the incoming register across a restart', async () => {
    const before = await api<Doc[]>('/api/documents');
    const inboxBefore = await api<unknown[]>('/api/inbox');
    await demo.stop();
    demo = await startDemo({ dataDir: join(dir, 'data'), webDir: join(dir, 'web'), build: false });
    expect(await api<Doc[]>('/api/documents')).toEqual(before);
    expect(await api<unknown[]>('/api/inbox')).toEqual(inboxBefore);
    expect(await drive.portalVerdict(page, demo.url, docId)).toBe('valid-changes');
    expect(violations).toEqual([]);
  }, 180_000);
});
