import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import axe from 'axe-core';
import { verify, type SigningAdapter } from '@kyso/core';
import { createKyso, type KysoClient } from '@kyso/core/worker';
import { Pkcs12Adapter } from '@kyso/adapters';
import { SignDocument, type SignedDetail } from '../../src/sign-document/define.js';
import { openPdf } from '../../src/shared/pdfjs.js';
import { fixture } from '../../../core/test/browser/fixtures.js';
import { nodeSide, routedFetch } from '../../../core/test/browser/node-side.js';

const P12_PASSWORD = 'kyso-test'; // the test PKI's (packages/testkit/src/pki/profile.ts)
const open = async (name: string) => Pkcs12Adapter.open(await fixture(`pki/${name}.p12`), P12_PASSWORD);

/** The real worker client, counting the signing calls the element makes. */
const worker = createKyso();
let signCalls = 0;
const client: KysoClient = { ...worker, sign: (...args) => (signCalls++, worker.sign(...args)) };

let pdf: Uint8Array;
let root: Uint8Array;
beforeAll(async () => {
  pdf = await fixture('samples/simple.pdf');
  root = await fixture('pki/root.cert.der');
});
afterEach(() => {
  document.body.replaceChildren();
  signCalls = 0;
});
afterAll(() => worker.terminate());

/** Mounts the element with a document and an adapter; resolves once the first page is drawn and a certificate is chosen. */
async function mount(adapter: SigningAdapter, props: Partial<SignDocument> = {}, lang = 'vi'): Promise<SignDocument> {
  const el = document.createElement('sign-document');
  el.lang = lang;
  Object.assign(el, { client, adapter, data: pdf, trust: [root], ...props });
  const rendered = new Promise((resolve) => el.addEventListener('kyso-page-rendered', resolve, { once: true }));
  const chosen = new Promise((resolve) => el.addEventListener('kyso-certificate-selected', resolve, { once: true }));
  document.body.append(el);
  await Promise.all([rendered, chosen]);
  await el.updateComplete;
  return el;
}

function next<T>(el: EventTarget, type: string): Promise<CustomEvent<T>> {
  return new Promise((resolve) => el.addEventListener(type, (e) => resolve(e as CustomEvent<T>), { once: true }));
}

/** The next kyso-signed; rejects with the code when kyso-error comes first. */
function signedOrFail(el: EventTarget): Promise<CustomEvent<SignedDetail>> {
  return Promise.race([
    next<SignedDetail>(el, 'kyso-signed'),
    next<{ code: string }>(el, 'kyso-error').then((e) => Promise.reject(new Error(`kyso-error ${e.detail.code}`))),
  ]);
}

const part = <T extends HTMLElement>(el: SignDocument, name: string) => el.shadowRoot!.querySelector<T>(`[part~="${name}"]`)!;
const view = (el: SignDocument) => el.shadowRoot!.querySelector('pdf-page-view')!;
const page1 = (el: SignDocument) => view(el).shadowRoot!.querySelector<HTMLElement>('[part~="page"][data-page="1"]')!;
/** Page 1's size in points as the reader sees it (the view's public geometry). */
const pageSize = (el: SignDocument) => {
  const g = view(el).pageGeometry(1)!;
  return { width: g.viewWidth, height: g.viewHeight };
};

/** The widget rectangles (`/Rect [x1 y1 x2 y2]`) written in the bytes appended after `input`. */
function appendedRects(output: Uint8Array, input: Uint8Array): number[][] {
  const text = new TextDecoder('latin1').decode(output.subarray(input.length));
  return [...text.matchAll(/\/Rect\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]/g)].map((m) => m.slice(1, 5).map(Number));
}

function expectRect(actual: number[][], expected: readonly number[]): void {
  expect(actual).toHaveLength(1);
  actual[0]!.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 1));
}

/** Tabs until the focused element (through shadow roots) satisfies `is`; keyboard only. */
async function tabTo(is: (el: Element) => boolean): Promise<Element> {
  for (let i = 0; i < 40; i++) {
    await userEvent.tab();
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    if (active && is(active)) return active;
  }
  throw new Error('focus never reached the element');
}

