/**
 * Worker thread of `kyso audit`: verifies each file the main thread sends and
 * answers with its audit row. Verification (parsing, hashing, CMS, chains) is
 * CPU-bound, so files are spread over threads; the main thread only aggregates.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AuditJob, AuditReply, WorkerConfig } from './protocol.js';
import { createFileVerifier } from './verify-file.js';

const config = workerData as WorkerConfig;
const port = parentPort;
if (!port) throw new Error('the audit worker must run in a worker thread');

const audit = createFileVerifier(config);

port.on('message', (job: AuditJob) => {
  void audit(job.file, job.path).then((row) => port.postMessage({ id: job.id, row } satisfies AuditReply));
});
// Loaded and listening: from now on a dying worker is blamed on the file it was given, not on start-up.
port.postMessage({ ready: true });
