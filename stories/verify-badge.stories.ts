import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import '@kyso/elements/verify-badge';
import type { VerifyBadge } from '@kyso/elements/verify-badge';
import { BADGE_STRINGS } from '../packages/elements/src/verify-badge/strings.js';
import { expectAccessible, shadow, shadowAll, storyElement, waitForText } from './support/checks.js';
import { fixtureUrl, STORY_FIXTURES, trustRoot, type StoryFixtureName } from './support/fixtures.js';

type Lang = 'vi' | 'en';
/** The states `<verify-badge>` shows (its `state` property). */
type BadgeState = 'valid' | 'valid-changes' | 'modified' | 'invalid' | 'revoked' | 'expired' | 'unknown' | 'unsigned' | 'loading' | 'error';
interface Args {
  readonly lang: Lang;
  readonly document: StoryFixtureName;
  readonly revocation: 'embedded' | 'online' | 'off';
}

/**
 * `<verify-badge>` on a portal page: the document is fetched from `src` and
 * verified strictly in kyso's worker, trusting only the test PKI's root
 * (`trust-profile="none"` plus `.trust`), with the revocation data embedded in
 * the file. What each file must verify to is checked in Node by
 * packages/testkit/test/story-fixtures.test.ts; here the play functions check
 * what the badge shows.
 */
const meta: Meta<Args> = {
  title: 'Elements/verify-badge',
  component: 'verify-badge',
  args: { lang: 'vi', document: 'valid', revocation: 'embedded' },
  argTypes: {
    lang: { control: 'inline-radio', options: ['vi', 'en'] },
    document: { control: 'select', options: Object.keys(STORY_FIXTURES) },
    revocation: { control: 'inline-radio', options: ['embedded', 'online', 'off'] },
  },
  loaders: [async () => ({ trust: [await trustRoot()] })],
  render: ({ lang, document, revocation }, { loaded }) =>
    html`<verify-badge lang=${lang} src=${fixtureUrl(document)} trust-profile="none" revocation=${revocation}
      .trust=${(loaded as { trust: Uint8Array[] }).trust}></verify-badge>`,
};
export default meta;
type Story = StoryObj<Args>;

const badge = (canvas: HTMLElement) => storyElement<VerifyBadge>(canvas, 'verify-badge');

/** Waits for the verdict and checks the state, its words in the story's language, and the signer shown. */
async function shows(el: VerifyBadge, lang: Lang, state: BadgeState, signer: string | null): Promise<void> {
  await waitFor(() => expect(el.state).toBe(state), { timeout: 45_000 });
  await el.updateComplete;
  const part = shadow(el, '[part="badge"]')!;
  expect(part.dataset.state).toBe(state);
  expect(shadow(el, '[part="title"]')?.textContent).toBe(BADGE_STRINGS[lang][`state.${state}`]);
  if (signer) expect(shadow(el, '[part="signer"]')?.textContent).toContain(signer);
  else if (state !== 'error') expect(shadow(el, '[part="signer"]')).toBeNull();
}

/** A story for one document and the badge state it must show. */
function stateStory(document: StoryFixtureName, state: BadgeState, lang: Lang = 'vi'): Story {
  const claim = STORY_FIXTURES[document].claim;
  const signatures = 'signatures' in claim ? claim.signatures : [];
  // The badge names the signer that decides; for a valid document, the last signer.
  const signer = signatures.length ? signatures[state.startsWith('valid') ? signatures.length - 1 : 0]!.signer : null;
  return {
    args: { document, lang },
    parameters: { docs: { description: { story: `${STORY_FIXTURES[document].title.en}. ${STORY_FIXTURES[document].title.vi}.` } } },
    play: async ({ canvasElement }) => {
      const el = await badge(canvasElement);
      await shows(el, lang, state, signer);
      if ('error' in claim) expect(el.error?.code).toBe(claim.error);
      else expect(el.report?.signatures.map((s) => s.indication)).toEqual(signatures.map((s) => s.indication));
    },
  };
}

