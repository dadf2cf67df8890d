// <sign-document> with an adapter that signs through a confirmation on the signer's phone: @kyso/adapters'
// RemoteSigningAdapter (its real polling and outcome handling), whose integrator back end is answered in the page
// (the adapter's `fetch` option). The back end's "service" holds the leader's test key and signs the digest when
// the test, acting as the signer's phone, approves; the element verifies the result with core as always.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKyso } from '@kyso/core/worker';
import { RemoteSigningAdapter } from '@kyso/adapters';
import '../../src/sign-document/define.js';
import type { SignDocument, SignedDetail } from '../../src/sign-document/define.js';
import { fixture, fixtureText } from '../../../core/test/browser/fixtures.js';

const client = createKyso();
let pdf: Uint8Array;
let root: Uint8Array;
let leaderCert: Uint8Array;
let intermediate: Uint8Array;
let key: { n: bigint; d: bigint; bytes: number };

const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const bigOf = (b64url: string) => BigInt(`0x${[...unb64(b64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(b64url.length / 4) * 4, '='))].map((x) => x.toString(16).padStart(2, '0')).join('')}`);

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let r = 1n;
  base %= mod;
  for (; exp > 0n; exp >>= 1n, base = (base * base) % mod) if (exp & 1n) r = (r * base) % mod;
  return r;
}

/** RSASSA-PKCS1-v1_5 over a SHA-256 digest (RFC 8017 §8.2.1, §9.2): what the service's HSM does with the digest it gets. */
function signDigest(digest: Uint8Array): Uint8Array {
  const prefix = [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];
  const t = [...prefix, ...digest];
  const em = [0x00, 0x01, ...new Array<number>(key.bytes - t.length - 3).fill(0xff), 0x00, ...t];
  const s = modPow(BigInt(`0x${em.map((x) => x.toString(16).padStart(2, '0')).join('')}`), key.d, key.n);
  const hex = s.toString(16).padStart(key.bytes * 2, '0');
  return Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
}

type Decision = 'approve' | 'reject' | 'expire' | 'cancel';

/**
 * The integrator's back end as the page sees it (`certificates`, `start`, `status`, `cancel`), answering for a
 * service with a 5-minute window. `phone(decision)` waits for the next transaction and settles it.
 */
