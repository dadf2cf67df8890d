import type { AuditResult, AuditRow } from './model.js';

/** Byte order mark: Excel reads a CSV as UTF-8 (and shows Vietnamese) only when the file starts with it. */
const BOM = '\uFEFF';
/** RFC 4180 §2: records end with CRLF. */
const EOL = '\r\n';
/** Separator of several values in one cell (several signatures of one file). */
const JOIN = '; ';

/** The columns of the file table, in order. */
export const CSV_COLUMNS = [
  'path', 'signed', 'signatures', 'signers', 'organizations', 'indications', 'modifications', 'signing_times', 'fully_valid', 'error',
] as const;

/**
 * A cell as RFC 4180 §2 wants it: quoted when it holds a quote, comma or line
 * break, quotes doubled. Text from documents (signer names, file names) that
 * starts like a spreadsheet formula gets a leading apostrophe, so opening the
 * report cannot run a formula an attacker put in a certificate (CSV injection).
 */
export function csvCell(value: string | number | boolean | null, text = false): string {
  let s = value === null ? '' : String(value);
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function fileRecord(row: AuditRow): string {
  const s = row.signatures;
  const list = (values: readonly (string | null)[]) => values.map((v) => v ?? '').join(JOIN);
  return [
    csvCell(row.path, true),
    csvCell(row.signed),
    csvCell(s.length),
    csvCell(list(s.map((x) => x.signer)), true),
    csvCell(list(s.map((x) => x.organization)), true),
    csvCell(list(s.map((x) => (x.subIndication ? `${x.indication}/${x.subIndication}` : x.indication)))),
    csvCell(list(s.map((x) => x.modifications))),
    csvCell(list(s.map((x) => x.signingTime))),
    csvCell(row.fullyValid),
    csvCell(row.error),
  ].join(',');
}

/**
 * The audit as CSV (UTF-8 with BOM, CRLF): a header and one record per file,
 * then, each after an empty line, the summary (`metric,value`), the count per
 * organisation and the count per month.
 */
export function auditCsv(result: AuditResult): string {
  const { rows, summary } = result;
  const lines = [CSV_COLUMNS.join(','), ...rows.map(fileRecord)];
  lines.push('', 'metric,value',
    `documents,${summary.documents}`, `signed,${summary.signed}`, `fully_valid,${summary.fullyValid}`,
    `unreadable,${summary.unreadable}`, `signed_rate,${summary.signedRate.toFixed(4)}`, `validation_time,${summary.validationTime}`);
  lines.push('', 'organization,documents,fully_valid', ...summary.byOrganization.map((c) => `${csvCell(c.key, true)},${c.documents},${c.fullyValid}`));
  lines.push('', 'month,documents,fully_valid', ...summary.byMonth.map((c) => `${csvCell(c.key)},${c.documents},${c.fullyValid}`));
  return BOM + lines.join(EOL) + EOL;
}
