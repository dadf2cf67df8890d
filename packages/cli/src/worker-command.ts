import { parseArgs } from 'node:util';
import { kysoError } from '@kyso/core';
import type { AuditRow } from './audit/model.js';
import { decodeConfig } from './audit/queued.js';
import { createFileVerifier } from './audit/verify-file.js';
import { withServer } from './server-module.js';

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

Exit status: 0 stopped by a signal; 1 the queue cannot be reached (ERR_QUEUE_UNREACHABLE);
64 usage error; 70 internal error.
`;

function seconds(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n < 0.1 || n > 3600) throw kysoError('ERR_INVALID_ARGUMENT', `--${name} must be seconds from 0.1 to 3600`);
  return Math.round(n * 1000);
}

/** `kyso worker …`: runs until SIGTERM/SIGINT, then closes gracefully; returns the exit status. */
export async function workerCommand(argv: string[], stop?: Promise<void>): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      queue: { type: 'string' }, concurrency: { type: 'string' }, 'lock-duration': { type: 'string' }, 'stalled-interval': { type: 'string' },
      lang: { type: 'string' },
    },
  });
  if (!values.queue) throw kysoError('ERR_INVALID_ARGUMENT', '--queue redis://… is needed');
  const concurrency = values.concurrency === undefined ? 1 : Number(values.concurrency);
  if (!/^\d+$/.test(values.concurrency ?? '1') || concurrency < 1 || concurrency > 256) throw kysoError('ERR_INVALID_ARGUMENT', '--concurrency must be a whole number from 1 to 256');
  const queue = values.queue;
  return withServer(async ({ canonicalJson, connectRedis, runFileWorker, sharedRevocationFetch }) => {
    // CRLs and CA certificates fetched online are shared with every other worker through the queue's Redis.
    const redis = connectRedis(queue);
    const shared = sharedRevocationFetch(redis, globalThis.fetch as unknown as Parameters<typeof sharedRevocationFetch>[1]);
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
      worker = await runFileWorker<AuditRow>(queue, verifyFile, {
        concurrency,
        lockDurationMs: seconds(values['lock-duration'], 'lock-duration'),
        stalledIntervalMs: seconds(values['stalled-interval'], 'stalled-interval'),
      });
    } catch (error) {
      redis.disconnect();
      throw error;
    }
    await (stop ?? new Promise<void>((resolve) => {
      const done = () => {
        process.off('SIGTERM', done);
        process.off('SIGINT', done);
        resolve();
      };
      process.on('SIGTERM', done);
      process.on('SIGINT', done);
    }));
    await worker.close();
    redis.disconnect();
    return 0;
  });
}
