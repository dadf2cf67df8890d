// The example CSC server itself: the confirmation page in Chromium under its CSP, CORS, OAuth, the phone inbox,
// and `npm run remote-hsm`'s entry point as its own process.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CscAdapter } from '@kyso/adapters';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/chromium.mjs';
import { CLIENT_ID, CLIENT_SECRET, PHONE_KEYS, closeFixtureModule, startTestHsm, type TestHsm } from './harness.js';

let hsm: TestHsm;
let browser: Browser;
const digest = new Uint8Array(32).fill(3);
const leader = () => new CscAdapter({
  baseUrl: hsm.baseUrl, userID: 'leader', confirmation: { pollIntervalMs: 20, timeoutMs: 15_000 },
  auth: { type: 'client_credentials', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
  description: 'Quyết định số 12/QĐ-STTTT <b>không phải HTML</b>',
});
const rsa = { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

beforeAll(async () => {
  hsm = await startTestHsm({ allowedOrigins: ['https://qlvb.example'] });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
});

afterAll(async () => {
  await browser?.close();
  await hsm?.close();
  closeFixtureModule();
});

/** Waits for the next confirmation link on the leader's phone. */
async function nextLink(): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const box = await hsm.phone('leader');
    if (box.confirmations[0]) return box.confirmations[0].url;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no confirmation arrived');
}

describe('confirmation page (the "phone")', () => {
  it.each(['approve', 'reject'] as const)('Chromium opens the one-time link, shows the request under a strict CSP and the user clicks %s', async (decision) => {
    const signing = leader().sign({ certificateId: 'leader-rsa', algorithm: rsa, data: new Uint8Array(1), digest }).then(
      (v) => ({ ok: true as const, v }), (e: { code: string }) => ({ ok: false as const, code: e.code }));
    const link = await nextLink();
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && violations.push(m.text()));
    try {
      const res = await page.goto(link);
      expect(res!.headers()['content-security-policy']).toContain("default-src 'none'");
      expect(res!.headers()['x-frame-options']).toBe('DENY');
      expect(await page.textContent('#signer')).toContain('Nguyễn Văn An');
      expect(await page.textContent('#count')).toBe('1');
      // The description is shown as text, never as markup.
      expect(await page.textContent('#description')).toContain('<b>không phải HTML</b>');
      expect(await page.locator('#description b').count()).toBe(0);
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('main')!).borderRadius)).toBe('12px'); // the stylesheet loaded under CSP
      await page.click(`button[value=${decision}]`);
      expect(await page.getAttribute('#result', 'data-state')).toBe(decision === 'approve' ? 'approved' : 'rejected');
      // One-time: the link is dead afterwards.
      await page.goto(link);
      expect(await page.getAttribute('#result', 'data-state')).toBe('gone');
    } finally {
      await page.close();
    }
    const result = await signing;
    if (decision === 'approve') expect(result.ok && result.v.length).toBe(256);
    else expect(result).toEqual({ ok: false, code: 'ERR_CSC_AUTH_REJECTED' });
    expect(violations).toEqual([]);
  });

  it('the phone inbox needs the phone key, and a confirmation can also be answered by an HTTP call (JSON)', async () => {
    expect((await fetch(`${hsm.origin}/phone/leader`)).status).toBe(401);
    expect((await fetch(`${hsm.origin}/phone/leader`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    const started = leader().startAuthorization({ credentialId: 'leader-rsa', digests: [digest], hash: 'SHA-256' });
    const link = await nextLink();
    await started;
    const r = await fetch(link, { method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'decision=approve' });
    expect(await r.json()).toEqual({ state: 'approved' });
    const again = await fetch(link, { method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'decision=reject' });
    expect(again.status).toBe(404);
    expect((await fetch(`${hsm.origin}/confirm/not-a-real-code-at-all-xxxx`)).status).toBe(404);
  });
});

describe('HTTP surface', () => {
  it('answers CORS only for configured origins', async () => {
    const pre = (origin: string) => fetch(`${hsm.baseUrl}/credentials/list`, {
      method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    const ok = await pre('https://qlvb.example');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://qlvb.example');
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/Authorization/i);
    const no = await pre('https://evil.example');
    expect(no.status).toBe(403);
    expect(no.headers.get('access-control-allow-origin')).toBeNull();
    const info = await fetch(`${hsm.baseUrl}/info`, { method: 'POST', headers: { Origin: 'https://evil.example' }, body: '{}' });
    expect(info.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('info lists the methods; OAuth client credentials are checked; malformed requests get CSC errors', async () => {
    const info = (await (await fetch(`${hsm.baseUrl}/info`, { method: 'POST', body: '{}' })).json()) as { specs: string; methods: string[]; oauth2: string };
    expect(info.specs).toBe('2.0.0.2');
    expect(info.methods).toContain('credentials/authorizeCheck');
    expect(info.oauth2).toBe(hsm.origin);
    const token = (body: string, headers: Record<string, string> = {}) => fetch(hsm.tokenUrl, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body,
    });
    expect((await token(`grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=nope`)).status).toBe(401);
    expect((await token('grant_type=password&username=a&password=b')).status).toBe(400);
    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
    const good = (await (await token('grant_type=client_credentials', { Authorization: `Basic ${basic}` })).json()) as { access_token: string; token_type: string };
    expect(good.token_type).toBe('Bearer');
    const call = (method: string, body: string) => fetch(`${hsm.baseUrl}/${method}`, {
      method: 'POST', headers: { Authorization: `Bearer ${good.access_token}`, 'Content-Type': 'application/json' }, body,
    });
    const notJson = await call('credentials/list', '{"userID":');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: 'invalid_request' });
    expect((await call('constructor', '{}')).status).toBe(404);
    const badN = await call('credentials/authorize', JSON.stringify({ credentialID: 'leader-rsa', numSignatures: 0 }));
    expect(await badN.json()).toMatchObject({ error: 'invalid_request', error_description: 'Invalid value for parameter numSignatures' });
    const noHashes = await call('credentials/authorize', JSON.stringify({ credentialID: 'leader-rsa', numSignatures: 1 }));
    expect(noHashes.status).toBe(400); // SCAL 2: hashes are required
    const badPss = await call('signatures/signHash', JSON.stringify({
      credentialID: 'agency-seal', SAD: 'x', hashes: [Buffer.from(digest).toString('base64')], signAlgo: '1.2.840.113549.1.1.10', signAlgoParams: 'MAA=',
    }));
    expect(badPss.status).toBe(400);
  });
});

describe('npm run remote-hsm', () => {
  it('starts on SoftHSM2, prints the URLs and credentials, serves info, and stops on SIGTERM', async () => {
    const main = fileURLToPath(new URL('../server/main.mjs', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'kyso-remote-hsm-main-'));
    // main.mjs imports the built packages (as `npm run remote-hsm` does after `tsc -b`).
    const child = spawn(process.execPath, [main, '--port', '0', '--audit', join(dir, 'audit.jsonl')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const origin = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`did not start:\n${out}`)), 60_000);
        child.stdout.on('data', () => {
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
      });
      expect(out).toContain(`${origin}/csc/v2`);
      expect(out).toContain('leader-rsa, leader-p256, leader-rsa3072, leader-otp, agency-seal');
      const secret = /client\s+qlvb-demo \/ (\S+)/.exec(out)![1]!;
      const adapter = new CscAdapter({ baseUrl: `${origin}/csc/v2`, userID: 'agency', auth: { type: 'client_credentials', clientId: 'qlvb-demo', clientSecret: secret } });
      const sig = await adapter.sign({ certificateId: 'agency-seal', algorithm: rsa, data: new Uint8Array(1), digest });
      expect(sig.length).toBe(256);
      expect(readFileSync(join(dir, 'audit.jsonl'), 'utf8')).toContain('"outcome":"signed"');
      expect(out).not.toContain(PHONE_KEYS.leader);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
