import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import type { VerificationReport } from '@kyso/core';
import { defaultKysoClient } from '@kyso/elements';
import '@kyso/elements/signature-panel';
import type { ChangesDetail, SignaturePanel } from '@kyso/elements/signature-panel';
import type { PdfPageView } from '@kyso/elements/pdf-page-view';
import { PANEL_STRINGS } from '../packages/elements/src/signature-panel/strings.js';
import { expectAccessible, outcome, shadow, shadowAll, storyElement } from './support/checks.js';
import { ANNOTATION_RECT, fixtureBytes, trustRoot, type StoryFixtureName } from './support/fixtures.js';

type Lang = 'vi' | 'en';
interface Args {
  readonly lang: Lang;
  readonly document: StoryFixtureName;
}
interface Loaded {
  readonly report: VerificationReport;
  readonly data: Uint8Array;
}

/**
 * `<signature-panel>` shows a report made in kyso's worker (strict: the test
 * root as the only anchor, embedded revocation data) with the document it was
 * made from.
 */
const meta: Meta<Args> = {
  title: 'Elements/signature-panel',
  component: 'signature-panel',
  args: { lang: 'vi', document: 'valid' },
  loaders: [
    async ({ args }) => {
      const data = await fixtureBytes((args as Args).document);
      const report = await defaultKysoClient().verify(data, { trust: [await trustRoot()], revocation: 'embedded' }, { transfer: false });
      return { data, report };
    },
  ],
  render: ({ lang }, { loaded }) => {
    const { report, data } = loaded as Loaded;
    return html`<signature-panel lang=${lang} .report=${report} .data=${data}></signature-panel>`;
  },
};
export default meta;
type Story = StoryObj<Args>;

const panel = (canvas: HTMLElement) => storyElement<SignaturePanel>(canvas, 'signature-panel');
const states = (el: SignaturePanel) => shadowAll(el, '[part~="signature"]').map((li) => li.dataset.state);
const t = (lang: Lang) => PANEL_STRINGS[lang];

/** One valid signature over the whole file: nothing to compare, the signed version is the file. */
export const Valid: Story = {
  play: async ({ canvasElement, args }) => {
    const el = await panel(canvasElement);
    expect(states(el)).toEqual(['valid']);
    expect(shadow(el, '[part~="signature"]')?.textContent).toContain('Nguyễn Văn Đức');
    expect(shadow(el, '[part~="signature"]')?.textContent).toContain(t(args.lang)['integrity.intact']);
    expect(shadow<HTMLButtonElement>(el, '[data-action="what-changed"]')?.disabled).toBe(true);
    await expectAccessible(el);
  },
};
export const ValidEn: Story = { ...Valid, args: { lang: 'en' } };

/** Decree 30: the leader's approval, then the clerk's seal; "view signed version" shows what the leader signed. */
export const ApprovedAndIssued: Story = {
  args: { document: 'approveAndIssue' },
  play: async ({ canvasElement, loaded }) => {
    const el = await panel(canvasElement);
    expect(states(el)).toEqual(['valid', 'valid']);
    const { data } = loaded as Loaded;
    const first = el.signedLengths[0]!;
    expect(first).toBeLessThan(data.length);
    el.showSignedVersion(0);
    await el.updateComplete;
    const viewer = shadow<PdfPageView>(el, '[part="viewer"]')!;
    await waitFor(() => expect(viewer.renderedPages).toContain(1), { timeout: 20_000 });
    expect(viewer.data?.length).toBe(first);
  },
};
export const ApprovedAndIssuedEn: Story = { ...ApprovedAndIssued, args: { document: 'approveAndIssue', lang: 'en' } };

/**
 * What changed: the certified document got an annotation later; the panel
 * renders both versions, diffs the pixels and outlines the region, which must
 * hold the annotation's box and not the rest of the page.
 */
export const WhatChanged: Story = {
  args: { document: 'allowedChanges' },
  play: async ({ canvasElement, step }) => {
    const el = await panel(canvasElement);
    expect(states(el)).toEqual(['valid-changes']);
    const changes = outcome<ChangesDetail>(el, 'kyso-changes');
    shadow<HTMLButtonElement>(el, '[data-action="what-changed"]')!.click();
    const result = await changes;
    await step('one region on page 1 around the annotation, far smaller than the page', () => {
      const [x, y, w, h] = ANNOTATION_RECT;
      expect(result.regions).toHaveLength(1);
      const region = result.regions[0]!;
      expect(region.page).toBe(1);
      const [x1, y1, x2, y2] = region.rect;
      const [left, right, bottom, top] = [Math.min(x1, x2), Math.max(x1, x2), Math.min(y1, y2), Math.max(y1, y2)];
      expect(left).toBeLessThanOrEqual(x + 2);
      expect(bottom).toBeLessThanOrEqual(y + 2);
      expect(right).toBeGreaterThanOrEqual(x + w - 2);
      expect(top).toBeGreaterThanOrEqual(y + h - 2);
      expect((right - left) * (top - bottom)).toBeLessThan(4 * w * h);
    });
    await step('the region is drawn over the current page', async () => {
      const viewer = shadow<PdfPageView>(el, '[part="viewer"]')!;
      await waitFor(() => expect(shadowAll(viewer, '[part~="overlay"]')).toHaveLength(1), { timeout: 20_000 });
    });
  },
};
export const WhatChangedEn: Story = { ...WhatChanged, args: { document: 'allowedChanges', lang: 'en' } };

/** A tampered file: integrity broken, said in words. */
export const Tampered: Story = {
  args: { document: 'tampered' },
  play: async ({ canvasElement, args }) => {
    const el = await panel(canvasElement);
    expect(states(el)).toEqual(['invalid']);
    expect(shadow(el, '[part~="signature"]')?.textContent).toContain(t(args.lang)['integrity.broken']);
  },
};
export const TamperedEn: Story = { ...Tampered, args: { document: 'tampered', lang: 'en' } };

/** A revoked signer. */
export const Revoked: Story = {
  args: { document: 'revoked' },
  play: async ({ canvasElement, args }) => {
    const el = await panel(canvasElement);
    expect(states(el)).toEqual(['revoked']);
    expect(shadow(el, '[part~="signature"]')?.textContent).toContain(t(args.lang)['revocation.revoked']);
  },
};
export const RevokedEn: Story = { ...Revoked, args: { document: 'revoked', lang: 'en' } };

/** Modified after signing: the disallowed change is listed. */
export const Modified: Story = {
  args: { document: 'modified' },
  play: async ({ canvasElement, args }) => {
    const el = await panel(canvasElement);
    expect(states(el)).toEqual(['modified']);
    expect(shadow(el, '[part~="signature"]')?.textContent).toContain(t(args.lang).disallowed);
  },
};
export const ModifiedEn: Story = { ...Modified, args: { document: 'modified', lang: 'en' } };
