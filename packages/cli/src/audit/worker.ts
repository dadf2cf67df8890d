/**
 * Worker thread of `kyso audit`: verifies each file the main thread sends and
 * answers with its audit row. Verification (parsing, hashing, CMS, chains) is
 * CPU-bound, so files are spread over threads; the main thread only aggregates.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  distrust, KysoError, LEGACY_POLICY, mergeTrust, trustFromCertificates, trustProfile, TRUST_PROFILE_NAMES, verify,
  type TrustProfileName, type VerifyOptions,
} from '@kyso/core';
import { openFileSource } from '@kyso/core/node';
import { errorRow, rowOf, type AuditRow } from './model.js';
import type { AuditJob, AuditReply, WorkerConfig } from './protocol.js';

const config = workerData as WorkerConfig;
const port = parentPort;
if (!port) throw new Error('the audit worker must run in a worker thread');

/** The network for online revocation: global fetch, with URLs rewritten through the configured map. */
function fetchOf(urlMap: Readonly<Record<string, string>> | undefined): VerifyOptions['fetch'] {
  const base = globalThis.fetch as unknown as NonNullable<VerifyOptions['fetch']>;
  if (!urlMap) return base;
  return (input, init) => base(urlMap[input] ?? input, init);
}

// Trust stores are decoded once per worker, not once per file.
const stores = config.trust.map((t) =>
  typeof t === 'string' && (TRUST_PROFILE_NAMES as readonly string[]).includes(t) ? trustProfile(t as TrustProfileName) : trustFromCertificates([t]));
const trusted = stores.length && config.distrust?.length ? [distrust(mergeTrust(...stores), config.distrust)] : stores;
// One fetch function per worker: its revocation cache (one fetch per CRL or OCSP URL) lives as long as the worker.
const options: VerifyOptions = {
  trust: trusted,
  ...(config.revocationData ? { revocationData: config.revocationData } : {}),
  ...(config.policy === 'legacy' ? { policy: LEGACY_POLICY } : {}),
  revocation: config.revocation,
  at: new Date(config.at),
  timeoutMs: config.timeoutMs,
  fetch: config.revocation === 'online' ? fetchOf(config.urlMap) : undefined,
};

async function audit(job: AuditJob): Promise<AuditRow> {
  let source;
  try {
    source = openFileSource(job.file);
  } catch {
    return errorRow(job.path, 'ERR_IO');
  }
  try {
    return rowOf(job.path, await verify(source, { ...options, file: job.path }));
  } catch (error) {
    return errorRow(job.path, error instanceof KysoError ? error.code : 'ERR_INTERNAL');
  } finally {
    source.close();
  }
}

port.on('message', (job: AuditJob) => {
  void audit(job).then((row) => port.postMessage({ id: job.id, row } satisfies AuditReply));
});
// Loaded and listening: from now on a dying worker is blamed on the file it was given, not on start-up.
port.postMessage({ ready: true });
