import type { Indication, SubIndication, VerificationReport } from '@kyso/core';

/** One signature or document timestamp of an audited file, reduced to what an audit table shows. */
export interface AuditSignature {
  readonly kind: 'signature' | 'document-timestamp';
  /** Common name of the signer (of the TSA for a document timestamp), as the certificate says. */
  readonly signer: string | null;
  readonly organization: string | null;
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
  /** Changes made after this signature: none, allowed, or disallowed (ISO 32000-2 §12.8.2 MDP rules). */
  readonly modifications: 'none' | 'allowed' | 'disallowed';
  /** The best known signing time, ISO 8601: a valid signature timestamp's, else the signer's claim (/M), else null. */
  readonly signingTime: string | null;
}

/** One audited file. */
export interface AuditRow {
  /** Path relative to the audited folder, with `/` separators. */
  readonly path: string;
  /** The file holds at least one signature or document timestamp. */
  readonly signed: boolean;
  /** Every signature and document timestamp is TOTAL_PASSED (false for unsigned and unreadable files). */
  readonly fullyValid: boolean;
  readonly signatures: readonly AuditSignature[];
  /** Error code (e.g. `ERR_PDF_MALFORMED`) when the file could not be read as a PDF; null otherwise. */
  readonly error: string | null;
  /** Archive health (ETSI EN 319 142-1 §5.4): validation data in the file, and the last timestamp's TSA expiry; null when unreadable. */
  readonly ltv?: AuditLtv | null;
}

/** The long-term validation state of one file. */
export interface AuditLtv {
  /** Every signature's chain and revocation data is in the file (offline validation possible). */
  readonly enabled: boolean;
  /** genTime of the latest valid timestamp (signature or document timestamp), ISO 8601. */
  readonly lastTimestamp: string | null;
  /** notAfter of that timestamp's TSA certificate: the archive timestamp must be renewed before it. */
  readonly tsaExpires: string | null;
}

/** The archive-health view of a summary. */
export interface AuditArchive {
  /** The horizon asked for (`--tsa-expiry-months`). */
  readonly months: number;
  /** Signed documents without LTV data (paths). */
  readonly withoutLtv: readonly string[];
  /** Signed documents whose last timestamp's TSA certificate expires within the horizon (or has expired), soonest first. */
  readonly tsaExpiring: readonly { readonly path: string; readonly tsaExpires: string }[];
  /** Signed documents with no valid timestamp at all. */
  readonly noTimestamp: readonly string[];
}

/** Documents and fully valid documents under one key of a breakdown. */
export interface AuditCount {
  readonly key: string;
  readonly documents: number;
  readonly fullyValid: number;
}

/** What an audit found, over all rows. */
export interface AuditSummary {
  readonly documents: number;
  readonly signed: number;
  readonly fullyValid: number;
  readonly unreadable: number;
  /** signed / documents, 0 for an empty folder. */
  readonly signedRate: number;
  /** Signed documents per signer organisation (signatures only, not timestamp authorities); `?` when no organisation is named. */
  readonly byOrganization: readonly AuditCount[];
  /** Signed documents per month (`YYYY-MM`, Vietnam time) of their first signature's signing time; `?` when unknown. */
  readonly byMonth: readonly AuditCount[];
  /** The one validation time every file was verified at. */
  readonly validationTime: string;
  readonly archive: AuditArchive;
}

/** The result of an audit: rows sorted by path, and the summary. */
export interface AuditResult {
  readonly rows: readonly AuditRow[];
  readonly summary: AuditSummary;
}

/** Key of breakdown entries whose organisation or month is not known. */
export const UNKNOWN_KEY = '?';

/** Reduces a verification report to an audit row. */
export function rowOf(path: string, report: VerificationReport): AuditRow {
  const signatures = report.signatures.map((s): AuditSignature => ({
    kind: s.kind,
    signer: s.signer.commonName,
    organization: s.signer.organization,
    indication: s.indication,
    subIndication: s.subIndication,
    modifications: s.modifications.verdict,
    signingTime: s.signingTime.timestamp ?? s.signingTime.claimed,
  }));
  return {
    path,
    signed: signatures.length > 0,
    fullyValid: signatures.length > 0 && signatures.every((s) => s.indication === 'TOTAL_PASSED'),
    signatures,
    error: null,
    ltv: { enabled: report.ltv.enabled, lastTimestamp: report.ltv.lastTimestamp?.genTime ?? null, tsaExpires: report.ltv.lastTimestamp?.tsaExpires ?? null },
  };
}

