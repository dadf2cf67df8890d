import { kysoError, KysoError } from '../errors/index.js';
import type { SignatureAlgorithm } from '../crypto/algorithms.js';
import { estimateSignedDataSize } from '../crypto/signed-data.js';
import { bytesToLatin1 } from '../util/bytes.js';
import { RecentMap } from '../util/recent-map.js';
import type { SubFilter } from './options.js';

/**
 * Room to leave for an RFC 3161 token that is not known yet: the TSTInfo,
 * the TSA's SignerInfo and typically two or three certificates.
 */
export const TIMESTAMP_RESERVE = 12_000;

/**
 * Sizes `/Contents` before the key signs (the placeholder is written first,
 * ISO 32000-2 §12.8.1): the CMS dry run of {@link estimateSignedDataSize}
 * with the real certificates and the key's largest signature, plus the
 * timestamp reserve for B-T.
 */
export function estimateContentsSize(input: {
  certificate: Uint8Array;
  chain: readonly Uint8Array[];
  algorithm: SignatureAlgorithm;
  subFilter: SubFilter;
  withTimestamp: boolean;
}): number {
  // The size depends only on these inputs, and a signer signs many documents
  // with the same certificate: the dry run was a third of a small file's signing.
  const key = [input.algorithm.scheme, input.algorithm.hash, input.subFilter, input.withTimestamp, ...[input.certificate, ...input.chain].map(derKey)].join('|');
  return sizeCache.getOrCreate(key, () => estimateUncached(input));
}

const sizeCache = new RecentMap<string, number>(16);
/** The exact bytes as a string key (a digest would cost more than it saves on a 2 KB certificate). */
const derKey = (der: Uint8Array): string => (der instanceof Uint8Array ? bytesToLatin1(der) : String(der));

function estimateUncached(input: Parameters<typeof estimateContentsSize>[0]): number {
  try {
    return estimateSignedDataSize({
      signerCertificate: input.certificate,
      certificates: input.chain,
      algorithm: input.algorithm,
      subFilter: input.subFilter,
      timestamp: input.withTimestamp ? { tokenSize: TIMESTAMP_RESERVE, tsaChainSize: 0 } : false,
    });
  } catch (cause) {
    if (cause instanceof KysoError && cause.code === 'ERR_SIG_ALGORITHM_UNSUPPORTED') throw cause;
    throw kysoError('ERR_CERT_MALFORMED', 'could not size the signature for this certificate', cause);
  }
}