export const Valid: Story = {
  ...stateStory('valid', 'valid'),
  play: async (context) => {
    await stateStory('valid', 'valid').play!(context);
    const el = await badge(context.canvasElement);
    await context.step('signing time in Vietnam time, as claimed by the signer (no timestamp)', async () => {
      // 2026-06-01T02:00Z is 09:00 in Hà Nội (UTC+7).
      expect(shadow(el, '[part="signer"]')?.textContent).toMatch(/09:00/);
    });
    await context.step('no accessibility violation', () => expectAccessible(el));
  },
};
export const ValidEn: Story = stateStory('valid', 'valid', 'en');
export const ValidEnglishDocument: Story = stateStory('validEnglish', 'valid');
export const ApprovedAndIssued: Story = stateStory('approveAndIssue', 'valid');
export const ApprovedAndIssuedEn: Story = stateStory('approveAndIssue', 'valid', 'en');
export const AllowedChanges: Story = stateStory('allowedChanges', 'valid-changes');
export const AllowedChangesEn: Story = stateStory('allowedChanges', 'valid-changes', 'en');
export const Modified: Story = stateStory('modified', 'modified');
export const ModifiedEn: Story = stateStory('modified', 'modified', 'en');
export const Tampered: Story = stateStory('tampered', 'invalid');
export const TamperedEn: Story = stateStory('tampered', 'invalid', 'en');
export const Revoked: Story = stateStory('revoked', 'revoked');
export const RevokedEn: Story = stateStory('revoked', 'revoked', 'en');
export const Expired: Story = stateStory('expired', 'expired');
export const ExpiredEn: Story = stateStory('expired', 'expired', 'en');
export const Untrusted: Story = stateStory('untrusted', 'unknown');
export const UntrustedEn: Story = stateStory('untrusted', 'unknown', 'en');
export const Indeterminate: Story = stateStory('indeterminate', 'unknown');
export const IndeterminateEn: Story = stateStory('indeterminate', 'unknown', 'en');
export const Unsigned: Story = stateStory('unsigned', 'unsigned');
export const UnsignedEn: Story = stateStory('unsigned', 'unsigned', 'en');
export const ErrorEncrypted: Story = stateStory('encrypted', 'error');
export const ErrorEncryptedEn: Story = stateStory('encrypted', 'error', 'en');
export const ErrorGarbage: Story = stateStory('garbage', 'error');
export const ErrorGarbageEn: Story = stateStory('garbage', 'error', 'en');

/** Without a revocation check the valid file is never called valid: unknown, not a guess. */
export const RevocationOff: Story = {
  args: { revocation: 'off' },
  play: async ({ canvasElement, args }) => {
    const el = await badge(canvasElement);
    await shows(el, args.lang, 'unknown', 'Nguyễn Văn Đức');
    expect(el.report?.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
  },
};

/**
 * Loading a 20 MB file: the badge says it is checking, with a progress bar,
 * and then gives its verdict.
 */
export const LoadingLargeFile: Story = {
  args: { document: 'large' },
  play: async ({ canvasElement, args, step }) => {
    const el = await badge(canvasElement);
    await step('while fetching and verifying: the loading state, busy, with a progress bar', async () => {
      await waitFor(() => expect(el.state).toBe('loading'));
      await el.updateComplete;
      expect(shadow(el, '[part="title"]')?.textContent).toBe(BADGE_STRINGS[args.lang]['state.loading']);
      expect(shadow(el, '[part="badge"]')?.getAttribute('aria-busy')).toBe('true');
      expect(shadow(el, '[part="progress"]')).not.toBeNull();
    });
    await step('then the verdict', () => shows(el, args.lang, 'valid', 'Nguyễn Văn Đức'));
    expect(shadow(el, '[part="progress"]')).toBeNull();
  },
};
export const LoadingLargeFileEn: Story = { ...LoadingLargeFile, args: { document: 'large', lang: 'en' } };

/** "Details" opens a dialog with every signature; the signature panel (and pdf.js) loads only when asked for. */
export const Details: Story = {
  args: { document: 'approveAndIssue' },
  play: async ({ canvasElement, args, step }) => {
    const el = await badge(canvasElement);
    const t = BADGE_STRINGS[args.lang];
    await shows(el, args.lang, 'valid', 'Ủy ban nhân dân thành phố Đà Nẵng');
    await step('the details dialog lists both signatures, the leader first', async () => {
      shadow<HTMLButtonElement>(el, '[part="details-button"]')!.click();
      await waitFor(() => expect(shadow<HTMLDialogElement>(el, 'dialog')?.open).toBe(true));
      const items = shadowAll(el, '[part="signature-list"] > li');
      expect(items.map((li) => li.dataset.state)).toEqual(['valid', 'valid']);
      expect(items[0]!.textContent).toContain('Nguyễn Văn Đức');
      expect(items[1]!.textContent).toContain('Ủy ban nhân dân thành phố Đà Nẵng');
      expect(shadow(el, 'signature-panel')).toBeNull(); // not before it is asked for
    });
    await step('the signature panel loads on demand', async () => {
      shadow<HTMLButtonElement>(el, '[part="panel-button"]')!.click();
      await waitFor(() => expect(shadow(el, 'signature-panel')).not.toBeNull(), { timeout: 20_000 });
    });
    await step('Close returns the focus to the details button', async () => {
      shadow<HTMLButtonElement>(el, 'dialog .close')!.click();
      await waitFor(() => expect(shadow<HTMLDialogElement>(el, 'dialog')?.open).toBe(false));
      await waitForText(el, t.details);
      await waitFor(() => expect(el.shadowRoot!.activeElement).toBe(shadow(el, '[part="details-button"]')));
    });
  },
};
export const DetailsEn: Story = { ...Details, args: { document: 'approveAndIssue', lang: 'en' } };
