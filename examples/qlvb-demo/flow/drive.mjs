// @ts-check
// Drives the demo pages in Debian's Chromium (playwright-core, no downloaded browser) the way a user does:
// the leader approves, the clerk numbers, issues and publishes, the portal shows the badge, the receiving
// clerk checks an incoming file. Used by the end-to-end test and by `npm start -- --check`.
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/chromium.mjs';

/** Signing with a timestamp and verifying with revocation, in the worker: generous but bounded. */
const STEP_TIMEOUT_MS = 90_000;

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

/**
 * A page that records every Content-Security-Policy violation: the DOM event (which names the directive
 * and the source) and Chromium's console message, so nothing slips through either channel.
 * @param {import('playwright-core').Browser} browser
 */
export async function openWatchedPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  /** @type {string[]} */
  const violations = [];
  /** @type {string[]} */
  const errors = [];
  await page.exposeFunction('__kysoCspViolation', (/** @type {string} */ v) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const w = /** @type {any} */ (window);
      w.__kysoCspViolation(`${e.violatedDirective} ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`);
    });
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) violations.push(`console: ${m.text()}`);
    else if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return { context, page, violations, errors };
}

/** @param {import('playwright-core').Page} page @param {string} state */
async function waitForState(page, state) {
  await page.locator(`[data-testid=doc-state][data-state=${state}]`).waitFor({ timeout: STEP_TIMEOUT_MS });
}

/**
 * Signs with the <sign-document> of the current step, once its certificate is chosen.
 * @param {import('playwright-core').Page} page @param {'approve' | 'issue'} step
 */
async function signStep(page, step) {
  const element = page.locator(`sign-document[data-step=${step}]`);
  await element.waitFor({ timeout: STEP_TIMEOUT_MS });
  // The demo key holds one certificate; the picker selects it on its own.
  await element.locator('certificate-picker [role=option][aria-selected=true]').waitFor({ timeout: STEP_TIMEOUT_MS });
  await element.locator('pdf-page-view canvas').first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await element.locator('[part=sign-button]').click();
}

/**
 * Opens a document and returns once the leader's approval is stored by the server.
 * @param {import('playwright-core').Page} page @param {string} base @param {string} id
 */
export async function approve(page, base, id) {
  await page.goto(`${base}#/doc/${id}`);
  await waitForState(page, 'draft');
  await signStep(page, 'approve');
  await waitForState(page, 'approved');
}

/**
 * The clerk gives the number and the date.
 * @param {import('playwright-core').Page} page @param {string} number @param {string} isoDate
 */
export async function giveNumber(page, number, isoDate) {
  const form = page.locator('form[data-step=number]');
  await form.locator('input[name=number]').fill(number);
  await form.locator('input[name=date]').fill(isoDate);
  await form.locator('button[type=submit]').click();
  await waitForState(page, 'numbered');
}

/** The clerk issues with the agency's key. @param {import('playwright-core').Page} page */
export async function issue(page) {
  await signStep(page, 'issue');
  await waitForState(page, 'issued');
}

/** @param {import('playwright-core').Page} page */
export async function publish(page) {
  await page.locator('button[data-action=publish]').click();
  await waitForState(page, 'published');
}

/**
 * Waits until a <verify-badge> has a verdict and returns it.
 * @param {import('playwright-core').Locator} badge
 * @returns {Promise<string>}
 */
export async function badgeVerdict(badge) {
  await badge.waitFor({ timeout: STEP_TIMEOUT_MS });
  const handle = await badge.elementHandle();
  if (!handle) throw new Error('no badge');
  await badge.page().waitForFunction(
    (el) => {
      const s = /** @type {any} */ (el).state;
      return typeof s === 'string' && s !== 'loading' && s !== 'idle';
    },
    handle,
    { timeout: STEP_TIMEOUT_MS },
  );
  return handle.evaluate((el) => String(/** @type {any} */ (el).state));
}

/**
 * The portal page's badge of one document.
 * @param {import('playwright-core').Page} page @param {string} base @param {string} id
 */
export async function portalVerdict(page, base, id) {
  await page.goto(`${base}portal`);
  return badgeVerdict(page.locator(`li[data-doc="${id}"] verify-badge`));
}

/**
 * The receiving clerk picks a file in the inbox; returns the badge's verdict.
 * @param {import('playwright-core').Page} page @param {string} base @param {{ name: string, bytes: Uint8Array }} file
 */
export async function inboxVerdict(page, base, file) {
  await page.goto(`${base}#/inbox`);
  await page.locator('input[data-testid=pick]').setInputFiles({ name: file.name, mimeType: 'application/pdf', buffer: Buffer.from(file.bytes) });
  return badgeVerdict(page.locator('verify-badge[data-testid=inbox-badge]'));
}
