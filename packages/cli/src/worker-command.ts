import { parseArgs } from 'node:util';
import { kysoError, type SigningAdapter } from '@kyso/core';
import type { AuditRow } from './audit/model.js';
import { decodeConfig } from './audit/queued.js';
import { createFileVerifier } from './audit/verify-file.js';
import { withServer } from './server-module.js';
import { Pkcs12Adapter } from '@kyso/adapters';
import { readPassword } from './password.js';
import { choice, readNamedFile, wholeNumber } from './command-line.js';

export const WORKER_USAGE = `Usage: kyso worker --queue redis://HOST:PORT [options]

Takes the files of kyso audit --queue runs from the BullMQ queue in this Redis and
verifies them, sharing CRLs and CA certificates fetched online through the same Redis
(run one per CPU core, on as many machines as needed; each must see
the audited folders at the same absolute paths). Stops on SIGTERM or SIGINT after
finishing its current files. A worker that dies mid-file loses nothing: the file is
verified again by another worker once its lock expires.

  --queue URL              redis:// or rediss:// URL of the queue (required)
  --concurrency N          files verified at once by this process (default 1)
  --lock-duration S        seconds a file stays locked to this worker without renewal;
                           after a crash the file is retried after it (default 30)
  --stalled-interval S     seconds between checks for files of dead workers (default 30)
  --allow-fetch-host HOST  OCSP/CRL/CA URLs named in documents are fetched only from
                           public addresses (documents may come from POST /v1/audit
                           uploads); also allow this host, e.g. an internal mirror (repeatable)
  --ca-rate N              downloads per second from one CA host (CRL, OCSP, CA
                           certificates), counted across every worker and kyso serve on
                           this Redis; over it, downloads wait (default 10; 0: no limit)

Batch signing (the agency seal's daily issuance): with --sign the worker takes only
signing jobs, from the queue of its own key (named from the certificate's SHA-256:
kyso-sign-…, printed on start); audit jobs and other keys' jobs are never taken.
Each file is signed into its output, written atomically (a temporary file renamed
over it): an output is the input plus exactly one signature. A job retried after a
crash is signed again, and that output replaces the first.

  --sign                   sign instead of verify (needs --p12 or --pkcs11)
  --p12 FILE               PKCS#12 (.p12/.pfx) holding the signing key and certificate
  --pkcs11 MODULE          or: the key on a PKCS#11 token/HSM, through this library
                           (e.g. /usr/lib/softhsm/libsofthsm2.so); the key never leaves it
  --token LABEL            with --pkcs11: the token (default: the one with a signing
                           certificate)
  --key LABEL|ID           with --pkcs11: the key's label or hex CKA_ID (default: the
                           token's only signing certificate)
  --pin-env VAR            read the PKCS#12 password or the token's user PIN from
                           environment variable VAR

Exit status: 0 stopped by a signal; 1 the queue cannot be reached (ERR_QUEUE_UNREACHABLE);
64 usage error; 70 internal error.
`;

function seconds(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n < 0.1 || n > 3600) throw kysoError('ERR_INVALID_ARGUMENT', `--${name} must be seconds from 0.1 to 3600`);
  return Math.round(n * 1000);
}

/** Resolves on the first SIGTERM or SIGINT. */
function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGTERM', done);
      process.off('SIGINT', done);
      resolve();
    };
    process.on('SIGTERM', done);
    process.on('SIGINT', done);
  });
}

