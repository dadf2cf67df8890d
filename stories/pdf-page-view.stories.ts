import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import '@kyso/elements/pdf-page-view';
import type { PdfPageView } from '@kyso/elements/pdf-page-view';
import { fixtureUrl } from './support/fixtures.js';

interface Args {
  readonly src: string;
  readonly lang: 'vi' | 'en';
  readonly scale: number;
}

const meta: Meta<Args> = {
  title: 'Elements/pdf-page-view',
  component: 'pdf-page-view',
  args: { src: fixtureUrl('valid'), lang: 'vi', scale: 1 },
  render: ({ src, lang, scale }) => html`<pdf-page-view src=${src} lang=${lang} scale=${scale}></pdf-page-view>`,
};
export default meta;
type Story = StoryObj<Args>;

const view = (canvas: HTMLElement): PdfPageView => canvas.querySelector('pdf-page-view')!;

/** A signed Vietnamese document: the first page is drawn by pdf.js. */
export const SignedDocument: Story = {
  play: async ({ canvasElement, step }) => {
    const el = view(canvasElement);
    await step('the document opens and page 1 is drawn', async () => {
      await waitFor(() => expect(el.renderedPages).toContain(1), { timeout: 15_000 });
      expect(el.pageCount).toBe(1);
    });
  },
};
