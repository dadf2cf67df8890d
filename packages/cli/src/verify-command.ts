import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_POLICY, gatherFacts, judge, KysoError, kysoError, LEGACY_POLICY, type VerificationFacts, type VerificationReport, type VerifyOptions,
} from '@kyso/core';
import { openFileSource } from '@kyso/core/node';
import { formatReport } from './verify-text.js';
import { formatReportHtml } from './report-html.js';
import { circular15View } from './evidence/circular15.js';
import { checkEvidenceTarget, writeEvidence } from './evidence/write.js';
import { commonExit } from './exit-codes.js';
import { readVerificationArgs, VERIFICATION_ARGS, VERIFICATION_USAGE } from './verification-options.js';

export const VERIFY_USAGE = `Usage: kyso verify FILE.pdf [options]

${VERIFICATION_USAGE}  --at ISO-8601            validate at this time (default now)
  --format text|json|html  output format (default text); html is a printable page with
                           the fields and Annex II criteria of Circular 15/2025/TT-BKHCN
  --evidence DIR           also keep in DIR (new or empty) the path certificates, the CRLs
                           and OCSP responses that decided each status, the status result,
                           the report (JSON, HTML, text in Vietnamese) and a SHA-256 manifest
  --intermediates FILE|DIR extra CA certificates for path building, PEM or DER (repeatable)
  --password-env VAR       password of an encrypted PDF, from this environment variable
  --lang vi|en             language (default vi)

Exit status: 0 every signature TOTAL_PASSED; 1 one is TOTAL_FAILED; 2 otherwise one is
INDETERMINATE; 3 the file has no signature; 4 the file cannot be read as a PDF (or a --trust,
--distrust, --crl or --ocsp file cannot be read or holds no certificate, CRL or OCSP response);
64 usage error; 70 internal error (ERR_INTERNAL, a kyso bug); 73 the --evidence folder
exists and is not empty (ERR_EVIDENCE_DIR_NOT_EMPTY; nothing is overwritten).
`;

/** Exit codes of `kyso verify` (documented in the usage text). */
export const VERIFY_EXIT = { passed: 0, failed: 1, indeterminate: 2, unsigned: 3, unreadable: 4, usage: 64, internal: 70, evidenceExists: 73 } as const;

export async function verifyCommand(argv: string[], fetchImpl: VerifyOptions['fetch'] = globalThis.fetch as unknown as VerifyOptions['fetch']): Promise<{ output: string; exit: number }> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...VERIFICATION_ARGS,
      format: { type: 'string' },
      'password-env': { type: 'string' },
      evidence: { type: 'string' },
      intermediates: { type: 'string', multiple: true },
    },
  });
  const { lang, revocation, trust, distrust, revocationData, policy, at } = await readVerificationArgs(values);
  if (positionals.length !== 1) throw kysoError('ERR_INVALID_ARGUMENT', 'exactly one PDF is needed');
  const file = positionals[0]!;
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'html') throw kysoError('ERR_INVALID_ARGUMENT', '--format must be text, json or html');
  const intermediates = (values.intermediates ?? []).flatMap(readCertificateFiles);
  let password: string | undefined;
  if (values['password-env'] !== undefined) {
    password = process.env[values['password-env']];
    if (password === undefined) throw kysoError('ERR_INVALID_ARGUMENT', 'the --password-env variable is not set');
  }

  // Checked again when writing (it may fill meanwhile); here so a used folder is refused before any network work.
  if (values.evidence !== undefined) checkEvidenceTarget(values.evidence);

  let source;
  try {
    source = openFileSource(file);
  } catch (cause) {
    throw kysoError('ERR_IO', `could not read ${file}`, cause);
  }
  let facts: VerificationFacts;
  const judgedBy = policy === 'legacy' ? LEGACY_POLICY : DEFAULT_POLICY;
  try {
    // verify() = gatherFacts + judge; the facts are kept here for the Circular 15 view and the evidence.
    facts = await gatherFacts(source, {
      trust, distrust, revocationData, intermediates,
      revocation, at, password, file, fetch: revocation === 'online' ? fetchImpl : undefined,
      policy: judgedBy, collectEvidence: values.evidence !== undefined,
    });
  } finally {
    source.close();
  }
  const report: VerificationReport = judge(facts, judgedBy, file);
  const view = circular15View(facts, report);
  if (values.evidence !== undefined) {
    const bytes = readFileSync(file);
    writeEvidence(values.evidence, {
      facts, report, document: { name: basename(file), sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length },
      // A profile also decides rules (VGCA G1's SHA-1 CA links), so re-verification names it again with the kept anchors.
      rules: [...(values.profile ?? []).flatMap((p) => ['--profile', p]), ...(policy === 'legacy' ? ['--policy', 'legacy'] : [])],
    });
  }
  const output = format === 'json' ? `${JSON.stringify(report, null, 2)}\n`
    : format === 'html' ? formatReportHtml(report, view, lang) : formatReport(report, lang, view);
  return { output, exit: exitOf(report) };
}

/** --intermediates: a certificate file (PEM or DER), or every file of a folder (sorted, not recursive). */
function readCertificateFiles(path: string): (string | Uint8Array)[] {
  try {
    const paths = statSync(path).isDirectory()
      ? readdirSync(path, { withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(path, d.name)).sort()
      : [path];
    return paths.map((p) => {
      const bytes = new Uint8Array(readFileSync(p));
      return bytes[0] === 0x30 ? bytes : new TextDecoder().decode(bytes);
    });
  } catch (cause) {
    throw kysoError('ERR_IO', `could not read ${path}`, cause);
  }
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
  if (error instanceof KysoError && error.code === 'ERR_EVIDENCE_DIR_NOT_EMPTY') return VERIFY_EXIT.evidenceExists;
  return commonExit(error) ?? VERIFY_EXIT.unreadable;
}