/** `settledAtStart`: the service signs when it starts (VNPT SmartCA TH, a synchronous signHash): no window. */
function phoneService(settledAtStart = false) {
  let tx: { id: string; digests: Uint8Array[]; state: string; signatures?: string[]; expiresAt: string } | undefined;
  let started: () => void = () => undefined;
  /** Set by a test: the back end answers `start` only once it resolves. */
  let holdStart: Promise<void> | undefined;
  let startCalled: () => void = () => undefined;
  const startReached = new Promise<void>((r) => (startCalled = r));
  const cancels: string[] = [];
  const answer = (body: unknown) => ({ status: 200, text: async () => JSON.stringify(body) });
  const adapter = new RemoteSigningAdapter({
    endpoint: 'https://qlvb.example/api/kyso-remote',
    capabilities: { schemes: ['RSASSA-PKCS1-v1_5'], hashes: ['SHA-256'] },
    poll: { intervalMs: 10, maxIntervalMs: 20 },
    fetch: async (url, init) => {
      const body = JSON.parse(init.body) as { id?: string; digests?: string[]; credentialId?: string };
      switch (url.slice(url.lastIndexOf('/') + 1)) {
        case 'certificates':
          return answer({ certificates: [{ id: 'leader-rsa', certificate: b64(leaderCert), chain: [b64(intermediate)] }] });
        case 'start': {
          const now = Date.now();
          tx = { id: `tx-${now}`, digests: body.digests!.map(unb64), state: 'pending', expiresAt: new Date(now + (settledAtStart ? 0 : 300_000)).toISOString() };
          if (settledAtStart) Object.assign(tx, { state: 'confirmed', signatures: tx.digests.map((d) => b64(signDigest(d))) });
          started();
          startCalled();
          if (holdStart) {
            // The back end has started the transaction (the phone is asked); its answer is held. Like a real fetch,
            // an abort meanwhile drops the answer, not the transaction.
            await Promise.race([holdStart, new Promise((_, reject) => {
              if (init.signal.aborted) reject(new DOMException('aborted', 'AbortError'));
              init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true });
            })]);
          }
          return answer({ transaction: {
            kind: 'kyso.remote-transaction', version: 1, id: tx.id, service: 'test', credentialId: body.credentialId, count: tx.digests.length,
            hash: 'SHA-256', scheme: 'RSASSA-PKCS1-v1_5', delivery: 'poll', startedAt: new Date(now).toISOString(), expiresAt: tx.expiresAt,
          } });
        }
        case 'status':
          if (body.id !== tx?.id) return { status: 404, text: async () => '{}' };
          return answer({ state: tx.state, ...(tx.signatures ? { signatures: tx.signatures } : {}) });
        case 'cancel':
          cancels.push(body.id!);
          if (tx && body.id === tx.id) tx.state = 'cancelled';
          return answer({});
        default:
          return { status: 404, text: async () => '{}' };
      }
    },
  });
  const phone = async (decision: Decision) => {
    if (!tx || tx.state !== 'pending') await new Promise<void>((r) => (started = r));
    const t = tx!;
    if (decision === 'approve') t.signatures = t.digests.map((d) => b64(signDigest(d)));
    t.state = { approve: 'confirmed', reject: 'rejected', expire: 'expired', cancel: 'cancelled' }[decision];
    return t;
  };
  const waiting = async () => {
    if (!tx || tx.state !== 'pending') await new Promise<void>((r) => (started = r));
    return tx!;
  };
  const hold = () => {
    let release!: () => void;
    holdStart = new Promise<void>((r) => (release = r));
    return release;
  };
  return { adapter, phone, waiting, cancels, hold, startReached, transaction: () => tx };
}

beforeAll(async () => {
  pdf = await fixture('samples/simple.pdf');
  root = await fixture('pki/root.cert.der');
  leaderCert = await fixture('pki/leader.cert.der');
  intermediate = await fixture('pki/intermediate.cert.der');
  const pem = await fixtureText('pki/leader.key.pem');
  const der = unb64(pem.replace(/-----[^-]+-----|\s/g, ''));
  const k = await crypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['sign']);
  const jwk = await crypto.subtle.exportKey('jwk', k);
  const n = bigOf(jwk.n!);
  key = { n, d: bigOf(jwk.d!), bytes: Math.ceil(n.toString(16).length / 2) };
});
afterEach(() => document.body.replaceChildren());
afterAll(() => client.terminate());

async function mount(adapter: RemoteSigningAdapter, lang: 'vi' | 'en', extra: Partial<SignDocument> = {}): Promise<SignDocument> {
  const el = document.createElement('sign-document');
  el.lang = lang;
  Object.assign(el, { client, adapter, data: pdf, trust: [root], ...extra });
  const chosen = new Promise((r) => el.addEventListener('kyso-certificate-selected', r, { once: true }));
  document.body.append(el);
  await chosen;
  await el.updateComplete;
  return el;
}

