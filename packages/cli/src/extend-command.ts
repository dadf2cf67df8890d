import { kysoError, type ExtendOptions, type FetchLike } from '@kyso/core';
import { extendFile } from '@kyso/core/node';
import { reportStaleTemporaryFiles } from './stale-temp.js';
import { readVerificationArgs, VERIFICATION_ARGS } from './verification-options.js';
import { choice, parseCommandLine, wholeNumber } from './command-line.js';

export const EXTEND_USAGE = `Usage: kyso extend IN.pdf -o OUT.pdf --level B-LT|B-LTA [options]

Raises the signatures of IN.pdf to PAdES B-LT (a /DSS with every certificate,
OCSP response and CRL needed to validate them offline) or B-LTA (then a
document timestamp). Run it again on a B-LTA file, before its last TSA
certificate expires, to renew the archive timestamp. IN.pdf is left as it is:
OUT.pdf is IN.pdf plus appended updates, written atomically (OUT may equal IN).

  -o, --output FILE        where to write the extended PDF
  --level B-LT|B-LTA       level to reach (required)
  --tsa URL                RFC 3161 timestamp authority for the document timestamp (B-LTA)
  --trust FILE.pem         trust this root or CA certificate (repeatable)
  --profile NAME           vn-gov or vn-public (repeatable)
  --at ISO-8601            the clock revocation data is judged against (default now)
  --timeout-ms N           time-out of each OCSP, CRL, AIA or TSA exchange (default 10000)
  --allow-incomplete       write what was found even if some status could not be decided
  --lang vi|en             language of messages (default vi)

Exit status: 0 extended; 1 failed (the error code and message on stderr); 64 usage error;
70 internal error (ERR_INTERNAL, a kyso bug).
`;

/** `kyso extend …`: returns the summary line. `fetchImpl` reaches OCSP, CRL, AIA and the TSA (tests inject a router). */
export async function extendCommand(argv: string[], fetchImpl: FetchLike = globalThis.fetch as unknown as FetchLike): Promise<string> {
  const { values, positionals } = parseCommandLine(argv, {
    ...VERIFICATION_ARGS,
    output: { type: 'string', short: 'o' },
    level: { type: 'string' },
    tsa: { type: 'string' },
    'timeout-ms': { type: 'string' },
    'allow-incomplete': { type: 'boolean' },
  }, { count: 1, what: 'input PDF' });
  if (!values.output) throw kysoError('ERR_INVALID_ARGUMENT', '-o OUT.pdf is required');
  if (values.level === undefined) throw kysoError('ERR_INVALID_ARGUMENT', '--level must be B-LT or B-LTA');
  const level = choice(values.level, 'level', ['B-LT', 'B-LTA']);
  if (level === 'B-LTA' && !values.tsa) throw kysoError('ERR_INVALID_ARGUMENT', '--level B-LTA needs --tsa URL');
  const { trust, at, lang } = await readVerificationArgs({ ...values, revocation: undefined });
  if (trust.length === 0) throw kysoError('ERR_INVALID_ARGUMENT', '--trust or --profile is required: paths must end at a trust anchor');
  const timeoutMs = wholeNumber(values['timeout-ms'], 'timeout-ms', 1, Number.MAX_SAFE_INTEGER);
  const options: ExtendOptions = {
    level, trust, fetch: fetchImpl, at, timeoutMs, allowIncomplete: values['allow-incomplete'] === true,
    ...(values.tsa ? { timestamp: { url: values.tsa, fetch: fetchImpl, ...(timeoutMs ? { timeoutMs } : {}) } } : {}),
  };
  const input = positionals[0]!;
  const r = await extendFile(input, values.output, options, reportStaleTemporaryFiles(lang));
  const missing = r.missing.length ? `; incomplete: ${r.missing.map((m) => `${m.field ?? '?'} (${m.what.join(', ')})`).join('; ')}` : '';
  return `${values.output}: ${level}, ${r.signatures} signature(s); /DSS +${r.dss.certs} certificates, +${r.dss.ocsps} OCSP, +${r.dss.crls} CRL, ${r.dss.vri} VRI`
    + `${r.documentTimestamp ? '; document timestamp added' : ''}${missing}`;
}
