/**
 * The per-file verification of `kyso audit`, shared by its worker threads (worker.ts) and by
 * `kyso worker` processes taking files from a BullMQ queue (`kyso audit --queue`): both make the
 * same row from the same file and options.
 */
import {
  distrust, KysoError, LEGACY_POLICY, mergeTrust, trustFromCertificates, trustProfile, TRUST_PROFILE_NAMES, verify,
  type TrustProfileName, type VerifyOptions,
} from '@kyso/core';
import { openFileSource, type FileSource } from '@kyso/core/node';
import { errorRow, rowOf, type AuditRow } from './model.js';
import type { WorkerConfig } from './protocol.js';

/** The network for online revocation: global fetch, with URLs rewritten through the configured map. */
function fetchOf(urlMap: Readonly<Record<string, string>> | undefined, network?: VerifyOptions['fetch']): VerifyOptions['fetch'] {
  const base = network ?? (globalThis.fetch as unknown as NonNullable<VerifyOptions['fetch']>);
  if (!urlMap) return base;
  return (input, init) => base(urlMap[input] ?? input, init);
}

/**
 * A function verifying one file into its audit row under `config`. Trust stores are decoded once,
 * here, not once per file; one fetch function per verifier, so its revocation cache (one fetch per
 * CRL or OCSP URL) lives as long as the verifier. `network` replaces global fetch (e.g. the Redis-shared
 * revocation cache of `kyso worker`).
 */
export function createFileVerifier(config: WorkerConfig, network?: VerifyOptions['fetch']): (file: string, path: string) => Promise<AuditRow> {
  const stores = config.trust.map((t) =>
    typeof t === 'string' && (TRUST_PROFILE_NAMES as readonly string[]).includes(t) ? trustProfile(t as TrustProfileName) : trustFromCertificates([t]));
  const trusted = stores.length && config.distrust?.length ? [distrust(mergeTrust(...stores), config.distrust)] : stores;
  const options: VerifyOptions = {
    trust: trusted,
    ...(config.revocationData ? { revocationData: config.revocationData } : {}),
    ...(config.policy === 'legacy' ? { policy: LEGACY_POLICY } : {}),
    revocation: config.revocation,
    at: new Date(config.at),
    timeoutMs: config.timeoutMs,
    fetch: config.revocation === 'online' ? fetchOf(config.urlMap, network) : undefined,
  };
  return async (file, path) => {
    let source: FileSource;
    let pdf: FileSource | Uint8Array;
    try {
      source = openFileSource(file);
      // A small file is read whole, in one read, and verified over memory: parsing and hashing then take
      // views of one buffer instead of a system call and a copy per block (most of an archive is small
      // files). No more memory than the file source's own block cache, which holds up to 1 MiB.
      pdf = source.length <= READ_WHOLE_BYTES ? source.read(0, source.length) : source;
    } catch {
      return errorRow(path, 'ERR_IO');
    }
    try {
      if (pdf !== source) source.close();
      return rowOf(path, await verify(pdf, { ...options, file: path }));
    } catch (error) {
      return errorRow(path, error instanceof KysoError ? error.code : 'ERR_INTERNAL');
    } finally {
      source.close();
    }
  };
}

/** Files up to this size are verified from one read into memory (see createFileVerifier). */
const READ_WHOLE_BYTES = 1024 * 1024;
