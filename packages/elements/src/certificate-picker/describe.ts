import { parseCertificate, type CertificateEntry, type CertificateInfo } from '@kyso/core';

/** Why a certificate may not be the right one to sign with. */
export type CertificateWarning = 'expired' | 'not-yet-valid' | 'no-signing-usage' | 'malformed';

/** What the picker shows for one certificate: decoded once, judged against a time. */
export interface CertificateView {
  readonly entry: CertificateEntry;
  /** The decoded certificate; null when it cannot be decoded (then `warnings` holds `malformed`). */
  readonly info: CertificateInfo | null;
  /** The subject's commonName, else the adapter's label, else the subject DN. */
  readonly title: string;
  /** The issuer's commonName (or DN when it has none). */
  readonly issuer: string;
  readonly warnings: readonly CertificateWarning[];
}

/** Key usages that allow signing documents (RFC 5280 §4.2.1.3; the same rule core's chain check applies). */
const SIGNING_USAGES = ['digitalSignature', 'nonRepudiation'] as const;

/**
 * Decodes an adapter's certificate for display and lists its problems at
 * `at`: outside its validity period (RFC 5280 §4.1.2.5), or a keyUsage
 * extension that allows neither digitalSignature nor nonRepudiation. An
 * absent keyUsage allows every use (RFC 5280 §4.2.1.3), so it is no warning.
 */
export function describeCertificate(entry: CertificateEntry, at: Date): CertificateView {
  let info: CertificateInfo;
  try {
    info = parseCertificate(entry.certificate);
  } catch {
    return { entry, info: null, title: entry.label ?? entry.id, issuer: '', warnings: ['malformed'] };
  }
  const warnings: CertificateWarning[] = [];
  if (at.getTime() > info.notAfter.getTime()) warnings.push('expired');
  if (at.getTime() < info.notBefore.getTime()) warnings.push('not-yet-valid');
  if (info.keyUsage && !SIGNING_USAGES.some((u) => info.keyUsage!.includes(u))) warnings.push('no-signing-usage');
  return {
    entry,
    info,
    title: info.subjectCN ?? entry.label ?? info.subjectDN,
    issuer: dnAttribute(info.issuerDN, 'CN') ?? info.issuerDN,
    warnings,
  };
}

/**
 * The first value of `name` in an RFC 4514 DN string as core formats it
 * (escaped `\,` kept apart from separators); null when absent.
 */
export function dnAttribute(dn: string, name: string): string | null {
  const parts = dn.split(/(?<!\\)[,+]/);
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq) === name) return part.slice(eq + 1).replace(/\\(.)/g, '$1');
  }
  return null;
}
