import { extname } from 'node:path';
import { KysoError, kysoError, type Lang } from '@kyso/core';
import { writeFileAtomic } from '@kyso/core/node';
import { reportStaleTemporaryFiles } from './stale-temp.js';
import { auditCsv, csvCell } from './audit/csv.js';
import { auditHtml } from './audit/html.js';
import type { AuditResult, AuditRow } from './audit/model.js';
import { progressBar } from './audit/progress.js';
import { runAudit } from './audit/run.js';
import { commonExit } from './exit-codes.js';
import { readVerificationArgs, VERIFICATION_ARGS, VERIFICATION_USAGE } from './verification-options.js';
import { choice, parseCommandLine, wholeNumber } from './command-line.js';

export const AUDIT_USAGE = `Usage: kyso audit DIR [options]

Verifies every PDF under DIR (sub-folders included) in parallel and writes one
row per file (signed?, signatures, signers, organisations, results, changes
after signing, signing times, error code of unreadable files) and a summary
(documents, signed, fully valid, signed-document rate, by organisation, by month).

${VERIFICATION_USAGE}  --at ISO-8601            validate every file at this time (default now)
  --format csv|json|html   output format (default from the -o extension, else csv)
  -o, --output FILE        write the report to FILE atomically (default stdout)
  --concurrency N          files verified at once, in worker threads (default the
                           number of CPUs; --jobs N is the same)
  --queue redis://HOST:PORT  verify on kyso worker processes through a BullMQ queue
                           in this Redis instead of in local threads (workers must see
                           DIR at the same absolute path); same report
  --archive                archive-health view instead of the file table: documents
                           without LTV data (kyso extend), documents whose last
                           timestamp's TSA certificate expires within the horizon
  --tsa-expiry-months N    horizon of the archive-health view (default 12)
  --lang vi|en             language of the HTML report and messages (default vi)

CSV is UTF-8 with a byte order mark (Excel shows Vietnamese) and CRLF line ends;
HTML is one self-contained page with charts, without scripts or external files.
Months are those of the signing time (a signature timestamp, else the claimed
time) in Vietnam time. A progress bar is drawn on stderr when it is a terminal.

Exit status: 0 the audit ran, whatever the verdicts; 4 DIR (or a --trust, --distrust,
--crl or --ocsp file, or the output) cannot be read or written, or such a file holds
no certificate, CRL or OCSP response;
1 the audit could not run for another reason; 64 usage error; 70 internal error
(ERR_INTERNAL, a kyso bug).
`;

/** Exit codes of `kyso audit` (documented in the usage text). */
export const AUDIT_EXIT = { ran: 0, failed: 1, unreadable: 4, usage: 64, internal: 70 } as const;

export type AuditFormat = 'csv' | 'json' | 'html';

/** What tests and embedders may inject; none of it is reachable from the command line. */
export interface AuditInjection {
  /** URL rewrites for online revocation in the workers (tests route them to local servers). */
  readonly urlMap?: Readonly<Record<string, string>>;
  /** Loader-hooks module for workers when running from TypeScript sources. */
  readonly loader?: string;
  /** Where warnings and the progress bar go; default process.stderr. */
  readonly stderr?: NodeJS.WriteStream;
}

/** The report in the chosen format. */
export function formatAudit(result: AuditResult, format: AuditFormat, lang: Lang, folder: string): string {
  if (format === 'csv') return auditCsv(result);
  if (format === 'html') return auditHtml(result, lang, folder);
  return `${JSON.stringify(result, null, 2)}\n`;
}

/**
 * The archive-health view: one row per signed document with its LTV state, the
 * last timestamp and when its TSA certificate expires, and what to do. CSV as
 * the file table (BOM, CRLF); JSON is the summary's `archive` object.
 */
