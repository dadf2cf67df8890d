import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import type { AppearanceImage, Placement, SigningAdapter } from '@kyso/core';
import '@kyso/elements/sign-document';
import type { SignDocument, SignedDetail, SignErrorDetail } from '@kyso/elements/sign-document';
import type { PdfPageView } from '@kyso/elements/pdf-page-view';
import { SIGN_STRINGS } from '../packages/elements/src/sign-document/strings.js';
import { Gate, GatedAdapter, KeyRing, softwareKey } from './support/adapters.js';
import { expectAccessible, nextEvent, outcome, shadow, shadowAll, storyElement, waitForText } from './support/checks.js';
import { appearanceImage, fixtureBytes, fixtureUrl, trustRoot, type StoryFixtureName } from './support/fixtures.js';

type Lang = 'vi' | 'en';
type Role = 'approve' | 'issue' | 'appendix' | 'copy' | 'comment';
interface Args {
  readonly lang: Lang;
  readonly document: StoryFixtureName | null;
  readonly signatureRole: Role;
}
interface Loaded {
  readonly adapter?: SigningAdapter;
  readonly trust?: Uint8Array[];
  readonly placement?: Placement;
  readonly image?: AppearanceImage;
}

/**
 * `<sign-document>` with the test PKI's keys opened in the page (software
 * adapter) and kyso's worker client: place, preview, sign, and the element's
 * own verification of what it produced.
 */
const meta: Meta<Args> = {
  title: 'Elements/sign-document',
  component: 'sign-document',
  args: { lang: 'vi', document: 'unsigned', signatureRole: 'approve' },
  argTypes: {
    lang: { control: 'inline-radio', options: ['vi', 'en'] },
    signatureRole: { control: 'select', options: ['approve', 'issue', 'appendix', 'copy', 'comment'] },
  },
  // The leader's signature image, as an agency configures it once (the seal replaces it for `issue`).
  loaders: [async () => ({ trust: [await trustRoot()], image: { bytes: await appearanceImage('signature') } })],
  render: ({ lang, document, signatureRole }, { loaded }) => {
    const { adapter, trust, placement, image } = loaded as Loaded;
    return html`<sign-document lang=${lang} src=${document ? fixtureUrl(document) : ''} signature-role=${signatureRole}
      .adapter=${adapter} .trust=${trust} .placement=${placement} .image=${image}></sign-document>`;
  },
};
export default meta;
type Story = StoryObj<Args>;

const t = (lang: Lang) => SIGN_STRINGS[lang];
const signer = (canvas: HTMLElement) => storyElement<SignDocument>(canvas, 'sign-document');

/**
 * Waits until the document is open and its first page drawn inside the element (a bound, not a timing: the first
 * story of a run also starts pdf.js's worker, slow on a loaded machine).
 */
async function documentShown(el: SignDocument): Promise<PdfPageView> {
  await waitFor(() => expect(shadow<PdfPageView>(el, 'pdf-page-view')?.renderedPages).toContain(1), { timeout: 45_000 });
  return shadow<PdfPageView>(el, 'pdf-page-view')!;
}

/** Waits until the embedded picker has chosen (or been given) a certificate. */
async function certificateChosen(el: SignDocument): Promise<void> {
  await waitFor(() => expect(shadow<HTMLElement & { selected?: string }>(el, 'certificate-picker')?.selected).toBeTruthy(), { timeout: 15_000 });
}