const part = (el: SignDocument, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const next = <T>(el: EventTarget, type: string) => new Promise<CustomEvent<T>>((r) => el.addEventListener(type, (e) => r(e as CustomEvent<T>), { once: true }));

/** Clicks sign and resolves once the element shows the wait for the phone. */
async function signAndWait(el: SignDocument, service: ReturnType<typeof phoneService>) {
  part(el, 'sign-button')!.click();
  const tx = await service.waiting();
  await expect.poll(() => part(el, 'countdown')).not.toBeNull();
  return tx;
}

describe('<sign-document> waiting for the signer\'s phone', () => {
  it('shows "Xác nhận trên điện thoại" with the time left to the window end and a cancel button, then signs once approved', async () => {
    const service = phoneService();
    const el = await mount(service.adapter, 'vi');
    const tx = await signAndWait(el, service);
    const wait = part(el, 'status')!;
    expect(wait.querySelector('[role="status"]')!.textContent).toContain('Xác nhận trên điện thoại');
    expect(wait.querySelector('[role="status"]')!.getAttribute('aria-live')).toBe('polite');
    // The countdown counts to the service's expiresAt (5 minutes here), not to some default of the element.
    const [m, s] = part(el, 'countdown')!.textContent!.split(':').map(Number);
    const left = m! * 60 + s!;
    expect(left).toBeGreaterThan(240);
    expect(left).toBeLessThanOrEqual(Math.ceil((Date.parse(tx.expiresAt) - Date.now()) / 1000) + 1);
    expect(part(el, 'countdown')!.getAttribute('role')).toBe('timer');
    expect(part(el, 'cancel-button')!.textContent!.trim()).toBe('Hủy ký');
    expect(el.shadowRoot!.querySelector('[style]')).toBeNull(); // strict CSP: no inline styles

    const signed = next<SignedDetail>(el, 'kyso-signed');
    await service.phone('approve');
    const { detail } = await signed;
    expect(detail.report.signatures).toHaveLength(1);
    const [sig] = detail.report.signatures;
    // The signature value the "phone" made is over the element's own signed attributes, under the leader's certificate.
    expect(sig).toMatchObject({ integrity: 'intact' });
    expect(sig!.indication).not.toBe('TOTAL_FAILED');
    expect(sig!.signer.commonName).toBe('Nguyễn Văn Đức');
    expect(part(el, 'countdown')).toBeNull();
    expect(service.cancels).toEqual([]);
  });

  it.each([
    ['reject', 'ERR_REMOTE_REJECTED'],
    ['expire', 'ERR_REMOTE_EXPIRED'],
    ['cancel', 'ERR_REMOTE_CANCELLED'],
  ] as const)('a transaction the phone or service settles as %s ends in kyso-error %s, in the element\'s language', async (decision, code) => {
    for (const lang of ['vi', 'en'] as const) {
      const service = phoneService();
      const el = await mount(service.adapter, lang);
      await signAndWait(el, service);
      if (lang === 'en') expect(part(el, 'status')!.textContent).toContain('Confirm on your phone');
      const failed = next<{ code: string; message: string }>(el, 'kyso-error');
      await service.phone(decision);
      const { detail } = await failed;
      expect(detail.code).toBe(code);
      await el.updateComplete;
      const alert = el.shadowRoot!.querySelector('[role="alert"]')!;
      expect(alert.textContent).toContain(code);
      expect(alert.textContent).toContain(detail.message);
      expect(part(el, 'countdown')).toBeNull();
      el.remove();
    }
  });

  it('cancel() while the back end is starting the transaction still cancels it there once it is known', async () => {
    const service = phoneService();
    const el = await mount(service.adapter, 'vi');
    const release = service.hold();
    let errors = 0;
    el.addEventListener('kyso-error', () => errors++);
    part(el, 'sign-button')!.click();
    await service.startReached;
    el.cancel();
    release();
    await expect.poll(() => part(el, 'status')?.textContent?.trim()).toBe('Đã hủy ký.');
    await expect.poll(() => service.cancels).toEqual([service.transaction()!.id]);
    expect(errors).toBe(0);
    expect(part(el, 'countdown')).toBeNull();
  });

  it('the cancel button cancels the transaction at the service and ends as "cancelled", without kyso-error', async () => {
    const service = phoneService();
    const el = await mount(service.adapter, 'en');
    const tx = await signAndWait(el, service);
    let errors = 0;
    el.addEventListener('kyso-error', () => errors++);
    let signedEvents = 0;
    el.addEventListener('kyso-signed', () => signedEvents++);
    part(el, 'cancel-button')!.click();
    await expect.poll(() => part(el, 'status')?.textContent?.trim()).toBe('Signing was cancelled.');
    await expect.poll(() => service.cancels).toEqual([tx.id]);
    expect(el.pending).toBe(false);
    expect(errors).toBe(0);
    expect(signedEvents).toBe(0);
    expect(part(el, 'countdown')).toBeNull();
  });

  it('a transaction the service settled when it started (no window) signs without showing the wait', async () => {
    const service = phoneService(true);
    const el = await mount(service.adapter, 'vi', { resumeKey: 'van-ban-9' });
    let waitShown = false;
    const watch = new MutationObserver(() => {
      if (part(el, 'countdown')) waitShown = true;
    });
    watch.observe(el.shadowRoot!, { subtree: true, childList: true });
    const signed = next<SignedDetail>(el, 'kyso-signed');
    part(el, 'sign-button')!.click();
    const { detail } = await signed;
    watch.disconnect();
    expect(detail.report.signatures[0]).toMatchObject({ integrity: 'intact' });
    expect(waitShown).toBe(false);
    expect(sessionStorage.length).toBe(0);
  });

  describe('resume-key: what the tab keeps while the phone is asked', () => {
    const KEY = 'kyso.sign-document:van-ban-7';
    afterEach(() => sessionStorage.clear());

    it('keeps the prepared signature and the transaction in sessionStorage while waiting, and nothing once signed', async () => {
      const service = phoneService();
      const el = await mount(service.adapter, 'vi', { resumeKey: 'van-ban-7' });
      const tx = await signAndWait(el, service);
      const kept = JSON.parse(sessionStorage.getItem(KEY)!) as { prepared: { kind: string }; transaction: { id: string; expiresAt: string } };
      expect(kept.prepared.kind).toBe('kyso.prepared-signature');
      expect(kept.transaction).toMatchObject({ id: tx.id, expiresAt: tx.expiresAt });
      expect(localStorage.length).toBe(0);
      const signed = next<SignedDetail>(el, 'kyso-signed');
      await service.phone('approve');
      await signed;
      expect(sessionStorage.getItem(KEY)).toBeNull();
    });

    it('without resume-key nothing is kept', async () => {
      const service = phoneService();
      const el = await mount(service.adapter, 'en');
      await signAndWait(el, service);
      expect(sessionStorage.length).toBe(0);
      el.cancel();
    });

    it('a rejected transaction is not kept for a reload', async () => {
      const service = phoneService();
      const el = await mount(service.adapter, 'vi', { resumeKey: 'van-ban-7' });
      await signAndWait(el, service);
      const failed = next(el, 'kyso-error');
      await service.phone('reject');
      await failed;
      expect(sessionStorage.getItem(KEY)).toBeNull();
    });

    it('kept for another document under the same key: dropped and its transaction cancelled, no wait shown', async () => {
      const service = phoneService();
      const first = await mount(service.adapter, 'vi', { resumeKey: 'van-ban-7' });
      const tx = await signAndWait(first, service);
      const kept = sessionStorage.getItem(KEY)!;
      first.cancel();
      await expect.poll(() => service.cancels.length).toBe(1);
      // As if the page had been reloaded mid-wait, then given another document under the same key.
      sessionStorage.setItem(KEY, kept);
      let errors = 0;
      const other = await mount(service.adapter, 'vi', { resumeKey: 'van-ban-7', data: await fixture('samples/vietnamese.pdf') });
      other.addEventListener('kyso-error', () => errors++);
      await expect.poll(() => sessionStorage.getItem(KEY)).toBeNull();
      await expect.poll(() => service.cancels).toEqual([tx.id, tx.id]);
      expect(part(other, 'countdown')).toBeNull();
      expect(other.pending).toBe(false);
      expect(errors).toBe(0);
    });
  });
});
