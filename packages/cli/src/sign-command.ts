import { kysoError, type AppearanceOptions, type FetchLike, type PadesLevel, type SignOptions, type SignatureRole, type SigningAdapter } from '@kyso/core';
import { signFile } from '@kyso/core/node';
import { reportStaleTemporaryFiles } from './stale-temp.js';
import { Pkcs12Adapter } from '@kyso/adapters';
import { readPassword } from './password.js';
import { readVerificationArgs } from './verification-options.js';
import { choice, environmentValue, isoTime, parseCommandLine, readNamedFile, wholeNumber } from './command-line.js';

export const SIGN_USAGE = `Usage: kyso sign IN.pdf -o OUT.pdf --p12 FILE [options]
       kyso sign IN.pdf -o OUT.pdf --remote URL [--remote-header 'N: V'] [options]
       kyso sign IN.pdf|DIR... -o OUT_DIR --queue redis://HOST:PORT --signer CERT [options]

  -o, --output FILE        where to write the signed PDF (written atomically)
  --p12 FILE               PKCS#12 (.p12/.pfx) holding the key and certificate
  --pin-env VAR            read the PKCS#12 password from environment variable VAR
                           (otherwise it is asked on the terminal; never an argument)
  --remote URL             sign through the integrator's remote-signing back end
                           (@kyso/adapters/remote-handler: VNPT SmartCA, NEAC, MySign,
                           RSSP); waits for the confirmation on the phone, Ctrl-C cancels
  --remote-header 'N: V'   header the back end knows the signer by (repeatable)
  --remote-header-env VAR  the same, 'N: V' read from environment variable VAR (repeatable;
                           keeps a session cookie or token off the command line)
  --certificate ID         the remote certificate to sign with (default the first)
  --queue redis://HOST:PORT  batch signing: queue every PDF given (a folder: every PDF under
                           it) for the key of --signer; kyso worker --sign processes holding
                           that key sign them into OUT_DIR (same sub-folders); each file is
                           signed once even if a worker dies; exit 1 if any file failed
  --signer CERT            the signing key's certificate (PEM or DER), with --queue
  --level B-B|B-T|B-LT|B-LTA  PAdES level (default B-B); B-T and up need --tsa;
                           B-LT and B-LTA also --trust or --profile (see kyso extend)
  --trust FILE.pem         trust anchor for B-LT/B-LTA validation data (repeatable)
  --profile NAME           vn-gov or vn-public, for B-LT/B-LTA (repeatable)
  --tsa URL                RFC 3161 timestamp authority
  --role ROLE              approve | issue | appendix | copy | comment (visible, Decree 30)
  --image PNG|JPEG         signature image (approve) or seal (issue)
  --page N                 page for a new signature field (default 1)
  --rect x,y,w,h           rectangle in points from the page's bottom left
  --unit pt|mm             units of --rect (default pt)
  --field NAME             sign into this existing empty signature field
  --reason TEXT            /Reason
  --location TEXT          /Location
  --certify 1|2|3          certification signature with this DocMDP permission
  --doc-number TEXT        document number and symbol (appendix role)
  --copy-form TEXT         SAO Y | SAO LỤC | TRÍCH SAO (copy role)
  --organization TEXT      organisation line of the appearance
  --signing-time ISO       freeze the signing time (tests, reproducible output)
  --lang vi|en             language of messages and appearance labels (default vi)

Exit status: 0 signed; 1 failed (the error code and message on stderr); 64 usage error;
70 internal error (ERR_INTERNAL, a kyso bug).
`;

const ROLES = ['approve', 'issue', 'appendix', 'copy', 'comment'] as const;

