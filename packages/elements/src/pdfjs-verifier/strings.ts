/**
 * Words for a verdict, in Vietnamese and English, for a viewer that shows
 * kyso's answer next to (or instead of) pdf.js's panel. "Modified after
 * signing" is always said when it happened, allowed or not (pdf.js's own
 * panel says "verified" for a form filled after signing, mozilla/pdf.js#21698).
 */
import type { Lang, Strings } from '../shared/locale.js';
import type { PdfjsVerificationResult } from './types.js';

type Key = 'verified' | 'allowed' | 'disallowed' | 'invalid' | 'untrusted' | 'expired' | 'revoked' | 'unknown' | 'signer' | 'signedAt' | 'timestamp' | 'changes';

export const VERDICT_STRINGS: Strings<Key> = {
  vi: {
    verified: 'Chữ ký hợp lệ',
    allowed: 'Đã thay đổi sau khi ký, thay đổi được phép',
    disallowed: 'Đã thay đổi sau khi ký, thay đổi không được phép',
    invalid: 'Chữ ký không hợp lệ',
    untrusted: 'Chữ ký còn nguyên vẹn nhưng chứng thư không được tin cậy',
    expired: 'Chữ ký còn nguyên vẹn nhưng chứng thư đã hết hạn',
    revoked: 'Chữ ký còn nguyên vẹn nhưng chứng thư đã bị thu hồi',
    unknown: 'Chưa xác định được tính hợp lệ của chữ ký',
    signer: 'Người ký',
    signedAt: 'Thời điểm ký (tự khai)',
    timestamp: 'Dấu thời gian',
    changes: 'Thay đổi sau khi ký',
  },
  en: {
    verified: 'Signature valid',
    allowed: 'Modified after signing, allowed',
    disallowed: 'Modified after signing, not allowed',
    invalid: 'Signature invalid',
    untrusted: 'Signature intact, certificate not trusted',
    expired: 'Signature intact, certificate expired',
    revoked: 'Signature intact, certificate revoked',
    unknown: 'Signature validity could not be determined',
    signer: 'Signer',
    signedAt: 'Signing time (claimed)',
    timestamp: 'Timestamp',
    changes: 'Changes after signing',
  },
};

/** A short description of a result: its headline and the changes made after signing (each marked allowed or not). */
export interface VerdictDescription {
  /** One of: verified, allowed, disallowed, invalid, untrusted, expired, revoked, unknown. */
  readonly state: 'verified' | 'allowed' | 'disallowed' | 'invalid' | 'untrusted' | 'expired' | 'revoked' | 'unknown';
  readonly headline: string;
  readonly changes: readonly { readonly text: string; readonly allowed: boolean }[];
}

/** Headline and change list for `result` in `lang`. */
export function describeVerdict(result: PdfjsVerificationResult, lang: Lang): VerdictDescription {
  const s = VERDICT_STRINGS[lang];
  const changes = (result.kyso?.modifications.changes ?? []).map((c) => ({ text: c.label[lang], allowed: c.allowed }));
  let state: VerdictDescription['state'] = result.status;
  if (result.errorCode === 'KYSO_MODIFIED_DISALLOWED') state = 'disallowed';
  else if (result.status === 'verified' && result.documentModifiedAfterSigning) state = 'allowed';
  return { state, headline: s[state], changes };
}
