import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { kysoError, type AppearanceOptions, type FetchLike, type PadesLevel, type SignOptions, type SignatureRole, type SigningAdapter } from '@kyso/core';
import { signFile } from '@kyso/core/node';
import { reportStaleTemporaryFiles } from './stale-temp.js';
import { Pkcs12Adapter } from '@kyso/adapters';
import { readPassword } from './password.js';
import { readVerificationArgs } from './verification-options.js';

export const SIGN_USAGE = `Usage: kyso sign IN.pdf -o OUT.pdf --p12 FILE [options]
       kyso sign IN.pdf -o OUT.pdf --remote URL [--remote-header 'N: V'] [options]

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

export async function signCommand(argv: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' },
      p12: { type: 'string' },
      remote: { type: 'string' },
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
    },
  });
  const input = positionals[0];
  if (!input || positionals.length > 1) throw kysoError('ERR_INVALID_ARGUMENT', 'exactly one input PDF is needed');
  if (!values.output) throw kysoError('ERR_INVALID_ARGUMENT', '--output is required');
  if (!values.p12 === !values.remote) throw kysoError('ERR_INVALID_ARGUMENT', 'exactly one of --p12 and --remote is needed');
  if (!values.remote && (values['remote-header'] || values['remote-header-env'] || values.certificate !== undefined)) {
    throw kysoError('ERR_INVALID_ARGUMENT', '--remote-header, --remote-header-env and --certificate go with --remote');
  }
  const remoteHeaders = [...(values['remote-header'] ?? []), ...(values['remote-header-env'] ?? []).map((name) => {
    const value = process.env[name];
    if (value === undefined) throw kysoError('ERR_INVALID_ARGUMENT', `--remote-header-env: environment variable ${name} is not set`);
    return value;
  })];
  const lang = values.lang === 'en' ? 'en' : 'vi';
  if (values.lang !== undefined && values.lang !== 'vi' && values.lang !== 'en') throw kysoError('ERR_INVALID_ARGUMENT', '--lang must be vi or en');
  const level = (values.level ?? 'B-B') as PadesLevel;
  if (!['B-B', 'B-T', 'B-LT', 'B-LTA'].includes(level)) throw kysoError('ERR_INVALID_ARGUMENT', '--level must be B-B, B-T, B-LT or B-LTA');
  if (level !== 'B-B' && !values.tsa) throw kysoError('ERR_INVALID_ARGUMENT', `--level ${level} needs --tsa URL`);
  const longTerm = level === 'B-LT' || level === 'B-LTA';
  const { trust } = await readVerificationArgs({ trust: values.trust, profile: values.profile });
  if (longTerm && trust.length === 0) throw kysoError('ERR_INVALID_ARGUMENT', `--level ${level} needs --trust or --profile`);
  const role = values.role as SignatureRole | undefined;
  if (role !== undefined && !(ROLES as readonly string[]).includes(role)) throw kysoError('ERR_INVALID_ARGUMENT', `--role must be one of ${ROLES.join(', ')}`);
  const certify = values.certify === undefined ? undefined : Number(values.certify);
  if (certify !== undefined && certify !== 1 && certify !== 2 && certify !== 3) throw kysoError('ERR_INVALID_ARGUMENT', '--certify must be 1, 2 or 3');
  const page = values.page === undefined ? undefined : Number(values.page);
  if (page !== undefined && (!Number.isInteger(page) || page < 1)) throw kysoError('ERR_INVALID_ARGUMENT', '--page must be a positive integer');
  let rect: [number, number, number, number] | undefined;
  if (values.rect !== undefined) {
    const r = values.rect.split(',').map(Number);
    if (r.length !== 4 || !r.every(Number.isFinite)) throw kysoError('ERR_INVALID_ARGUMENT', '--rect must be x,y,w,h');
    rect = r as [number, number, number, number];
  }
  const unit = values.unit ?? 'pt';
  if (unit !== 'pt' && unit !== 'mm') throw kysoError('ERR_INVALID_ARGUMENT', '--unit must be pt or mm');
  let signingTime: Date | undefined;
  if (values['signing-time'] !== undefined) {
    signingTime = new Date(values['signing-time']);
    if (Number.isNaN(signingTime.getTime())) throw kysoError('ERR_INVALID_ARGUMENT', '--signing-time must be an ISO 8601 time');
  }

  const readInput = (path: string) => {
    try {
      return new Uint8Array(readFileSync(path));
    } catch (cause) {
      throw kysoError('ERR_IO', `could not read ${path}`, cause);
    }
  };
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
    const p12 = readInput(values.p12!);
    const password = readPassword(values['pin-env'], lang === 'vi' ? 'Mật khẩu PKCS#12: ' : 'PKCS#12 password: ');
    adapter = await Pkcs12Adapter.open(p12, password);
  }

  const visible = role !== undefined || values.image !== undefined || rect !== undefined;
  const appearance: AppearanceOptions | undefined = visible
    ? {
        role: role ?? 'approve',
        image: values.image ? { bytes: readInput(values.image) } : undefined,
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
    certify: certify as 1 | 2 | 3 | undefined,
    signingTime,
  };
  if (values.remote) process.once('SIGINT', onSigint);
  try {
    await signFile(input, values.output, options, reportStaleTemporaryFiles(lang));
  } finally {
    process.off('SIGINT', onSigint);
  }
  return values.output;
}