/** `kyso sign …`: the text for stdout and the exit status (0 signed; 1 when a file of a queued batch failed). */
export async function signCommand(argv: string[]): Promise<{ output: string; exit: number }> {
  const { values, positionals } = parseCommandLine(argv, {
      output: { type: 'string', short: 'o' },
      p12: { type: 'string' },
      remote: { type: 'string' },
      queue: { type: 'string' },
      signer: { type: 'string' },
      'remote-header': { type: 'string', multiple: true },
      'remote-header-env': { type: 'string', multiple: true },
      certificate: { type: 'string' },
      'pin-env': { type: 'string' },
      level: { type: 'string' },
      tsa: { type: 'string' },
      trust: { type: 'string', multiple: true },
      profile: { type: 'string', multiple: true },
      role: { type: 'string' },
      image: { type: 'string' },
      page: { type: 'string' },
      rect: { type: 'string' },
      unit: { type: 'string' },
      field: { type: 'string' },
      reason: { type: 'string' },
      location: { type: 'string' },
      certify: { type: 'string' },
      'doc-number': { type: 'string' },
      'copy-form': { type: 'string' },
      organization: { type: 'string' },
      'signing-time': { type: 'string' },
      lang: { type: 'string' },
  }, operandsOf(argv));
  if (!values.output) throw kysoError('ERR_INVALID_ARGUMENT', '--output is required');
  if (values.queue !== undefined) return signBatch(values, positionals);
  const input = positionals[0]!;
  if (!values.p12 === !values.remote) throw kysoError('ERR_INVALID_ARGUMENT', 'exactly one of --p12 and --remote is needed');
  if (!values.remote && (values['remote-header'] || values['remote-header-env'] || values.certificate !== undefined)) {
    throw kysoError('ERR_INVALID_ARGUMENT', '--remote-header, --remote-header-env and --certificate go with --remote');
  }
  const remoteHeaders = [
    ...(values['remote-header'] ?? []),
    ...(values['remote-header-env'] ?? []).map((name) => environmentValue(name, 'remote-header-env')),
  ];
  const lang = choice(values.lang, 'lang', ['vi', 'en']);
  const level: PadesLevel = choice(values.level, 'level', ['B-B', 'B-T', 'B-LT', 'B-LTA']);
  if (level !== 'B-B' && !values.tsa) throw kysoError('ERR_INVALID_ARGUMENT', `--level ${level} needs --tsa URL`);
  const longTerm = level === 'B-LT' || level === 'B-LTA';
  const { trust } = await readVerificationArgs({ trust: values.trust, profile: values.profile });
  if (longTerm && trust.length === 0) throw kysoError('ERR_INVALID_ARGUMENT', `--level ${level} needs --trust or --profile`);
  const role: SignatureRole | undefined = values.role === undefined ? undefined : choice(values.role, 'role', ROLES);
  const certify = wholeNumber(values.certify, 'certify', 1, 3) as 1 | 2 | 3 | undefined;
  const page = wholeNumber(values.page, 'page', 1, Number.MAX_SAFE_INTEGER);
  let rect: [number, number, number, number] | undefined;
  if (values.rect !== undefined) {
    const r = values.rect.split(',').map(Number);
    if (r.length !== 4 || !r.every(Number.isFinite)) throw kysoError('ERR_INVALID_ARGUMENT', '--rect must be x,y,w,h');
    rect = r as [number, number, number, number];
  }
  const unit = choice(values.unit, 'unit', ['pt', 'mm']);
  const signingTime = isoTime(values['signing-time'], 'signing-time');
  // Ctrl-C while the phone is asked cancels the remote transaction (and the run ends with ERR_ABORTED).
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  let adapter: SigningAdapter;
  if (values.remote) {
    const { remoteSigningAdapter } = await import('./remote-sign.js');
    adapter = remoteSigningAdapter({
      endpoint: values.remote, headers: remoteHeaders, lang, out: process.stderr, signal: interrupt.signal,
    });
  } else {
    const p12 = readNamedFile(values.p12!);
    const password = readPassword(values['pin-env'], lang === 'vi' ? 'Mật khẩu PKCS#12: ' : 'PKCS#12 password: ');
    adapter = await Pkcs12Adapter.open(p12, password);
  }

  const visible = role !== undefined || values.image !== undefined || rect !== undefined;
  const appearance: AppearanceOptions | undefined = visible
    ? {
        role: role ?? 'approve',
        image: values.image ? { bytes: readNamedFile(values.image) } : undefined,
        docNumber: values['doc-number'],
        copyForm: values['copy-form'] as AppearanceOptions['copyForm'],
        organization: values.organization,
        lang,
      }
    : undefined;
  const options: SignOptions = {
    adapter,
    ...(values.certificate !== undefined ? { certificateId: values.certificate } : {}),
    ...(values.remote ? { signal: interrupt.signal } : {}),
    level,
    timestamp: values.tsa ? { url: values.tsa } : undefined,
    ...(longTerm ? { ltv: { trust, fetch: globalThis.fetch as unknown as FetchLike } } : {}),
    field: values.field,
    placement: page !== undefined || rect !== undefined ? { page, rect, unit } : undefined,
    appearance,
    reason: values.reason,
    location: values.location,
    certify,
    signingTime,
  };
  if (values.remote) process.once('SIGINT', onSigint);
  try {
    await signFile(input, values.output, options, reportStaleTemporaryFiles(lang));
  } finally {
    process.off('SIGINT', onSigint);
  }
  return { output: `${values.output}\n`, exit: 0 };
}

/** With --queue any number of files and folders; else exactly one input PDF. */
function operandsOf(argv: readonly string[]): { count: number; what: string } | undefined {
  return argv.some((a) => a === '--queue' || a.startsWith('--queue=')) ? undefined : { count: 1, what: 'input PDF' };
}

/** The options a queued batch may carry: the signature every file gets (BatchSignOptions); nothing per file. */
const BATCH_OPTIONS = new Set(['output', 'queue', 'signer', 'level', 'tsa', 'reason', 'location', 'lang']);

async function signBatch(values: Record<string, unknown>, inputs: string[]): Promise<{ output: string; exit: number }> {
  const extra = Object.keys(values).filter((k) => !BATCH_OPTIONS.has(k));
  if (extra.length) throw kysoError('ERR_INVALID_ARGUMENT', `--queue signs with the workers' key and the batch's options only; not with --${extra[0]}`);
  if (typeof values.signer !== 'string') throw kysoError('ERR_INVALID_ARGUMENT', '--queue needs --signer CERT (the certificate of the key that signs)');
  if (inputs.length === 0) throw kysoError('ERR_INVALID_ARGUMENT', 'at least one PDF or folder is needed');
  const level = choice(values.level as string | undefined, 'level', ['B-B', 'B-T']);
  if (level === 'B-T' && typeof values.tsa !== 'string') throw kysoError('ERR_INVALID_ARGUMENT', '--level B-T needs --tsa URL');
  const { signOnQueue } = await import('./sign-queue-command.js');
  return signOnQueue({
    url: values.queue as string, signer: values.signer, inputs, outputDir: values.output as string, level,
    tsa: values.tsa as string | undefined, reason: values.reason as string | undefined, location: values.location as string | undefined,
    lang: choice(values.lang as string | undefined, 'lang', ['vi', 'en']),
  });
}