const signButton = (el: SignDocument) => shadow<HTMLButtonElement>(el, '[part="sign-button"]')!;
const status = (el: SignDocument) => shadow(el, '[part="status"]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** No document yet: the element says so, and signing is refused with a hint. */
export const Idle: Story = {
  args: { document: null },
  play: async ({ canvasElement, args }) => {
    const el = await signer(canvasElement);
    await waitForText(el, t(args.lang).noDocument);
    await el.sign();
    expect(status(el)).toBe(t(args.lang).noDocument);
  },
};
export const IdleEn: Story = { ...Idle, args: { ...Idle.args, lang: 'en' } };

/** Picking: several certificates, none chosen yet; signing asks for one first. */
export const Picking: Story = {
  loaders: [async () => ({ adapter: await KeyRing.of('leader', 'seal', 'expired') })],
  play: async ({ canvasElement, args, step }) => {
    const el = await signer(canvasElement);
    await documentShown(el);
    const picker = shadow(el, 'certificate-picker')!;
    await waitFor(() => expect(shadowAll(picker, '[role="option"]')).toHaveLength(3), { timeout: 15_000 });
    await step('signing without a certificate asks for one', async () => {
      signButton(el).click();
      await waitFor(() => expect(status(el)).toBe(t(args.lang).chooseCertificate));
    });
    await step('no accessibility violation', () => expectAccessible(el));
  },
};
export const PickingEn: Story = { ...Picking, args: { lang: 'en' } };

/** Placing with the keyboard: Enter puts the box on the page, arrows move it, Enter confirms. */
export const Placing: Story = {
  loaders: [async () => ({ adapter: await softwareKey('leader') })],
  play: async ({ canvasElement, args, step }) => {
    const el = await signer(canvasElement);
    await documentShown(el);
    await certificateChosen(el);
    const position = shadow(el, '[part="position"]')!;
    const key = (k: string, shiftKey = false) => position.dispatchEvent(new KeyboardEvent('keydown', { key: k, shiftKey, bubbles: true, composed: true }));
    await step('Enter places a box, Shift+ArrowRight moves it 20 pt to the right', async () => {
      position.focus();
      key('Enter');
      await waitFor(() => expect(el.effectivePlacement?.rect).toBeDefined());
      const before = el.effectivePlacement!.rect!;
      key('ArrowRight', true);
      await el.updateComplete;
      expect(el.effectivePlacement!.rect![0]).toBe(before[0] + 20);
      expect(el.effectivePlacement!.rect![1]).toBe(before[1]);
    });
    await step('the box is drawn over page 1 and described in words', async () => {
      const view = shadow<PdfPageView>(el, 'pdf-page-view')!;
      await waitFor(() => expect(shadowAll(view, '[part~="overlay"]')).toHaveLength(1));
      const [x, y] = el.effectivePlacement!.rect!;
      expect(position.textContent).toContain(t(args.lang).boxPlaced.replace('{page}', '1').replace('{x}', String(Math.round(x))).replace('{y}', String(Math.round(y))));
    });
    await step('Enter confirms and moves the focus to the sign button', async () => {
      key('Enter');
      await el.updateComplete;
      expect(el.shadowRoot!.activeElement).toBe(signButton(el));
    });
    await step('no accessibility violation', () => expectAccessible(el));
  },
};
export const PlacingEn: Story = { ...Placing, args: { lang: 'en' } };

/** The page gives the position (a rectangle in millimetres): shown as the box, passed to core as given. */
export const PlacementGiven: Story = {
  loaders: [async () => ({ adapter: await softwareKey('leader'), placement: { page: 1, rect: [120, 40, 60, 25], unit: 'mm' } })],
  play: async ({ canvasElement, args }) => {
    const el = await signer(canvasElement);
    await documentShown(el);
    await waitForText(el, t(args.lang).placementGiven);
    expect(el.effectivePlacement).toEqual({ page: 1, rect: [120, 40, 60, 25], unit: 'mm' });
  },
};
export const PlacementGivenEn: Story = { ...PlacementGiven, args: { lang: 'en' } };

/**
 * Pending: the key source has not answered yet (a token waiting for its PIN).
 * A second click does nothing; when the key answers, the signed file arrives.
 */
export const Pending: Story = {
  loaders: [async () => ({ adapter: new GatedAdapter(await softwareKey('leader'), { sign: new Gate() }) })],
  play: async ({ canvasElement, args, step, loaded }) => {
    const el = await signer(canvasElement);
    const adapter = (loaded as Loaded).adapter as GatedAdapter;
    await documentShown(el);
    await certificateChosen(el);
    const signed = outcome<SignedDetail>(el, 'kyso-signed');
    await step('the first click starts signing; the button says so and is marked disabled', async () => {
      signButton(el).click();
      await waitFor(() => expect(adapter.signCalls).toBe(1), { timeout: 15_000 });
      expect(el.pending).toBe(true);
      await el.updateComplete;
      expect(signButton(el).getAttribute('aria-disabled')).toBe('true');
      expect(signButton(el).textContent?.trim()).toBe(t(args.lang).signing);
    });
    await step('a second click while pending makes no second signature', async () => {
      signButton(el).click();
      await new Promise((r) => setTimeout(r, 200));
      expect(adapter.signCalls).toBe(1);
    });
    await step('the key answers: one signed document', async () => {
      (adapter as unknown as { gates: { sign: Gate } }).gates.sign.open();
      const detail = await signed;
      expect(detail.report.signatures).toHaveLength(1);
      await waitFor(() => expect(el.pending).toBe(false));
      expect(adapter.signCalls).toBe(1);
    });
  },
};
export const PendingEn: Story = { ...Pending, args: { lang: 'en' } };

/**
 * Signed: the leader approves; the element verifies its own output before
 * handing it over (trusting the test root; no revocation data yet, so strict
 * verification says INDETERMINATE/TRY_LATER, never a guess).
 */
export const Signed: Story = {
  loaders: [async () => ({ adapter: await softwareKey('leader'), input: await fixtureBytes('unsigned') })],
  play: async ({ canvasElement, args, step, loaded }) => {
    const el = await signer(canvasElement);
    await documentShown(el);
    await certificateChosen(el);
    const signed = outcome<SignedDetail>(el, 'kyso-signed');
    signButton(el).click();
    const detail = await signed;
    await step('the output is the input plus an incremental update', async () => {
      const input = (loaded as { input: Uint8Array }).input;
      expect(detail.bytes.length).toBeGreaterThan(input.length);
      expect(detail.bytes.subarray(0, input.length)).toEqual(input);
      expect(detail.blob.type).toBe('application/pdf');
    });
    await step('the report: intact, trusted chain, the leader, no revocation data yet', async () => {
      expect(detail.report.signatures[0]).toMatchObject({
        integrity: 'intact', cryptoValid: true, chain: { status: 'trusted' }, signer: { commonName: 'Nguyễn Văn Đức' },
        indication: 'INDETERMINATE', subIndication: 'TRY_LATER',
      });
    });
    await step('the element says it is done', async () => {
      await waitFor(() => expect(status(el)).toBe(t(args.lang).signed));
    });
  },
};
export const SignedEn: Story = { ...Signed, args: { lang: 'en' } };

/** Decree 30: the clerk issues the approved document; core puts the seal over the left third of the leader's signature. */
export const IssueOverApproval: Story = {
  args: { document: 'indeterminate', signatureRole: 'issue' },
  loaders: [async () => ({ adapter: await softwareKey('seal'), image: { bytes: await appearanceImage('seal') } })],
  play: async ({ canvasElement, args }) => {
    const el = await signer(canvasElement);
    await documentShown(el);
    await certificateChosen(el);
    await waitForText(el, t(args.lang).placementIssue);
    const signed = outcome<SignedDetail>(el, 'kyso-signed');
    signButton(el).click();
    const { report } = await signed;
    expect(report.signatures.map((s) => s.signer.commonName)).toEqual(['Nguyễn Văn Đức', 'Ủy ban nhân dân thành phố Đà Nẵng']);
    expect(report.signatures.map((s) => s.integrity)).toEqual(['intact', 'intact']);
    expect(report.signatures[0]!.modifications.verdict).toBe('allowed');
  },
};
export const IssueOverApprovalEn: Story = { ...IssueOverApproval, args: { ...IssueOverApproval.args, lang: 'en' } };

/** The page vetoes signing through the cancelable `kyso-before-sign`. */
export const Cancelled: Story = {
  loaders: [async () => ({ adapter: new GatedAdapter(await softwareKey('leader'), {}) })],
  play: async ({ canvasElement, args, loaded }) => {
    const el = await signer(canvasElement);
    await documentShown(el);
    await certificateChosen(el);
    el.addEventListener('kyso-before-sign', (e) => e.preventDefault(), { once: true });
    signButton(el).click();
    await waitFor(() => expect(status(el)).toBe(t(args.lang).cancelled));
    expect(((loaded as Loaded).adapter as GatedAdapter).signCalls).toBe(0);
  },
};
export const CancelledEn: Story = { ...Cancelled, args: { lang: 'en' } };

/** Error: the document is password-protected; core's typed error reaches the page with its code. */
export const Error: Story = {
  args: { document: 'encrypted' },
  loaders: [async () => ({ adapter: await softwareKey('leader') })],
  play: async ({ canvasElement }) => {
    const el = await signer(canvasElement);
    await certificateChosen(el);
    await waitFor(() => expect(shadow(el, 'pdf-page-view')).not.toBeNull(), { timeout: 15_000 });
    const failed = nextEvent<SignErrorDetail>(el, 'kyso-error');
    signButton(el).click();
    expect((await failed).detail.code).toBe('ERR_PDF_ENCRYPTED');
    await waitFor(() => expect(shadow(el, '[part="status"][role="alert"] code')?.textContent).toBe('ERR_PDF_ENCRYPTED'));
  },
};
export const ErrorEn: Story = { ...Error, args: { ...Error.args, lang: 'en' } };
