import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import '@kyso/elements/pdf-page-view';
import type { PageOverlay, PdfPageView } from '@kyso/elements/pdf-page-view';
import { PAGE_VIEW_STRINGS } from '../packages/elements/src/pdf-page-view/strings.js';
import { expectAccessible, shadow, shadowAll, storyElement, waitForText } from './support/checks.js';
import { ANNOTATION_RECT, fixtureUrl, STORY_FIXTURES, type StoryFixtureName } from './support/fixtures.js';

type Lang = 'vi' | 'en';
interface Args {
  readonly document: StoryFixtureName;
  readonly lang: Lang;
  readonly scale: number;
  readonly overlays: readonly PageOverlay[];
}

/** `<pdf-page-view>`: pages drawn by pdf.js in its own worker, lazily, with zoom, keys and overlays. */
const meta: Meta<Args> = {
  title: 'Elements/pdf-page-view',
  component: 'pdf-page-view',
  args: { document: 'valid', lang: 'vi', scale: 1, overlays: [] },
  argTypes: {
    document: { control: 'select', options: Object.keys(STORY_FIXTURES) },
    lang: { control: 'inline-radio', options: ['vi', 'en'] },
    scale: { control: { type: 'range', min: 0.25, max: 4, step: 0.25 } },
  },
  render: ({ document, lang, scale, overlays }) =>
    html`<pdf-page-view src=${fixtureUrl(document)} lang=${lang} scale=${scale} .overlays=${overlays}></pdf-page-view>`,
};
export default meta;
type Story = StoryObj<Args>;

const view = (canvas: HTMLElement) => storyElement<PdfPageView>(canvas, 'pdf-page-view');
const drawn = (el: PdfPageView, page = 1) => waitFor(() => expect(el.renderedPages).toContain(page), { timeout: 20_000 });

/** A signed Vietnamese document: page 1 drawn, its signature appearance included. */
export const SignedDocument: Story = {
  play: async ({ canvasElement, args, step }) => {
    const el = await view(canvasElement);
    await step('the document opens and page 1 is drawn', async () => {
      await drawn(el);
      expect(el.pageCount).toBe(1);
      await waitForText(el, PAGE_VIEW_STRINGS[args.lang].pageOf.replace('{page}', '1').replace('{pages}', '1'));
    });
    await step('no accessibility violation', () => expectAccessible(el));
  },
};
export const SignedDocumentEn: Story = { ...SignedDocument, args: { lang: 'en' } };

/** Zoom with the buttons and Ctrl +/−/0 on the focused page area. */
export const Zoom: Story = {
  play: async ({ canvasElement }) => {
    const el = await view(canvasElement);
    await drawn(el);
    const viewport = shadow(el, '[part="viewport"]')!;
    const key = (k: string) => viewport.dispatchEvent(new KeyboardEvent('keydown', { key: k, ctrlKey: true, bubbles: true, composed: true }));
    viewport.focus();
    key('+');
    await waitFor(() => expect(el.scale).toBe(1.25));
    key('-');
    key('-');
    await waitFor(() => expect(el.scale).toBe(0.8));
    key('0');
    await waitFor(() => expect(el.scale).toBe(1));
    await drawn(el);
    expect(shadow(el, '[part="zoom-level"]')?.textContent).toBe('100%');
  },
};

/** An overlay in PDF user space: the box of the annotation added after signing (`allowed-changes.pdf`). */
export const Overlay: Story = {
  args: {
    document: 'allowedChanges',
    overlays: [{ page: 1, rect: [ANNOTATION_RECT[0], ANNOTATION_RECT[1], ANNOTATION_RECT[0] + ANNOTATION_RECT[2], ANNOTATION_RECT[1] + ANNOTATION_RECT[3]], label: 'annotation added after signing', kind: 'change' }],
  },
  play: async ({ canvasElement }) => {
    const el = await view(canvasElement);
    await drawn(el);
    await waitFor(() => expect(shadowAll(el, '[part~="overlay"]')).toHaveLength(1));
    const overlay = shadow(el, '[part~="overlay"]')!;
    expect(overlay.getAttribute('part')).toContain('overlay-change');
    // 200 × 60 pt at 100 %: CSS pixels are points here.
    const box = overlay.getBoundingClientRect();
    expect(Math.round(box.width)).toBe(200);
    expect(Math.round(box.height)).toBe(60);
  },
};

/** The large file (20 MB): loading first, then the first page. */
export const LargeFile: Story = {
  args: { document: 'large' },
  play: async ({ canvasElement, args }) => {
    const el = await view(canvasElement);
    await waitForText(el, PAGE_VIEW_STRINGS[args.lang].loading, 5_000);
    await drawn(el);
    expect(el.pageCount).toBeGreaterThan(1);
  },
};

/** Not a PDF: a typed error with its code, in the element's language. */
export const Error: Story = {
  args: { document: 'garbage' },
  play: async ({ canvasElement, args }) => {
    const el = await view(canvasElement);
    await waitForText(el, PAGE_VIEW_STRINGS[args.lang].error);
    await expectAccessible(el);
  },
};
export const ErrorEn: Story = { ...Error, args: { document: 'garbage', lang: 'en' } };
