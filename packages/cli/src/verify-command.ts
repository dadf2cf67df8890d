import { parseArgs } from 'node:util';
import { KysoError, kysoError, LEGACY_POLICY, verify, type VerificationReport, type VerifyOptions } from '@kyso/core';
import { openFileSource } from '@kyso/core/node';
import { formatReport } from './verify-text.js';
import { commonExit } from './exit-codes.js';
import { readVerificationArgs, VERIFICATION_ARGS, VERIFICATION_USAGE } from './verification-options.js';

export const VERIFY_USAGE = `Usage: kyso verify FILE.pdf [options]

${VERIFICATION_USAGE}  --at ISO-8601            validate at this time (default now)
  --format text|json       output format (default text)
  --password-env VAR       password of an encrypted PDF, from this environment variable
  --lang vi|en             language (default vi)

Exit status: 0 every signature TOTAL_PASSED; 1 one is TOTAL_FAILED; 2 otherwise one is
INDETERMINATE; 3 the file has no signature; 4 the file cannot be read as a PDF (or a --trust,
--distrust, --crl or --ocsp file cannot be read or holds no certificate, CRL or OCSP response);
64 usage error; 70 internal error (ERR_INTERNAL, a kyso bug).
`;

/** Exit codes of `kyso verify` (documented in the usage text). */
export const VERIFY_EXIT = { passed: 0, failed: 1, indeterminate: 2, unsigned: 3, unreadable: 4, usage: 64, internal: 70 } as const;

export async function verifyCommand(argv: string[], fetchImpl: VerifyOptions['fetch'] = globalThis.fetch as unknown as VerifyOptions['fetch']): Promise<{ output: string; exit: number }> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...VERIFICATION_ARGS,
      format: { type: 'string' },
      'password-env': { type: 'string' },
    },
  });
  const { lang, revocation, trust, distrust, revocationData, policy, at } = readVerificationArgs(values);
  if (positionals.length !== 1) throw kysoError('ERR_INVALID_ARGUMENT', 'exactly one PDF is needed');
  const file = positionals[0]!;
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw kysoError('ERR_INVALID_ARGUMENT', '--format must be text or json');
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
      trust, distrust, revocationData,
      revocation, at, password, file, fetch: revocation === 'online' ? fetchImpl : undefined,
      ...(policy === 'legacy' ? { policy: LEGACY_POLICY } : {}),
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

/**
 * Maps an error of `kyso verify` to its exit code: usage errors 64 and internal errors 70 (as every verb,
 * `exit-codes.ts`); any other failure means the input could not be read (the PDF, a --trust file): 4.
 */
export function verifyErrorExit(error: unknown): number {
  return commonExit(error) ?? VERIFY_EXIT.unreadable;
}
