import { parseCertificate, type AppearanceImage, type CertificateEntry, type CopyForm } from '@kyso/core';
import { appearanceLines } from '@kyso/core/appearance';
import type { Lang } from '../shared/locale.js';
import { PT_PER_MM, type PageSize } from './geometry.js';
import type { SigningRole } from './strings.js';

/** What the appearance is built from, as the element knows it before signing. */
export interface AppearanceInput {
  readonly role: SigningRole;
  readonly lang: Lang;
  readonly certificate: CertificateEntry | undefined;
  readonly image: AppearanceImage | undefined;
  readonly docNumber: string | undefined;
  readonly copyForm: CopyForm | undefined;
  readonly reason: string | undefined;
  readonly signingTime: Date;
}

/** The live preview: the very text lines core will draw, and whether an image goes with them. */
export interface AppearancePreview {
  readonly lines: readonly string[];
  /** `signature` for the leader's image, `seal` for the agency seal, null for text-only roles. */
  readonly image: 'signature' | 'seal' | null;
  /** Set when the role lacks a value it needs (`docNumber` for an appendix). */
  readonly missing?: 'docNumber';
}

/**
 * The preview of an appearance, from core's own {@link appearanceLines} (so
 * the text shown is the text signed, in the same NFC form). The signer's name
 * and organisation come from the chosen certificate, as core takes them; the
 * time is the preview's time (the signature's own is set when it is made).
 * Drawing it in HTML is cheap and honest about the text; the exact glyph
 * layout is core's and is not imitated.
 */
export function previewAppearance(input: AppearanceInput): AppearancePreview {
  const subject = subjectOf(input.certificate);
  const image = input.image ? (input.role === 'issue' ? 'seal' : input.role === 'approve' ? 'signature' : null) : null;
  if (input.role === 'appendix' && !input.docNumber?.trim()) return { lines: [], image, missing: 'docNumber' };
  const lines = appearanceLines({
    role: input.role,
    lang: input.lang,
    signingTime: input.signingTime,
    signerName: subject.name,
    ...(subject.organization ? { organization: subject.organization } : {}),
    ...(input.image ? { image: input.image } : {}),
    ...(issueWithoutSeal(input) ? { showText: true } : {}),
    ...(input.docNumber ? { docNumber: input.docNumber } : {}),
    copyForm: input.copyForm ?? 'SAO Y',
    ...(input.reason ? { reason: input.reason } : {}),
  });
  return { lines, image };
}

/**
 * An `issue` signature without a seal image would draw nothing (core refuses
 * an empty appearance), so it shows its text lines instead: the agency and
 * the time.
 */
export function issueWithoutSeal(input: { readonly role: SigningRole; readonly image: AppearanceImage | undefined }): boolean {
  return input.role === 'issue' && !input.image;
}

/** The box a role's signature takes by default, in points (core's defaults: sign/visible-placement.ts). */
export function defaultBoxSize(role: SigningRole, lines: number): PageSize {
  switch (role) {
    case 'issue':
      return { width: 36 * PT_PER_MM, height: 36 * PT_PER_MM };
    case 'appendix':
    case 'copy':
      return { width: 180, height: Math.max(3, lines) * 12 + 4 };
    default:
      return { width: 200, height: 70 };
  }
}

function subjectOf(entry: CertificateEntry | undefined): { name: string; organization?: string } {
  if (!entry) return { name: '' };
  try {
    const info = parseCertificate(entry.certificate);
    return { name: info.subjectCN ?? entry.label ?? '', ...(info.organization ? { organization: info.organization } : {}) };
  } catch {
    return { name: entry.label ?? '' };
  }
}
