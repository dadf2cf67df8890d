import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createKyso } from '@kyso/core/worker';
import '../../../src/verify-badge/define.js';
import '../../../src/sign-document/define.js';
import type { ErrorDetail } from '../../../src/shared/error-detail.js';
import { fixture, mount, nextEvent } from '../verify/helpers.js';
import { INJECTED } from './fault-worker.js';

afterEach(() => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

describe('a failure kyso does not recognise reaches the page as ERR_INTERNAL, with its cause', { timeout: 120_000 }, () => {
  const faulty = createKyso({ worker: new Worker(new URL('./fault-worker.ts', import.meta.url), { type: 'module' }) });
  afterAll(() => faulty.terminate());

  it('a TypeError thrown in the worker is ERR_INTERNAL (not ERR_IO) in kyso-error, with the original message and stack in detail.cause, logged once', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const el = document.createElement('verify-badge');
    el.client = faulty;
    mount(el, 'vi');
    const failed = nextEvent<ErrorDetail>(el, 'kyso-error');
    el.data = await fixture('samples/simple.pdf');
    const detail = (await failed).detail;

    expect(detail.code).toBe('ERR_INTERNAL');
    expect(detail.message).toMatch(/^Đã xảy ra lỗi nội bộ/);
    const cause = detail.cause as Error;
    expect(cause.name).toBe('TypeError');
    expect(cause.message).toBe(INJECTED);
    // The stack is the worker's, where the TypeError was thrown, not the page's.
    expect(cause.stack).toContain('fault-worker');
    expect(el.error?.code).toBe('ERR_INTERNAL');

    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged.mock.calls[0]).toContain(cause);
    expect(String(logged.mock.calls[0]![0])).toContain('<verify-badge>');
  });
});

describe('<sign-document role="…">: the ARIA attribute written for the Decree 30 role', () => {
  it('warns on the console, naming signature-role, and still signs as the default role', async () => {
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const host = document.createElement('div');
    host.innerHTML = '<sign-document role="issue"></sign-document>';
    mount(host);
    const el = host.querySelector('sign-document')!;
    await el.updateComplete;
    expect(warned).toHaveBeenCalledTimes(1);
    const text = String(warned.mock.calls[0]![0]);
    expect(text).toContain('signature-role="issue"');
    expect(text).toContain('"approve"');
    expect(el.signatureRole).toBe('approve');
  });

  it('says nothing for signature-role, nor for an ARIA role that is no Decree 30 role', async () => {
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const host = document.createElement('div');
    host.innerHTML = '<sign-document signature-role="issue"></sign-document><sign-document role="region"></sign-document>';
    mount(host);
    for (const el of host.querySelectorAll('sign-document')) await el.updateComplete;
    expect(warned).not.toHaveBeenCalled();
    expect(host.querySelector('sign-document')!.signatureRole).toBe('issue');
  });
});