export function formatArchive(result: AuditResult, format: AuditFormat, lang: Lang): string {
  const a = result.summary.archive;
  if (format === 'json') return `${JSON.stringify(a, null, 2)}\n`;
  const expiring = new Set(a.tsaExpiring.map((e) => e.path));
  const vi = lang === 'vi';
  const action = (r: AuditRow): string => {
    const todo: string[] = [];
    if (!r.ltv!.enabled) todo.push(vi ? 'bổ sung dữ liệu LTV (kyso extend --level B-LTA)' : 'add LTV data (kyso extend --level B-LTA)');
    if (r.ltv!.lastTimestamp === null) todo.push(vi ? 'chưa có dấu thời gian' : 'no timestamp');
    else if (expiring.has(r.path)) todo.push(vi ? `gia hạn dấu thời gian lưu trữ trước ${r.ltv!.tsaExpires}` : `renew the archive timestamp before ${r.ltv!.tsaExpires}`);
    return todo.join('; ');
  };
  const rows = result.rows.filter((r) => r.signed && r.ltv);
  const cell = (v: string | boolean | null) => csvCell(v, true);
  const lines = [
    ['path', 'ltv_enabled', 'last_timestamp', 'tsa_expires', 'action'].join(','),
    ...rows.map((r) => [cell(r.path), cell(r.ltv!.enabled), cell(r.ltv!.lastTimestamp), cell(r.ltv!.tsaExpires), cell(action(r))].join(',')),
    '',
    `without_ltv,${a.withoutLtv.length}`,
    `tsa_expiring_within_${a.months}_months,${a.tsaExpiring.length}`,
    `no_timestamp,${a.noTimestamp.length}`,
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

const FORMAT_OF_EXTENSION: Record<string, AuditFormat> = { '.csv': 'csv', '.json': 'json', '.html': 'html', '.htm': 'html' };

/**
 * `kyso audit DIR …`: returns the report text when it goes to stdout (null
 * when written to `-o FILE`) with the result. Throws `ERR_INVALID_ARGUMENT`
 * on usage errors and `ERR_IO` when DIR, a trust file or the output is unreadable/unwritable.
 */
export async function auditCommand(argv: string[], inject: AuditInjection = {}): Promise<{ output: string | null; result: AuditResult; exit: number }> {
  const { values, positionals } = parseCommandLine(argv, {
    ...VERIFICATION_ARGS,
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
    concurrency: { type: 'string' },
    jobs: { type: 'string' },
    queue: { type: 'string' },
    archive: { type: 'boolean' },
    'tsa-expiry-months': { type: 'string' },
  }, { count: 1, what: 'folder' });
  const dir = positionals[0]!;
  const { lang, revocation, trust, distrust, revocationData, policy, at } = await readVerificationArgs(values);
  const format = choice(values.format ?? (values.output ? FORMAT_OF_EXTENSION[extname(values.output).toLowerCase()] : undefined), 'format', ['csv', 'json', 'html']);
  // --concurrency is the name the service's `kyso worker` uses too; --jobs (make's word) stays as its synonym.
  if (values.concurrency !== undefined && values.jobs !== undefined) throw kysoError('ERR_INVALID_ARGUMENT', '--concurrency and --jobs are the same option: give one');
  const concurrencyOption = values.concurrency !== undefined ? 'concurrency' : 'jobs';
  const jobs = wholeNumber(values.concurrency ?? values.jobs, concurrencyOption, 1, 256);
  if (values.queue !== undefined && jobs !== undefined) {
    throw kysoError('ERR_INVALID_ARGUMENT', `--${concurrencyOption} does not apply with --queue (start kyso worker --concurrency N)`);
  }
  const tsaExpiryMonths = wholeNumber(values['tsa-expiry-months'], 'tsa-expiry-months', 0, 1200);

  const stderr = inject.stderr ?? process.stderr;
  let progress = progressBar(stderr, 0, lang);
  const result = await runAudit(dir, {
    trust, distrust, revocationData, policy,
    revocation, at, jobs, tsaExpiryMonths,
    queue: values.queue,
    urlMap: inject.urlMap,
    loader: inject.loader,
    onStart: (total, unreadable) => {
      for (const folder of unreadable) stderr.write(`kyso audit: ${lang === 'vi' ? 'không đọc được thư mục' : 'could not read the folder'} ${folder}\n`);
      progress = progressBar(stderr, total, lang);
    },
    onProgress: (done) => progress.update(done),
  });
  progress.end();

  const text = values.archive ? formatArchive(result, format, lang) : formatAudit(result, format, lang, dir);
  if (values.output === undefined) return { output: text, result, exit: AUDIT_EXIT.ran };
  writeFileAtomic(values.output, new TextEncoder().encode(text), reportStaleTemporaryFiles(lang, stderr));
  return { output: null, result, exit: AUDIT_EXIT.ran };
}

/** Maps an error of `kyso audit` to its exit code: usage errors 64, unreadable input (DIR, trust files) or unwritable output 4, else 1. */
export function auditErrorExit(error: unknown): number {
  const common = commonExit(error);
  if (common !== null) return common;
  if (error instanceof KysoError && ['ERR_IO', 'ERR_CERT_MALFORMED', 'ERR_REVOCATION_DATA_MALFORMED'].includes(error.code)) return AUDIT_EXIT.unreadable;
  return AUDIT_EXIT.failed;
}
