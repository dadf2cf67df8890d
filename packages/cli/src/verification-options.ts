import { readFileSync } from 'node:fs';
import { kysoError, trustFromCertificates, type Lang } from '@kyso/core';

/** The parseArgs specs of the options `kyso verify` and `kyso audit` share. */
export const VERIFICATION_ARGS = {
  trust: { type: 'string', multiple: true },
  profile: { type: 'string', multiple: true },
  revocation: { type: 'string' },
  at: { type: 'string' },
  lang: { type: 'string' },
} as const;

/** What those options mean once checked. */
export interface VerificationArgs {
  readonly lang: Lang;
  readonly revocation: 'embedded' | 'online' | 'off';
  /** Profile names first, then the PEM text of each --trust file. */
  readonly trust: string[];
  readonly at: Date | undefined;
}

/**
 * Checks the shared options: usage errors are `ERR_INVALID_ARGUMENT`, an unreadable
 * trust file `ERR_IO`, a file without a certificate the error of `trustFromCertificates`.
 */
export function readVerificationArgs(values: {
  trust?: string[]; profile?: string[]; revocation?: string; at?: string; lang?: string;
}): VerificationArgs {
  if (values.lang !== undefined && values.lang !== 'vi' && values.lang !== 'en') throw kysoError('ERR_INVALID_ARGUMENT', '--lang must be vi or en');
  const revocation = values.revocation ?? 'embedded';
  if (revocation !== 'embedded' && revocation !== 'online' && revocation !== 'off') {
    throw kysoError('ERR_INVALID_ARGUMENT', '--revocation must be embedded, online or off');
  }
  const profiles = values.profile ?? [];
  for (const p of profiles) if (p !== 'vn-gov' && p !== 'vn-public') throw kysoError('ERR_INVALID_ARGUMENT', '--profile must be vn-gov or vn-public');
  let at: Date | undefined;
  if (values.at !== undefined) {
    at = new Date(values.at);
    if (Number.isNaN(at.getTime())) throw kysoError('ERR_INVALID_ARGUMENT', '--at must be an ISO 8601 time');
  }
  const files = (values.trust ?? []).map((path) => {
    let pem: string;
    try {
      pem = readFileSync(path, 'utf8');
    } catch (cause) {
      throw kysoError('ERR_IO', `could not read ${path}`, cause);
    }
    // Checked here, once: a bad trust file must stop the command, not turn every result into an error.
    trustFromCertificates([pem]);
    return pem;
  });
  return { lang: values.lang === 'en' ? 'en' : 'vi', revocation, trust: [...profiles, ...files], at };
}
