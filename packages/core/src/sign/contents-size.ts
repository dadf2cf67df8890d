import { kysoError } from '../errors/index.js';
import type { SignatureAlgorithm } from '../crypto/algorithms.js';
import { HASH_LENGTH } from '../crypto/algorithms.js';
import { parseCertificate as certificateInfo } from '../crypto/certificate-info.js';
import { buildSignedAttributes } from '../crypto/signed-attributes.js';
import { assembleSignedData } from '../crypto/signed-data.js';
import type { SubFilter } from './options.js';

/**
 * Room to leave for an RFC 3161 token that is not known yet: the TSTInfo,
 * the TSA's SignerInfo and typically two or three certificates.
 */
export const TIMESTAMP_RESERVE = 12_000;

/** Slack for DER length growth and small variations between runs. */
const SLACK = 64;

/**
 * Sizes `/Contents` by a dry run: assembles a CMS with a dummy signature of
 * the key's maximum size and the real certificates, then adds the timestamp
 * reserve. The placeholder is written before the key signs, so it must be
 * large enough for anything `finish` may put there.
 */
export async function estimateContentsSize(input: {
  certificate: Uint8Array;
  chain: readonly Uint8Array[];
  algorithm: SignatureAlgorithm;
  subFilter: SubFilter;
  withTimestamp: boolean;
}): Promise<number> {
  const info = certificateInfo(input.certificate);
  const sigLen = Math.ceil(info.keyBits / 8);
  const attrs = await buildSignedAttributes({
    digestAlgorithm: input.algorithm.hash,
    contentDigest: new Uint8Array(HASH_LENGTH[input.algorithm.hash]),
    signerCertificate: input.certificate,
    subFilter: input.subFilter,
    signingTime: input.subFilter === 'adbe.pkcs7.detached' ? new Date(0) : undefined,
  });
  const dummy = info.keyAlgorithm === 'EC' ? maxEcdsaDer(Math.ceil(info.keyBits / 8)) : new Uint8Array(sigLen).fill(0x7f);
  let size: number;
  try {
    size = assembleSignedData({
      signedAttributes: attrs,
      signatureValue: dummy,
      algorithm: input.algorithm,
      signerCertificate: input.certificate,
      certificates: [input.certificate, ...input.chain],
    }).length;
  } catch (cause) {
    throw kysoError('ERR_CERT_MALFORMED', 'could not size the signature for this certificate', cause);
  }
  return size + SLACK + (input.withTimestamp ? TIMESTAMP_RESERVE : 0);
}

/** The largest DER Ecdsa-Sig-Value for an n-byte curve: both integers n+1 bytes (X9.62). */
function maxEcdsaDer(n: number): Uint8Array {
  const int = [0x02, n + 1, 0x00, ...new Array<number>(n).fill(0xff)];
  const body = [...int, ...int];
  return Uint8Array.from([0x30, ...(body.length < 128 ? [body.length] : [0x81, body.length]), ...body]);
}
