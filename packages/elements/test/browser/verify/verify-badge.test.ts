import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { createKyso } from '@kyso/core/worker';
import type { KysoClient } from '@kyso/core/worker';
import type { VerificationReport } from '@kyso/core';
import '../../../src/verify-badge/define.js';
import type { VerifyBadge } from '../../../src/verify-badge/define.js';
import { nodeSide, routedFetch } from '../../../../core/test/browser/node-side.js';
import { inPageClient, signedSample, tampered, VALIDATED_AT, withAnnotation } from './documents.js';
import { expectAccessible, fixture, mount, nextEvent, until } from './helpers.js';

let root: Uint8Array;
let routes: Record<string, string>;
const servers: string[] = [];

beforeAll(async () => {
  root = await fixture('pki/root.cert.der');
  const revocation = await nodeSide.startRevocation();
  servers.push(revocation.id);
  routes = revocation.routes;
});
afterAll(() => nodeSide.stopServers(servers));
afterEach(() => document.body.replaceChildren());

/** A badge trusting the test root, checking revocation online through the local OCSP/CRL servers, at a fixed time. */
function badge(client: KysoClient, lang = 'vi'): VerifyBadge {
  const el = document.createElement('verify-badge');
  el.trustProfile = 'none';
  el.trust = [root];
  el.revocation = 'online';
  el.fetch = routedFetch(routes);
  el.at = VALIDATED_AT;
  el.client = client;
  return mount(el, lang);
}

async function verified(el: VerifyBadge, data: Uint8Array): Promise<VerificationReport> {
  const done = nextEvent<VerificationReport>(el, 'kyso-verified');
  el.data = data;
  const report = (await done).detail;
  await el.updateComplete;
  return report;
}

const text = (el: VerifyBadge, part: string) => el.shadowRoot!.querySelector(`[part~="${part}"]`)?.textContent?.replace(/\s+/g, ' ').trim();

describe('<verify-badge> with kyso\'s worker', { timeout: 120_000 }, () => {
  const kyso = createKyso();
  afterAll(() => kyso.terminate());

  it('shows "valid" for a signature TOTAL_PASSED (chain to the test root, CRL/OCSP fetched by the page), with the signer and Vietnam time', async () => {
    const el = badge(kyso);
    const report = await verified(el, await signedSample('leader'));
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', revocation: { status: 'good' } });
    expect(el.state).toBe('valid');
    expect(text(el, 'title')).toBe('Chữ ký số hợp lệ');
    expect(text(el, 'signer')).toMatch(/^Người ký: Nguyễn .+ lúc 05\/03\/2026 14:30:12 \+07:00 \(theo máy người ký\)$/);
    expect(el.shadowRoot!.querySelector('[part="badge"]')!.getAttribute('data-state')).toBe('valid');
    await expectAccessible(el);
  });

  it('valid offline with revocationData: the CRLs an intranet back end downloaded, through the worker, no network at all', async () => {
    const el = badge(kyso);
    el.revocation = 'embedded';
    el.fetch = undefined;
    el.revocationData = { crls: [await fixture('pki/intermediate.crl.der'), await fixture('pki/root.crl.der')] };
    const report = await verified(el, await signedSample('leader'));
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', revocation: { status: 'good', source: ['crl-supplied'] } });
    expect(el.state).toBe('valid');
  });

  it('fetches `src` itself and names the file in the report; an unreachable URL is ERR_IO', async () => {
    const el = badge(kyso, 'en');
    el.revocation = 'off';
    const done = nextEvent<VerificationReport>(el, 'kyso-verified');
    el.src = `/@fs${await commands.fixturesRoot()}/samples/vietnamese.pdf`;
    expect((await done).detail).toMatchObject({ file: 'vietnamese.pdf', signatures: [] });
    expect(el.state).toBe('unsigned');
    const failed = nextEvent<{ code: string }>(el, 'kyso-error');
    el.src = `/@fs${await commands.fixturesRoot()}/samples/no-such-file.pdf`;
    expect((await failed).detail.code).toBe('ERR_IO');
  });

  it('keeps the bytes it was given (the worker gets a copy) and reports a file that is not a PDF as a typed error', async () => {
    const el = badge(kyso, 'en');
    const failed = nextEvent<{ code: string; message: string }>(el, 'kyso-error');
    const garbage = new TextEncoder().encode('%PDF-1.7\nnot really a PDF\n');
    el.data = garbage;
    const { detail } = await failed;
    await el.updateComplete;
    expect(garbage.byteLength).toBe(26);
    expect(detail.code).toMatch(/^ERR_PDF_/);
    expect(el.state).toBe('error');
    expect(text(el, 'title')).toBe('The document could not be checked');
    expect(text(el, 'signer')).toBe(detail.message);
  });
});