/** The row of a file that could not be read as a PDF. */
export function errorRow(path: string, code: string): AuditRow {
  return { path, signed: false, fullyValid: false, signatures: [], error: code, ltv: null };
}

/** Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed offset is exact for these dates. */
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

/** `YYYY-MM` of an ISO time in Vietnam time, as the signers' calendars show it; null when unparsable. */
export function monthOf(iso: string | null): string | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t + VIETNAM_OFFSET_MS).toISOString().slice(0, 7);
}

/** Aggregates rows into the summary; pure, so any thread or tool can recompute it from the rows. */
export function summarize(rows: readonly AuditRow[], validationTime: string, tsaExpiryMonths = DEFAULT_TSA_EXPIRY_MONTHS): AuditSummary {
  const byOrg = new Map<string, { documents: number; fullyValid: number }>();
  const byMonth = new Map<string, { documents: number; fullyValid: number }>();
  const bump = (map: typeof byOrg, key: string, valid: boolean) => {
    const c = map.get(key) ?? { documents: 0, fullyValid: 0 };
    c.documents++;
    if (valid) c.fullyValid++;
    map.set(key, c);
  };
  let signed = 0;
  let fullyValid = 0;
  let unreadable = 0;
  for (const row of rows) {
    if (row.error) unreadable++;
    if (!row.signed) continue;
    signed++;
    if (row.fullyValid) fullyValid++;
    const people = row.signatures.filter((s) => s.kind === 'signature');
    // A document counts once per organisation, however many of its people signed it.
    const orgs = new Set(people.map((s) => s.organization?.trim() || UNKNOWN_KEY));
    for (const org of orgs) bump(byOrg, org, row.fullyValid);
    const first = (people.length ? people : row.signatures).map((s) => s.signingTime).find((t) => monthOf(t) !== null) ?? null;
    bump(byMonth, monthOf(first) ?? UNKNOWN_KEY, row.fullyValid);
  }
  const list = (map: typeof byOrg) => [...map].map(([key, c]) => ({ key, ...c }));
  return {
    documents: rows.length,
    signed,
    fullyValid,
    unreadable,
    signedRate: rows.length ? signed / rows.length : 0,
    byOrganization: list(byOrg).sort((a, b) => b.documents - a.documents || compareText(a.key, b.key)),
    // '?' sorts after every digit, so unknown months come last.
    byMonth: list(byMonth).sort((a, b) => compareText(a.key, b.key)),
    validationTime,
    archive: archiveOf(rows, validationTime, tsaExpiryMonths),
  };
}

/** Default horizon of the archive-health view: renew a year ahead. */
export const DEFAULT_TSA_EXPIRY_MONTHS = 12;

/**
 * Archive health: which signed documents lack LTV data, and which must have their
 * archive timestamp renewed soon (ETSI EN 319 102-1 §5.6.3: a timestamp protects
 * the data under it only while its TSA certificate can still be validated).
 */
export function archiveOf(rows: readonly AuditRow[], validationTime: string, months: number): AuditArchive {
  const horizon = new Date(validationTime);
  horizon.setUTCMonth(horizon.getUTCMonth() + months);
  const signed = rows.filter((r) => r.signed && r.ltv);
  return {
    months,
    withoutLtv: signed.filter((r) => !r.ltv!.enabled).map((r) => r.path),
    tsaExpiring: signed
      .filter((r) => r.ltv!.tsaExpires !== null && Date.parse(r.ltv!.tsaExpires) <= horizon.getTime())
      .map((r) => ({ path: r.path, tsaExpires: r.ltv!.tsaExpires! }))
      .sort((a, b) => compareText(a.tsaExpires, b.tsaExpires) || compareText(a.path, b.path)),
    noTimestamp: signed.filter((r) => r.ltv!.lastTimestamp === null).map((r) => r.path),
  };
}

/** Code-unit order: stable across machines and locales, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
