import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import type { CertificateEntry, SigningAdapter } from '@kyso/core';
import '@kyso/elements/certificate-picker';
import type { CertificatePicker } from '@kyso/elements/certificate-picker';
import { PICKER_STRINGS } from '../packages/elements/src/certificate-picker/strings.js';
import { emptyKeySource, Gate, GatedAdapter, KeyRing, LazyKeyStore, softwareKey } from './support/adapters.js';
import { expectAccessible, nextEvent, shadow, shadowAll, storyElement, waitForText } from './support/checks.js';

type Lang = 'vi' | 'en';
interface Args {
  readonly lang: Lang;
}
interface Loaded {
  readonly adapter?: SigningAdapter;
}

/**
 * `<certificate-picker>` lists the certificates of a key source (here the
 * test PKI's PKCS#12 files, opened in the page by the software adapter).
 */
const meta: Meta<Args> = {
  title: 'Elements/certificate-picker',
  component: 'certificate-picker',
  args: { lang: 'vi' },
  argTypes: { lang: { control: 'inline-radio', options: ['vi', 'en'] } },
  render: ({ lang }, { loaded }) =>
    html`<certificate-picker lang=${lang} .adapter=${(loaded as Loaded).adapter}></certificate-picker>`,
};
export default meta;
type Story = StoryObj<Args>;

const picker = (canvas: HTMLElement) => storyElement<CertificatePicker>(canvas, 'certificate-picker');
const strings = (lang: Lang) => PICKER_STRINGS[lang];

/** No key source configured yet. */
export const Idle: Story = {
  play: async ({ canvasElement, args }) => {
    const el = await picker(canvasElement);
    await waitForText(el, strings(args.lang).noAdapter);
    expect(shadow(el, '[role="listbox"]')).toBeNull();
  },
};
export const IdleEn: Story = { ...Idle, args: { lang: 'en' } };

/** The key source is still reading its certificates (a token being read). */
export const Loading: Story = {
  loaders: [async () => ({ adapter: new GatedAdapter(await softwareKey('leader'), { list: new Gate() }) })],
  play: async ({ canvasElement, args }) => {
    const el = await picker(canvasElement);
    await waitForText(el, strings(args.lang).loading);
    expect(shadow(el, '[role="status"]')?.getAttribute('aria-live')).toBe('polite');
  },
};
export const LoadingEn: Story = { ...Loading, args: { lang: 'en' } };

/**
 * Picking: four certificates, two of them unfit (expired; no signing key
 * usage) and flagged; chosen with the keyboard.
 */
export const Picking: Story = {
  loaders: [async () => ({ adapter: await KeyRing.of('leader', 'seal', 'expired', 'nokeyusage') })],
  play: async ({ canvasElement, args, step }) => {
    const el = await picker(canvasElement);
    const t = strings(args.lang);
    await step('every certificate is listed with subject, issuer, validity and key usage', async () => {
      await waitFor(() => expect(shadowAll(el, '[role="option"]')).toHaveLength(4), { timeout: 15_000 });
      const options = shadowAll(el, '[role="option"]').map((o) => o.textContent ?? '');
      expect(options[0]).toContain('Nguyễn Văn Đức');
      expect(options[0]).toContain('CCCD:001085012345');
      expect(options[1]).toContain('MST:0400101556');
      for (const o of options) expect(o).toContain(t.issuer);
    });
    await step('the unfit certificates carry their warnings, the fit ones none', async () => {
      const warnings = shadowAll(el, '[role="option"]').map((o) => [...o.querySelectorAll('[part="warning"]')].map((w) => w.textContent));
      expect(warnings[0]).toEqual([]);
      expect(warnings[1]).toEqual([]);
      expect(warnings[2]!.join(' ')).toContain(t.expired);
      expect(warnings[3]!.join(' ')).toContain(t['no-signing-usage']);
    });
    await step('arrow down and Enter choose the second certificate', async () => {
      const list = shadow(el, '[role="listbox"]')!;
      const chosen = nextEvent<CertificateEntry>(el, 'kyso-certificate-selected');
      list.focus();
      list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true }));
      list.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
      expect((await chosen).detail.id).toMatch(/^seal\//);
      await el.updateComplete;
      expect(shadowAll(el, '[role="option"]').map((o) => o.getAttribute('aria-selected'))).toEqual(['false', 'true', 'false', 'false']);
    });
    await step('no accessibility violation', () => expectAccessible(el));
  },
};
export const PickingEn: Story = { ...Picking, args: { lang: 'en' } };

/** A single certificate is chosen on its own. */
export const Single: Story = {
  loaders: [async () => ({ adapter: await softwareKey('leader') })],
  play: async ({ canvasElement }) => {
    const el = await picker(canvasElement);
    await waitFor(() => expect(el.selectedCertificate?.title).toContain('Nguyễn Văn Đức'), { timeout: 15_000 });
    expect(shadow(el, '[role="option"]')?.getAttribute('aria-selected')).toBe('true');
  },
};
export const SingleEn: Story = { ...Single, args: { lang: 'en' } };

/** A key source without any certificate. */
export const Empty: Story = {
  loaders: [async () => ({ adapter: emptyKeySource })],
  play: async ({ canvasElement, args }) => {
    const el = await picker(canvasElement);
    await waitForText(el, strings(args.lang).empty);
  },
};
export const EmptyEn: Story = { ...Empty, args: { lang: 'en' } };

/** The key store cannot be opened (wrong password): the adapter's typed error, with its code and a retry button. */
export const Error: Story = {
  loaders: [async () => ({ adapter: new LazyKeyStore('leader', 'not-the-password') })],
  play: async ({ canvasElement, args }) => {
    const el = await picker(canvasElement);
    await waitForText(el, strings(args.lang).error);
    const alert = shadow(el, '[role="alert"]')!;
    expect(alert.querySelector('code')?.textContent).toBe('ERR_KEY_PASSWORD');
    expect(shadow(el, '[part="retry"]')?.textContent).toContain(strings(args.lang).retry);
    await expectAccessible(el);
  },
};
export const ErrorEn: Story = { ...Error, args: { lang: 'en' } };
