import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { sign, verify, type VerificationReport } from '@kyso/core';
import { Pkcs12Adapter } from '@kyso/adapters';
import { createKyso } from '@kyso/core/worker';
import '../../../src/signature-panel/define.js';
import type { ChangesDetail, SignaturePanel } from '../../../src/signature-panel/define.js';
import type { PdfPageView } from '../../../src/pdf-page-view/define.js';
import { signedSample, tampered, VALIDATED_AT, withAnnotation } from './documents.js';
import { expectAccessible, fixture, mount, nextEvent, until } from './helpers.js';

let root: Uint8Array;
beforeAll(async () => {
  root = await fixture('pki/root.cert.der');
});
afterEach(() => document.body.replaceChildren());

const check = (pdf: Uint8Array): Promise<VerificationReport> => verify(pdf, { trust: [root], revocation: 'off', at: VALIDATED_AT });

function panel(report: VerificationReport, data: Uint8Array, lang = 'en'): SignaturePanel {
  const el = document.createElement('signature-panel');
  el.report = report;
  el.data = data;
  return mount(el, lang);
}

const viewer = (el: SignaturePanel) => el.shadowRoot!.querySelector('pdf-page-view') as PdfPageView | null;
const button = (el: SignaturePanel, index: number, action: string) =>
  el.shadowRoot!.querySelectorAll('[part~="signature"]')[index]!.querySelector(`[data-action="${action}"]`) as HTMLButtonElement;

/** A signature's facts, as the panel's description list pairs them (term → description). */
const facts = (item: Element) =>
  new Map([...item.querySelectorAll('dt')].map((dt) => [dt.textContent!.trim(), (dt.nextElementSibling as HTMLElement).textContent!.replace(/\s+/g, ' ').trim()]));

/** Where an added annotation is drawn (PDF user space of page 1). */
const ADDED: [number, number, number, number] = [100, 500, 250, 560];

