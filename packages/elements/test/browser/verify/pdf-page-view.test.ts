import { afterEach, describe, expect, it } from 'vitest';
import { commands, userEvent } from 'vitest/browser';
import '../../../src/pdf-page-view/define.js';
import type { PdfPageView } from '../../../src/pdf-page-view/define.js';
import { expectAccessible, fixture, mount, nextEvent, until } from './helpers.js';
// Core's own mapping between the visible page and user space: a second implementation to check pdf.js's against.
import { visibleToUser } from '../../../../core/src/sign/placement.js';
import type { PageInfo } from '../../../../core/src/pdf/document.js';

const view = (): PdfPageView => document.createElement('pdf-page-view');

afterEach(() => document.body.replaceChildren());

describe("<pdf-page-view>", { timeout: 90_000 }, () => {
  it('renders only the pages near the visible area of a 120-page document, and more as it scrolls', async () => {
    const el = mount(view());
    const loaded = nextEvent<{ pages: number }>(el, 'kyso-document-loaded');
    el.data = await fixture('samples/pages-120.pdf');
    expect((await loaded).detail.pages).toBe(120);
    await until(() => el.renderedPages.length > 0, 'a first page');
    await new Promise((r) => setTimeout(r, 300));
    const first = el.renderedPages;
    expect(first[0]).toBe(1);
    expect(first.length).toBeLessThan(6);
    const canvas = el.shadowRoot!.querySelector('.page[data-page="1"] canvas') as HTMLCanvasElement;
    expect(canvas.width).toBeGreaterThan(100);

    el.goToPage(60);
    await until(() => el.renderedPages.includes(60), 'page 60 drawn');
    expect(el.page).toBe(60);
    // Page 1 is far away now: its canvas was released.
    await until(() => !el.renderedPages.includes(1), 'page 1 released');
  });

  it('moves by page with PageDown, ArrowRight, End, Home and zooms with Ctrl +/-, keeping pages drawn at the new scale', async () => {
    const el = mount(view(), 'en');
    const loaded = nextEvent(el, 'kyso-document-loaded');
    el.data = await fixture('samples/pages-120.pdf');
    await loaded;
    const area = el.shadowRoot!.querySelector('[part="viewport"]') as HTMLElement;
    area.focus();
    await userEvent.keyboard('{PageDown}');
    await until(() => el.page === 2, 'page 2');
    await userEvent.keyboard('{ArrowRight}');
    await until(() => el.page === 3, 'page 3');
    await userEvent.keyboard('{End}');
    await until(() => el.page === 120, 'last page');
    await userEvent.keyboard('{Home}');
    await until(() => el.page === 1, 'first page');
    expect(el.shadowRoot!.querySelector('[part="page-indicator"]')!.textContent).toBe('Page 1 of 120');

    const before = (el.shadowRoot!.querySelector('.page[data-page="1"]') as HTMLElement).offsetWidth;
    await userEvent.keyboard('{Control>}+{/Control}');
    expect(el.scale).toBe(1.25);
    await until(() => el.renderedPages.includes(1), 'page 1 at 125 %');
    const after = (el.shadowRoot!.querySelector('.page[data-page="1"]') as HTMLElement).offsetWidth;
    expect(after / before).toBeCloseTo(1.25, 1);
    await userEvent.keyboard('{Control>}-{/Control}');
    expect(el.scale).toBe(1);
    (el.shadowRoot!.querySelector('button[aria-label="Zoom in"]') as HTMLButtonElement).click();
    expect(el.scale).toBe(1.25);
  });

  it('draws overlays at their place in PDF user space, at any zoom', async () => {
    const el = mount(view());
    const loaded = nextEvent(el, 'kyso-document-loaded');
    el.data = await fixture('samples/simple.pdf');
    await loaded;
    // An A4 page (595 × 842 pt): a box 100 pt from the left and 100 pt from the top, 200 × 50 pt.
    el.overlays = [{ page: 1, rect: [100, 742, 300, 692], label: 'changed region', kind: 'changed' }];
    const box = await until(() => el.shadowRoot!.querySelector<HTMLElement>('[part~="overlay"]'), 'overlay');
    const page = el.shadowRoot!.querySelector('.page[data-page="1"]') as HTMLElement;
    const geometry = () => [box.offsetLeft, box.offsetTop, box.offsetWidth, box.offsetHeight];
    expect(page.offsetWidth).toBe(595);
    expect(geometry()).toEqual([100, 100, 200, 50]);
    expect(box.getAttribute('part')).toBe('overlay overlay-changed');
    el.scale = 2;
    await el.updateComplete;
    expect(geometry()).toEqual([200, 200, 400, 100]);
  });

  it('gives a rotated, cropped page\'s geometry: visible size, visible↔user mapping as core computes it, overlays and clicks in visible space', async () => {
    // rotated.pdf: /MediaBox [0 0 595.28 841.89], /CropBox [36 36 559.28 805.89], /Rotate 90
    // (packages/testkit/src/samples/builders.ts): the reader sees a landscape page 769.89 × 523.28 pt.
    const info = { cropBox: [36, 36, 559.28, 805.89], rotate: 90 } as unknown as PageInfo;
    const el = mount(view());
    const loaded = nextEvent(el, 'kyso-document-loaded');
    el.data = await fixture('samples/rotated.pdf');
    await loaded;
    const g = el.pageGeometry(1)!;
    expect(g.rotation).toBe(90);
    expect(g.viewWidth).toBeCloseTo(769.89, 2);
    expect(g.viewHeight).toBeCloseTo(523.28, 2);
    const page = el.shadowRoot!.querySelector('.page[data-page="1"]') as HTMLElement;
    expect(page.offsetWidth).toBe(Math.round(769.89));

    // A box 100 pt from the left and bottom of the page as shown, 200 × 50 pt.
    const visible = [100, 100, 300, 150] as const;
    const user = g.visibleToUser(visible);
    visibleToUser(info, [100, 100, 200, 50]).forEach((v, i) => expect(user[i]).toBeCloseTo(v, 2));
    g.userToVisible(user).forEach((v, i) => expect(v).toBeCloseTo(visible[i]!, 2));
    expect(g.toView(visible, 'visible')).toEqual({ left: 100, top: 523.28 - 150, width: 200, height: 50 });

    // The same region given in either space is drawn at the same place, at any zoom.
    el.overlays = [
      { page: 1, rect: visible, space: 'visible', kind: 'a' },
      { page: 1, rect: user, kind: 'b' },
    ];
    await el.updateComplete;
    const drawn = (kind: string) => {
      const o = el.shadowRoot!.querySelector<HTMLElement>(`[part~="overlay-${kind}"]`)!;
      return [o.offsetLeft, o.offsetTop, o.offsetWidth, o.offsetHeight];
    };
    expect(drawn('a')).toEqual([100, Math.round(523.28 - 150), 200, 50]);
    expect(drawn('b')).toEqual(drawn('a'));
    el.scale = 2;
    await el.updateComplete;
    expect(drawn('a')).toEqual([200, Math.round((523.28 - 150) * 2), 400, 100]);
    expect(drawn('b')).toEqual(drawn('a'));
    expect(el.pageGeometry(1)!.scale).toBe(2);

    // A click reports the point in visible space (within the pixel the browser rounds mouse coordinates to); pointAt agrees.
    el.scale = 1;
    await el.updateComplete;
    const clicked = nextEvent<{ page: number; x: number; y: number }>(el, 'kyso-page-click');
    let client = { x: 0, y: 0 };
    page.addEventListener('click', (e) => (client = { x: e.clientX, y: e.clientY }), { once: true });
    await userEvent.click(page, { position: { x: 120, y: 40 } });
    const { detail } = await clicked;
    expect(detail.page).toBe(1);
    expect(Math.abs(detail.x - 120)).toBeLessThanOrEqual(1);
    expect(Math.abs(detail.y - (523.28 - 40))).toBeLessThanOrEqual(1);
    expect(el.pointAt(client.x, client.y)).toEqual(detail);
    const r = page.getBoundingClientRect();
    expect(el.pointAt(r.left - 5, r.top + 40)).toBeUndefined();
    expect(el.pointAt(r.left - 5, r.top + 40, 1)!.x).toBeCloseTo(-5, 5);
  });

  it('fetches `src` when no bytes are given; a missing file is ERR_IO', async () => {
    const el = mount(view());
    const loaded = nextEvent<{ pages: number }>(el, 'kyso-document-loaded');
    el.src = `/@fs${await commands.fixturesRoot()}/samples/rotated.pdf`;
    expect((await loaded).detail.pages).toBeGreaterThan(0);
    const failed = nextEvent<{ code: string }>(el, 'kyso-error');
    el.src = `/@fs${await commands.fixturesRoot()}/samples/no-such-file.pdf`;
    expect((await failed).detail.code).toBe('ERR_IO');
  });

  it('reports a file that is not a PDF as ERR_PDF_MALFORMED, in the element and as kyso-error', async () => {
    const el = mount(view(), 'en');
    const failed = nextEvent<{ code: string; message: string }>(el, 'kyso-error');
    el.data = new TextEncoder().encode('this is not a PDF at all');
    const { detail } = await failed;
    expect(detail.code).toBe('ERR_PDF_MALFORMED');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).toContain(detail.message);
  });

  it('has no accessibility violations (axe-core) with a document shown, in Vietnamese', async () => {
    const el = mount(view());
    const loaded = nextEvent(el, 'kyso-document-loaded');
    el.data = await fixture('samples/vietnamese.pdf');
    await loaded;
    el.overlays = [{ page: 1, rect: [50, 50, 150, 150], label: 'vùng thay đổi' }];
    await until(() => el.renderedPages.includes(1), 'page 1');
    expect(el.shadowRoot!.querySelector('[part="page-indicator"]')!.textContent).toBe('Trang 1 / 1');
    await expectAccessible(el);
  });
});
