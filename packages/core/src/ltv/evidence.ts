/**
 * Gathers the validation data every signature and document timestamp of a
 * file needs for offline validation (ETSI EN 319 142-1 §5.4.2): the signer's
 * and the TSA's certification paths and the OCSP responses or CRLs that
 * decide each certificate. It is verification's own path building and
 * revocation checking (`gatherFacts` with `collectEvidence`), run online
 * through the caller's fetch, so both sides always agree on what counts.
 */
import { kysoError } from '../errors/index.js';
import type { ByteSource } from '../pdf/byte-source.js';
import type { FetchLike, ServiceTimeouts } from '../options.js';
import { fromBase64 } from '../util/base64.js';
import type { VerificationFacts } from '../verify/facts.js';
import { gatherFacts, type VerifyOptions } from '../verify/verify.js';
import type { DssEntry } from './dss-writer.js';

/** Options of {@link collectLtvEvidence}. */
export interface EvidenceOptions {
  /** Trust anchors (as for `verify`): a path must reach one to be complete. */
  readonly trust: NonNullable<VerifyOptions['trust']>;
  readonly intermediates?: VerifyOptions['intermediates'];
  /** Reaches OCSP responders, CRL distribution points and AIA issuers; core has no network of its own. */
  readonly fetch: FetchLike;
  /**
   * Milliseconds per exchange; default 10 000.
   * @deprecated pass `timeouts: { ocsp, crl, aia }`.
   */
  readonly timeoutMs?: number;
  /** Time-out per service (`tsa` for the document timestamp of B-LTA), in milliseconds; wins over `timeoutMs`. */
  readonly timeouts?: ServiceTimeouts;
  /** The clock: data claiming to come from after it is refused. Default now. */
  readonly at?: Date;
  readonly password?: string;
  readonly signal?: AbortSignal;
}

/** Evidence for every signature, ready for the /DSS writer, and what could not be found. */
export interface LtvEvidence {
  readonly entries: readonly (DssEntry & { readonly field: string | null; readonly kind: 'signature' | 'document-timestamp' })[];
  /** Per signature field, the certificates or paths for which no data decided. Empty when complete. */
  readonly missing: readonly { readonly field: string | null; readonly what: readonly string[] }[];
  readonly facts: VerificationFacts;
}

export async function collectLtvEvidence(source: ByteSource, options: EvidenceOptions): Promise<LtvEvidence> {
  if (!options || typeof options.fetch !== 'function') throw kysoError('ERR_INVALID_ARGUMENT', 'options.fetch is required to gather validation data');
  if (!Array.isArray(options.trust) || options.trust.length === 0) throw kysoError('ERR_INVALID_ARGUMENT', 'options.trust is required: paths must end at a trust anchor');
  const facts = await gatherFacts(source, {
    trust: options.trust, intermediates: options.intermediates, revocation: 'online', fetch: options.fetch,
    timeoutMs: options.timeoutMs, timeouts: options.timeouts, at: options.at, password: options.password, signal: options.signal, collectEvidence: true,
  });
  const entries: LtvEvidence['entries'][number][] = [];
  const missing: LtvEvidence['missing'][number][] = [];
  for (const s of facts.signatures) {
    const e = s.evidence;
    const der = (list: readonly string[] | undefined) => (list ?? []).map((b) => fromBase64(b)!).filter(Boolean);
    if (!e || !s.cms.parsed) {
      missing.push({ field: s.field, what: [s.cms.error ?? 'the signature cannot be read'] });
      continue;
    }
    entries.push({ field: s.field, kind: s.kind, vriKey: e.vriKey, certs: der(e.certs), ocsps: der(e.ocsps), crls: der(e.crls) });
    if (e.missing.length) missing.push({ field: s.field, what: e.missing });
  }
  return { entries, missing, facts };
}