describe('<verify-badge> states (core in the page)', { timeout: 120_000 }, () => {
  it('invalid: one byte changed inside the signed range', async () => {
    const el = badge(inPageClient());
    const report = await verified(el, tampered(await signedSample('leader')));
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', integrity: 'broken' });
    expect(el.state).toBe('invalid');
    expect(text(el, 'title')).toBe('Chữ ký số không hợp lệ');
  });

  it('modified: an annotation added after an approval signature (not allowed without certification)', async () => {
    const el = badge(inPageClient(), 'en');
    const report = await verified(el, withAnnotation(await signedSample('leader'), [100, 500, 250, 560]));
    expect(report.signatures[0]!.modifications.verdict).toBe('disallowed');
    expect(el.state).toBe('modified');
    expect(text(el, 'title')).toBe('Modified after signing');
  });

  it('valid with permitted changes: an annotation added after a certification that allows annotations (P=3)', async () => {
    const el = badge(inPageClient(), 'en');
    const report = await verified(el, withAnnotation(await signedSample('seal', 'samples/simple.pdf', { certify: 3 }), [100, 500, 250, 560]));
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', modifications: { verdict: 'allowed' } });
    expect(report.lastRevisionSigned).toBe(false);
    expect(el.state).toBe('valid-changes');
    expect(text(el, 'title')).toBe('Valid, with permitted changes after signing');
  });

  it('revoked: the test PKI revoked this leaf before the signing time (the CRL/OCSP servers say so)', async () => {
    const el = badge(inPageClient());
    const report = await verified(el, await signedSample('revoked'));
    expect(report.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE' });
    expect(el.state).toBe('revoked');
  });

  it('expired: the leaf expired in 2021; without a timestamp nothing proves the signature older', async () => {
    const el = badge(inPageClient());
    const report = await verified(el, await signedSample('expired'));
    expect(report.signatures[0]!.subIndication).toMatch(/EXPIRED|OUT_OF_BOUNDS/);
    expect(el.state).toBe('expired');
  });

  it('unknown: a leaf under a root the badge does not trust stays unknown, never valid', async () => {
    const el = badge(inPageClient());
    const report = await verified(el, await signedSample('offline'));
    expect(report.signatures[0]!.indication).toBe('INDETERMINATE');
    expect(el.state).toBe('unknown');
    expect(text(el, 'title')).toBe('Chưa xác định được tính hợp lệ');
  });

  it('unknown: revocation off leaves a good signature INDETERMINATE/TRY_LATER', async () => {
    const el = badge(inPageClient());
    el.revocation = 'off';
    const report = await verified(el, await signedSample('leader'));
    expect(report.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(el.state).toBe('unknown');
  });

  it('not signed: a sample without signatures', async () => {
    const el = badge(inPageClient(), 'en');
    await verified(el, await fixture('samples/simple.pdf'));
    expect(el.state).toBe('unsigned');
    expect(text(el, 'title')).toBe('Not signed');
    expect(el.shadowRoot!.querySelector('[part="details-button"]')).not.toBeNull();
  });

  it('loading: a progress bar while the client works, then the verdict; one verification for several inputs set together', async () => {
    const inner = inPageClient();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: KysoClient = {
      ...inner,
      async verify(pdf, options, call) {
        call?.onProgress?.({ phase: 'hash', done: pdf.length / 2, total: pdf.length });
        await gate;
        return inner.verify(pdf, options, call);
      },
    };
    const el = badge(slow);
    el.data = await signedSample('leader');
    el.revocation = 'off';
    await until(() => el.shadowRoot!.querySelector('progress'), 'the progress bar');
    expect(el.state).toBe('loading');
    expect(text(el, 'title')).toBe('Đang kiểm tra chữ ký số…');
    await until(() => el.shadowRoot!.querySelector('progress')!.value === 50, 'progress 50 %');
    const done = nextEvent(el, 'kyso-verified');
    release();
    await done;
    expect(inner.calls).toBe(1);
    expect(el.state).toBe('unknown');
  });

  it('the details dialog lists every signature and loads <signature-panel> only when asked; Escape closes it and focus returns', async () => {
    const el = badge(inPageClient(), 'en');
    await verified(el, await signedSample('leader'));
    const button = el.shadowRoot!.querySelector('[part="details-button"]') as HTMLButtonElement;
    button.focus();
    button.click();
    const dialog = el.shadowRoot!.querySelector('dialog')!;
    expect(dialog.open).toBe(true);
    expect(dialog.querySelectorAll('[part="signature-list"] li')).toHaveLength(1);
    expect(dialog.textContent).toContain('Signature 1: ✔ Signature valid');
    await expectAccessible(el);

    // Neither the panel nor pdf.js has been loaded yet: the badge alone stays small.
    // (pdf.js's main module sets `globalThis.pdfjsLib` when it is evaluated.)
    const pdfjsLoaded = () => 'pdfjsLib' in globalThis;
    expect(customElements.get('signature-panel')).toBeUndefined();
    expect(pdfjsLoaded()).toBe(false);
    (dialog.querySelector('[part="panel-button"]') as HTMLButtonElement).click();
    const panel = await until(() => el.shadowRoot!.querySelector('signature-panel'), 'the signature panel');
    expect(customElements.get('signature-panel')).toBeDefined();
    await panel.updateComplete;
    expect(panel.report).toBe(el.report);
    expect(panel.shadowRoot!.querySelectorAll('[part~="signature"]')).toHaveLength(1);
    // pdf.js comes with the first page shown.
    panel.showSignedVersion(0);
    await panel.updateComplete;
    const view = panel.shadowRoot!.querySelector('pdf-page-view')!;
    await until(() => view.renderedPages.includes(1), 'the signed version drawn');
    expect(pdfjsLoaded()).toBe(true);

    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    dialog.close();
    await until(() => el.shadowRoot!.activeElement === button, 'focus back on the details button');
  });
});
