import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { KysoError, kysoError, verify, type Lang, type VerificationReport, type VerifyOptions } from '@kyso/core';
import { openFileSource } from '@kyso/core/node';
import { formatReport } from './verify-text.js';

export const VERIFY_USAGE = `Usage: kyso verify FILE.pdf [options]

  --trust FILE.pem         trust this root or CA certificate (repeatable)
  --profile NAME           vn-gov (VGCA chuyên dùng) or vn-public (NEAC public CAs) (repeatable)
  --revocation MODE        embedded (default) | online | off
  --at ISO-8601            validate at this time (default now)
  --format text|json       output format (default text)
  --password-env VAR       password of an encrypted PDF, from this environment variable
  --lang vi|en             language (default vi)

Exit status: 0 every signature TOTAL_PASSED; 1 one is TOTAL_FAILED; 2 otherwise one is
INDETERMINATE; 3 the file has no signature; 4 the file cannot be read as a PDF; 64 usage error.
`;

/** Exit codes of `kyso verify` (documented in the usage text). */
export const VERIFY_EXIT = { passed: 0, failed: 1, indeterminate: 2, unsigned: 3, unreadable: 4, usage: 64 } as const;

export async function verifyCommand(argv: string[], fetchImpl: VerifyOptions['fetch'] = globalThis.fetch as unknown as VerifyOptions['fetch']): Promise<{ output: string; exit: number }> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      trust: { type: 'string', multiple: true },
      profile: { type: 'string', multiple: true },
      revocation: { type: 'string' },
      at: { type: 'string' },
      format: { type: 'string' },
      'password-env': { type: 'string' },
      lang: { type: 'string' },
    },
  });
  if (values.lang !== undefined && values.lang !== 'vi' && values.lang !== 'en') throw kysoError('ERR_INVALID_ARGUMENT', '--lang must be vi or en');
  const lang: Lang = values.lang === 'en' ? 'en' : 'vi';
  if (positionals.length !== 1) throw kysoError('ERR_INVALID_ARGUMENT', 'exactly one PDF is needed');
  const file = positionals[0]!;
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw kysoError('ERR_INVALID_ARGUMENT', '--format must be text or json');
  const revocation = values.revocation ?? 'embedded';
  if (revocation !== 'embedded' && revocation !== 'online' && revocation !== 'off') throw kysoError('ERR_INVALID_ARGUMENT', '--revocation must be embedded, online or off');
  const profiles = values.profile ?? [];
  for (const p of profiles) if (p !== 'vn-gov' && p !== 'vn-public') throw kysoError('ERR_INVALID_ARGUMENT', '--profile must be vn-gov or vn-public');
  let at: Date | undefined;
  if (values.at !== undefined) {
    at = new Date(values.at);
    if (Number.isNaN(at.getTime())) throw kysoError('ERR_INVALID_ARGUMENT', '--at must be an ISO 8601 time');
  }
  const trust = (values.trust ?? []).map((path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (cause) {
      throw kysoError('ERR_IO', `could not read ${path}`, cause);
    }
  });
  let password: string | undefined;
  if (values['password-env'] !== undefined) {
    password = process.env[values['password-env']];
    if (password === undefined) throw kysoError('ERR_INVALID_ARGUMENT', 'the --password-env variable is not set');
  }

  let source;
  try {
    source = openFileSource(file);
  } catch (cause) {
    throw kysoError('ERR_IO', `could not read ${file}`, cause);
  }
  let report: VerificationReport;
  try {
    report = await verify(source, {
      trust: [...(profiles as ('vn-gov' | 'vn-public')[]), ...trust],
      revocation, at, password, file, fetch: revocation === 'online' ? fetchImpl : undefined,
    });
  } finally {
    source.close();
  }
  const output = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, lang);
  return { output, exit: exitOf(report) };
}

function exitOf(report: VerificationReport): number {
  const s = report.signatures;
  if (s.length === 0) return VERIFY_EXIT.unsigned;
  if (s.some((x) => x.indication === 'TOTAL_FAILED')) return VERIFY_EXIT.failed;
  if (s.some((x) => x.indication === 'INDETERMINATE')) return VERIFY_EXIT.indeterminate;
  return VERIFY_EXIT.passed;
}

/** Maps an error of `kyso verify` to its exit code: unreadable PDFs are 4, usage errors (bad values, unknown options) 64. */
export function verifyErrorExit(error: unknown): number {
  if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) return VERIFY_EXIT.usage;
  if (error instanceof KysoError) {
    if (error.code === 'ERR_INVALID_ARGUMENT') return VERIFY_EXIT.usage;
    if (error.code.startsWith('ERR_PDF_') || error.code === 'ERR_IO') return VERIFY_EXIT.unreadable;
  }
  return VERIFY_EXIT.unreadable;
}