/** `kyso worker …`: runs until SIGTERM/SIGINT, then closes gracefully; returns the exit status. */
export async function workerCommand(argv: string[], stop?: Promise<void>): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      queue: { type: 'string' }, concurrency: { type: 'string' }, 'lock-duration': { type: 'string' }, 'stalled-interval': { type: 'string' },
      lang: { type: 'string' }, sign: { type: 'boolean' }, p12: { type: 'string' }, 'pin-env': { type: 'string' },
      pkcs11: { type: 'string' }, token: { type: 'string' }, key: { type: 'string' },
      'allow-fetch-host': { type: 'string', multiple: true }, 'ca-rate': { type: 'string' },
    },
  });
  const caRate = wholeNumber(values['ca-rate'], 'ca-rate', 0, 100_000) ?? 10;
  if (!values.queue) throw kysoError('ERR_INVALID_ARGUMENT', '--queue redis://… is needed');
  const concurrency = wholeNumber(values.concurrency, 'concurrency', 1, 256) ?? 1;
  const lang = choice(values.lang, 'lang', ['vi', 'en']);
  const queue = values.queue;
  const tuning = {
    concurrency,
    lockDurationMs: seconds(values['lock-duration'], 'lock-duration'),
    stalledIntervalMs: seconds(values['stalled-interval'], 'stalled-interval'),
  };
  if (values.sign) {
    if (!values.p12 === !values.pkcs11) throw kysoError('ERR_INVALID_ARGUMENT', '--sign needs one of --p12 FILE and --pkcs11 MODULE (the signing key)');
    if (!values.pkcs11 && (values.token !== undefined || values.key !== undefined)) throw kysoError('ERR_INVALID_ARGUMENT', '--token and --key go with --pkcs11');
    return withServer(async ({ openPkcs11Key, runSignWorker }) => {
      let adapter: SigningAdapter;
      let close = () => {};
      if (values.pkcs11) {
        const pin = readPassword(values['pin-env'], lang === 'en' ? 'Token user PIN: ' : 'Mã PIN của token: ');
        const key = await openPkcs11Key({ module: values.pkcs11, tokenLabel: values.token, key: values.key, pin });
        adapter = key;
        close = () => key.close();
      } else {
        const password = readPassword(values['pin-env'], lang === 'en' ? 'PKCS#12 password: ' : 'Mật khẩu PKCS#12: ');
        adapter = await Pkcs12Adapter.open(readNamedFile(values.p12!), password);
      }
      let worker;
      try {
        worker = await runSignWorker(queue, adapter, tuning);
      } catch (error) {
        close();
        throw error;
      }
      process.stderr.write(`kyso worker: ${lang === 'en' ? 'signing jobs of queue' : 'ký các tệp của hàng đợi'} ${worker.queue}\n`);
      await (stop ?? untilSignal());
      await worker.close();
      close();
      return 0;
    });
  }
  if (values.p12 || values.pkcs11 || values['pin-env']) throw kysoError('ERR_INVALID_ARGUMENT', '--p12, --pkcs11 and --pin-env go with --sign');
  return withServer(async ({ canonicalJson, connectRedis, publicNetworkFetch, runFileWorker, sharedRevocationFetch }) => {
    // The URLs come from inside the documents, which a service's uploads make anyone's: public addresses
    // only (no server-side request forgery), as kyso serve fetches them.
    const network = publicNetworkFetch({ allowHosts: values['allow-fetch-host'] ?? [] });
    // CRLs and CA certificates fetched online are shared with every other worker through the queue's Redis.
    const redis = connectRedis(queue);
    const shared = sharedRevocationFetch(redis, network, { caRate: caRate === 0 ? false : { limit: caRate, windowMs: 1000 } });
    // Trust stores are decoded once per set of options, not once per file.
    const verifiers = new Map<string, (file: string, path: string) => Promise<AuditRow>>();
    const verifyFile = async (file: string, options: unknown): Promise<AuditRow> => {
      const key = canonicalJson(options);
      let verifier = verifiers.get(key);
      if (!verifier) {
        if (verifiers.size >= 16) verifiers.delete(verifiers.keys().next().value!);
        verifiers.set(key, (verifier = createFileVerifier(decodeConfig(options), shared.fetch)));
      }
      return verifier(file, '');
    };
    let worker;
    try {
      worker = await runFileWorker<AuditRow>(queue, verifyFile, tuning);
    } catch (error) {
      redis.disconnect();
      throw error;
    }
    await (stop ?? untilSignal());
    await worker.close();
    redis.disconnect();
    return 0;
  });
}