describe('<signature-panel>', { timeout: 120_000 }, () => {
  it('lists both signatures of a document signed twice (report from kyso\'s worker), with signer, times, chain, coverage and changes', async () => {
    const kyso = createKyso();
    try {
      const once = await signedSample('leader');
      const seal = await Pkcs12Adapter.open(await fixture('pki/seal.p12'), 'kyso-test');
      const signedTwice = await sign(once, { adapter: seal, signingTime: new Date('2026-03-06T01:00:00Z') });
      const report = await kyso.verify(signedTwice, { trust: [root], revocation: 'off', at: VALIDATED_AT }, { transfer: false });
      const el = panel(report, signedTwice, 'vi');
      await el.updateComplete;
      const items = el.shadowRoot!.querySelectorAll('[part~="signature"]');
      expect(items).toHaveLength(2);
      expect(items[0]!.querySelector('h3')!.textContent).toBe('Chữ ký 1: Chưa xác định được tính hợp lệ');
      const first = facts(items[0]!);
      expect(first.get('Người ký')).toMatch(/^Nguyễn /);
      expect(first.get('Thời gian ký (theo máy người ký)')).toBe('05/03/2026 14:30:12 +07:00');
      expect(first.get('Thời gian ký (theo dấu thời gian)')).toBe('không có');
      expect(first.get('Kết luận (ETSI EN 319 102-1)')).toBe('INDETERMINATE / TRY_LATER');
      expect(first.get('Phạm vi ký')).toBe('một phiên bản trước của tài liệu (có nội dung được thêm sau khi ký)');
      expect(items[0]!.querySelectorAll('dd ol li')).toHaveLength(3); // leaf, intermediate, root
      expect(first.get('Chuỗi chứng thư')).toContain('Nguồn tin cậy: CN=TEST RootCA chuyên dùng Chính phủ kyso');
      expect(first.get('Thay đổi sau khi ký')).toMatch(/\(được phép\)$/);
      expect(facts(items[1]!).get('Phạm vi ký')).toBe('toàn bộ tài liệu hiện tại');
      // The second signature covers the whole file: nothing to compare.
      expect(button(el, 1, 'what-changed').disabled).toBe(true);
      expect(el.signedLengths).toEqual([once.length, signedTwice.length]);

      button(el, 0, 'view-signed').click();
      await el.updateComplete;
      const view = viewer(el)!;
      expect(view.data!.length).toBe(once.length);
      expect(view.data).toEqual(once);
      await until(() => view.renderedPages.includes(1), 'the signed version drawn');
      await expectAccessible(el);
    } finally {
      kyso.terminate();
    }
  });

  it('outlines exactly where an annotation was added after signing, and nothing that did not change', async () => {
    const signed = await signedSample('leader', 'samples/vietnamese.pdf');
    const changed = withAnnotation(signed, ADDED);
    const report = await check(changed);
    expect(report.signatures[0]!.coversWholeFile).toBe(false);
    const el = panel(report, changed);
    await el.updateComplete;
    const found = nextEvent<ChangesDetail>(el, 'kyso-changes');
    button(el, 0, 'what-changed').click();
    const { detail } = await found;
    expect(detail).toMatchObject({ signature: 0, comparedPages: 1, addedPages: [], removedPages: [] });
    expect(detail.regions).toHaveLength(1);
    const [x1, y1, x2, y2] = detail.regions[0]!.rect;
    // Contains the annotation (to the pixel, at 1.5 px/pt: within 1 pt) …
    expect(x1).toBeLessThanOrEqual(ADDED[0] + 1);
    expect(y1).toBeLessThanOrEqual(ADDED[1] + 1);
    expect(x2).toBeGreaterThanOrEqual(ADDED[2] - 1);
    expect(y2).toBeGreaterThanOrEqual(ADDED[3] - 1);
    // … and not the unchanged page around it (the cell size, 4 px, is under 3 pt).
    expect(x1).toBeGreaterThanOrEqual(ADDED[0] - 3);
    expect(y1).toBeGreaterThanOrEqual(ADDED[1] - 3);
    expect(x2).toBeLessThanOrEqual(ADDED[2] + 3);
    expect(y2).toBeLessThanOrEqual(ADDED[3] + 3);

    // The outline is drawn over the current document, at the region's place.
    await el.updateComplete;
    const view = viewer(el)!;
    expect(view.data).toBe(changed);
    const box = await until(() => view.shadowRoot!.querySelector<HTMLElement>('[part~="overlay-changed"]'), 'the outline');
    const page = view.shadowRoot!.querySelector('.page[data-page="1"]') as HTMLElement;
    const scale = page.offsetWidth / 595.28;
    expect(box.offsetLeft / scale).toBeCloseTo(x1, -0.5);
    expect(box.offsetWidth / scale).toBeCloseTo(x2 - x1, -0.5);
    expect(el.shadowRoot!.querySelector('[part="viewer-status"]')!.textContent).toContain('1 regions that look different');
  });

  it('finds no region when only a later invisible signature was added', async () => {
    const once = await signedSample('leader');
    const seal = await Pkcs12Adapter.open(await fixture('pki/seal.p12'), 'kyso-test');
    const twice = await sign(once, { adapter: seal });
    const el = panel(await check(twice), twice);
    await el.updateComplete;
    const result = await el.showChanges(0);
    expect(result).toMatchObject({ regions: [], comparedPages: 1 });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="viewer-status"]')!.textContent).toMatch(/^Nothing looks different from what .+ signed\.$/);
  });

  it('shows a tampered signature as invalid, and copies the JSON report to the clipboard', async () => {
    const bad = tampered(await signedSample('leader'));
    const report = await check(bad);
    const el = panel(report, bad);
    await el.updateComplete;
    const item = el.shadowRoot!.querySelector('[part~="signature"]')!;
    expect(item.getAttribute('data-state')).toBe('invalid');
    expect(item.textContent).toContain('signed content altered');
    // A real click (user activation) lets the page write to the clipboard; pasting it back proves what was written.
    const copied = nextEvent(el, 'kyso-report-copied');
    await userEvent.click(el.shadowRoot!.querySelector('[part="copy-button"]')!);
    await copied;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('header [role="status"]')!.textContent).toBe('Report copied.');
    const paste = document.createElement('textarea');
    paste.setAttribute('aria-label', 'paste');
    document.body.append(paste);
    paste.focus();
    await userEvent.keyboard('{Control>}v{/Control}');
    expect(JSON.parse(paste.value)).toEqual(JSON.parse(JSON.stringify(report)));
    paste.remove();
    await expectAccessible(el);
  });
});
