import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  DEFAULT_POLICY, gatherFacts, judge, KysoError, kysoError, LEGACY_POLICY, type VerificationFacts, type VerificationReport, type VerifyOptions,
} from '@kyso/core';
import { openFileSource } from '@kyso/core/node';
import { formatReport } from './verify-text.js';
import { formatReportHtml } from './report-html.js';
import { circular15View } from './evidence/circular15.js';
import { checkEvidenceTarget, writeEvidence } from './evidence/write.js';
import { commonExit } from './exit-codes.js';
import { readFileOrFolder, readVerificationArgs, VERIFICATION_ARGS, VERIFICATION_USAGE } from './verification-options.js';
import { choice, environmentValue, parseCommandLine } from './command-line.js';

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
  const { values, positionals } = parseCommandLine(argv, {
    ...VERIFICATION_ARGS,
    format: { type: 'string' },
    'password-env': { type: 'string' },
    evidence: { type: 'string' },
    intermediates: { type: 'string', multiple: true },
  }, { count: 1, what: 'PDF' });
  const { lang, revocation, trust, distrust, revocationData, policy, at } = await readVerificationArgs(values);
  const file = positionals[0]!;
  const format = choice(values.format, 'format', ['text', 'json', 'html']);
  const intermediates = (values.intermediates ?? []).flatMap(readCertificateFiles);
  const password = values['password-env'] === undefined ? undefined : environmentValue(values['password-env'], 'password-env');

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
  // DER starts with a SEQUENCE tag (X.690 §8.9); anything else is read as PEM text.
  return readFileOrFolder(path).map(({ bytes }) => (bytes[0] === 0x30 ? bytes : new TextDecoder().decode(bytes)));
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
