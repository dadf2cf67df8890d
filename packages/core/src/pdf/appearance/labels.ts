import { kysoError } from '../../errors/index.js';
import { formatVietnamTime } from './time.js';
import type { AppearanceOptions } from './types.js';

/** Labels of the default text lines, per language. */
export const APPEARANCE_LABELS = {
  vi: { signedBy: 'Ký bởi', organization: 'Cơ quan', time: 'Thời gian', comment: 'Ý kiến' },
  en: { signedBy: 'Signed by', organization: 'Organization', time: 'Time', comment: 'Comment' },
} as const;

/** Everything the text of an appearance may be built from. */
export type AppearanceTextInput = AppearanceOptions & {
  readonly signingTime: Date;
  readonly signerName: string;
  readonly organization?: string;
  readonly reason?: string;
  readonly location?: string;
};

/** One line of a field value: NFC (Vietnamese must not come out decomposed) and no line breaks. */
function clean(value: string | undefined): string {
  return (value ?? '').normalize('NFC').replace(/[\r\n\t\f\v]+/g, ' ').trim();
}

/** Whether the role's default text is shown, per `showText` and the role's default. */
export function showsText(opts: AppearanceTextInput): boolean {
  if (opts.lines) return true;
  switch (opts.role) {
    case 'appendix':
    case 'copy':
    case 'comment':
    case 'custom':
      return opts.showText ?? true;
    case 'approve':
      return opts.showText ?? !opts.image;
    case 'issue':
      return opts.showText ?? false;
  }
}

/**
 * The text lines an appearance draws, NFC-normalised: `opts.lines` when
 * given, else the role's default lines (Decree 30/2020 Appendix I §II.8b for
 * `appendix`, Part II §I for `copy`), or `[]` when the role shows no text.
 * Exposed so a caller can measure the block before choosing the widget size.
 *
 * @throws `ERR_INVALID_ARGUMENT` when a role's mandatory value is missing
 * (`docNumber` for `appendix`, `copyForm` for `copy`).
 */
export function appearanceLines(opts: AppearanceTextInput): string[] {
  if (opts.lines) return opts.lines.flatMap((l) => l.normalize('NFC').split(/\r\n|[\r\n]/));
  if (!showsText(opts)) return [];
  const L = APPEARANCE_LABELS[opts.lang ?? 'vi'];
  const time = formatVietnamTime(opts.signingTime);
  const signer = clean(opts.signerName);
  const org = clean(opts.organization);
  const out: string[] = [];
  const push = (label: string | null, value: string): void => {
    if (value) out.push(label ? `${label}: ${value}` : value);
  };
  switch (opts.role) {
    case 'approve':
      push(L.signedBy, signer);
      push(L.organization, org);
      push(L.time, time);
      break;
    case 'issue':
      if (org) push(L.organization, org);
      else push(L.signedBy, signer);
      push(L.time, time);
      break;
    case 'appendix': {
      const doc = clean(opts.docNumber);
      if (!doc) throw kysoError('ERR_INVALID_ARGUMENT', 'appearance.docNumber is required for role appendix');
      push(null, doc);
      push(null, org);
      push(null, time);
      break;
    }
    case 'copy': {
      const form = clean(opts.copyForm);
      if (!form) throw kysoError('ERR_INVALID_ARGUMENT', 'appearance.copyForm is required for role copy');
      push(null, form);
      push(null, org);
      push(null, time);
      break;
    }
    case 'comment':
      push(L.comment, clean(opts.reason));
      push(L.signedBy, signer);
      push(L.time, time);
      break;
    case 'custom': {
      if (opts.template === undefined) break;
      const values: Record<string, string> = {
        signer, organization: org, time, reason: clean(opts.reason), location: clean(opts.location),
        docNumber: clean(opts.docNumber),
      };
      const text = opts.template.normalize('NFC').replace(/\{(\w+)\}/g, (all, key: string) =>
        Object.hasOwn(values, key) ? values[key] : all);
      out.push(...text.split(/\r?\n/));
      break;
    }
  }
  return out;
}