describe('<sign-document> in Chromium with the worker client and the leader PKCS#12', () => {
  it('signs where the user clicks on the page; the output extends the input, is checked by the element and verifies TOTAL_PASSED online', async () => {
    const revocation = await nodeSide.startRevocation();
    try {
      const fetch = routedFetch(revocation.routes);
      const el = await mount(await open('leader'), { revocation: 'online', fetch });
      const { height } = pageSize(el);
      await userEvent.click(page1(el), { position: { x: 300, y: 500 } });
      await el.updateComplete;
      // The approve box (200 × 70 pt) is centred on the click; y is measured from the page's bottom.
      const expected = [300 - 100, height - 500 - 35, 300 + 100, height - 500 + 35];
      expect(view(el).shadowRoot!.querySelector('[part~="overlay-signature"]')).not.toBeNull();

      const signed = signedOrFail(el);
      await userEvent.click(part(el, 'sign-button'));
      const { detail } = await signed;
      expect(detail.bytes.subarray(0, pdf.length)).toEqual(pdf);
      expect(detail.blob.type).toBe('application/pdf');
      expect(detail.blob.size).toBe(detail.bytes.length);
      expectRect(appendedRects(detail.bytes, pdf), expected);
      const [sig] = detail.report.signatures;
      expect(detail.report.signatures).toHaveLength(1);
      expect(sig).toMatchObject({ indication: 'TOTAL_PASSED', integrity: 'intact' });
      expect(sig!.signer.commonName).toBe('Nguyễn Văn Đức');
      expect(fetch.calls.length).toBeGreaterThan(0);
      expect(part(el, 'status').textContent).toContain('Đã ký');
      // The page's own bytes were neither detached nor changed.
      expect(el.data!.length).toBe(pdf.length);
    } finally {
      await nodeSide.stopServers([revocation.id]);
    }
  });

  it('drags the box: the signature goes where it was dropped', async () => {
    const el = await mount(await open('leader'));
    const { height } = pageSize(el);
    const r = page1(el).getBoundingClientRect();
    const at = (x: number, y: number, type: string) =>
      new PointerEvent(type, { clientX: r.left + x, clientY: r.top + y, button: 0, bubbles: true, composed: true, pointerId: 1 });
    const surface = page1(el);
    surface.dispatchEvent(at(200, 300, 'pointerdown'));
    surface.dispatchEvent(at(250, 340, 'pointermove'));
    surface.dispatchEvent(at(260, 360, 'pointermove'));
    surface.dispatchEvent(at(260, 360, 'pointerup'));
    await el.updateComplete;
    // Grabbed at the box's centre (it was placed around the press), dropped with the centre at (260, 360) px.
    expect(el.effectivePlacement).toEqual({ page: 1, rect: [160, Math.round((height - 395) * 100) / 100, 200, 70], unit: 'pt' });
    const signed = signedOrFail(el);
    await el.sign();
    const { detail } = await signed;
    expectRect(appendedRects(detail.bytes, pdf), [160, height - 395, 360, height - 325]);
  });

  it('on a rotated page with a crop box, draws the box where the signature lands (pdf.js reads the widget back at the drawn place)', async () => {
    // rotated.pdf: /Rotate 90, /CropBox [36 36 559.28 805.89] inside an A4 /MediaBox: user space and the page as
    // shown differ by a quarter turn and a 36 pt offset.
    const rotated = await fixture('samples/rotated.pdf');
    const el = await mount(await open('leader'), { data: rotated });
    await userEvent.click(page1(el), { position: { x: 300, y: 200 } });
    await el.updateComplete;
    const overlay = view(el).shadowRoot!.querySelector<HTMLElement>('[part~="overlay-signature"]')!;
    const at = page1(el).getBoundingClientRect();
    const o = overlay.getBoundingClientRect();
    const drawn = [o.left - at.left, o.top - at.top, o.width, o.height];
    // The approve box (200 × 70 pt) lies along the landscape page as the reader sees it, centred on the click.
    expect(drawn[2]).toBeCloseTo(200, 0);
    expect(drawn[3]).toBeCloseTo(70, 0);
    expect(Math.abs(drawn[0]! + 100 - 300)).toBeLessThanOrEqual(1);
    expect(Math.abs(drawn[1]! + 35 - 200)).toBeLessThanOrEqual(1);

    const signed = signedOrFail(el);
    await el.sign();
    const { detail } = await signed;
    // Where a viewer puts the signature: pdf.js's widget rectangle (user space) through the page's viewport.
    const doc = await openPdf(detail.bytes);
    try {
      const page = await doc.getPage(1);
      const widgets = (await page.getAnnotations()).filter((a: { fieldType?: string }) => a.fieldType === 'Sig');
      expect(widgets).toHaveLength(1);
      const viewport = page.getViewport({ scale: view(el).scale });
      // Two corners through convertToViewportPoint (pdf.js 6 dropped convertToViewportRectangle).
      const [rx1, ry1, rx2, ry2] = widgets[0].rect as number[];
      const [x1, y1] = viewport.convertToViewportPoint(rx1!, ry1!) as number[];
      const [x2, y2] = viewport.convertToViewportPoint(rx2!, ry2!) as number[];
      const landed = [Math.min(x1!, x2!), Math.min(y1!, y2!), Math.abs(x2! - x1!), Math.abs(y2! - y1!)];
      landed.forEach((v, i) => expect(Math.abs(v - drawn[i]!)).toBeLessThan(0.5));
    } finally {
      await doc.loadingTask.destroy(); // pdf.js 6 has no PDFDocumentProxy.destroy()
    }
  });

  it('signs with the keyboard only: Enter creates the box, arrow keys move it, Enter confirms, Enter signs', async () => {
    const el = await mount(await open('leader'));
    const { width } = pageSize(el);
    await tabTo((a) => a.getAttribute('part') === 'position');
    await userEvent.keyboard('{Enter}');
    await el.updateComplete;
    // Created at core's default place for the leader (bottom right), then moved 6 pt up and 20 pt left.
    await userEvent.keyboard('{ArrowUp}{ArrowUp}{ArrowUp}{Shift>}{ArrowLeft}{/Shift}');
    await userEvent.keyboard('{Enter}');
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).toBe(part(el, 'sign-button'));
    const signed = signedOrFail(el);
    await userEvent.keyboard('{Enter}');
    const { detail } = await signed;
    const x = width - 56 - 200 - 20;
    expectRect(appendedRects(detail.bytes, pdf), [x, 126, x + 200, 196]);
    expect(detail.report.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER', integrity: 'intact' });
  });

  it('honours a placement given by the page in millimetres', async () => {
    const el = await mount(await open('leader'), { placement: { page: 1, rect: [20, 30, 60, 25], unit: 'mm' } });
    const signed = signedOrFail(el);
    await el.sign();
    const mm = 72 / 25.4;
    expectRect(appendedRects((await signed).detail.bytes, pdf), [20 * mm, 30 * mm, 80 * mm, 55 * mm]);
  });

  it('puts the signature under a text anchor when the page names one', async () => {
    // simple.pdf draws "Page 1 of 1" at x 72, baseline y 740, 12 pt (packages/testkit/src/samples/builders.ts).
    const el = await mount(await open('leader'), { anchor: 'Page 1 of 1', anchorPosition: 'below' });
    expect(part(el, 'side').textContent).toContain('“Page 1 of 1”');
    const signed = signedOrFail(el);
    await el.sign();
    const [[x1, y1, x2, y2]] = appendedRects((await signed).detail.bytes, pdf) as [number[]];
    expect(y2! - y1!).toBeCloseTo(60, 1);
    expect(y2).toBeLessThan(742);
    expect(y2).toBeGreaterThan(720);
    // Centred under the text, which starts at x 72.
    expect(x1).toBeLessThan(72);
    expect((x1! + x2!) / 2).toBeGreaterThan(72);
  });

  it('lets the page cancel in kyso-before-sign: no signing call, no kyso-signed', async () => {
    const el = await mount(await open('leader'));
    let before: CustomEvent | undefined;
    el.addEventListener('kyso-before-sign', (e) => {
      before = e;
      e.preventDefault();
    });
    let signedFired = false;
    el.addEventListener('kyso-signed', () => (signedFired = true));
    await userEvent.click(part(el, 'sign-button'));
    await el.updateComplete;
    expect(before!.detail.options).toMatchObject({ level: 'B-B', appearance: { role: 'approve', lang: 'vi' } });
    expect(before!.cancelable).toBe(true);
    expect(signCalls).toBe(0);
    expect(signedFired).toBe(false);
    expect(part(el, 'status').textContent).toContain('Đã hủy ký');
  });

  it('signs once on a double click', async () => {
    const el = await mount(await open('leader'));
    const events: SignedDetail[] = [];
    el.addEventListener('kyso-signed', (e) => events.push(e.detail));
    const first = signedOrFail(el);
    await userEvent.dblClick(part(el, 'sign-button'));
    await first;
    await new Promise((r) => setTimeout(r, 300));
    expect(signCalls).toBe(1);
    expect(events).toHaveLength(1);
    expect((await verify(events[0]!.bytes)).signatures).toHaveLength(1);
  });

  it('reports a wrong adapter (its key does not match the certificate it lists) with kyso-error and a code', async () => {
    const leader = await open('leader');
    const [seal] = await (await open('seal')).listCertificates();
    const wrong: SigningAdapter = {
      name: 'wrong',
      listCertificates: async () => [{ ...seal!, id: (await leader.listCertificates())[0]!.id }],
      capabilities: () => leader.capabilities(),
      sign: (r) => leader.sign(r),
    };
    const el = await mount(wrong, {}, 'en');
    let signedFired = false;
    el.addEventListener('kyso-signed', () => (signedFired = true));
    const failed = next<{ code: string; message: string }>(el, 'kyso-error');
    await el.sign();
    const { detail } = await failed;
    expect(detail.code).toBe('ERR_SIG_VALUE_INVALID');
    expect(part(el, 'status').textContent).toContain(detail.message);
    expect(part(el, 'status').textContent).toContain('ERR_SIG_VALUE_INVALID');
    expect(signedFired).toBe(false);
  });

  it('reports an adapter that throws when listing its certificates with kyso-error and the adapter\'s code', async () => {
    const el = document.createElement('sign-document');
    el.lang = 'vi';
    const failed = next<{ code: string; message: string }>(el, 'kyso-error');
    Object.assign(el, {
      client, data: pdf,
      adapter: { name: 'broken', listCertificates: async () => { throw new (await import('@kyso/core')).KeyError('ERR_KEY_PASSWORD'); }, capabilities: () => ({ schemes: [], hashes: [] }), sign: async () => new Uint8Array() },
    });
    document.body.append(el);
    const detail = (await failed).detail as { code: string; message: string; cause: unknown };
    expect(detail).toEqual({ code: 'ERR_KEY_PASSWORD', message: 'Mật khẩu (PIN) của khóa không đúng.', cause: expect.any(Error) });
    // The cause is the adapter's own error, for developers (its detail, its stack).
    expect(detail.cause).toMatchObject({ name: 'KeyError', code: 'ERR_KEY_PASSWORD' });
  });

  it('speaks Vietnamese by default and English with lang="en", roles included, and previews the appearance text core will draw', async () => {
    const vi = await mount(await open('leader'));
    expect(part(vi, 'sign-button').textContent!.trim()).toBe('Ký số');
    expect([...part<HTMLSelectElement>(vi, 'role').options].map((o) => o.text)).toContain('Văn thư ký ban hành (đóng dấu)');
    expect(part(vi, 'preview').textContent).toContain('Ký bởi: Nguyễn Văn Đức');
    document.body.replaceChildren();
    const en = await mount(await open('leader'), {}, 'en');
    expect(part(en, 'sign-button').textContent!.trim()).toBe('Sign');
    expect([...part<HTMLSelectElement>(en, 'role').options].map((o) => o.text)).toEqual([
      'Approval by the leader', 'Issue with the agency seal', 'Appendix', 'Copy', 'Comment',
    ]);
    expect(part(en, 'preview').textContent).toContain('Signed by: Nguyễn Văn Đức');
    // The copy role's preview: the form, the organisation and the time (Decree 30 Part II §I).
    en.signatureRole = 'copy';
    await en.updateComplete;
    expect(part(en, 'preview').textContent).toContain('SAO Y');
    expect(part(en, 'preview').textContent).toContain('Văn phòng UBND thành phố Đà Nẵng (TEST)');
  });

  it('places the seal over the leader\'s signature when issuing a document the leader approved', async () => {
    // The leader approves at a known place, then the agency issues with the seal and no chosen position.
    const approved = await worker.sign(pdf.slice(), {
      adapter: await open('leader'), appearance: { role: 'approve', showText: true }, placement: { page: 1, rect: [330, 120, 180, 60] },
    });
    const el = await mount(await open('seal'), { data: approved, signatureRole: 'issue' });
    expect(part(el, 'side').textContent).toContain('con dấu được đóng trùm lên 1/3 bên trái');
    // Without a seal image the seal shows the agency and the time (core draws nothing otherwise).
    expect(part(el, 'preview').textContent).toContain('Cơ quan: UBND thành phố Đà Nẵng (TEST)');
    const signed = signedOrFail(el);
    await el.sign();
    const { detail } = await signed;
    const side = 36 * (72 / 25.4); // core's default seal size without an image
    // Appendix I §II.8a: the seal's right edge at x + w/3 of the leader's box, centred vertically.
    expectRect(appendedRects(detail.bytes, approved), [330 + 60 - side, 150 - side / 2, 330 + 60, 150 + side / 2]);
    expect(detail.report.signatures).toHaveLength(2);
  });

  it('aborts the signing when taken off the page', async () => {
    const el = await mount(await open('leader'));
    let outcome = '';
    el.addEventListener('kyso-signed', () => (outcome = 'signed'));
    el.addEventListener('kyso-error', () => (outcome = 'error'));
    const done = el.sign();
    el.remove();
    await done;
    expect(outcome).toBe('');
    expect(el.pending).toBe(false);
  });

  it('has no axe violations, with a placed box and a preview', async () => {
    const el = await mount(await open('leader'));
    await userEvent.click(page1(el), { position: { x: 300, y: 400 } });
    await el.updateComplete;
    const result = await axe.run(el);
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });

  it('is the class registered for the tag', () => {
    expect(customElements.get('sign-document')).toBe(SignDocument);
  });
});
